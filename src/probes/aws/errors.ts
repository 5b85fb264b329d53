// An AWS SDK error as the check's ProbeError, for every AWS service the probes read (AWS Config,
// DRS, FIS, S3, STS): the reason decides the verdict (never a pass), the message names the side,
// region, service and operation. Retries exhausted by throttling are `throttled`.
import { formatDuration } from "../../core/duration.js";
import { redact } from "../../core/secrets.js";
import { READ_LIMIT_CODE } from "../byte-cap.js";
import { abortedError, ProbeError } from "../errors.js";
import { describeUrl } from "../http.js";
import { networkError } from "../network-error.js";

const NOT_AUTHORIZED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
]);
export const THROTTLED = new Set(["ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export interface AwsCall {
  /** "AWS Config", "AWS DRS": how messages name the service. */
  service: string;
  /** IAM action prefix for a missing permission: "config", "drs". */
  iam: string;
  op: string;
  /** "standby (us-west-2)": who asked. */
  where: string;
  access: { region: string; roleArn?: string | undefined; profile?: string | undefined; endpoint?: string | undefined };
  signal: AbortSignal;
  requestTimeout: number;
  /** Service-specific errors (checked after the common refusals and throttling). */
  special?: (name: string, message: string) => ProbeError | undefined;
}

/**
 * The error's name is the answer's error code (`__type`, S3's `<Code>`), which the server chose:
 * only a code-shaped one is quoted in a message, never control characters, a secret or 5,000 bytes.
 */
export function errorCode(name: unknown): string {
  return typeof name === "string" && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(name) ? name : name === undefined ? "Error" : "an unrecognised error code";
}

/** SDK error -> ProbeError with the check's UnknownReason. */
export function classifyAwsError(err: unknown, call: AwsCall): ProbeError {
  if (err instanceof ProbeError) return err;
  const { service, op, where, access: src } = call;
  const e = (err ?? {}) as SdkError;
  const name = errorCode(e.name);
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const message = typeof e.message === "string" ? e.message : "";

  if (name === "AbortError" || (call.signal.aborted && name !== "TimeoutError")) {
    return abortedError(call.signal, `${where}: ${service} ${op} did not finish within the check's timeout`, `${where}: ${service} ${op} was cancelled`);
  }
  // A body past the read limit (response-cap.ts), seen through the SDK's own error (STS of a role).
  if (e.code === READ_LIMIT_CODE) return new ProbeError("invalid-response", message.split("\n")[0]!, { code: READ_LIMIT_CODE });
  if (name === "CredentialsProviderError") {
    const via = src.profile ? `profile ${src.profile}` : "the SDK's default provider chain (environment, shared config, SSO, container or instance role)";
    return new ProbeError("not-authorized", `${where}: no AWS credentials from ${via}`);
  }
  if (NOT_AUTHORIZED.has(name) || /not authori[sz]ed/i.test(message)) {
    const m = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
    const permission = m ? m[1]! : name === "AccessDenied" && src.roleArn ? "sts:AssumeRole" : `${call.iam}:${op}`;
    const who = src.roleArn && permission !== "sts:AssumeRole" ? ` for role ${src.roleArn}` : "";
    const what = permission === "sts:AssumeRole" ? ` on ${src.roleArn ?? "the role"}` : "";
    const credsBad = /InvalidClientTokenId|UnrecognizedClientException|Signature|ExpiredToken|MissingAuthenticationToken/.test(name);
    return credsBad
      ? new ProbeError("not-authorized", `${where}: AWS rejected the credentials (${name}) calling ${op}`)
      : new ProbeError("not-authorized", `${where}: not authorized: missing permission ${permission}${what}${who} (${name})`);
  }
  if (THROTTLED.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new ProbeError("throttled", `${where}: ${service} throttled ${op}${after || " (retries exhausted)"}; raise maxAttempts or lower concurrency`);
  }
  const special = call.special?.(name, message);
  if (special) return special;
  if (name === "ValidationException" || name === "InvalidNextTokenException") {
    return new ProbeError("error", `${where}: ${service} rejected ${op} (${name}): ${redact(message).slice(0, 300)}`);
  }
  // The SDK also names a connection reset TimeoutError (code ECONNRESET): that is the network's.
  if ((name === "TimeoutError" && (e.code === undefined || e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT")) || e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT") {
    return new ProbeError("timeout", `${where}: ${service} ${op} timed out after ${formatDuration(call.requestTimeout)}${after}`);
  }
  const status = e.$metadata?.httpStatusCode;
  // A refusal the SDK could not name (a proxy's or a VPC endpoint policy's 403 without an AWS error body).
  if (status === 401 || status === 403) {
    return new ProbeError("not-authorized", `${where}: ${service} refused ${op} with HTTP ${status} (${name})`, { status });
  }
  if ((status !== undefined && status >= 500) || e.$fault === "server") {
    return new ProbeError("invalid-response", `${where}: ${service} answered ${op} with HTTP ${status ?? "5xx"} (${name})${after}`, status ? { status } : {});
  }
  // A configured endpoint (a VPC endpoint) is what could not be reached: name it.
  const net = networkError(err, `${where}: ${service}${src.endpoint ? ` at ${describeUrl(src.endpoint)}` : ""}`);
  if (net) return net;
  if (status !== undefined && status >= 400) {
    return new ProbeError("invalid-response", `${where}: ${service} answered ${op} with HTTP ${status} (${name})`, { status });
  }
  if (name === "SyntaxError" || /Deserializ|Unexpected token|JSON/i.test(message)) {
    return new ProbeError("invalid-response", `${where}: ${service} ${op} returned a response that is not valid JSON`);
  }
  return new ProbeError("error", `${where}: ${service} ${op} failed (${name})`);
}
