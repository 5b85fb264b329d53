// The one network-error classifier: a socket, DNS, TLS or HTTP-parse failure code becomes the check's reason
// and the cause in words, for every transport (HTTP, TCP, TLS, the database drivers, AWS).
// Transports add their own codes (a Unix socket's ENOENT) through `extra`.
import type { UnknownReason } from "../engine/types.js";
import { errorCode, ProbeError } from "./errors.js";

export interface NetworkCause {
  reason: UnknownReason;
  /** The cause in words: "connection refused", "host not found". */
  words: string;
}

const CAUSES: Readonly<Record<string, NetworkCause>> = {
  ECONNREFUSED: { reason: "unreachable", words: "connection refused" },
  ECONNRESET: { reason: "unreachable", words: "connection reset" },
  EPIPE: { reason: "unreachable", words: "connection closed by the peer" },
  ECONNABORTED: { reason: "unreachable", words: "connection aborted" },
  UND_ERR_SOCKET: { reason: "unreachable", words: "connection closed by the peer" },
  UND_ERR_CLOSED: { reason: "unreachable", words: "connection closed" },
  EHOSTUNREACH: { reason: "unreachable", words: "no route to host" },
  EHOSTDOWN: { reason: "unreachable", words: "host is down" },
  ENETUNREACH: { reason: "unreachable", words: "network unreachable" },
  EADDRNOTAVAIL: { reason: "unreachable", words: "address not available" },
  ENOTFOUND: { reason: "unreachable", words: "host not found" },
  EAI_NONAME: { reason: "unreachable", words: "host not found" },
  EAI_FAIL: { reason: "unreachable", words: "host not found" },
  EAI_AGAIN: { reason: "unreachable", words: "name lookup failed (temporary)" },
  ETIMEDOUT: { reason: "timeout", words: "connection timed out" },
  ESOCKETTIMEDOUT: { reason: "timeout", words: "connection timed out" },
  UND_ERR_CONNECT_TIMEOUT: { reason: "timeout", words: "connection timed out" },
  UND_ERR_HEADERS_TIMEOUT: { reason: "timeout", words: "no response headers in time" },
  UND_ERR_BODY_TIMEOUT: { reason: "timeout", words: "response body stalled" },
  PROTOCOL_SEQUENCE_TIMEOUT: { reason: "timeout", words: "no answer in time" },
  // The peer answered, but not in HTTP (undici's and node:http's own parser): a server that is
  // something else, or broken. Never a crash and never "error": the answer is invalid.
  UND_ERR_HEADERS_OVERFLOW: { reason: "invalid-response", words: "response headers too large" },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { reason: "invalid-response", words: "response body does not match its content-length" },
  UND_ERR_RES_EXCEEDED_MAX_SIZE: { reason: "invalid-response", words: "response larger than allowed" },
};

/** llhttp's parse errors (HPE_INVALID_CONSTANT, HPE_INVALID_VERSION...), in undici and node:http alike. */
const HTTP_PARSE_CODE = /^(HPE_|HTTPParserError$)/;

/**
 * The fetch of Node.js 24 (undici 7) throws its HTTPParserError without the HPE_ code: the error's
 * name then stands for it, so an answer that is not HTTP stays an invalid response.
 */
function unnamedParseError(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if ((e as { name?: unknown }).name === "HTTPParserError") return "HTTPParserError";
  }
  return undefined;
}

const TLS_CODE = /^(CERT_|ERR_TLS|ERR_SSL|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH)|SSL/;

/**
 * A TLS client that reads plain text (an HTTP server, a banner) sees a record of an unknown
 * version: the peer answered, just not in TLS. An invalid response, not a network failure.
 */
export const NOT_TLS_CODE = /WRONG_VERSION_NUMBER|UNKNOWN_PROTOCOL|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST$/;
export const NOT_TLS: NetworkCause = { reason: "invalid-response", words: "the server does not speak TLS on this port" };

/** Reason and words for a network error code, or null when the code is not a network failure. */
export function networkCause(code: string | undefined, extra: Readonly<Record<string, NetworkCause>> = {}): NetworkCause | null {
  if (!code) return null;
  const known = Object.hasOwn(extra, code) ? extra[code] : Object.hasOwn(CAUSES, code) ? CAUSES[code] : undefined;
  if (known) return known;
  if (TLS_CODE.test(code)) return NOT_TLS_CODE.test(code) ? NOT_TLS : { reason: "unreachable", words: "TLS handshake failed" };
  if (HTTP_PARSE_CODE.test(code)) return { reason: "invalid-response", words: code === "HPE_HEADER_OVERFLOW" ? "response headers too large" : "the answer is not valid HTTP" };
  return null;
}

/**
 * "<where>: connection refused (ECONNREFUSED)" as a ProbeError, or null when `err` is not a
 * network failure (the caller decides what else it is). A ProbeError passes through.
 */
export function networkError(err: unknown, where: string, extra?: Readonly<Record<string, NetworkCause>>): ProbeError | null {
  if (err instanceof ProbeError) return err;
  const code = errorCode(err) ?? unnamedParseError(err);
  const cause = networkCause(code, extra);
  return cause ? new ProbeError(cause.reason, `${where}: ${cause.words} (${code})`, { code: code! }) : null;
}
