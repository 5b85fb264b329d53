// Shared HTTP probe on Node's global fetch (undici). Every call has its own deadline combined
// with the caller's AbortSignal, and every failure becomes a ProbeError with an UnknownReason.
// Messages name the URL without its query string (tokens live there) and never header values;
// a URL that carries a secret (a capability path, a signed query) is named by its origin only.
// Redirects are followed here, not by fetch: configured headers go only to the origin they were
// configured for (fetch drops only Authorization and Cookie), and https never downgrades to http.
import { redirectRefusal } from "./redirect-guard.js";
import { redact, secrets } from "../core/secrets.js";
import { abortedStep, errorCode, ProbeError, timedOut } from "./errors.js";
import { networkCause, networkError } from "./network-error.js";
import { jsonSyntaxProblem } from "./json-syntax.js";
import { safeDecode } from "../core/uri.js";

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

/** origin + path, without credentials or query string; the origin alone when the URL carries a secret. */
export function describeUrl(url: string | URL): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    if (secrets.touchesUrl(u)) return redact(u.origin);
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
  options = withUserinfoAsBasicAuth(parsed, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const startedAt = Date.now();
  const t0 = performance.now();
  let headersMs = 0;
  try {
    const res = await fetchFollowing(parsed, options, signal);
    headersMs = performance.now() - t0;
    const finalUrl = new URL(res.url || parsed.href);
    const body = await readBody(res, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, where).catch((err: unknown) => {
      throw cutBody(err, where, res.status, signal);
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      url: describeUrl(finalUrl),
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

/** fetch refuses URLs with credentials: `https://user:pass@host/` becomes Basic auth for that origin. */
function withUserinfoAsBasicAuth(url: URL, options: HttpRequestOptions): HttpRequestOptions {
  if (!url.username && !url.password) return options;
  const user = safeDecode(url.username);
  const pass = safeDecode(url.password);
  url.username = "";
  url.password = "";
  const headers = { ...(options.headers ?? {}) };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) {
    const token = Buffer.from(`${user}:${pass}`).toString("base64");
    secrets.add(token); // a server may echo the header it received
    headers.authorization = `Basic ${token}`;
  }
  return { ...options, headers };
}

export const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that describe the request, not the caller: kept across origins. */
const NEUTRAL_HEADERS = new Set(["accept", "accept-language", "user-agent", "content-type"]);

/**
 * fetch with redirects followed by hand: a cross-origin hop drops every configured header but the
 * neutral ones (a header configured for one origin is a credential for that origin only), and a
 * hop from https to http is refused. 303 (and 301/302 after POST) continue as GET without body.
 */
async function fetchFollowing(start: URL, options: HttpRequestOptions, signal: AbortSignal): Promise<Response> {
  const mode = options.redirect ?? "follow";
  let url = start;
  let method = options.method ?? "GET";
  let body = options.body;
  let headers: Record<string, string> | undefined = options.headers;
  for (let hop = 0; ; hop++) {
    const res = await fetch(url, { method, headers, body, redirect: "manual", signal });
    if (!REDIRECT_STATUSES.has(res.status) || mode === "manual") return withUrl(res, url);
    const location = res.headers.get("location");
    await res.body?.cancel().catch(() => undefined);
    if (!location) throw new ProbeError("invalid-response", `HTTP ${res.status} redirect from ${describeUrl(url)} without a Location header`, { status: res.status });
    if (mode === "error") throw new ProbeError("invalid-response", `${describeUrl(url)} redirected (HTTP ${res.status}); redirects are not followed here`, { status: res.status });
    if (hop + 1 > MAX_REDIRECTS) throw new ProbeError("invalid-response", `more than ${MAX_REDIRECTS} redirects from ${describeUrl(start)}`, { status: res.status });
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new ProbeError("invalid-response", `HTTP ${res.status} redirect from ${describeUrl(url)} to an invalid URL`, { status: res.status });
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new ProbeError("invalid-response", `${describeUrl(url)} redirected to unsupported scheme ${next.protocol}`, { status: res.status });
    }
    if (url.protocol === "https:" && next.protocol === "http:") {
      throw new ProbeError("invalid-response", `${describeUrl(url)} redirected from https to http (${next.origin}); refused: it would send the request in clear text`, { status: res.status });
    }
    const refused = next.origin !== url.origin ? redirectRefusal(next) : null;
    if (refused) throw new ProbeError("not-authorized", `${describeUrl(url)} redirected (HTTP ${res.status}); ${refused}`, { status: res.status });
    if (next.origin !== url.origin && headers) headers = neutralHeaders(headers);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      if (headers) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "content-type"));
    }
    url = next;
  }
}

function neutralHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => NEUTRAL_HEADERS.has(k.toLowerCase())));
}

/** A Response made by hand-followed redirects reports the URL it came from. */
function withUrl(res: Response, url: URL): Response {
  if (res.url === url.href) return res;
  Object.defineProperty(res, "url", { value: url.href });
  return res;
}

/** An excerpt of a body that echoes the request's path or query (error pages do) must not quote it: those carry capabilities. */
function redactedAgainst(body: string, ...urls: URL[]): string {
  let out = body;
  for (const u of urls) {
    const parts = new Set<string>();
    if (u.pathname.length > 1) parts.add(u.pathname + u.search).add(u.pathname);
    if (u.search.length > 1) parts.add(u.search.slice(1));
    for (const seg of u.pathname.split("/")) if (seg.length >= 8) parts.add(seg);
    for (const [, v] of u.searchParams) if (v.length >= 4) parts.add(v);
    for (const p of [...parts].sort((a, b) => b.length - a.length)) {
      for (const form of new Set([p, safeDecode(p)])) if (form) out = out.split(form).join("***");
    }
  }
  return out;
}


async function readBody(res: Response, maxBytes: number, where: string): Promise<string> {
  if (!res.body) return "";
  // An announced length over the cap is refused at once, not after reading up to the cap.
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new ProbeError("invalid-response", `${where}: response larger than ${maxBytes} bytes (Content-Length ${declared})`, { status: res.status });
  }
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
      throw new ProbeError("invalid-response", `${where}: response larger than ${maxBytes} bytes`, { status: res.status });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** The headers came, then the connection ended before the body did: a cut answer, not an unreachable server. */
function cutBody(err: unknown, where: string, status: number, signal: AbortSignal): unknown {
  const code = errorCode(err);
  if (err instanceof ProbeError || signal.aborted || networkCause(code)?.reason === "timeout") return err;
  return new ProbeError("invalid-response", `${where}: the connection closed before the whole response body arrived${code ? ` (${code})` : ""}: truncated`, { status, ...(code ? { code } : {}) });
}

function classify(err: unknown, where: string, timeoutMs: number, deadline: AbortSignal, callerSignal?: AbortSignal): ProbeError {
  if (err instanceof ProbeError) return err;
  if (deadline.aborted) return timedOut(where, timeoutMs);
  if (callerSignal?.aborted) return abortedStep(where, callerSignal);
  // fetch refuses the Fetch standard's "bad ports" (1, 9, 6000, 10080...) before any connection.
  if ((err as { cause?: { message?: unknown } })?.cause?.message === "bad port") {
    return new ProbeError("error", `${where}: fetch refuses to connect to this port (the Fetch standard's blocked ports: 1, 9, 6000, 10080...)`, { code: "BAD_PORT" });
  }
  // Anything but a network failure: name the class of failure, not its text (undici messages can echo request data).
  const code = errorCode(err);
  return networkError(err, where) ?? new ProbeError("error", `${where}: request failed${code ? ` (${code})` : ""}`, code ? { code } : {});
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
  // Credentials in the URL become an Authorization header: an authenticated request too.
  const sentHeaders = Object.keys(headers).length > 0 || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url);
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "accept")) headers.accept = "application/json";
  const res = await httpRequest(url, {
    headers,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxBodyBytes: options.maxBodyBytes,
  });
  const type = res.contentType ? res.contentType.split(";")[0]!.trim() : "no content-type";
  const excerpt = sentHeaders ? "" : bodyExcerpt(res.body, url);
  if (res.status < 200 || res.status > 299) {
    const reason = res.status === 401 || res.status === 403 ? "not-authorized" : "invalid-response";
    throw new ProbeError(reason, `${res.url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""} (${type})${excerpt}`, { status: res.status });
  }
  if (res.body.trim() === "") {
    throw new ProbeError("invalid-response", `${res.url}: empty body (HTTP ${res.status}, ${type}), expected JSON`, { status: res.status });
  }
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    const p = /json/i.test(type) ? jsonSyntaxProblem(res.body) : null;
    const what = /json/i.test(type) ? `${res.url}: invalid JSON${p ? ` at line ${p.line}, column ${p.column}: ${p.message}` : ""}` : `${res.url}: expected JSON, got ${type}`;
    throw new ProbeError("invalid-response", `${what} (HTTP ${res.status})${excerpt}`, { status: res.status });
  }
}

function bodyExcerpt(body: string, requestUrl: string): string {
  let flat = body.replace(/\s+/g, " ").trim();
  try {
    flat = redactedAgainst(flat, new URL(requestUrl));
  } catch {
    // httpRequest already refused an invalid URL
  }
  if (!flat) return "";
  const cut = flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
  return `: ${JSON.stringify(redact(cut))}`;
}
