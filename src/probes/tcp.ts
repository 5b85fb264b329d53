// TCP connect probe: does anything accept a connection on host:port? One attempt, with its own
// deadline combined with the caller's signal; every failure is a ProbeError with a reason.
import { connect, isIP, type Socket } from "node:net";
import { abortedError, ProbeError, timedOut } from "./errors.js";
import { networkError } from "./network-error.js";

export interface TcpConnectOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TcpConnectResult {
  /** The address actually connected to. */
  address: string;
  port: number;
  /** Time to establish the connection. */
  ms: number;
}

export const DEFAULT_TCP_TIMEOUT_MS = 5_000;

/** "host:port", "[v6]:port"; `host` for a literal IPv6 address is printed in brackets. */
export function describeEndpoint(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export function tcpConnect(host: string, port: number, options: TcpConnectOptions = {}): Promise<TcpConnectResult> {
  const where = describeEndpoint(host, port);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TCP_TIMEOUT_MS;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return Promise.reject(new ProbeError("error", `invalid port ${port}`));
  if (options.signal?.aborted) return Promise.reject(aborted(options.signal, where));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let sock: Socket | null = null;
    let settled = false;
    const finish = (err: ProbeError | null, result?: TcpConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      sock?.destroy();
      if (err) reject(err);
      else resolve(result!);
    };
    const onAbort = () => finish(aborted(options.signal!, where));
    const timer = setTimeout(() => finish(timedOut(`TCP connection to ${where}`, timeoutMs)), timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    sock = connect({ host, port });
    sock.once("connect", () => finish(null, { address: sock!.remoteAddress ?? host, port, ms: performance.now() - t0 }));
    sock.once("error", (err: NodeJS.ErrnoException) => finish(classify(err, where)));
  });
}

function aborted(signal: AbortSignal, where: string): ProbeError {
  return abortedError(signal, `no TCP connection to ${where} before the check's deadline`, `TCP connection to ${where} was cancelled`);
}

function classify(err: NodeJS.ErrnoException, where: string): ProbeError {
  return networkError(err, where) ?? new ProbeError("error", `TCP connection to ${where} failed${err.code ? ` (${err.code})` : ""}`, err.code ? { code: err.code } : {});
}
