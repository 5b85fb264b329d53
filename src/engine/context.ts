// Builds the CheckContext a check runs with; shared by the runner and the check tester.
import type { CheckContext, Objectives, ServiceInfo, Severity } from "./types.js";

export const DEFAULT_OBJECTIVES: Objectives = { rpo: 5 * 60_000, rto: 15 * 60_000 };

export interface ContextInput {
  signal: AbortSignal;
  service?: ServiceInfo;
  objectives?: Objectives;
  timeoutMs?: number;
  baseDir?: string;
  check?: { id: string; severity: Severity };
  now?: () => Date;
}

export function makeContext(input: ContextInput): CheckContext {
  return {
    signal: input.signal,
    now: input.now ?? (() => new Date()),
    service: input.service ?? { name: "test", primary: { vars: {} }, standby: { vars: {} } },
    objectives: input.objectives ?? DEFAULT_OBJECTIVES,
    timeoutMs: input.timeoutMs ?? 10_000,
    baseDir: input.baseDir ?? process.cwd(),
    check: input.check ?? { id: "test-check", severity: "high" },
  };
}

/** Deadline for every network step of a check: a little before the runner's own timeout. */
export function makeBudget(ctx: Pick<CheckContext, "timeoutMs">): () => number {
  const end = Date.now() + Math.max(100, Math.floor(ctx.timeoutMs * 0.9));
  return () => Math.max(1, end - Date.now());
}
