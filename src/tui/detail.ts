// Drill-down content of one check as styled lines (pure, so the views are tested without Ink):
// the header, the measured value, findings, then a view keyed on the kind (drift side by side,
// certificate chains, lag against the RPO with recent readings, the DNS switch-time breakdown,
// JWKS keys, cache age, drill slots) and last the raw evidence, flattened. Measured values are
// coloured by the check's own measured.limit/warnAt (measuredLevel), never by a kind's defaults.
// An unknown check says it was not compared and why, never "0 findings". The kind views read the
// kinds' evidence defensively: when one throws, the generic rendering still shows everything.
import { formatDuration } from "../core/duration.js";
import type { CheckReport, Finding, Measured } from "../engine/types.js";
import { formatMeasured, formatValue, formatQuantity, isDrift, measureDirection, measuredLevel, messageAddsToDrift, notComparedWhy, ruleSuffix, unitMs } from "../report/format.js";
import { bytes, checkWord, clockTime, fitWidth, MEASURE_COLOR, relative, safe, since, sparkline, STATUS_COLOR, type Color } from "./format.js";
import type { CheckRow, Reading } from "./model.js";
import { readEvidence } from "../report/evidence-reader.js";
import { SIDES, type Side } from "../engine/types.js";
import type { ConfigDriftEvidence } from "../../checks/config-drift/evidence.js";
import type { DnsFailoverEvidence } from "../../checks/dns-failover/evidence.js";
import type { DrillRecencyEvidence } from "../../checks/drill-recency/evidence.js";
import type { JwtEvidence } from "../../checks/jwt/evidence.js";
import type { ReplicationLagEvidence } from "../../checks/replication-lag/evidence.js";
import type { TlsCertificateEvidence } from "../../checks/tls-certificate/evidence.js";

export interface Seg {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
}
export type Line = Seg[];

export interface DetailInput {
  row: CheckRow;
  readings: readonly Reading[];
  problemSince: string | null;
  width: number;
  now: number;
  rpoMs?: number;
  rtoMs?: number;
}

const MAX_EVIDENCE_LINES = 400;

const t = (text: string, style: Omit<Seg, "text"> = {}): Seg => ({ text, ...style });
const heading = (text: string): Line => [t(text, { bold: true, color: "cyan" })];
const blank: Line = [];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function detailLines(input: DetailInput): Line[] {
  const { row, width } = input;
  const c = row.result;
  const out: Line[] = [];
  out.push([t(safe(row.id), { bold: true }), t(`  ${safe(row.kind)} · ${row.severity} · service ${safe(row.service)}`, { dim: true })]);
  out.push([t(safe(row.title), { dim: true })]);
  if (!c) {
    out.push(blank, [t(row.running ? "running its first check now…" : "no result yet", { color: "cyan" })]);
    return out;
  }
  const word = checkWord(c.status, c.reason);
  out.push([
    t(word, { bold: true, color: STATUS_COLOR[c.status] }),
    t(`  ${c.points.earned}/${c.points.possible} points · took ${formatDuration(c.durationMs)}${row.lastRunAt ? ` · ran ${clockTime(row.lastRunAt, input.now)}` : ""}${row.running ? " · re-running…" : ""}`, { dim: true }),
  ]);
  if (input.problemSince && c.status !== "pass" && c.status !== "skipped") {
    out.push([t(`problem persists since ${clockTime(input.problemSince, input.now)} (${since(input.problemSince, input.now)})`, { color: "yellow" })]);
  }
  out.push(...wrapLine(safe(c.summary), width));
  if (c.measured) out.push([t("measured ", { dim: true }), t(safe(formatMeasured(c.measured)), { bold: true, color: measureColor(c, c.measured.value) })]);
  if (c.location) out.push([t(`defined at ${safe(c.location.file)}:${c.location.line}`, { dim: true })]);
  if (c.docs) out.push([t(`manual: ${safe(c.docs)}`, { dim: true })]);

  let specific: Line[] = [];
  try {
    specific = kindView(c, input);
  } catch (err) {
    specific = [blank, [t(`(the ${safe(c.kind)} view could not read this evidence: ${safe((err as Error).message)}; raw evidence below)`, { color: "yellow" })]];
  }
  // Unknown: nothing was judged, so a count of findings would read as "no drift".
  const unknown = c.status === "unknown";
  if (unknown) {
    out.push(blank, heading(`Not compared (${c.reason ?? "error"})`));
    out.push(...wrapLine(`${notComparedWhy(c.reason)}: ${safe(c.summary)}`, width, "", { color: STATUS_COLOR.unknown }));
    out.push([t("nothing was judged: no finding here does not mean no difference", { dim: true })]);
  }
  const driftShown = c.findings.some(isDrift) || (c.kind === "config-drift" && !unknown);
  if (driftShown) out.push(...driftView(c, input));
  out.push(...specific);
  const others = driftShown ? c.findings.filter((f) => !isDrift(f)) : c.findings;
  if (others.length > 0) {
    out.push(blank, heading(`Findings (${others.length})`));
    for (const f of others) out.push(...findingLines(f, input));
  }
  if (!specific.length && input.readings.length > 1) out.push(...readingsView(c, input));
  out.push(...evidenceView(c.evidence));
  return out;
}

function wrapLine(text: string, width: number, indent = "", style: Omit<Seg, "text"> = {}): Line[] {
  const lines: Line[] = [];
  const max = Math.max(10, width - indent.length);
  let cur = "";
  for (const word of text.split(/ +/)) {
    if (cur && cur.length + 1 + word.length > max) {
      lines.push([t(indent + cur, style)]);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur || lines.length === 0) lines.push([t(indent + cur, style)]);
  return lines;
}

/** The colour of `value` (in the measure's unit) against the check's own limit/warnAt; none without a limit. */
function measureColor(c: CheckReport, value: number): Color | undefined {
  const level = c.measured ? measuredLevel(c.measured, { value, status: c.status }) : null;
  return level ? MEASURE_COLOR[level] : undefined;
}

/** How a duration in ms (time left, an age) stands against the check's thresholds, when its measure is a time. */
function levelOfMs(c: CheckReport, ms: number): ReturnType<typeof measuredLevel> {
  const scale = c.measured ? unitMs(c.measured.unit) : undefined;
  return c.measured && scale ? measuredLevel(c.measured, { value: ms / scale, status: c.status }) : null;
}

/** " (warn under 60d, fail under 14d)" for a measure that gets worse downwards, " (warn from 4m, fail over 5m)" upwards. */
function thresholdsText(c: CheckReport): string {
  const m = c.measured;
  if (!m || m.limit === undefined || m.limit === null) return "";
  const q = (v: number): string => safe(formatQuantity(v, m.unit));
  const down = measureDirection(m, c.status) === "down";
  const warn = m.warnAt !== undefined && m.warnAt !== null && m.warnAt !== m.limit ? `warn ${down ? "under" : "from"} ${q(m.warnAt)}, ` : "";
  return ` (${warn}fail ${down ? "under" : "over"} ${q(m.limit)})`;
}

const LEVEL_COLOR: Record<string, Color> = { fail: "red", warn: "yellow", info: "gray" };

function findingLines(f: Finding, input: DetailInput): Line[] {
  const level = f.level ?? "fail";
  const head: Line = [t(`${level === "fail" ? "✗" : level === "warn" ? "!" : "·"} `, { color: LEVEL_COLOR[level] })];
  if (f.path !== undefined) head.push(t(`${safe(f.path)}: `, { bold: true }));
  head.push(t(safe(f.message ?? "")));
  const lines: Line[] = [];
  // Long messages wrap under the marker.
  const flat = head.map((s) => s.text).join("");
  if (Array.from(flat).length <= input.width) lines.push(head);
  else lines.push(...wrapLine(flat, input.width, "", { color: LEVEL_COLOR[level] }).map((l, i) => (i === 0 ? l : [t("  " + l[0]!.text)])));
  const tags: string[] = [];
  if (ruleSuffix(f)) tags.push(safe(ruleSuffix(f)));
  if (f.accepted) tags.push(`accepted: ${safe(f.accepted)}`);
  if (f.firstSeen) tags.push(`first seen ${since(f.firstSeen, input.now)} ago`);
  if (tags.length) lines.push([t(`    ${fitWidth(tags.join(" · "), input.width - 4)}`, { dim: true })]);
  return lines;
}

/** Drift: one block per finding, primary and standby side by side. */
function driftView(c: CheckReport, input: DetailInput): Line[] {
  const drift = c.findings.filter(isDrift);
  const ev = readEvidence<ConfigDriftEvidence>(c.evidence);
  const counts = (["changed", "missing", "extra", "weaker"] as const).map((k) => [k, ev.num(k)] as const).filter(([, n]) => n !== null && n > 0);
  // An unknown check may carry what it found before it stopped: shown, but never as the whole comparison.
  const title = c.status === "unknown" ? "Drift found before the check stopped" : "Drift";
  const out: Line[] = [blank, heading(`${title}: ${drift.length} finding${drift.length === 1 ? "" : "s"}${counts.length ? ` (${counts.map(([k, n]) => `${n} ${k}`).join(", ")})` : ""}`)];
  const compared = ev.num("compared");
  const vars = ev.strings("substitutedVars");
  if (compared !== null) out.push([t(`${compared} values compared${vars.length ? `; side vars substituted: ${vars.map(safe).join(", ")}` : ""}`, { dim: true })]);
  const shown = ev.num("findingsShown");
  if (shown !== null) out.push([t(`showing the first ${shown} findings`, { dim: true })]);
  if (drift.length === 0) return out;
  const col = Math.max(12, Math.floor((input.width - 7) / 2));
  out.push([t(`    ${"PRIMARY".padEnd(col)} │ STANDBY`, { dim: true })]);
  for (const f of drift) {
    const level = f.level ?? "fail";
    const changeColor: Color = f.accepted ? "gray" : level === "warn" ? "yellow" : f.change === "extra" ? "cyan" : "red";
    out.push([t(`${level === "warn" ? "!" : "✗"} `, { color: LEVEL_COLOR[level] }), t(safe(fitWidth(f.path!, input.width - 14)), { bold: true }), t(`  ${f.change}`, { color: changeColor })]);
    const p = f.change === "extra" ? "(absent)" : formatValue(f.primary, col);
    const s = f.change === "missing" ? "(absent)" : formatValue(f.standby, col);
    out.push([t("    "), t(fitWidth(safe(p), col).padEnd(col)), t(" │ ", { dim: true }), t(fitWidth(safe(s), col), { color: changeColor })]);
    // The primary's value after side-var substitution: what the standby should hold. Without it a
    // standby still holding the primary's own ARN shows the same value on both sides.
    if (f.expected !== undefined && f.change !== "extra") {
      out.push([t(`    ${fitWidth("expected on standby", col).padEnd(col)}`, { dim: true }), t(" │ ", { dim: true }), t(fitWidth(safe(formatValue(f.expected, col)), col), { color: "green" })]);
    }
    const tags: string[] = [];
    if (ruleSuffix(f)) tags.push(safe(ruleSuffix(f)));
    if (f.accepted) tags.push(`accepted: ${safe(f.accepted)}`);
    if (f.firstSeen) tags.push(`first seen ${since(f.firstSeen, input.now)} ago`);
    if (tags.length) out.push([t(`    ${fitWidth(tags.join(" · "), input.width - 4)}`, { dim: true })]);
    // A message that says more than path and values (a pairing reason, a parity verdict) is the
    // point of the finding: wrapped in full, never clipped.
    if (messageAddsToDrift(f)) out.push(...wrapLine(safe(f.message), input.width, "    ", { dim: true }));
  }
  return out;
}

function kindView(c: CheckReport, input: DetailInput): Line[] {
  switch (c.kind) {
    case "tls-certificate":
      return certView(c, input);
    case "replication-lag":
      return lagView(c, input);
    case "dns-failover":
      return dnsView(c, input);
    case "jwt":
      return jwtView(c, input);
    case "drill-recency":
      return drillView(c, input);
    case "cache-age":
      return readingsView(c, input);
    default:
      return [];
  }
}

/** Certificates: per side, per address, the chain with each certificate's expiry. */
function certView(c: CheckReport, input: DetailInput): Line[] {
  const ev = readEvidence<TlsCertificateEvidence>(c.evidence);
  const out: Line[] = [blank];
  out.push(heading(`Certificate chains${thresholdsText(c)}`));
  for (const side of SIDES) {
    const s = ev.obj(side);
    if (!s) continue;
    const name = s.str("name");
    out.push([t(side, { bold: true }), t(`  ${safe(s.str("target") ?? "")}${name ? ` (name ${safe(name)})` : ""}`, { dim: true })]);
    for (const a of s.list("addresses")) {
      const verifyError = a.str("verifyError");
      const verified = a.bool("verified") === true ? t("verified", { color: "green" }) : t(`not verified${verifyError ? ` (${safe(verifyError)})` : ""}`, { color: "red" });
      const nameMatch = a.bool("nameMatch");
      const nameCell = nameMatch === false ? t("  name mismatch", { color: "red" }) : nameMatch === true ? t("  name ok", { color: "green" }) : t("");
      const protocol = a.str("protocol");
      out.push([t(`  ${safe(a.str("address") ?? "?")}${protocol ? ` ${safe(protocol)}` : ""}  `), verified, nameCell]);
      for (const cert of a.list("chain")) {
        const days = cert.num("daysLeft");
        const level = days === null ? null : levelOfMs(c, days * 86_400_000);
        const color: Color = days !== null && days < 0 ? "red" : level ? MEASURE_COLOR[level] : "white";
        const subject = safe(cert.str("subject") ?? "?").replace(/^CN=/, "");
        const notAfter = cert.str("notAfter");
        const when = notAfter ? safe(notAfter.slice(0, 10)) : "?";
        const left = days === null ? "" : days < 0 ? `expired ${formatDuration(-days * 86_400_000)} ago` : `${formatDuration(days * 86_400_000)} left`;
        const roleW = 13;
        const subjectW = Math.max(10, input.width - roleW - 36);
        out.push([t(`    ${fitWidth(safe(cert.str("role") ?? "cert"), roleW).padEnd(roleW)} `, { dim: true }), t(fitWidth(subject, subjectW).padEnd(subjectW)), t(` ${when} `), t(left, { color, bold: level === "fail" || level === "warn" })]);
      }
    }
    for (const e of s.list("errors")) out.push([t(`  ✗ ${safe(e.str("message") ?? "")}`, { color: "magenta" })]);
  }
  return out;
}

/** Lag: time and bytes against the RPO, then the last readings from the history. */
function lagView(c: CheckReport, input: DetailInput): Line[] {
  const ev = readEvidence<ReplicationLagEvidence>(c.evidence);
  const out: Line[] = [blank, heading("Replication lag against the RPO")];
  const m = c.measured;
  if (m) {
    const limit = m.limit ?? (input.rpoMs !== undefined ? input.rpoMs / 1000 : undefined);
    out.push(gauge("time lag", { ...m, limit }, c, (v) => formatQuantity(v, m.unit), input.width));
  } else out.push([t("time lag: not measured", { color: "magenta" })]);
  // bytesBehind is counted from the furthest position the standby has (received or replayed).
  const behind = ev.num("bytesBehind");
  const receive = ev.num("bytesBehindReceive");
  const maxBytes = ev.num("maxBytes");
  if (behind !== null) {
    const over = maxBytes !== null && behind > maxBytes;
    out.push([t("byte lag  ", { dim: true }), t(`${bytes(behind)} behind`, { bold: true, ...(over ? { color: "red" as Color } : {}) }), t(`${maxBytes !== null ? ` (limit ${bytes(maxBytes)})` : ""}${receive !== null ? ` · ${bytes(receive)} not yet received` : ""}`, { dim: true })]);
  }
  const basis = ev.str("lagBasis");
  const bound = ev.bool("lagIsLowerBound") === true ? " (a lower bound: the standby is at least this far behind)" : ev.bool("lagIsUpperBound") === true ? " (an upper bound: the standby is at most this far behind)" : "";
  if (basis) out.push([t(`measured by: ${safe(basis)}${bound}`, { dim: true })]);
  out.push(...readingsView(c, input, "s"));
  return out;
}

function gauge(label: string, m: Measured, c: CheckReport, fmt: (v: number) => string, width: number): Line {
  const { value, limit } = m;
  const barW = Math.max(10, Math.min(40, width - 40));
  if (limit === undefined || limit <= 0) return [t(`${label}  `, { dim: true }), t(fmt(value), { bold: true })];
  const ratio = value / limit;
  const filled = Math.max(0, Math.min(barW, Math.round(ratio * barW)));
  const level = measuredLevel(m, { status: c.status });
  const color: Color = level ? MEASURE_COLOR[level] : "white";
  return [
    t(`${label}  `, { dim: true }),
    t("█".repeat(filled), { color }),
    t("░".repeat(barW - filled), { dim: true }),
    t(` ${fmt(value)} of ${fmt(limit)} (${Math.round(ratio * 100)}%)`, { bold: level === "fail" }),
  ];
}

/** Recent readings (history + this session): a sparkline of the values and the last few runs. */
function readingsView(c: CheckReport, input: DetailInput, unit = c.measured?.unit ?? ""): Line[] {
  const rs = input.readings;
  if (rs.length === 0) return [blank, [t("no earlier readings in the history yet", { dim: true })]];
  const out: Line[] = [blank, heading(`Recent readings (${rs.length}, from the history)`)];
  const values = rs.map((r) => r.value).filter((v): v is number => typeof v === "number");
  if (values.length > 1) {
    const hi = Math.max(...values, c.measured?.limit ?? 0);
    out.push([t("trend  ", { dim: true }), t(sparkline(values.slice(-(input.width - 10)), 0, hi || 1), { color: "cyan" }), t(`  max ${formatQuantity(Math.max(...values), unit)}`, { dim: true })]);
  }
  for (const r of rs.slice(-8).reverse()) {
    out.push([t(`  ${clockTime(r.at, input.now).padEnd(19)} `, { dim: true }), t(r.status.padEnd(8), { color: STATUS_COLOR[r.status] }), t(r.value !== undefined ? formatQuantity(r.value, unit) : "-", { color: r.value !== undefined ? measureColor(c, r.value) : undefined })]);
  }
  return out;
}

/** DNS: the switch time, part by part, against the RTO. */
function dnsView(c: CheckReport, input: DetailInput): Line[] {
  const ev = readEvidence<DnsFailoverEvidence>(c.evidence);
  const b = ev.obj("breakdown");
  const out: Line[] = [blank, heading("DNS failover time against the RTO")];
  if (!b) {
    out.push([t("no breakdown in the evidence (the record or its zone could not be read)", { dim: true })]);
    return out;
  }
  const m = c.measured;
  const measuredLimitMs = m && m.limit !== undefined && unitMs(m.unit) ? m.limit * unitMs(m.unit)! : null;
  const limit = b.num("limitMs") ?? measuredLimitMs ?? input.rtoMs ?? null;
  const barW = Math.max(10, Math.min(40, input.width - 44));
  const scale = Math.max(limit ?? 0, b.num("estimateMs") ?? 0, b.num("negativeEstimateMs") ?? 0) || 1;
  const part = (label: string, ms: number | null, note: string, color: Color): void => {
    if (ms === null) return;
    const w = Math.max(ms > 0 ? 1 : 0, Math.round((ms / scale) * barW));
    out.push([t(`  ${label.padEnd(16)}`, { dim: true }), t("█".repeat(w), { color }), t(" ".repeat(Math.max(0, barW - w))), t(` ${formatDuration(ms).padStart(7)}  ${note}`)]);
  };
  part("detection", b.num("detectionMs"), safe(b.str("detection") ?? ""), "cyan");
  part("TTL", b.num("ttlMs"), "authoritative record TTL", "blue");
  part("client caching", b.num("clientCachingMs"), "beyond the TTL", "magenta");
  const est = b.num("estimateMs");
  if (est !== null) {
    // Judged by the check's own thresholds (its warnAt too), the breakdown's limit when it has none.
    const level = levelOfMs(c, est) ?? (limit !== null ? (est > limit ? "fail" : "ok") : null);
    const note = level === "fail" ? "OVER the budget" : level === "warn" ? "within the budget, past its warning" : "within the budget";
    part("= estimate", est, note, level ? MEASURE_COLOR[level] : "white");
  }
  if (limit !== null) part("budget", limit, `from ${safe(b.str("limitFrom") ?? "objectives.rto")}`, "gray");
  const neg = b.num("negativeEstimateMs");
  if (neg !== null) out.push([t(`  a failed lookup during the switch: ~${formatDuration(neg)} (negative TTL ${formatDuration(b.num("negativeTtlMs") ?? 0)})`, { dim: true })]);
  for (const r of ev.obj("record")?.list("records") ?? []) {
    out.push([t(`  ${safe(ev.str("name") ?? "")} ${safe(r.str("type") ?? "")} ${safe(r.str("value") ?? "")} ttl ${r.str("ttl") ?? "?"}`, { dim: true })]);
  }
  return out;
}

function jwtView(c: CheckReport, input: DetailInput): Line[] {
  const ev = readEvidence<JwtEvidence>(c.evidence);
  const out: Line[] = [blank, heading("Tokens and signing keys")];
  const kidsOf = (side: Side): string[] => (ev.obj(side)?.obj("jwks")?.list("keys") ?? []).map((k) => k.str("kid") ?? k.str("thumbprint") ?? "?");
  const pk = kidsOf("primary");
  const sk = new Set(kidsOf("standby"));
  const col = Math.max(12, Math.floor((input.width - 7) / 2));
  out.push([t(`    ${"PRIMARY keys".padEnd(col)} │ STANDBY`, { dim: true })]);
  for (const kid of pk) {
    const ok = sk.has(kid);
    out.push([t(ok ? "  ✓ " : "  ✗ ", { color: ok ? "green" : "red" }), t(fitWidth(safe(kid), col).padEnd(col)), t(" │ ", { dim: true }), t(ok ? safe(kid) : "(missing)", { color: ok ? undefined : "red", bold: !ok })]);
  }
  for (const kid of sk) if (!pk.includes(kid)) out.push([t("  + "), t("(absent)".padEnd(col), { dim: true }), t(" │ ", { dim: true }), t(safe(kid), { color: "cyan" })]);
  for (const side of SIDES) {
    const tok = ev.obj(side)?.obj("token");
    if (!tok) continue;
    const exp = tok.obj("claims")?.num("exp") ?? null;
    const level = exp !== null ? levelOfMs(c, exp * 1000 - input.now) : null;
    out.push([
      t(`  ${side} token`, { bold: true }),
      t(`  kid ${safe(tok.obj("header")?.str("kid") ?? "-")} · ${safe(tok.str("signature") ?? "")}`, { dim: true }),
      t(exp !== null ? ` · expires ${relative(new Date(exp * 1000).toISOString(), input.now)}` : "", level ? { color: MEASURE_COLOR[level] } : { dim: true }),
    ]);
  }
  return out;
}

function drillView(c: CheckReport, input: DetailInput): Line[] {
  const ev = readEvidence<DrillRecencyEvidence>(c.evidence);
  const out: Line[] = [blank, heading(`Drill cadence ${safe(ev.str("cadence") ?? "")} (${safe(ev.str("timezone") ?? "UTC")})`)];
  const row = (label: string, s: string | null): void => {
    if (s) out.push([t(`  ${label.padEnd(16)}`, { dim: true }), t(`${safe(s)}  `), t(relative(s, input.now), { dim: true })]);
  };
  row("last drill", ev.str("lastDrill"));
  row("missed slot", ev.str("enforcedSlot"));
  row("previous slot", ev.str("previousSlot"));
  row("next slot", ev.str("nextSlot"));
  const from = ev.str("lastDrillFrom");
  if (from) out.push([t(`  evidence from ${safe(from)}`, { dim: true })]);
  return out;
}

/** Everything in the evidence as `dotted.path: value` lines (bounded). */
export function evidenceView(evidence: unknown): Line[] {
  if (evidence === undefined || evidence === null) return [];
  const out: Line[] = [blank, heading("Evidence")];
  const lines: string[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (lines.length >= MAX_EVIDENCE_LINES) return;
    if (Array.isArray(v)) {
      if (v.length === 0) lines.push(`${path}: []`);
      v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    } else if (isObj(v) && depth < 8) {
      const entries = Object.entries(v);
      if (entries.length === 0) lines.push(`${path}: {}`);
      for (const [k, x] of entries) walk(x, path ? `${path}.${k}` : k, depth + 1);
    } else {
      lines.push(`${path}: ${formatValue(v, 200)}`);
    }
  };
  try {
    walk(evidence, "", 0);
  } catch (err) {
    lines.push(`(evidence could not be read: ${(err as Error).message})`);
  }
  for (const l of lines) out.push([t(`  ${safe(l)}`, { dim: true })]);
  if (lines.length >= MAX_EVIDENCE_LINES) out.push([t(`  … more (see scan --format json)`, { dim: true })]);
  return out;
}
