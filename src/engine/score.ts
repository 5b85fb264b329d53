// Readiness score and status roll-up, exactly as DESIGN.md defines them.
import { EXIT } from "../core/exit-codes.js";
import type { CheckReport, CheckStatus, OverallStatus, Points, Severity } from "./types.js";

export const SEVERITY_POINTS: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };

const EARNED_SHARE: Record<CheckStatus, number> = { pass: 1, warn: 0.5, fail: 0, unknown: 0, skipped: 0 };

export function checkPoints(severity: Severity, status: CheckStatus): { earned: number; possible: number } {
  if (status === "skipped") return { earned: 0, possible: 0 };
  const possible = SEVERITY_POINTS[severity];
  return { earned: possible * EARNED_SHARE[status], possible };
}

type Scored = Pick<CheckReport, "severity" | "status">;

export function sumPoints(checks: readonly Scored[]): Points {
  let earned = 0;
  let possible = 0;
  let excluded = 0;
  let undecided = 0;
  for (const c of checks) {
    if (c.status === "skipped") {
      excluded += 1;
      continue;
    }
    const p = checkPoints(c.severity, c.status);
    earned += p.earned;
    possible += p.possible;
    if (c.status === "unknown") undecided += p.possible;
  }
  return { earned, possible, excluded, undecided };
}

/** Nothing to lose (no points at stake) scores 100; the status rules still apply. */
export function scoreOf(points: Pick<Points, "earned" | "possible">): number {
  return points.possible === 0 ? 100 : Math.round((100 * points.earned) / points.possible);
}

const BLOCKING: ReadonlySet<Severity> = new Set(["critical", "high"]);

/**
 * A status claims only what was measured (DESIGN.md "Statuses"): NOT_READY needs evidence (a
 * blocking failure, or a score below the minimum even if every undecided check had passed);
 * what only the undecided checks could explain is UNKNOWN.
 */
export function rollUpStatus(checks: readonly Scored[], minScore: number): OverallStatus {
  const ran = checks.filter((c) => c.status !== "skipped");
  const points = sumPoints(ran);
  const score = scoreOf(points);
  const bestCase = scoreOf({ earned: points.earned + (points.undecided ?? 0), possible: points.possible });
  if (ran.some((c) => BLOCKING.has(c.severity) && c.status === "fail") || bestCase < minScore) return "NOT_READY";
  if (ran.some((c) => BLOCKING.has(c.severity) && c.status === "unknown") || score < minScore) return "UNKNOWN";
  // Fail-safe: a scan in which nothing ran has proven nothing.
  if (ran.length === 0) return "UNKNOWN";
  if (ran.some((c) => c.status !== "pass")) return "DEGRADED";
  return "READY";
}

export const STATUS_RANK: Record<OverallStatus, number> = { READY: 0, DEGRADED: 1, UNKNOWN: 2, NOT_READY: 3 };

export type FailOn = "not-ready" | "degraded" | "never";

/**
 * Exit code for a finished scan. `not-ready` also fails on UNKNOWN: a critical check
 * that could not decide has not shown the standby ready (fail-safe).
 */
export function exitCodeFor(status: OverallStatus, failOn: FailOn): typeof EXIT.OK | typeof EXIT.NOT_READY {
  if (failOn === "never") return EXIT.OK;
  const threshold = failOn === "degraded" ? STATUS_RANK.DEGRADED : STATUS_RANK.UNKNOWN;
  return STATUS_RANK[status] >= threshold ? EXIT.NOT_READY : EXIT.OK;
}

const CHECK_RANK: Record<CheckStatus, number> = { fail: 0, unknown: 1, warn: 2, skipped: 4, pass: 3 };
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Worst first: status, then severity, then id (stable for humans and diffs). */
export function worstFirst<T extends Pick<CheckReport, "status" | "severity" | "id">>(checks: readonly T[]): T[] {
  return [...checks].sort(
    (a, b) =>
      CHECK_RANK[a.status] - CHECK_RANK[b.status] ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.id.localeCompare(b.id),
  );
}
