// Judgements of aws-credentials: ACM certificates (expiry of those in use) and Secrets Manager
// secrets (rotation enabled, last rotation within its schedule) on the standby side, then parity
// with the primary. Pure functions of configuration items and `now`: no I/O, no clock.
import { CronExpressionParser } from "cron-parser";
import { formatDuration, parseDuration } from "../../src/core/duration.js";
import { expiryLevel, type ExpiryLimits, type Finding, type Substituter } from "../../src/kit/index.js";
import { type ConfigItem, configurationOf, displayName, identity, NOT_CURRENT } from "../../src/probes/aws-config/index.js";
import { parseTimestamp } from "../../src/probes/timestamp.js";

const DAY = 86_400_000;

export interface Thresholds extends ExpiryLimits {
  rotationGraceMs: number;
  rotationDisabled: "fail" | "warn";
  parityWarnMs: number;
  parityWithinMs: number;
}

/** Findings, and what could not be decided (never a pass), worded without the side: the caller names side and region. */
export interface Judged {
  findings: Finding[];
  undecided: string[];
}

/** Reads a field whether AWS Config recorded it PascalCase (DescribeSecret) or camelCase. */
function field(cfg: Record<string, unknown>, name: string): unknown {
  if (name in cfg) return cfg[name];
  const alt = name[0] === name[0]!.toUpperCase() ? name[0]!.toLowerCase() + name.slice(1) : name[0]!.toUpperCase() + name.slice(1);
  return cfg[alt];
}

function time(v: unknown): number | null {
  return v instanceof Date ? v.getTime() : parseTimestamp(v);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const left = (ms: number) => (ms <= 0 ? `expired ${formatDuration(-ms)} ago` : `expires in ${formatDuration(ms)}`);

// ---------------------------------------------------------------- certificates

export interface Cert {
  item: ConfigItem;
  domain: string;
  names: string[];
  notAfter: number | null;
  status: string;
  type: string;
  inUse: boolean;
  renewal?: string;
  eligible?: string;
}

export function readCert(item: ConfigItem): Cert | null {
  if (NOT_CURRENT.has(item.status) && item.status !== "ResourceNotRecorded") return null;
  const cfg = configurationOf(item) ?? {};
  const domain = String(field(cfg, "domainName") ?? displayName(item));
  const sans = field(cfg, "subjectAlternativeNames");
  const inUseBy = field(cfg, "inUseBy");
  const cert: Cert = {
    item,
    domain,
    names: Array.isArray(sans) ? sans.map(String) : [domain],
    notAfter: time(field(cfg, "notAfter")),
    status: String(field(cfg, "status") ?? "UNKNOWN"),
    type: String(field(cfg, "type") ?? "UNKNOWN"),
    inUse: Array.isArray(inUseBy) && inUseBy.length > 0,
  };
  const renewal = (field(cfg, "renewalSummary") as Record<string, unknown> | undefined)?.renewalStatus;
  if (typeof renewal === "string") cert.renewal = renewal;
  const eligible = field(cfg, "renewalEligibility");
  if (typeof eligible === "string") cert.eligible = eligible;
  return cert;
}

function certLabel(c: Cert): string {
  return `certificate ${c.domain} (${c.type === "IMPORTED" ? "imported" : c.type === "AMAZON_ISSUED" ? "ACM-issued" : c.type})`;
}

/** Why an expiring certificate will not fix itself. */
function renewalNote(c: Cert): string {
  if (c.type === "IMPORTED") return "imported certificates are never renewed by ACM: re-import a new one";
  if (c.type === "PRIVATE") return "private CA certificates renew only when ACM may export or manage them";
  if (c.renewal && c.renewal !== "SUCCESS") return `ACM renewal is ${c.renewal}${c.renewal === "PENDING_VALIDATION" ? " (complete domain validation)" : ""}`;
  if (c.eligible && c.eligible !== "ELIGIBLE") return `renewal eligibility ${c.eligible}`;
  return "ACM renews eligible certificates 60 days before expiry, so one this close has a stuck renewal";
}

export function judgeStandbyCerts(certs: Cert[], t: Thresholds, now: number): Judged & { earliest: Cert | null } {
  const out: Judged & { earliest: Cert | null } = { findings: [], undecided: [], earliest: null };
  for (const c of certs) {
    const path = `certificates.${c.domain}`;
    if (c.item.status === "ResourceNotRecorded") {
      out.undecided.push(`${certLabel(c)} is ResourceNotRecorded in AWS Config`);
      continue;
    }
    if (!c.inUse) {
      const when = c.notAfter === null ? "" : `, ${left(c.notAfter - now)}`;
      out.findings.push({ level: "info", path, message: `standby ${certLabel(c)} is not in use${when}: not judged`, standby: identity(c.item), rule: "unused-certificate", why: "an unused certificate serves no traffic" });
      continue;
    }
    if (["REVOKED", "FAILED", "VALIDATION_TIMED_OUT", "INACTIVE"].includes(c.status)) {
      out.findings.push({ level: "fail", path, message: `standby ${certLabel(c)} is in use but ${c.status}`, standby: identity(c.item), rule: "certificate-status", why: "an in-use certificate must be ISSUED" });
      continue;
    }
    if (c.notAfter === null) {
      out.undecided.push(`${certLabel(c)} is in use but AWS Config recorded no notAfter (status ${c.status})`);
      continue;
    }
    if (!out.earliest || c.notAfter < out.earliest.notAfter!) out.earliest = c;
    const ms = c.notAfter - now;
    const level = expiryLevel(ms, t);
    const base = { path, standby: { ...identity(c.item), notAfter: iso(c.notAfter), type: c.type } };
    if (ms <= 0 || c.status === "EXPIRED") {
      out.findings.push({ ...base, level: "fail", message: `standby ${certLabel(c)} ${left(ms)} (notAfter ${iso(c.notAfter)}) and is in use; ${renewalNote(c)}`, rule: "expired", why: "in-use certificates must be valid" });
    } else if (level) {
      const limit = formatDuration(level === "fail" ? t.failMs : t.warnMs);
      out.findings.push({ ...base, level, message: `standby ${certLabel(c)} ${left(ms)} (notAfter ${iso(c.notAfter)}), within the ${level} threshold ${limit}; ${renewalNote(c)}`, rule: "expiry" });
    } else if (c.type === "IMPORTED") {
      out.findings.push({ ...base, level: "info", message: `standby ${certLabel(c)} ${left(ms)}: imported, so ACM will not renew it; plan the re-import`, rule: "imported-certificate", why: "imported certificates do not auto-renew" });
    }
  }
  return out;
}

export function certParity(primary: Cert[], standby: Cert[], sub: Substituter | null, t: Thresholds, now: number): Finding[] {
  const findings: Finding[] = [];
  const byDomain = new Map<string, Cert[]>();
  for (const c of standby) {
    if (c.item.status === "ResourceNotRecorded") continue;
    const list = byDomain.get(c.domain) ?? [];
    list.push(c);
    byDomain.set(c.domain, list);
  }
  const seen = new Set<string>();
  for (const p of primary) {
    if (!p.inUse || p.item.status === "ResourceNotRecorded") continue;
    const domain = sub ? sub.apply(p.domain) : p.domain;
    if (seen.has(domain)) continue;
    seen.add(domain);
    const path = `certificates.${domain}`;
    const twins = byDomain.get(domain) ?? [];
    // The standby's best twin: in use first, then the latest expiry.
    const twin = [...twins].sort((a, b) => Number(b.inUse) - Number(a.inUse) || (b.notAfter ?? 0) - (a.notAfter ?? 0))[0];
    if (!twin) {
      findings.push({
        level: "fail",
        path,
        change: "missing",
        message: `primary ${certLabel(p)} is in use but the standby has no certificate for ${domain}`,
        primary: identity(p.item),
        rule: "certificate-twin",
        why: "every in-use primary certificate needs a standby twin (its domain with this side's vars)",
      });
      continue;
    }
    // Drift-shaped findings render as path: primary -> standby, so the values are what differs.
    const names = new Set(twin.names);
    const expectedNames = p.names.map((n) => (sub ? sub.apply(n) : n));
    const lacking = expectedNames.filter((n) => !names.has(n));
    if (lacking.length > 0) {
      findings.push({
        level: "warn",
        path: `${path}.subjectAlternativeNames`,
        change: "changed",
        message: `standby ${certLabel(twin)} does not cover ${lacking.join(", ")}, which the primary's covers`,
        primary: p.names,
        // The names the standby should cover: the primary's with this side's vars.
        ...(expectedNames.some((n, i) => n !== p.names[i]) ? { expected: expectedNames } : {}),
        standby: twin.names,
        rule: "name-parity",
        why: "the standby certificate must cover the primary's names",
      });
    }
    if (p.notAfter !== null && twin.notAfter !== null) {
      const gap = p.notAfter - twin.notAfter;
      if (gap > t.parityWarnMs && twin.notAfter - now <= t.parityWithinMs) {
        findings.push({
          level: "warn",
          path: `${path}.notAfter`,
          change: "weaker",
          message: `standby ${certLabel(twin)} expires ${formatDuration(gap)} before the primary's (${iso(twin.notAfter)} vs ${iso(p.notAfter)})`,
          primary: iso(p.notAfter),
          standby: iso(twin.notAfter),
          rule: "expiry-parity",
          why: `standby certificates renewed no later than the primary's (parityWarn ${formatDuration(t.parityWarnMs)})`,
        });
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------- secrets

export interface Secret {
  item: ConfigItem;
  name: string;
  deleted: boolean;
  rotationEnabled: boolean;
  rules: Record<string, unknown> | null;
  lastRotated: number | null;
  created: number | null;
  occurringAsScheduled: boolean | null;
  primaryRegion: string | null;
}

export function readSecret(item: ConfigItem): Secret | null {
  if (NOT_CURRENT.has(item.status) && item.status !== "ResourceNotRecorded") return null;
  const cfg = configurationOf(item) ?? {};
  const rules = field(cfg, "RotationRules");
  const occurring = field(cfg, "RotationOccurringAsScheduled");
  const primaryRegion = field(cfg, "PrimaryRegion");
  return {
    item,
    name: String(field(cfg, "Name") ?? displayName(item)),
    deleted: field(cfg, "Deleted") === true || field(cfg, "DeletedDate") != null,
    rotationEnabled: field(cfg, "RotationEnabled") === true,
    rules: rules !== null && typeof rules === "object" ? (rules as Record<string, unknown>) : null,
    lastRotated: time(field(cfg, "LastRotatedDate")),
    created: time(field(cfg, "CreatedDate")) ?? time(item.doc.resourceCreationTime),
    occurringAsScheduled: typeof occurring === "boolean" ? occurring : null,
    primaryRegion: typeof primaryRegion === "string" ? primaryRegion : null,
  };
}

/** A replica of a secret whose primary lives in another region rotates with that primary. */
function replicaOf(s: Secret): string | null {
  return s.primaryRegion && s.item.awsRegion && s.primaryRegion !== s.item.awsRegion ? s.primaryRegion : null;
}

export interface Schedule {
  text: string;
  /** When the rotation after `from` is due. */
  dueAfter(from: number): number;
  /** Rotation window (RotationRules.Duration) during which a due rotation may still run. */
  windowMs: number;
}

/** RotationRules -> schedule: AutomaticallyAfterDays/Hours, rate(N days|hours), or cron(...). */
export function rotationSchedule(rules: Record<string, unknown> | null): Schedule | string {
  if (!rules) return "rotation is enabled but AWS Config recorded no RotationRules";
  const windowText = field(rules, "Duration") ?? field(rules, "RotationDuration");
  const windowMs = typeof windowText === "string" ? (parseDuration(windowText.toLowerCase()) ?? 0) : 0;
  const every = (ms: number, text: string): Schedule => ({ text, dueAfter: (from) => from + ms, windowMs });
  const days = field(rules, "AutomaticallyAfterDays");
  if (typeof days === "number" && days > 0) return every(days * DAY, `every ${days} day${days === 1 ? "" : "s"}`);
  const hours = field(rules, "AutomaticallyAfterHours");
  if (typeof hours === "number" && hours > 0) return every(hours * 3600_000, `every ${hours} hour${hours === 1 ? "" : "s"}`);
  const expr = field(rules, "ScheduleExpression") ?? field(rules, "RotationScheduleExpression");
  if (typeof expr !== "string") return "rotation is enabled but its RotationRules hold neither AutomaticallyAfterDays nor a ScheduleExpression";
  const rate = /^rate\(\s*(\d+)\s+(hours?|days?)\s*\)$/i.exec(expr.trim());
  if (rate) {
    const n = Number(rate[1]);
    return every(n * (rate[2]!.toLowerCase().startsWith("hour") ? 3600_000 : DAY), expr.trim());
  }
  const cron = /^cron\((.*)\)$/i.exec(expr.trim());
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length === 6) {
      // AWS: minutes hours day-of-month month day-of-week year, `?` for "any", day-of-week 1-7 = SUN-SAT.
      const [min, hour, dom, month, dow] = fields.map((f) => f.replace(/^\?$/, "*")) as [string, string, string, string, string];
      const dowStd = dow.replace(/\d/g, (d) => String((Number(d) + 6) % 7));
      try {
        const text = `${min} ${hour} ${dom} ${month} ${dowStd}`;
        CronExpressionParser.parse(text, { tz: "UTC", currentDate: new Date(0) }).next();
        return {
          text: expr.trim(),
          windowMs,
          dueAfter: (from) => CronExpressionParser.parse(text, { tz: "UTC", currentDate: new Date(from) }).next().getTime(),
        };
      } catch {
        /* fall through */
      }
    }
  }
  return `rotation schedule ${JSON.stringify(expr)} is not one standby can read (rate(N days), rate(N hours) or cron(...))`;
}

export function judgeStandbySecrets(secrets: Secret[], t: Thresholds, now: number): Judged {
  const out: Judged = { findings: [], undecided: [] };
  for (const s of secrets) {
    const path = `secrets.${s.name}`;
    if (s.item.status === "ResourceNotRecorded") {
      out.undecided.push(`secret ${s.name} is ResourceNotRecorded in AWS Config`);
      continue;
    }
    if (s.deleted) {
      out.findings.push({ level: "info", path, message: `standby secret ${s.name} is scheduled for deletion: not judged`, standby: identity(s.item), rule: "deleted-secret", why: "deleted secrets are not current" });
      continue;
    }
    const replica = replicaOf(s);
    if (!s.rotationEnabled) {
      if (replica) {
        out.findings.push({ level: "info", path, message: `standby secret ${s.name} is a replica of ${replica}: it rotates when its primary does`, standby: identity(s.item), rule: "replica-secret", why: "replica secrets rotate with their primary" });
      } else {
        out.findings.push({ level: t.rotationDisabled, path, message: `standby secret ${s.name} has rotation disabled`, standby: identity(s.item), rule: "rotation-disabled", why: "secrets should rotate automatically (rotationDisabled)" });
      }
      continue;
    }
    if (s.occurringAsScheduled === false) {
      out.findings.push({ level: "fail", path, message: `standby secret ${s.name}: AWS Config records RotationOccurringAsScheduled false (the last scheduled rotation did not happen)`, standby: identity(s.item), rule: "rotation-failed", why: "scheduled rotation must succeed" });
      continue;
    }
    const sched = rotationSchedule(s.rules);
    if (typeof sched === "string") {
      out.undecided.push(`secret ${s.name}: ${sched}`);
      continue;
    }
    const from = s.lastRotated ?? s.created;
    if (from === null) {
      out.undecided.push(`secret ${s.name}: neither LastRotatedDate nor a creation time is recorded`);
      continue;
    }
    const due = sched.dueAfter(from);
    const late = now - (due + sched.windowMs + t.rotationGraceMs);
    if (late > 0) {
      const what = s.lastRotated === null ? `never rotated since it was created ${iso(from)}` : `last rotated ${iso(from)} (${formatDuration(now - from)} ago)`;
      out.findings.push({
        level: "fail",
        path,
        message: `standby secret ${s.name} is ${what}; schedule ${sched.text}, due ${iso(due)}: overdue by ${formatDuration(now - due)}`,
        standby: { ...identity(s.item), lastRotated: s.lastRotated === null ? null : iso(s.lastRotated), schedule: sched.text },
        rule: "rotation-overdue",
        why: `last rotation within its schedule (+ rotationGrace ${formatDuration(t.rotationGraceMs)})`,
      });
    }
  }
  return out;
}

export function secretParity(primary: Secret[], standby: Secret[], sub: Substituter | null): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map<string, Secret>();
  for (const s of standby) if (!s.deleted && s.item.status !== "ResourceNotRecorded") byName.set(s.name, s);
  for (const p of primary) {
    if (p.deleted || p.item.status === "ResourceNotRecorded") continue;
    const name = sub ? sub.apply(p.name) : p.name;
    const path = `secrets.${name}`;
    const twin = byName.get(name);
    if (!twin) {
      findings.push({
        level: "fail",
        path,
        change: "missing",
        message: `primary secret ${p.name} has no standby twin ${name}`,
        primary: identity(p.item),
        rule: "secret-twin",
        why: "every primary secret needs a standby twin (its name with this side's vars)",
      });
      continue;
    }
    if (p.rotationEnabled && !twin.rotationEnabled && !replicaOf(twin)) {
      const sched = rotationSchedule(p.rules);
      findings.push({
        level: "fail",
        path: `${path}.RotationEnabled`,
        change: "weaker",
        message: `primary secret ${p.name} rotates (${typeof sched === "string" ? "schedule unreadable" : sched.text}) but standby ${twin.name} does not: after failover the credential stops rotating`,
        primary: true,
        standby: false,
        rule: "rotation-parity",
        why: "the standby must rotate what the primary rotates",
      });
    }
  }
  return findings;
}

