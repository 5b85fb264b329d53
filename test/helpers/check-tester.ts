// The one tester for check kinds (ESLint RuleTester style): options go through the kind's
// own schema exactly as the config loader does, then run() gets a real context and signal.
import type { z } from "zod";
import { makeContext, type ContextInput } from "../../src/engine/context.js";
import type { AnyObjectSchema, CheckDefinition, CheckOutcome } from "../../src/engine/types.js";

export interface RunCheckOptions extends Partial<Omit<ContextInput, "signal">> {
  signal?: AbortSignal;
}

export async function runCheck<S extends AnyObjectSchema>(
  def: CheckDefinition<S>,
  rawOptions: z.input<S>,
  ctx: RunCheckOptions = {},
): Promise<CheckOutcome> {
  const options = def.options.strict().parse(rawOptions);
  const timeoutMs = ctx.timeoutMs ?? 10_000;
  const signal = ctx.signal ?? AbortSignal.timeout(timeoutMs);
  return def.run(options as z.output<S>, makeContext({ ...ctx, signal, timeoutMs }));
}

/** Parse options the way the config loader does, returning zod's issues for negative tests. */
export function parseOptions<S extends AnyObjectSchema>(def: CheckDefinition<S>, raw: unknown) {
  return def.options.strict().safeParse(raw);
}
