// What every replication-lag engine returns, and the shared "wait for the standby to reach the
// primary's position" loop that turns positions into an honest time measure.
import type { Finding, Side, Undecided } from "../../src/kit/index.js";
import type { ProbeOptions } from "../../src/probes/target.js";
import type { LagBasis } from "./evidence.js";

export interface HeartbeatSettings {
  /** "standby": the check's own row (id, ts_ms); "pt-heartbeat": Percona's table, read only. */
  format: "standby" | "pt-heartbeat";
  table: string;
  id: string;
  write: boolean;
  clockSkewMs: number;
  /** pt-heartbeat: the row's server_id; default the primary's. */
  serverId?: number | undefined;
  /** pt-heartbeat: the zone of its ts ("UTC" with --utc). */
  timeZone: string;
}

/**
 * Reads one side under its label ("standby postgres://monitor@db2:5432/orders"); a side that
 * cannot be read fails the measurement with that label, the target and the cause. The sides are
 * read one after the other: the standby is compared with the primary's position read just before.
 */
export type SideReader = <T>(side: Side, read: () => Promise<T>) => Promise<T>;

export interface LagInput {
  primary?: string | undefined;
  standby: string;
  side: SideReader;
  /** Per connect/query deadline and the check's signal. */
  probe: ProbeOptions;
  /** How long to wait for the standby to reach the primary's position. */
  waitMs: number;
  now(): Date;
}

export interface LagReading<E extends object = object> {
  /** Best estimate of how far behind the standby is, in ms; null when it cannot be told. */
  lagMs: number | null;
  /** lagMs is only a lower bound: the standby is at least this far behind. */
  atLeast?: boolean;
  /** lagMs is only an upper bound (a heartbeat whose writer stopped): the standby is at most this far behind. */
  atMost?: boolean;
  basis: LagBasis;
  /** Bytes the standby has not applied (from its furthest position); 0 when caught up; null when not comparable. */
  bytes: number | null;
  findings: Finding[];
  /** What could not be judged (an engine of many servers: an unknown id, a server without a state). */
  undecided?: Undecided[];
  evidence: E;
}

/**
 * Poll `reached` until it is true or the budget is spent. Returns the elapsed ms when reached,
 * null otherwise. Polls quickly first (a caught-up standby answers in milliseconds), then slower.
 */
export async function waitUntil(reached: () => Promise<boolean>, budgetMs: number, signal?: AbortSignal): Promise<{ reachedAfterMs: number | null; waitedMs: number }> {
  const t0 = performance.now();
  let interval = 10;
  for (;;) {
    if (await reached()) return { reachedAfterMs: performance.now() - t0, waitedMs: performance.now() - t0 };
    const elapsed = performance.now() - t0;
    if (elapsed >= budgetMs || signal?.aborted) return { reachedAfterMs: null, waitedMs: elapsed };
    await new Promise((r) => setTimeout(r, Math.min(interval, budgetMs - elapsed)));
    interval = Math.min(interval * 2, 250);
  }
}

/** BigInt-free number from a driver value ("123", 123n, 123). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
