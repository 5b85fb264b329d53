// Threshold options every kind writes the same way: an expiry window (`warn`/`fail` before a
// deadline) and a budget against an objective (`max`, default the RPO or RTO, and `warnAt` as a
// share of it like 80% or as a duration). Parsed here once, so no kind widens or divides on its own.
import { z } from "zod";
import { duration, formatDuration, positiveDuration } from "../core/duration.js";

// ---- expiry --------------------------------------------------------------------------------

export interface ExpiryDefaults {
  warn: string;
  fail: string;
}

/** `warn` and `fail` option fields for "expires within": spread them into a kind's schema. */
export function expiryOptions(defaults: ExpiryDefaults, what: string) {
  return {
    warn: duration.prefault(defaults.warn).describe(`Warn when ${what} expires within this`),
    fail: duration.prefault(defaults.fail).describe(`Fail when ${what} expires within this`),
  };
}

export interface ExpiryLimits {
  failMs: number;
  /** Never below failMs: a `warn` shorter than `fail` would warn after failing. */
  warnMs: number;
}

export function expiryLimits(options: { warn: number; fail: number }): ExpiryLimits {
  return { failMs: options.fail, warnMs: Math.max(options.warn, options.fail) };
}

/** How an expiry `remainingMs` away is judged: fail inside `fail`, warn inside `warn`, else null. */
export function expiryLevel(remainingMs: number, limits: ExpiryLimits): "fail" | "warn" | null {
  if (remainingMs <= limits.failMs) return "fail";
  if (remainingMs <= limits.warnMs) return "warn";
  return null;
}

// ---- budget against an objective -------------------------------------------------------------

const PERCENT = /^(\d{1,2}(\.\d+)?|100)%$/;
export const DEFAULT_WARN_AT = "80%";

/** `warnAt`: a share of the budget ("80%") or a duration ("4m"). */
export const warnAtOption = z.union([z.string().regex(PERCENT, "expected a percentage like 80% or a duration like 4m"), duration]);

/** `max` and `warnAt` fields for a budget whose default is an objective (RPO, RTO). */
export function budgetOptions(objective: "rpo" | "rto", what: string) {
  return {
    max: positiveDuration.optional().describe(`${what}; default objectives.${objective}`),
    warnAt: warnAtOption.default(DEFAULT_WARN_AT).describe("Warn from this: a percentage of max (80%) or a duration"),
  };
}

export interface BudgetLimits {
  limitMs: number;
  warnAtMs: number;
  /** The limit is the objective itself (no `max`): messages say "(RPO)". */
  fromObjective: boolean;
}

export function budgetLimits(options: { max?: number | undefined; warnAt: string | number }, objectiveMs: number): BudgetLimits {
  const limitMs = options.max ?? objectiveMs;
  const warnAtMs = typeof options.warnAt === "string" ? (limitMs * Number(options.warnAt.slice(0, -1))) / 100 : Math.min(options.warnAt, limitMs);
  return { limitMs, warnAtMs, fromObjective: options.max === undefined };
}

/** How a measured `valueMs` is judged against the budget: fail over the limit, warn from warnAt. */
export function budgetLevel(valueMs: number, limits: BudgetLimits): "fail" | "warn" | null {
  if (valueMs > limits.limitMs) return "fail";
  if (valueMs >= limits.warnAtMs) return "warn";
  return null;
}

/** "limit 5m (RPO), warns at 4m" */
export function describeBudget(limits: BudgetLimits, objective: "RPO" | "RTO"): string {
  return `limit ${formatDuration(limits.limitMs)}${limits.fromObjective ? ` (${objective})` : ""}, warns at ${formatDuration(limits.warnAtMs)}`;
}
