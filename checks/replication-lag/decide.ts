// The decision of replication-lag, pure: a lag reading judged against the budget (max/warnAt)
// and maxBytes, through verdict(). A lower bound within the limit, or no lag at all, is
// undecided: never a pass, and never a warning that claims "not over the limit".
import { formatDuration } from "../../src/core/duration.js";
import { budgetLevel, describeBudget, verdict, type BudgetLimits, type CheckOutcome, type Finding, type Undecided } from "../../src/kit/index.js";
import type { Engine, LagJudgement } from "./evidence.js";
import type { LagReading } from "./measure.js";

export interface LagDecisionInput<E extends object> {
  engine: Engine;
  reading: LagReading<E>;
  limits: BudgetLimits;
  maxBytes?: number | undefined;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

export function decide<E extends object>({ engine, reading: r, limits, maxBytes }: LagDecisionInput<E>): CheckOutcome<E & LagJudgement> {
  const lag = lagSummary(engine, r, limits);
  const findings: Finding[] = [...r.findings];
  const undecided: Undecided[] = [...(r.undecided ?? [])];
  if (maxBytes !== undefined && r.bytes !== null && r.bytes > maxBytes) {
    findings.push({ message: `${r.bytes} bytes not replayed, more than maxBytes ${maxBytes}`, rule: "max-bytes" });
  }
  if (r.lagMs === null) {
    undecided.push({ reason: "invalid-response", message: lag });
  } else {
    const level = budgetLevel(r.lagMs, limits);
    // Only an upper bound past max: the standby may be well within it, so no failure to claim.
    if (r.atMost && level === "fail") undecided.push({ reason: "invalid-response", message: `${lag}: only an upper bound (the heartbeat's writer stopped), so it cannot be judged against the limit` });
    else if (level) findings.push({ level, message: lag, rule: level === "fail" ? "over-limit" : "near-limit" });
    // Only a lower bound under the limit: the standby may be further behind than that.
    if (r.atLeast && level !== "fail") {
      const why = r.basis === "heartbeat-read" ? "it lacks the primary's last heartbeat, written when its writer stopped" : "could not see it catch up within the wait";
      undecided.push({ reason: r.basis === "heartbeat-read" ? "invalid-response" : "timeout", message: `${lag}: ${why}` });
    }
  }
  const evidence: E & LagJudgement = {
    ...r.evidence,
    lagBasis: r.basis,
    lagIsLowerBound: Boolean(r.atLeast),
    lagIsUpperBound: Boolean(r.atMost),
    lagMs: r.lagMs,
    limitMs: limits.limitMs,
    warnAtMs: limits.warnAtMs,
    limitFrom: limits.fromObjective ? "objectives.rpo" : "max",
    bytesBehind: r.bytes,
    maxBytes: maxBytes ?? null,
  };
  const measured = r.lagMs === null ? null : { value: seconds(r.lagMs), unit: "s", limit: seconds(limits.limitMs), warnAt: seconds(limits.warnAtMs) };
  const out = verdict({ findings, undecided, measured, evidence, passSummary: () => lag });
  // A pitfall heads the summary: the lag stays in view after it.
  return out.summary.includes(lag) ? out : { ...out, summary: `${out.summary}; ${lag}` };
}

/** "standby replays 4m12s behind primary (limit 5m (RPO), warns at 4m); 18734 bytes behind" */
function lagSummary(engine: Engine, r: LagReading<object>, limits: BudgetLimits): string {
  const verb = engine === "redis" ? "lags" : "replays";
  let text: string;
  if (r.lagMs === null && r.basis === "not-receiving") text = "level with the primary for now, but receiving nothing: no time lag can be claimed";
  else if (r.lagMs === null && r.basis === "not-replicating") text = "level with the primary for now, but not replicating: no time lag can be claimed";
  else if (r.lagMs === null && r.basis === "full-sync") text = "no time lag can be claimed until the full sync completes";
  else if (r.lagMs === null) text = "time lag cannot be measured";
  else if (r.basis === "caught-up") text = engine === "aws-drs" ? "no replication lag" : "standby is caught up with the primary's current position";
  else if (engine === "aws-drs") text = `the furthest behind source server lags ${formatDuration(r.lagMs)}`;
  else text = `standby ${verb} ${r.atLeast ? "at least " : r.atMost ? "at most " : ""}${formatDuration(r.lagMs)} behind primary`;
  const bytes = r.bytes === null ? "" : `; ${r.bytes} byte${r.bytes === 1 ? "" : "s"} behind`;
  return `${text} (${describeBudget(limits, "RPO")})${bytes}`;
}
