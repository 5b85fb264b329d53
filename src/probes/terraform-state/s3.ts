// A state object in S3, read with @aws-sdk/client-s3 (imported lazily, on the first S3 read).
// Only GetObject of the state key: the backend's lock (a .tflock object or a DynamoDB item) is
// never looked at, so a held lock does not block reading, as `terraform state pull` is not
// blocked either. The client is the run's (src/probes/aws/pool.ts): throttling (SlowDown) and 5xx
// are retried from the retry budget the scan's AWS checks share.
import type { S3Client } from "@aws-sdk/client-s3";
import { formatDuration } from "../../core/duration.js";
import type { CheckContext, Side } from "../../engine/types.js";
import { classifyAwsError, errorCode } from "../aws/errors.js";
import { awsPool, childSignal, defaultRequestTimeout, type ClientSpec, type PooledClient } from "../aws/pool.js";
import { lazySdk, raceAbort } from "../aws/sdk.js";
import { abortedError, ProbeError } from "../errors.js";
import type { S3StateLocation } from "./options.js";

export interface StateObject {
  text: string;
  lastModified: Date | null;
  /** Logical requests sent (1 unless it failed). */
  requests: number;
}

type Sdk = typeof import("@aws-sdk/client-s3");
/** The SDK, imported on the first S3 read; path-style addressing when an endpoint is set. */
const load = lazySdk("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"), (sdk): { sdk: Sdk; spec: ClientSpec<S3Client> } => ({
  sdk,
  // A state may be 256 MiB: getStateObject caps the body itself (MAX_STATE_BYTES), not the pool.
  spec: { service: "s3", label: "S3", maxResponseBytes: null, make: (config: Record<string, unknown>) => new sdk.S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) }) },
}));

/** The run's S3 client for this location's region, endpoint and credentials. */
export async function s3Client(loc: S3StateLocation, side: Side, ctx: Pick<CheckContext, "scope">, requestTimeout: number): Promise<{ sdk: Sdk; pooled: PooledClient<S3Client> }> {
  const { sdk, spec } = await load(side);
  return { sdk, pooled: await awsPool(ctx).client(spec, loc, requestTimeout) };
}

/** GetObject of the state, its body capped at maxBytes; every failure is a ProbeError. */
export async function getStateObject(loc: S3StateLocation, side: Side, ctx: Pick<CheckContext, "signal" | "timeoutMs" | "scope">, maxBytes: number): Promise<StateObject> {
  const requestTimeout = loc.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const child = childSignal(ctx.signal);
  let reading = false;
  try {
    const { sdk, pooled } = await s3Client(loc, side, ctx, requestTimeout);
    const res = await pooled.send<import("@aws-sdk/client-s3").GetObjectCommandOutput>(new sdk.GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }), child.signal);
    if (res.ContentLength !== undefined && res.ContentLength > maxBytes) {
      throw new ProbeError("invalid-response", `s3://${loc.bucket}/${loc.key} is ${res.ContentLength} bytes, more than the ${maxBytes} a state may have here: not read`);
    }
    reading = true;
    const text = await raceAbort(readCapped(res.Body as AsyncIterable<Uint8Array> | undefined, maxBytes, `s3://${loc.bucket}/${loc.key}`), child.signal);
    if (res.ContentLength !== undefined && Buffer.byteLength(text) !== res.ContentLength) {
      throw new ProbeError("invalid-response", `s3://${loc.bucket}/${loc.key}: the body ended after ${Buffer.byteLength(text)} of ${res.ContentLength} bytes (truncated)`);
    }
    return { text, lastModified: res.LastModified ?? null, requests: 1 };
  } catch (err) {
    // The SDK words a connection cut mid-body as a TimeoutError (ECONNRESET): it is a truncated state.
    if (reading && !(err instanceof ProbeError) && !ctx.signal.aborted && (err as { code?: string }).code !== "ETIMEDOUT") {
      const code = (err as { code?: string }).code;
      throw new ProbeError("invalid-response", `${side} s3://${loc.bucket}/${loc.key} (${loc.region}): the connection closed before the whole state arrived${code ? ` (${code})` : ""}: truncated`);
    }
    throw classifyS3Error(err, side, loc, ctx.signal, requestTimeout);
  } finally {
    child.release();
  }
}

async function readCapped(body: AsyncIterable<Uint8Array> | undefined, maxBytes: number, what: string): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ProbeError("invalid-response", `${what} is larger than ${maxBytes} bytes: not read`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

interface SdkError {
  name?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const BAD_CREDENTIALS = /InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|InvalidToken|TokenRefreshRequired|InvalidClientTokenId|MissingAuthenticationToken/;

/** SDK error -> ProbeError: messages name the side, the object and S3's error code, never its message. */
export function classifyS3Error(err: unknown, side: Side, loc: S3StateLocation, signal: AbortSignal, requestTimeout: number): ProbeError {
  if (err instanceof ProbeError) return err;
  const e = (err ?? {}) as SdkError;
  const name = errorCode(e.name);
  const where = `${side} s3://${loc.bucket}/${loc.key} (${loc.region})`;
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const status = e.$metadata?.httpStatusCode;
  if (name === "AbortError" || (signal.aborted && name !== "TimeoutError")) {
    return abortedError(signal, `${where}: GetObject did not finish within the check's timeout`, `${where}: GetObject was cancelled`);
  }
  if (name === "CredentialsProviderError") {
    return new ProbeError("not-authorized", `${where}: no AWS credentials from ${loc.profile ? `profile ${loc.profile}` : "the SDK's default provider chain"}`);
  }
  if (BAD_CREDENTIALS.test(name)) return new ProbeError("not-authorized", `${where}: AWS rejected the credentials (${name})`);
  if (name === "AccessDenied" || status === 403) {
    const role = loc.roleArn ? ` for role ${loc.roleArn}` : "";
    return new ProbeError("not-authorized", `${where}: access denied: missing permission s3:GetObject on arn:aws:s3:::${loc.bucket}/${loc.key}${role} (or kms:Decrypt for an SSE-KMS state) (${name})`, status ? { status } : {});
  }
  if (name === "NoSuchKey" || (status === 404 && name !== "NoSuchBucket")) {
    return new ProbeError("error", `${where}: no state object at this key (${name}); check key, workspace_key_prefix and the workspace name`, status ? { status } : {});
  }
  if (name === "NoSuchBucket") return new ProbeError("error", `${where}: the bucket does not exist (NoSuchBucket)`, { status: status ?? 404 });
  if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || status === 301) {
    return new ProbeError("error", `${where}: the bucket is not in ${loc.region} (${name}); set s3.region to the bucket's region`);
  }
  if (name === "InvalidObjectState") return new ProbeError("error", `${where}: the state object is archived (InvalidObjectState) and cannot be read`);
  if (name === "SlowDown" || name === "Throttling" || name === "ThrottlingException" || status === 503) {
    return new ProbeError("throttled", `${where}: S3 throttled GetObject (${name})${after || " (retries exhausted)"}; raise maxAttempts or retry later`, status ? { status } : {});
  }
  if (name === "TimeoutError" && (e.code === undefined || e.code === "ETIMEDOUT")) return new ProbeError("timeout", `${where}: GetObject timed out after ${formatDuration(requestTimeout)}${after}`);
  // 5xx, the network, a connection reset and anything else: as for every AWS service.
  return classifyAwsError(err, { service: "S3", iam: "s3", op: "GetObject", where, access: loc, signal, requestTimeout });
}
