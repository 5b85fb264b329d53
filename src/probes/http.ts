// Shared HTTP probe on Node's global fetch (undici). Every call has its own deadline combined
// with the caller's AbortSignal, and every failure becomes a ProbeError with an UnknownReason.
// Messages name the URL without its query string (tokens live there) and never header values.
import { redact } from "../config/secrets.js";
import { abortedError, errorCode, ProbeError } from "./errors.js";

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** A config document is kilobytes; this only stops a misdirected URL from eating memory. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline for the whole exchange, body included. Default 10 s. */
  timeoutMs?: number;
  /** The check's signal: aborting it aborts the request. */
  signal?: AbortSignal;
  maxBodyBytes?: number;
  redirect?: "follow" | "manual" | "error";
}

export interface HttpTimings {
  /** Epoch ms when the request started. */
  startedAt: number;
  /** Until the response headers arrived. */
  headersMs: number;
  /** Until the body was read completely. */
  totalMs: number;
}

export interface HttpResponse {
  /** The final URL after redirects, described without query string. */
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  contentType: string | null;
  body: string;
  timings: HttpTimings;
}

/** origin + path, without credentials or query string, with registered secrets redacted. */
export function describeUrl(url: string | URL): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return redact(`${u.origin}${u.pathname}`);
  } catch {
    return "(invalid URL)";
  }
}

/** Low-level request: never throws for an HTTP status, only for transport failures. */
export async function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProbeError("error", "invalid URL (expected http:// or https://)");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ProbeError("error", `unsupported URL scheme ${parsed.protocol} (expected http or https)`);
  }
  const where = describeUrl(parsed);
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const startedAt = Date.now();
  const t0 = performance.now();
  let headersMs = 0;
  try {
    const res = await fetch(parsed, {
      method: options.method ?? "GET",
      headers: options.headers,
      body: options.body,
      redirect: options.redirect ?? "follow",
      signal,
    });
    headersMs = performance.now() - t0;
    const body = await readBody(res, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, where);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      url: res.url ? describeUrl(res.url) : where,
      status: res.status,
      statusText: res.statusText,
      headers,
      contentType: res.headers.get("content-type"),
      body,
      timings: { startedAt, headersMs, totalMs: performance.now() - t0 },
    };
  } catch (err) {
    throw classify(err, where, timeoutMs, deadline, options.signal);
  }
}

async function readBody(res: Response, maxBytes: number, where: string): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ProbeError("invalid-response", `response from ${where} is larger than ${maxBytes} bytes`, { status: res.status });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH",
  "EHOSTDOWN", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);


function classify(err: unknown, where: string, timeoutMs: number, deadline: AbortSignal, callerSignal?: AbortSignal): ProbeError {
  if (err instanceof ProbeError) return err;
  if (deadline.aborted) {
    return new ProbeError("timeout", `no complete response from ${where} within ${timeoutMs}ms`, { code: "TIMEOUT" });
  }
  if (callerSignal?.aborted) return abortedError(callerSignal, `no complete response from ${where} before the check's deadline`, `request to ${where} was cancelled`);
  const code = errorCode(err);
  if (code && TIMEOUT_CODES.has(code)) return new ProbeError("timeout", `${where} timed out (${code})`, { code });
  if (code && UNREACHABLE_CODES.has(code)) {
    const what = code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" ? "host not found" : "cannot connect";
    return new ProbeError("unreachable", `${what}: ${where} (${code})`, { code });
  }
  if (code && (code.startsWith("CERT_") || code.startsWith("ERR_TLS") || code.includes("CERT") || code.includes("SSL"))) {
    return new ProbeError("unreachable", `TLS handshake with ${where} failed (${code})`, { code });
  }
  // Anything else: name the class of failure, not its text (undici messages can echo request data).
  return new ProbeError("error", `request to ${where} failed${code ? ` (${code})` : ""}`, code ? { code } : {});
}

export interface FetchJsonOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

/**
 * GET a JSON document. 401/403 are not-authorized, other non-2xx and non-JSON bodies are
 * invalid-response; the message carries status and content-type (and a short body excerpt
 * only when the request sent no headers, since authenticated responses may echo secrets).
 */
export async function fetchJson(url: string, options: FetchJsonOptions = {}): Promise<unknown> {
  const headers = { ...(options.headers ?? {}) };
  const sentHeaders = Object.keys(headers).length > 0;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "accept")) headers.accept = "application/json";
  const res = await httpRequest(url, {
    headers,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxBodyBytes: options.maxBodyBytes,
  });
  const type = res.contentType ? res.contentType.split(";")[0]!.trim() : "no content-type";
  const excerpt = sentHeaders ? "" : bodyExcerpt(res.body);
  if (res.status < 200 || res.status > 299) {
    const reason = res.status === 401 || res.status === 403 ? "not-authorized" : "invalid-response";
    throw new ProbeError(reason, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""} from ${res.url} (${type})${excerpt}`, { status: res.status });
  }
  if (res.body.trim() === "") {
    throw new ProbeError("invalid-response", `empty body from ${res.url} (HTTP ${res.status}, ${type}), expected JSON`, { status: res.status });
  }
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    const what = /json/i.test(type) ? `invalid JSON from ${res.url}` : `expected JSON from ${res.url}, got ${type}`;
    throw new ProbeError("invalid-response", `${what} (HTTP ${res.status})${excerpt}`, { status: res.status });
  }
}

function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (!flat) return "";
  const cut = flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
  return `: ${JSON.stringify(redact(cut))}`;
}
