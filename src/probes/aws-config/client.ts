// The AWS Config client of one side, shared by every check that reads AWS Config (config-drift,
// aws-credentials). The SDK is imported here, lazily, on the first read: `standby --version` and file/URL scans never load @aws-sdk or @smithy. Every call gets the
// check's abort signal (through a per-side child signal, so many parallel requests do not pile
// listeners onto the check's own) and a per-request timeout; throttling and 5xx are retried by
// the SDK's adaptive retry mode. Every failure becomes a ProbeError: never a pass.
import { setMaxListeners } from "node:events";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { redact } from "../../core/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { abortedError, ProbeError } from "../errors.js";
import type { AwsConnection } from "./options.js";
import { formatDuration } from "../../core/duration.js";
import { networkError } from "../network-error.js";
import { describeUrl } from "../http.js";

/** The two sides of a service; messages name the side and its region. */
export type Side = "primary" | "standby";

export type Operation =
  | "BatchGetResourceConfig"
  | "SelectResourceConfig"
  | "SelectAggregateResourceConfig"
  | "DescribeConfigurationRecorderStatus";

export interface AwsSideClient {
  readonly side: Side;
  readonly region: string;
  /** Requests sent (each SDK attempt counts once here: one call = one logical request). */
  requests: number;
  send<T>(op: Operation, input: object): Promise<T>;
  /** Aborted with the check; for waits between calls. */
  readonly signal: AbortSignal;
  destroy(): void;
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

/** Default per-request timeout: half the check's, so one stuck connection still leaves time to retry. */
export function defaultRequestTimeout(checkTimeoutMs: number): number {
  return Math.max(1000, Math.floor(checkTimeoutMs / 2));
}

export async function makeClient(src: AwsConnection, side: Side, ctx: CheckContext): Promise<AwsSideClient> {
  // Checks never print: the SDK's Node-version notice would go to stderr on every scan.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let sdk: typeof import("@aws-sdk/client-config-service");
  try {
    sdk = namedExports(await import("@aws-sdk/client-config-service"));
  } catch {
    throw new ProbeError("error", `${side}: @aws-sdk/client-config-service is not installed`);
  }
  const requestTimeout = src.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const requestHandler = {
    requestTimeout,
    connectionTimeout: Math.min(requestTimeout, 5000),
    throwOnRequestTimeout: true,
    httpAgent: { keepAlive: true, maxSockets: 64 },
    httpsAgent: { keepAlive: true, maxSockets: 64 },
    logger: SILENT,
  };
  let credentials: NonNullable<ConstructorParameters<typeof sdk.ConfigServiceClient>[0]>["credentials"];
  if (src.roleArn || src.profile) {
    const providers = namedExports(await import("@aws-sdk/credential-providers"));
    const base = src.profile ? providers.fromIni({ profile: src.profile }) : undefined;
    credentials = src.roleArn
      ? providers.fromTemporaryCredentials({
          params: { RoleArn: src.roleArn, RoleSessionName: `standby-${side}`, DurationSeconds: 900, ...(src.externalId ? { ExternalId: src.externalId } : {}) },
          ...(base ? { masterCredentials: base } : {}),
          clientConfig: { region: src.region, maxAttempts: src.maxAttempts, requestHandler, logger: SILENT, ...(src.stsEndpoint ? { endpoint: src.stsEndpoint } : {}) },
          logger: SILENT,
        })
      : base;
  }
  const aggregatorRegion = typeof src.aggregator === "object" ? src.aggregator.region : undefined;
  const client: ConfigServiceClient = new sdk.ConfigServiceClient({
    region: aggregatorRegion ?? src.region,
    ...(src.endpoint ? { endpoint: src.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    retryMode: "adaptive",
    maxAttempts: src.maxAttempts,
    requestHandler,
    logger: SILENT,
  });
  // The logger middleware filters every response through the schema for sensitive fields even
  // with a silent logger: pure cost here (checks never print).
  try {
    client.middlewareStack.remove("loggerMiddleware");
  } catch {
    /* not present in this SDK version */
  }
  const commands = {
    BatchGetResourceConfig: sdk.BatchGetResourceConfigCommand,
    SelectResourceConfig: sdk.SelectResourceConfigCommand,
    SelectAggregateResourceConfig: sdk.SelectAggregateResourceConfigCommand,
    DescribeConfigurationRecorderStatus: sdk.DescribeConfigurationRecorderStatusCommand,
  } as const;

  const controller = new AbortController();
  setMaxListeners(1000, controller.signal);
  const onAbort = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });

  const self: AwsSideClient = {
    side,
    region: src.region,
    requests: 0,
    signal: controller.signal,
    async send<T>(op: Operation, input: object): Promise<T> {
      self.requests++;
      const Command = commands[op] as unknown as new (input: object) => Parameters<ConfigServiceClient["send"]>[0];
      try {
        return (await raceAbort(client.send(new Command(input), { abortSignal: controller.signal }), controller.signal)) as T;
      } catch (err) {
        throw classifyAwsError(err, op, side, src, ctx, requestTimeout);
      }
    },
    destroy() {
      ctx.signal.removeEventListener("abort", onAbort);
      client.destroy();
    },
  };
  return self;
}

/**
 * The SDK packages are CommonJS: Node's import() lists their exports as named ones, but the
 * esbuild-bundled CLI's lazy chunk exports the whole module.exports as `default` only.
 */
export function namedExports<T extends object>(mod: T): T {
  const fallback = (mod as { default?: unknown }).default;
  return Object.keys(mod).length === 1 && fallback !== null && typeof fallback === "object" ? (fallback as T) : mod;
}

/** The SDK notices an abort between attempts only; this makes cancellation immediate. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  const e = new Error("aborted");
  e.name = "AbortError";
  return e;
}

export const NOT_AUTHORIZED = new Set([
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
]);
export const THROTTLED = new Set(["ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** SDK error -> ProbeError with the check's UnknownReason; messages name the side, region and operation. */
export function classifyAwsError(
  err: unknown,
  op: Operation,
  side: Side,
  src: Pick<AwsConnection, "region" | "roleArn" | "profile"> & Partial<Pick<AwsConnection, "endpoint">>,
  ctx: Pick<CheckContext, "signal">,
  requestTimeout: number,
): ProbeError {
  if (err instanceof ProbeError) return err;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const where = `${side} (${src.region})`;
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const message = typeof e.message === "string" ? e.message : "";

  if (name === "AbortError" || (ctx.signal.aborted && name !== "TimeoutError")) {
    return abortedError(ctx.signal, `${where}: AWS Config ${op} did not finish within the check's timeout`, `${where}: AWS Config ${op} was cancelled`);
  }
  if (name === "CredentialsProviderError") {
    const via = src.profile ? `profile ${src.profile}` : "the SDK's default provider chain (environment, shared config, SSO, container or instance role)";
    return new ProbeError("not-authorized", `${where}: no AWS credentials from ${via}`);
  }
  if (NOT_AUTHORIZED.has(name) || /not authori[sz]ed/i.test(message)) {
    const m = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
    const permission = m ? m[1]! : name === "AccessDenied" && src.roleArn ? "sts:AssumeRole" : `config:${op}`;
    const who = src.roleArn && permission !== "sts:AssumeRole" ? ` for role ${src.roleArn}` : "";
    const what = permission === "sts:AssumeRole" ? ` on ${src.roleArn ?? "the role"}` : "";
    const credsBad = /InvalidClientTokenId|UnrecognizedClientException|Signature|ExpiredToken|MissingAuthenticationToken/.test(name);
    return credsBad
      ? new ProbeError("not-authorized", `${where}: AWS rejected the credentials (${name}) calling ${op}`)
      : new ProbeError("not-authorized", `${where}: not authorized: missing permission ${permission}${what}${who} (${name})`);
  }
  if (THROTTLED.has(name)) {
    return new ProbeError("error", `${where}: AWS Config throttled ${op}${after || " (retries exhausted)"}; raise maxAttempts or lower concurrency`);
  }
  if (name === "NoAvailableConfigurationRecorderException") {
    return new ProbeError("error", `${where}: AWS Config is not recording in ${src.region} (no configuration recorder), so there is no configuration to compare`);
  }
  if (name === "NoSuchConfigurationAggregatorException") {
    return new ProbeError("error", `${where}: configuration aggregator not found`);
  }
  if (name === "InvalidExpressionException" || name === "ValidationException" || name === "InvalidLimitException" || name === "InvalidNextTokenException") {
    return new ProbeError("error", `${where}: AWS Config rejected ${op} (${name}): ${redact(message).slice(0, 300)}`);
  }
  if (name === "TimeoutError" || e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT") {
    return new ProbeError("timeout", `${where}: AWS Config ${op} timed out after ${formatDuration(requestTimeout)}${after}`);
  }
  const status = e.$metadata?.httpStatusCode;
  // A refusal the SDK could not name (a proxy's or a VPC endpoint policy's 403 without an AWS error body).
  if (status === 401 || status === 403) {
    return new ProbeError("not-authorized", `${where}: AWS Config refused ${op} with HTTP ${status} (${name})`, { status });
  }
  if ((status !== undefined && status >= 500) || e.$fault === "server") {
    return new ProbeError("invalid-response", `${where}: AWS Config answered ${op} with HTTP ${status ?? "5xx"} (${name})${after}`, status ? { status } : {});
  }
  // A configured endpoint (a VPC endpoint) is what could not be reached: name it.
  const net = networkError(err, `${where}: AWS Config${src.endpoint ? ` at ${describeUrl(src.endpoint)}` : ""}`);
  if (net) return net;
  if (status !== undefined && status >= 400) {
    return new ProbeError("invalid-response", `${where}: AWS Config answered ${op} with HTTP ${status} (${name})`, { status });
  }
  if (name === "SyntaxError" || /Deserializ|Unexpected token|JSON/i.test(message)) {
    return new ProbeError("invalid-response", `${where}: AWS Config ${op} returned a response that is not valid JSON`);
  }
  return new ProbeError("error", `${where}: AWS Config ${op} failed (${name})`);
}
