// Probe failures carry the check-level UnknownReason, so a check turns any probe error
// into an honest `unknown` without re-classifying it. Messages never hold header values,
// response bodies of authenticated requests, or resolved secrets.
import { formatDuration } from "../core/duration.js";
import type { UnknownReason } from "../engine/types.js";

export interface ProbeErrorOptions {
  /** Node/undici error code when there is one (ECONNREFUSED, ENOTFOUND...). */
  code?: string;
  /** HTTP status for invalid-response / not-authorized. */
  status?: number;
  cause?: unknown;
}

export class ProbeError extends Error {
  override readonly name = "ProbeError";
  readonly reason: UnknownReason;
  readonly code?: string;
  readonly status?: number;

  constructor(reason: UnknownReason, message: string, options: ProbeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    if (options.code !== undefined) this.code = options.code;
    if (options.status !== undefined) this.status = options.status;
  }
}

export function isProbeError(err: unknown): err is ProbeError {
  return err instanceof ProbeError;
}

/** The first string `code` along an error's cause chain (undici wraps socket errors in
 * TypeError("fetch failed").cause, sometimes inside an AggregateError). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ABORT_ERR") return code;
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const c = errorCode(inner[0]);
      if (c) return c;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * An aborted probe step: the check's deadline (a TimeoutError reason, whose message is the
 * runner's "timed out after 3s") is a timeout in those words; any other abort is a cancellation.
 */
export function abortedError(signal: AbortSignal, timedOut: string, cancelled: string): ProbeError {
  const reason = signal.reason as { name?: string; message?: unknown } | undefined;
  const deadline = reason?.name === "TimeoutError" || (reason instanceof Error && /timed out/i.test(reason.message));
  return deadline ? new ProbeError("timeout", timedOut, { code: "TIMEOUT" }) : new ProbeError("error", cancelled, { code: "ABORTED" });
}

/** abortedError in the usual words: "<what>: timed out after 3s" or "<what>: cancelled". */
export function abortedStep(what: string, signal: AbortSignal): ProbeError {
  const reason = signal.reason as { message?: unknown } | undefined;
  const words = typeof reason?.message === "string" && /^timed out after /.test(reason.message) ? reason.message : "no answer before the check's deadline";
  return abortedError(signal, `${what}: ${words}`, `${what}: cancelled`);
}

/** A probe's own timer ran out: "<what>: timed out after 3s". */
export function timedOut(what: string, ms: number): ProbeError {
  return new ProbeError("timeout", `${what}: timed out after ${formatDuration(ms)}`, { code: "TIMEOUT" });
}
