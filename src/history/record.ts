// One history record per scan (or per watch run): compact, redacted, one JSON line.
import { createHash } from "node:crypto";
import { redact, redactDeep } from "../core/secrets.js";
import { CHECK_STATUSES, type CheckReport, type CheckStatus, type Finding, type OverallStatus, type Report, type UnknownReason } from "../engine/types.js";

export const HISTORY_VERSION = 1;
/** Finding fingerprints kept per check and record: bounds a record's size whatever a check returns. */
export const MAX_FINGERPRINTS = 200;

export interface CheckEntry {
  id: string;
  /** service */
  svc: string;
  st: CheckStatus;
  /** unknown reason */
  rs?: UnknownReason;
  /** measured value */
  v?: number;
  /** its unit (s, d, ratio...), so a seeded result can show it */
  u?: string;
  /** v is the check's `reading`, not its `measured` (not what its status was about) */
  ra?: true;
  /** fingerprints of the findings that count as problems (see problemFindings) */
  fp: string[];
  ms: number;
}

export interface HistoryRecord {
  v: typeof HISTORY_VERSION;
  /** when the scan (or watch run) started, ISO */
  at: string;
  src: "scan" | "watch";
  status: OverallStatus;
  score: number;
  /** per-service status at that time */
  svc: Record<string, OverallStatus>;
  /** true when only part of the configured checks ran (--only, --due, --shard, one watch run) */
  partial?: boolean;
  checks: CheckEntry[];
}

/** The findings that are problems: not accepted, not informational. */
export function problemFindings(check: Pick<CheckReport, "status" | "findings">): Finding[] {
  if (check.status === "pass" || check.status === "skipped") return [];
  return (check.findings ?? []).filter((f) => !f.accepted && f.level !== "info");
}

/** Stable 12-hex fingerprint of one finding: check id + path + change (or message when no path). */
export function findingFingerprint(checkId: string, f: Finding): string {
  const what = f.path !== undefined ? `${f.path}\u0000${f.change ?? ""}` : `msg\u0000${redact(String(f.message ?? ""))}`;
  return createHash("sha1").update(`${checkId}\u0000${what}`).digest("hex").slice(0, 12);
}

/** A check-level problem (unknown with no findings, fail without findings...). */
export function statusKey(st: CheckStatus, rs?: string | null): string {
  return `status:${st}${rs ? `:${rs}` : ""}`;
}

/** Problem keys of a history entry: its finding fingerprints, or its status when it has none. */
export function problemKeys(e: Pick<CheckEntry, "st" | "rs" | "fp">): string[] {
  if (e.fp.length > 0) return e.fp;
  if (e.st === "fail" || e.st === "warn" || e.st === "unknown") return [statusKey(e.st, e.rs)];
  return [];
}

export function entryOf(c: CheckReport): CheckEntry {
  const fps = [...new Set(problemFindings(c).map((f) => findingFingerprint(c.id, f)))].slice(0, MAX_FINGERPRINTS);
  const e: CheckEntry = { id: c.id, svc: c.service, st: c.status, fp: fps, ms: c.durationMs };
  if (c.reason) e.rs = c.reason;
  // A reading set aside (not what the status was about) is kept too: metrics and trends need it.
  const m = c.measured ?? c.reading;
  if (m && typeof m.value === "number" && Number.isFinite(m.value)) {
    e.v = m.value;
    if (typeof m.unit === "string" && m.unit.length <= 16) e.u = m.unit;
    if (!c.measured) e.ra = true;
  }
  return e;
}

/**
 * The record of a report. `services` limits the per-service statuses recorded to the services
 * whose checks all ran (a partial scan must not record a service's status from part of its checks).
 */
export function recordOf(report: Pick<Report, "startedAt" | "status" | "score" | "services">, checks: readonly CheckReport[], src: "scan" | "watch", partial: boolean, services?: ReadonlySet<string>): HistoryRecord {
  const rec: HistoryRecord = {
    v: HISTORY_VERSION,
    at: report.startedAt,
    src,
    status: report.status,
    score: report.score,
    svc: Object.fromEntries(report.services.filter((s) => !services || services.has(s.name)).map((s) => [s.name, s.status])),
    ...(partial ? { partial: true } : {}),
    checks: checks.map(entryOf),
  };
  return redactDeep(rec);
}

/**
 * A whole record as this version writes it, down to each check entry: a line that parses as JSON
 * but holds something else (foreign data, a hand edit) is skipped like a torn one, never trusted
 * into a crash of the scan that reads it.
 */
export function isRecord(x: unknown): x is HistoryRecord {
  if (!x || typeof x !== "object") return false;
  const r = x as Partial<HistoryRecord>;
  return (
    r.v === HISTORY_VERSION &&
    typeof r.at === "string" &&
    !Number.isNaN(Date.parse(r.at)) &&
    typeof r.score === "number" &&
    typeof r.status === "string" &&
    (r.svc === undefined || isStringMap(r.svc)) &&
    Array.isArray(r.checks) &&
    r.checks.every(isEntry)
  );
}

function isEntry(x: unknown): x is CheckEntry {
  if (!x || typeof x !== "object") return false;
  const e = x as Partial<CheckEntry>;
  return (
    typeof e.id === "string" &&
    typeof e.svc === "string" &&
    (CHECK_STATUSES as readonly unknown[]).includes(e.st) &&
    (e.rs === undefined || typeof e.rs === "string") &&
    (e.v === undefined || typeof e.v === "number") &&
    (e.u === undefined || typeof e.u === "string") &&
    (e.ra === undefined || e.ra === true) &&
    Array.isArray(e.fp) &&
    e.fp.every((f) => typeof f === "string") &&
    (e.ms === undefined || typeof e.ms === "number")
  );
}

function isStringMap(x: unknown): boolean {
  return x !== null && typeof x === "object" && !Array.isArray(x) && Object.values(x).every((v) => typeof v === "string");
}
