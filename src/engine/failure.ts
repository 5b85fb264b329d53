// What the runner makes of an error that leaves a check's run(): an error that carries one of the
// contract's reasons (a ProbeError, or any error shaped like one) is the check's honest `unknown`
// with that reason and message; anything else is a bug in the kind ("check crashed").
import { UNKNOWN_REASONS, type UnknownReason } from "./types.js";

export interface ReasonedError {
  reason: UnknownReason;
  message: string;
}

/** Duck-typed, so the engine needs no import of the probes that throw these. */
export function isReasoned(err: unknown): err is ReasonedError {
  if (!err || typeof err !== "object") return false;
  const { reason, message } = err as { reason?: unknown; message?: unknown };
  return typeof reason === "string" && (UNKNOWN_REASONS as readonly string[]).includes(reason) && typeof message === "string" && message !== "";
}
