// Connection strings for database probes: how to name a target in messages (never with its
// password) and how to scrub a driver's error text, which may echo the URL or the password.
import { redact, REDACTED } from "../core/secrets.js";
import { abortedStep, ProbeError, timedOut } from "./errors.js";
import { networkError } from "./network-error.js";
import { safeDecode } from "../core/uri.js";

export interface ProbeOptions {
  /** Connect deadline and per-query deadline, in ms. */
  timeoutMs: number;
  /** The check's signal: aborting it closes the connection at once. */
  signal?: AbortSignal;
  /** Cap on the bytes read from one connection; each driver probe has its own default. */
  maxReplyBytes?: number;
}

/** "postgres://app@db1:5432/orders": scheme, user, host, port and path; no password, no query. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${safeDecode(u.username)}@` : "";
    const path = u.pathname && u.pathname !== "/" ? u.pathname : "";
    return redact(`${u.protocol}//${user}${u.host}${path}`);
  } catch {
    return "(unparseable connection string)";
  }
}

/** host:port (or host) of a URL, for naming nodes compactly. */
export function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return redact(u.host || "(no host)");
  } catch {
    return "(unparseable connection string)";
  }
}

/** Every spelling of the URL's password that a driver might echo. */
export function passwordsOf(url: string): string[] {
  const out = new Set<string>();
  try {
    const u = new URL(url);
    if (u.password) {
      out.add(u.password).add(safeDecode(u.password));
    }
    for (const key of ["password", "pass", "pwd"]) {
      const v = u.searchParams.get(key);
      if (v) out.add(v);
    }
  } catch {
    // Not a URL: pull anything that looks like a password out of the raw text.
    const m = /:\/\/[^:@/\s]*:([^@\s]+)@/.exec(url);
    if (m?.[1]) out.add(m[1]);
  }
  return [...out].filter((p) => p.length > 0);
}

/** Remove the URL's password (every spelling), URL credentials and registered secrets from text. */
export function scrub(text: string, url: string): string {
  let out = text;
  for (const p of passwordsOf(url).sort((a, b) => b.length - a.length)) out = out.split(p).join(REDACTED);
  return redact(out);
}

/** A database socket path that does not exist (postgres:///db?host=/run/postgresql). */
const SOCKET_CAUSES = { ENOENT: { reason: "unreachable", words: "socket not found" } } as const;

/** Network-level classification shared by the database probes; null when it is not a network error. */
export function driverNetworkError(err: unknown, where: string): ProbeError | null {
  return networkError(err, where, SOCKET_CAUSES);
}

/** A deadline plus the caller's signal, and a ProbeError for whichever fired. */
export function abortError(where: string, timeoutMs: number, deadline: AbortSignal | null, caller?: AbortSignal): ProbeError | null {
  if (deadline?.aborted) return timedOut(where, timeoutMs);
  return caller?.aborted ? abortedStep(where, caller) : null;
}

/** A driver error's text (scrubbed of the URL's password and secrets) and its string code, if any. */
export interface DriverErrorText {
  msg: string;
  code: string | undefined;
}

/**
 * The start of every database error mapper: a ProbeError passes through and an aborted check
 * becomes its timeout or cancellation; otherwise the driver error's scrubbed message and code.
 */
export function readDriverError(err: unknown, where: string, url: string, opts: ProbeOptions): ProbeError | DriverErrorText {
  if (err instanceof ProbeError) return err;
  const aborted = abortError(where, opts.timeoutMs, null, opts.signal);
  if (aborted) return aborted;
  const e = err as { code?: unknown; message?: unknown };
  const msg = scrub(typeof e?.message === "string" ? e.message : String(err), url);
  const code = typeof e?.code === "string" ? e.code : undefined;
  return { msg, code };
}

/** Run fn with a close() hook that fires when the signal aborts; always removes the listener. */
export async function closeOnAbort<T>(signal: AbortSignal | undefined, close: () => void, fn: () => Promise<T>): Promise<T> {
  if (!signal) return fn();
  if (signal.aborted) {
    close();
    throw signal.reason;
  }
  let onAbort = () => undefined as void;
  // Race the work with the abort so a driver slow to notice its closed socket cannot hold us.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      close();
      reject(signal.reason);
    };
  });
  signal.addEventListener("abort", onAbort, { once: true });
  const work = fn();
  work.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
