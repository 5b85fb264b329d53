// Probe failures carry the check-level UnknownReason, so a check turns any probe error
// into an honest `unknown` without re-classifying it. Messages never hold header values,
// response bodies of authenticated requests, or resolved secrets.
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
