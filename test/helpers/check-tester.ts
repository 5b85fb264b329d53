// The one tester for check kinds (ESLint RuleTester style): options go through the kind's own
// schema exactly as the config loader does, then the run goes through the runner's settle():
// the same deadline, the same classification of thrown errors, the same distrust of results.
import type { z } from "zod";
import type { ContextInput } from "../../src/engine/context.js";
import { settle } from "../../src/engine/runner.js";
import type { AnyObjectSchema, CheckDefinition, CheckOutcome } from "../../src/engine/types.js";

export interface RunCheckOptions extends Partial<Omit<ContextInput, "signal">> {
  /** Cancels the run, as the scan's signal does. */
  signal?: AbortSignal;
}

export async function runCheck<S extends AnyObjectSchema>(
  def: CheckDefinition<S>,
  rawOptions: z.input<S>,
  ctx: RunCheckOptions = {},
): Promise<CheckOutcome> {
  const options = def.options.strict().parse(rawOptions);
  return settle(def as unknown as CheckDefinition, options, { ...ctx, timeoutMs: ctx.timeoutMs ?? 10_000 });
}

/** Parse options the way the config loader does, returning zod's issues for negative tests. */
export function parseOptions<S extends AnyObjectSchema>(def: CheckDefinition<S>, raw: unknown) {
  return def.options.strict().safeParse(raw);
}
