// Builds the CheckContext a check runs with; shared by the runner and the check tester.
import { RunScope } from "./scope.js";
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
  /** The run's shared scope; a fresh one (closed by whoever made the context) when absent. */
  scope?: RunScope;
}

/** What each context is waiting for right now (labels given to ctx.reading): a timeout names them. */
const waiting = new WeakMap<CheckContext, Map<number, string>>();

export function makeContext(input: ContextInput): CheckContext {
  const pending = new Map<number, string>();
  let next = 0;
  const ctx: CheckContext = {
    signal: input.signal,
    now: input.now ?? (() => new Date()),
    service: input.service ?? { name: "test", primary: { vars: {} }, standby: { vars: {} } },
    objectives: input.objectives ?? DEFAULT_OBJECTIVES,
    timeoutMs: input.timeoutMs ?? 10_000,
    baseDir: input.baseDir ?? process.cwd(),
    check: input.check ?? { id: "test-check", severity: "high" },
    scope: input.scope ?? new RunScope(),
    async reading<T>(label: string, step: () => Promise<T>): Promise<T> {
      const id = next++;
      pending.set(id, label);
      try {
        return await step();
      } finally {
        pending.delete(id);
      }
    },
  };
  waiting.set(ctx, pending);
  return ctx;
}

/** The labels of the readings still in flight, oldest first. */
export function waitingFor(ctx: CheckContext): string[] {
  return [...(waiting.get(ctx)?.values() ?? [])];
}
