// Helpers shared by the renderers: status words, measured values, point costs, safe clipping.
// Rule for every renderer: redact a dynamic string BEFORE escaping or clipping it. An escaped
// (`a\|b`, `a&amp;b`) or clipped secret no longer matches the registry, and the last pass in
// index.ts (redactDocument) leaves alone on purpose any secret that could span the document's syntax.
import { formatDuration } from "../core/duration.js";
import { redact } from "../core/secrets.js";
import { worstFirst } from "../engine/score.js";
import type { CheckReport, CheckStatus, Finding, Measured, Report, UnknownReason } from "../engine/types.js";

const STATUS_WORD: Record<CheckStatus, string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  unknown: "UNKNOWN",
  skipped: "SKIP",
};

/** PASS, WARN, FAIL, UNKNOWN(timeout), SKIP. */
export function checkStatusWord(c: Pick<CheckReport, "status" | "reason">): string {
  const word = STATUS_WORD[c.status];
  return c.status === "unknown" ? `${word}(${c.reason ?? "error"})` : word;
}

/** fail, warn, unknown: timeout ... (lower case, for breakdown lines and tables). */
export function checkStatusLabel(c: Pick<CheckReport, "status" | "reason">): string {
  return c.status === "unknown" ? `unknown: ${c.reason ?? "error"}` : c.status;
}

/** Integers as they are; other numbers with at most 2 decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

const TIME_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Milliseconds in one `unit` when it is a time unit ("s", "d", "minutes"), else undefined. */
export function unitMs(unit: string): number | undefined {
  return Object.hasOwn(TIME_UNITS, unit) ? TIME_UNITS[unit] : undefined;
}

/** A value in its unit, durations in human form: 252 s -> 4m12s, 12 days -> 12d, 99.5 % -> 99.5%. */
export function formatQuantity(value: number, unit: string): string {
  const scale = unitMs(unit);
  if (scale !== undefined && Number.isFinite(value)) return formatDuration(value * scale);
  if (unit === "") return formatNumber(value);
  if (unit === "%") return `${formatNumber(value)}%`;
  return `${formatNumber(value)} ${unit}`;
}

/** "4m12s (limit 5m, warn at 4m)". */
export function formatMeasured(m: Measured): string {
  const parts: string[] = [];
  if (m.limit !== undefined && m.limit !== null) parts.push(`limit ${formatQuantity(m.limit, m.unit)}`);
  if (m.warnAt !== undefined && m.warnAt !== null) parts.push(`warn at ${formatQuantity(m.warnAt, m.unit)}`);
  const value = formatQuantity(m.value, m.unit);
  return parts.length ? `${value} (${parts.join(", ")})` : value;
}

export type MeasureLevel = "fail" | "warn" | "ok";

/**
 * Which way a measure gets worse, from the check's own thresholds: "up" when the limit lies above
 * warnAt (lag, age, switch time: over the limit fails), "down" when below (days or seconds left
 * before an expiry: at or under the limit fails). A limit alone, or warnAt equal to it, does not
 * tell; then the reading that agrees with the check's own status decides, else "up".
 */
export function measureDirection(m: Measured, status?: CheckStatus): "up" | "down" {
  if (m.limit !== undefined && m.limit !== null && m.warnAt !== undefined && m.warnAt !== null && m.warnAt !== m.limit) {
    return m.limit > m.warnAt ? "up" : "down";
  }
  const expected: MeasureLevel | null = status === "pass" ? "ok" : status === "warn" || status === "fail" ? status : null;
  if (expected && levelAt(m.value, m, "up") !== expected && levelAt(m.value, m, "down") === expected) return "down";
  return "up";
}

function levelAt(value: number, m: Measured, dir: "up" | "down"): MeasureLevel {
  const limit = m.limit!;
  const warnAt = m.warnAt ?? null;
  if (dir === "up") return value > limit ? "fail" : warnAt !== null && value >= warnAt ? "warn" : "ok";
  return value <= limit ? "fail" : warnAt !== null && value <= warnAt ? "warn" : "ok";
}

/**
 * How `value` (default the measured value itself, in the measure's unit) stands against the
 * check's own `limit`/`warnAt`, the same comparisons the kit's budgetLevel/expiryLevel make; null
 * when the check set no limit. Renderers colour by this instead of knowing any kind's defaults.
 */
export function measuredLevel(m: Measured, opts: { value?: number; status?: CheckStatus } = {}): MeasureLevel | null {
  if (m.limit === undefined || m.limit === null || !Number.isFinite(m.limit)) return null;
  const value = opts.value ?? m.value;
  if (!Number.isFinite(value)) return null;
  return levelAt(value, m, measureDirection(m, opts.status));
}

/** What each reason means for the comparison, in words. */
const NOT_COMPARED_WHY: Record<UnknownReason, string> = {
  error: "the check could not decide",
  timeout: "did not finish in time",
  unreachable: "a side could not be reached",
  "not-authorized": "a side refused the credentials",
  "invalid-response": "a side's answer could not be read",
  "unreadable-input": "a local input is missing or unreadable",
  "not-configured": "a secret it needs is not set",
  throttled: "a side kept throttling past its retries",
};

export function notComparedWhy(reason: UnknownReason | null | undefined): string {
  return NOT_COMPARED_WHY[reason ?? "error"] ?? NOT_COMPARED_WHY.error;
}

/**
 * "not compared (unreachable: a side could not be reached): standby http://host: connection
 * refused": how every renderer words an unknown check, so that no count of findings reads as
 * "nothing differs" when nothing was judged.
 */
export function notCompared(c: Pick<CheckReport, "reason" | "summary">): string {
  const reason = c.reason ?? "error";
  return `not compared (${reason}: ${notComparedWhy(reason)})${c.summary ? `: ${c.summary}` : ""}`;
}

/**
 * "5 of 5 points undecided": the points of checks that could not decide, which the score counts
 * as lost without evidence; "" when none. Reports written before the field existed count it here.
 */
export function undecidedNote(report: Pick<Report, "points" | "checks">): string {
  const undecided = undecidedPoints(report);
  return undecided > 0 ? `${formatNumber(undecided)} of ${formatNumber(report.points.possible)} points undecided` : "";
}

export function undecidedPoints(report: Pick<Report, "points" | "checks">): number {
  if (typeof report.points.undecided === "number") return report.points.undecided;
  return report.checks.reduce((sum, c) => sum + (c.status === "unknown" ? c.points.possible : 0), 0);
}

/** Redact, then clip to max characters (code points) with an ellipsis. */
export function clip(text: string, max: number): string {
  const safe = redact(text);
  const chars = Array.from(safe);
  if (chars.length <= max) return safe;
  return chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}

/** A finding value for display: strings quoted, absent as "(absent)", redacted and clipped. */
export function formatValue(v: unknown, max = 60): string {
  if (v === undefined) return "(absent)";
  let s: string;
  try {
    // Redact strings before quoting them: `"password=x"` would lose its closing quote.
    s =
      typeof v === "bigint"
        ? v.toString()
        : (JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" ? redact(x) : x)) ?? String(v));
  } catch {
    s = String(v);
  }
  return clip(s, max);
}

/** Control characters made visible (terminal injection, broken tables); tabs become spaces. */
export function visibleControls(text: string, keepNewlines = false): string {
  const re = keepNewlines ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
  return text.replace(/\t/g, " ").replace(re, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

export function isDrift(f: Finding): boolean {
  return typeof f.path === "string" && f.change !== undefined;
}

/**
 * Drift-shaped findings render as path and values. A message that opens with the path followed by
 * a space only restates them (the differ's "<path> changed: ...", "<path> is missing on standby");
 * any other says why the difference matters ("standby JWKS lacks kid ...", "<resource>: missing on
 * standby: <why>") and is shown beside the values.
 */
export function messageAddsToDrift(f: Finding): boolean {
  return f.message !== "" && !f.message.startsWith(`${f.path} `);
}

/**
 * "[expiry]", "[at-least: capacity is what takes the traffic]": how every finding ends, in every
 * kind and every renderer (README "Findings"): the rule's id, then its reason when it gives one.
 * A report from before `why` existed carries the reason in `rule`; it prints the same way.
 */
export function ruleSuffix(f: Pick<Finding, "rule" | "why">): string {
  const rule = typeof f.rule === "string" && f.rule !== "" ? clip(f.rule, 80) : "";
  const why = typeof f.why === "string" && f.why !== "" ? clip(f.why, 200) : "";
  if (!rule && !why) return "";
  return `[${[rule, why].filter(Boolean).join(": ")}]`;
}

/**
 * What a drift finding says of its values, the same words in every renderer. With side-var
 * substitution the standby is judged against the primary's value rewritten with the standby's
 * vars: "standby holds X; it should hold Y (the primary's Z with this side's vars)". Without:
 * "primary X, standby Y".
 */
export function driftValues(f: Finding, width: number): string {
  const v = (x: unknown) => formatValue(x, width);
  switch (f.change) {
    case "missing":
      return `missing on standby (primary ${v(f.primary)})`;
    case "extra":
      return `extra on standby (standby ${v(f.standby)})`;
    default:
      return f.expected === undefined
        ? `${f.change}, primary ${v(f.primary)}, standby ${v(f.standby)}`
        : `${f.change}, ${substitutedValues(f, width)}`;
  }
}

/** "standby holds X; it should hold Y (the primary's Z with this side's vars)". */
export function substitutedValues(f: Finding, width: number): string {
  const v = (x: unknown) => formatValue(x, width);
  return `standby holds ${v(f.standby)}; it should hold ${v(f.expected)} (the primary's ${v(f.primary)} with this side's vars)`;
}

export interface Cost {
  check: CheckReport;
  /** Points lost: possible - earned. */
  cost: number;
}

/** Checks that cost points, most expensive first (ties worst first). */
export function pointCosts(report: Report): Cost[] {
  const order = new Map(worstFirst(report.checks).map((c, i) => [c, i]));
  return report.checks
    .map((check) => ({ check, cost: check.points.possible - check.points.earned }))
    .filter((c) => c.cost > 0)
    .sort((a, b) => b.cost - a.cost || order.get(a.check)! - order.get(b.check)!);
}

export function skippedChecks(report: Report): CheckReport[] {
  return worstFirst(report.checks).filter((c) => c.status === "skipped");
}

export function pluralize(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

const BARS = "▁▂▃▄▅▆▇█";

/** Bars scaled between lo and hi (default 0..100 for scores); values that are not numbers are left out. */
export function sparkline(values: readonly number[], lo = 0, hi = 100): string {
  const span = hi - lo || 1;
  return values
    .filter((v) => Number.isFinite(v))
    .map((v) => BARS[Math.max(0, Math.min(7, Math.round(((v - lo) / span) * 7)))])
    .join("");
}
