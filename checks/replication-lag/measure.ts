// What every replication-lag engine returns, and the shared "wait for the standby to reach the
// primary's position" loop that turns positions into an honest time measure.
import type { Finding } from "../../src/engine/types.js";
import { ProbeError, isProbeError } from "../../src/probes/errors.js";
import type { ProbeOptions } from "../../src/probes/target.js";

export interface HeartbeatSettings {
  table: string;
  id: string;
  write: boolean;
  clockSkewMs: number;
}

export interface LagInput {
  primary?: string;
  standby: string;
  /** Per connect/query deadline and the check's signal. */
  probe: ProbeOptions;
  /** How long to wait for the standby to reach the primary's position. */
  waitMs: number;
  now(): Date;
  heartbeat?: HeartbeatSettings;
}

export interface LagReading {
  /** Best estimate of how far behind the standby is, in ms; null when it cannot be told. */
  lagMs: number | null;
  /** lagMs is only a lower bound: the standby is at least this far behind. */
  atLeast?: boolean;
  /** How lagMs was obtained, for the evidence ("caught-up", "catch-up-wait", ...). */
  basis: string;
  /** WAL bytes / offset bytes the standby has not replayed yet; null when not comparable. */
  bytes: number | null;
  findings: Finding[];
  evidence: Record<string, unknown>;
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

/** Re-label a probe failure with the side it came from ("cannot read the standby: ..."). */
export async function onSide<T>(side: "primary" | "standby", fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isProbeError(err)) throw new ProbeError(err.reason, `cannot read the ${side}: ${err.message}`, err.code ? { code: err.code } : {});
    throw err;
  }
}

/** BigInt-free number from a driver value ("123", 123n, 123). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "bigint" ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}
