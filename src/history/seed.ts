// A check's latest result as the history knows it, for a daemon that has just started: the score
// and each check's status exist from the first second instead of after the first scheduled run.
// The history keeps no summary or findings, so a seeded result says where it came from.
import { identityOf } from "../engine/runner.js";
import { checkPoints } from "../engine/score.js";
import { UNKNOWN_REASONS, type CheckReport, type RunnableCheck, type UnknownReason } from "../engine/types.js";
import type { LastRun } from "./state.js";

export function seededResult(check: RunnableCheck & { location?: CheckReport["location"] }, last: LastRun, periodMs: number | null, now: number): CheckReport {
  const e = last.entry;
  const measuredAt = Date.parse(last.at);
  const stale = periodMs !== null && now - measuredAt > periodMs;
  return {
    ...identityOf(check),
    status: e.st,
    // A reason this version does not know (a foreign or hand-edited line) is an error, not trusted.
    reason: e.st === "unknown" ? ((UNKNOWN_REASONS as readonly string[]).includes(e.rs ?? "") ? (e.rs as UnknownReason) : "error") : null,
    summary: `${e.st} at ${last.at}, from the history (not re-run by this process yet${stale ? "; older than its schedule's period" : ""})`,
    measured: e.v !== undefined && !e.ra ? { value: e.v, unit: e.u ?? "" } : null,
    ...(e.v !== undefined && e.ra ? { reading: { value: e.v, unit: e.u ?? "" } } : {}),
    findings: [],
    durationMs: e.ms,
    points: checkPoints(check.severity, e.st),
    docs: check.definition.meta.docs,
    ...(check.location ? { location: check.location } : {}),
    measuredAt: last.at,
    seeded: true,
    ...(stale ? { stale: true } : {}),
  };
}
