// replication-lag's decision, pure: a reading against max/warnAt and maxBytes (through verdict()),
// and PostgreSQL's byte lag from the furthest position the standby has. RuleTester-style tables.
import { decide, type LagDecisionInput } from "../../checks/replication-lag/decide.js";
import type { LagJudgement } from "../../checks/replication-lag/evidence.js";
import type { LagReading } from "../../checks/replication-lag/measure.js";
import { walByteLag, type WalByteLag } from "../../checks/replication-lag/postgres.js";
import type { CheckOutcome, Finding } from "../../src/engine/types.js";
import { budgetLimits } from "../../src/kit/index.js";
import { decisionTable } from "../helpers/decision-table.js";

const S = 1000;
const M = 60 * S;
/** The default budget: objectives.rpo 5m, warnAt 80%. */
const rpo = budgetLimits({ warnAt: "80%" }, 5 * M);
const LIMITS = "(limit 5m (RPO), warns at 4m)";

const reading = (r: Partial<LagReading<object>> = {}): LagReading<object> => ({ lagMs: 0, basis: "caught-up", bytes: 0, findings: [], evidence: {}, ...r });
const input = (r: Partial<LagReading<object>>, extra: Partial<LagDecisionInput<object>> = {}): LagDecisionInput<object> => ({ engine: "postgres", reading: reading(r), limits: rpo, ...extra });
const behind = (lagMs: number, r: Partial<LagReading<object>> = {}) => input({ lagMs, basis: "last-replayed-commit", bytes: 4096, ...r });

const notReceiving = { message: "standby is not receiving WAL from the primary: WAL receiver status 'waiting'", rule: "not-receiving" };
const paused = { level: "warn" as const, message: "WAL replay is paused on the standby", rule: "replay-paused" };
const secondsBehindZero = { level: "warn" as const, message: "Seconds_Behind reads 0 but the replica has not applied the primary's current position", rule: "seconds-behind-zero" };
const sqlStopped = { message: "replica SQL thread is not running (SQL thread: No)", rule: "sql-thread-stopped" };

/** What a row expects: any part of the outcome, its evidence and its findings. */
type Out = Omit<CheckOutcome<Partial<LagJudgement>>, "findings"> & { findings?: Partial<Finding>[] };

decisionTable<LagDecisionInput<object>, Out>("replication-lag decide: time lag against max and warnAt", decide, [
  {
    name: "caught up: pass, numeric limits in measured and evidence",
    input: input({}),
    expected: {
      status: "pass",
      summary: `standby is caught up with the primary's current position ${LIMITS}; 0 bytes behind`,
      measured: { value: 0, unit: "s", limit: 300, warnAt: 240 },
      evidence: { lagBasis: "caught-up", lagIsLowerBound: false, lagMs: 0, limitMs: 300_000, warnAtMs: 240_000, limitFrom: "objectives.rpo", bytesBehind: 0, maxBytes: null },
    },
  },
  { name: "under warnAt: pass", input: behind(3 * M), expected: { status: "pass", summary: `standby replays 3m behind primary ${LIMITS}; 4096 bytes behind`, findings: [] } },
  { name: "at warnAt: warn", input: behind(4 * M), expected: { status: "warn", findings: [{ level: "warn", rule: "near-limit", message: `standby replays 4m behind primary ${LIMITS}; 4096 bytes behind` }] } },
  { name: "between warnAt and max: warn", input: behind(4.5 * M), expected: { status: "warn", summary: `standby replays 4m30s behind primary ${LIMITS}; 4096 bytes behind` } },
  { name: "at max: still within the limit, a warning", input: behind(5 * M), expected: { status: "warn", measured: { value: 300, unit: "s", limit: 300, warnAt: 240 } } },
  { name: "over max: fail", input: behind(5 * M + 1), expected: { status: "fail", findings: [{ level: "fail", rule: "over-limit", message: `standby replays 5m behind primary ${LIMITS}; 4096 bytes behind` }] } },
  {
    name: "warnAt as a duration and an explicit max: 90s warns, no (RPO), the limit from max",
    input: { ...behind(90 * S), limits: budgetLimits({ max: 2 * M, warnAt: 1 * M }, 5 * M) },
    expected: { status: "warn", summary: "standby replays 1m30s behind primary (limit 2m, warns at 1m); 4096 bytes behind", evidence: { limitMs: 120_000, warnAtMs: 60_000, limitFrom: "max" } },
  },
  {
    name: "warnAt longer than max: warns at max (the kit clamps it)",
    input: { ...behind(2 * M), limits: budgetLimits({ max: 2 * M, warnAt: 10 * M }, 5 * M) },
    expected: { status: "warn", measured: { value: 120, unit: "s", limit: 120, warnAt: 120 } },
  },
  { name: "redis lags, it does not replay", input: { ...behind(10 * S), engine: "redis" }, expected: { status: "pass", summary: `standby lags 10s behind primary ${LIMITS}; 4096 bytes behind` } },
]);

decisionTable<LagDecisionInput<object>, Out>("replication-lag decide: what cannot be claimed", decide, [
  {
    name: "lag unknown: unknown (invalid-response), no measured",
    input: input({ lagMs: null, basis: "unknown", bytes: null }),
    expected: { status: "unknown", reason: "invalid-response", summary: `time lag cannot be measured ${LIMITS}`, measured: null, evidence: { lagMs: null, bytesBehind: null } },
  },
  {
    name: "a lower bound under warnAt: unknown (timeout), never a pass",
    input: input({ lagMs: 2 * S, atLeast: true, basis: "catch-up-wait", bytes: 100 }),
    expected: { status: "unknown", reason: "timeout", summary: `standby replays at least 2s behind primary ${LIMITS}; 100 bytes behind: could not see it catch up within the wait`, evidence: { lagIsLowerBound: true } },
  },
  {
    name: "a lower bound in the warning band: unknown, the warning kept (it may be over the limit)",
    input: input({ lagMs: 4.5 * M, atLeast: true, basis: "catch-up-wait", bytes: 100 }),
    expected: { status: "unknown", reason: "timeout", findings: [{ level: "warn", rule: "near-limit" }] },
  },
  { name: "a lower bound over max: fail", input: input({ lagMs: 6 * M, atLeast: true, basis: "heartbeat-write", bytes: null }), expected: { status: "fail", summary: `standby replays at least 6m behind primary ${LIMITS}` } },
]);

decisionTable<LagDecisionInput<object>, Out>("replication-lag decide: maxBytes", decide, [
  { name: "more bytes than maxBytes: fail, the lag after it", input: { ...behind(2 * S, { bytes: 2000 }), maxBytes: 1000 }, expected: { status: "fail", summary: `2000 bytes not replayed, more than maxBytes 1000; standby replays 2s behind primary ${LIMITS}; 2000 bytes behind`, evidence: { maxBytes: 1000, bytesBehind: 2000 } } },
  { name: "exactly maxBytes: pass", input: { ...behind(2 * S, { bytes: 1000 }), maxBytes: 1000 }, expected: { status: "pass" } },
  { name: "bytes not comparable: maxBytes cannot fail", input: { ...behind(2 * S, { bytes: null }), maxBytes: 1000 }, expected: { status: "pass", summary: `standby replays 2s behind primary ${LIMITS}` } },
  { name: "over max and over maxBytes: fail, the first finding and how many more", input: { ...behind(10 * M, { bytes: 2000 }), maxBytes: 1000 }, expected: { status: "fail", summary: `2000 bytes not replayed, more than maxBytes 1000 (+1 more); standby replays 10m behind primary ${LIMITS}; 2000 bytes behind` } },
]);

decisionTable<LagDecisionInput<object>, Out>("replication-lag decide: pitfalls", decide, [
  {
    name: "level with the primary but not receiving: fail, no lag claimed, never 'caught up'",
    input: input({ lagMs: null, basis: "not-receiving", bytes: 0, findings: [notReceiving] }),
    expected: { status: "fail", measured: null, summary: `${notReceiving.message}; level with the primary for now, but receiving nothing: no time lag can be claimed ${LIMITS}; 0 bytes behind` },
  },
  {
    name: "MySQL threads stopped while level: fail, not replicating",
    input: { ...input({ lagMs: null, basis: "not-replicating", bytes: 0, findings: [sqlStopped] }), engine: "mysql" },
    expected: { status: "fail", summary: `${sqlStopped.message}; level with the primary for now, but not replicating: no time lag can be claimed ${LIMITS}; 0 bytes behind` },
  },
  {
    name: "Redis full sync: fail, no lag until it completes",
    input: { ...input({ lagMs: null, basis: "full-sync", bytes: null, findings: [{ message: "a full sync from the primary is in progress", rule: "sync-in-progress" }] }), engine: "redis" },
    expected: { status: "fail", summary: `a full sync from the primary is in progress; no time lag can be claimed until the full sync completes ${LIMITS}` },
  },
  { name: "a failing pitfall with a small lag: fail, headed by the pitfall", input: behind(1 * S, { findings: [sqlStopped] }), expected: { status: "fail", summary: `${sqlStopped.message}; standby replays 1s behind primary ${LIMITS}; 4096 bytes behind` } },
  { name: "a failing pitfall and a lag over max: fail, the pitfall first", input: behind(10 * M, { findings: [sqlStopped] }), expected: { status: "fail", summary: `${sqlStopped.message} (+1 more); standby replays 10m behind primary ${LIMITS}; 4096 bytes behind` } },
  { name: "replay paused (a warning) with a small lag: warn", input: behind(2 * S, { findings: [paused] }), expected: { status: "warn", summary: `${paused.message}; standby replays 2s behind primary ${LIMITS}; 4096 bytes behind` } },
  {
    name: "Seconds_Behind 0 while behind, only a lower bound: unknown, the warning kept",
    input: { ...input({ lagMs: 500, atLeast: true, basis: "catch-up-wait", bytes: 300, findings: [secondsBehindZero] }), engine: "mysql" },
    expected: { status: "unknown", reason: "timeout", findings: [secondsBehindZero] },
  },
  { name: "standby promoted: fail, no lag", input: input({ lagMs: null, basis: "not-a-standby", bytes: null, findings: [{ message: "standby is not in recovery", rule: "standby-not-in-recovery" }] }), expected: { status: "fail", measured: null } },
]);

decisionTable<[number | null, number | null], WalByteLag>("PostgreSQL byte lag from the furthest position the standby has", ([replay, receive]) => walByteLag(replay, receive), [
  { name: "caught up", input: [0, 0], expected: { behind: 0, notReceived: 0, receivedNotReplayed: 0 } },
  { name: "restarted standby: receive LSN at a segment start behind a caught-up replay", input: [0, 8_090_264], expected: { behind: 0, notReceived: 0, receivedNotReplayed: 0 } },
  { name: "restarted standby while behind: what was replayed was received", input: [3000, 10_000_000], expected: { behind: 3000, notReceived: 3000, receivedNotReplayed: 0 } },
  { name: "received ahead of replay (replay paused, slow apply)", input: [5000, 1000], expected: { behind: 5000, notReceived: 1000, receivedNotReplayed: 4000 } },
  { name: "past the primary's position read just before: nothing behind", input: [-200, -500], expected: { behind: 0, notReceived: 0, receivedNotReplayed: 0 } },
  { name: "no receive LSN (streaming never started): the replay position", input: [500, null], expected: { behind: 500, notReceived: 500, receivedNotReplayed: 0 } },
  { name: "not in recovery: not comparable", input: [null, null], expected: { behind: null, notReceived: null, receivedNotReplayed: null } },
]);
