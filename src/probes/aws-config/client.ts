// The AWS Config client of one side, shared by every check that reads AWS Config (config-drift,
// aws-credentials). The SDK is imported here, lazily, on the first read: `standby --version` and file/URL scans never load @aws-sdk or @smithy. Every call gets the
// check's abort signal (through a per-side child signal, so many parallel requests do not pile
// listeners onto the check's own) and a per-request timeout; throttling and 5xx are retried by
// the SDK's adaptive retry mode. Every failure becomes a ProbeError: never a pass.
import { isAscii } from "node:buffer";
import { setMaxListeners } from "node:events";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { redact } from "../../config/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { ProbeError } from "../errors.js";
import type { AwsConnection } from "./options.js";

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
    sdk = await import("@aws-sdk/client-config-service");
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
    const providers = await import("@aws-sdk/credential-providers");
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
  installFastReader(client, sdk);
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

/** The SDK notices an abort between attempts only; this makes cancellation immediate. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
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
]);
const THROTTLED = new Set(["ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]);
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

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
  src: Pick<AwsConnection, "region" | "roleArn" | "profile">,
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
    const timedOut = (ctx.signal.reason as { name?: string } | undefined)?.name === "TimeoutError";
    return timedOut
      ? new ProbeError("timeout", `${where}: AWS Config ${op} did not finish within the check's timeout`)
      : new ProbeError("error", `${where}: AWS Config ${op} was cancelled`);
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
    return new ProbeError("timeout", `${where}: no response from AWS Config ${op} within ${requestTimeout} ms${after}`);
  }
  const status = e.$metadata?.httpStatusCode;
  if ((status !== undefined && status >= 500) || e.$fault === "server") {
    return new ProbeError("invalid-response", `${where}: AWS Config answered ${op} with HTTP ${status ?? "5xx"} (${name})${after}`, status ? { status } : {});
  }
  if (e.code && UNREACHABLE_CODES.has(e.code)) {
    return new ProbeError("unreachable", `${where}: cannot reach AWS Config (${e.code})`, { code: e.code });
  }
  if (status !== undefined && status >= 400) {
    return new ProbeError("invalid-response", `${where}: AWS Config answered ${op} with HTTP ${status} (${name})`, { status });
  }
  if (name === "SyntaxError" || /Deserializ|Unexpected token|JSON/i.test(message)) {
    return new ProbeError("invalid-response", `${where}: AWS Config ${op} returned a response that is not valid JSON`);
  }
  return new ProbeError("error", `${where}: AWS Config ${op} failed (${name})`);
}

/**
 * Successful BatchGetResourceConfig / SelectResourceConfig / SelectAggregateResourceConfig
 * responses are decoded here instead of by the SDK's schema walker, which copies every item into
 * a new object member by member (a generator step per member) and turns timestamps into Dates that
 * prepareItem() turns back into strings: ~40% of the SDK's CPU per item for nothing. The result is
 * what the SDK would return: the members the SDK's own schema lists, in schema order, nulls left
 * out; timestamps (epoch seconds on the wire) become ISO strings directly. Errors (>= 300) and
 * anything unexpected go to the SDK's deserializer with the body already read.
 */
type StructSchema = [number, string, string, unknown, string[], unknown[]];
interface Protocol {
  deserializeResponse(op: { name?: string }, context: unknown, response: HttpResponse): Promise<unknown>;
  deserializeMetadata?(response: HttpResponse): Record<string, unknown>;
}
interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

function installFastReader(client: ConfigServiceClient, sdk: typeof import("@aws-sdk/client-config-service")): void {
  const protocol = (client.config as unknown as { protocol?: Protocol }).protocol;
  const schema = (sdk as unknown as { BaseConfigurationItem$?: unknown }).BaseConfigurationItem$ as StructSchema | undefined;
  if (!protocol || typeof protocol.deserializeResponse !== "function" || !Array.isArray(schema)) return;
  const names = schema[4];
  const types = schema[5];
  if (!Array.isArray(names) || !Array.isArray(types) || names.length !== types.length || !names.every((n) => typeof n === "string")) return;
  // Member types: 0 string, 4 timestamp, 128|0 map of strings; any other type: leave it to the SDK.
  if (!types.every((t) => t === 0 || t === 4 || t === 128)) return;
  const members: Members = new Map(names.map((name, i) => [name, types[i] === 4 ? 1 : 0]));
  const original = protocol.deserializeResponse.bind(protocol);
  const metadata = (r: HttpResponse): Record<string, unknown> =>
    protocol.deserializeMetadata
      ? protocol.deserializeMetadata.call(protocol, r)
      : { httpStatusCode: r.statusCode, requestId: r.headers["x-amzn-requestid"] };
  protocol.deserializeResponse = async (op, context, response) => {
    const name = op?.name;
    if (response.statusCode >= 300 || (name !== "BatchGetResourceConfig" && name !== "SelectResourceConfig" && name !== "SelectAggregateResourceConfig")) {
      return original(op, context, response);
    }
    const bytes = await readBody(response.body);
    const out = bytes.byteLength === 0 ? {} : decode(name, bytes, members);
    if (out === null) {
      response.body = bytes;
      return original(op, context, response);
    }
    for (const h of Object.keys(response.headers)) {
      const lower = h.toLowerCase();
      if (lower !== h) {
        response.headers[lower] = response.headers[h];
        delete response.headers[h];
      }
    }
    (out as Record<string, unknown>).$metadata = metadata(response);
    return out;
  };
}

function readBody(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return Promise.resolve(body);
  if (body === undefined || body === null) return Promise.resolve(new Uint8Array());
  const stream = body as NodeJS.ReadableStream;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on("data", (c: Buffer) => {
      chunks.push(c);
      length += c.length;
    });
    stream.on("error", reject);
    stream.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** null: not the expected shape, let the SDK decode (and reject) it. */
/** Member name -> 1 for timestamps, 0 for everything else. */
type Members = ReadonlyMap<string, 0 | 1>;

function decode(op: string, bytes: Uint8Array, members: Members): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Pure ASCII (the usual case: JSON escapes the rest) decodes as a plain byte copy.
    parsed = JSON.parse(isAscii(buf) ? buf.toString("latin1") : buf.toString("utf8"));
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const out: Record<string, unknown> = {};
  if (op === "BatchGetResourceConfig") {
    const items = parsed.baseConfigurationItems;
    if (items != null) {
      if (!Array.isArray(items)) return null;
      for (let i = 0; i < items.length; i++) {
        const item = pickItem(items[i], members);
        if (item === null) return null;
        items[i] = item;
      }
      out.baseConfigurationItems = items;
    }
    const keys = parsed.unprocessedResourceKeys;
    if (keys != null) {
      if (!Array.isArray(keys) || !keys.every(isObject)) return null;
      out.unprocessedResourceKeys = keys.map((k) => {
        const o: Record<string, unknown> = {};
        if (k.resourceType != null) o.resourceType = k.resourceType;
        if (k.resourceId != null) o.resourceId = k.resourceId;
        return o;
      });
    }
    return out;
  }
  const results = parsed.Results;
  if (results != null) {
    if (!Array.isArray(results) || !results.every((r) => typeof r === "string")) return null;
    out.Results = results;
  }
  if (parsed.QueryInfo != null) {
    if (!isObject(parsed.QueryInfo)) return null;
    out.QueryInfo = parsed.QueryInfo;
  }
  if (parsed.NextToken != null) {
    if (typeof parsed.NextToken !== "string") return null;
    out.NextToken = parsed.NextToken;
  }
  return out;
}

/**
 * The SDK's view of one item, made in place on the freshly parsed object (no copy): members the
 * schema does not list and null values are dropped, timestamps become ISO strings. Key order is
 * the wire's, not the schema's; nothing downstream depends on it (findings are sorted by path).
 */
function pickItem(raw: unknown, members: Members): Record<string, unknown> | null {
  if (!isObject(raw)) return null;
  let extra = false;
  for (const k in raw) {
    const kind = members.get(k);
    if (kind === undefined) {
      extra = true;
      continue;
    }
    const v = raw[k];
    if (v == null) extra = true;
    else if (kind === 1) {
      const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 8.64e12) return null;
      raw[k] = new Date(Math.round(n * 1000)).toISOString();
    }
  }
  if (!extra) return raw;
  // Rare (a newer API's members, explicit nulls): rebuild rather than delete (which would leave
  // the object in slow dictionary mode).
  const out: Record<string, unknown> = {};
  for (const k in raw) if (members.has(k) && raw[k] != null) out[k] = raw[k];
  return out;
}
