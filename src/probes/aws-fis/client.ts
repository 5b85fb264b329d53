// The AWS FIS client of one source. The SDK is imported here, lazily, on the first read, so
// `standby --version` and file scans never load @aws-sdk. Built like the AWS Config client
// (../aws-config/client.ts): every call gets the check's abort signal and a per-request timeout,
// throttling and 5xx are retried by the SDK's adaptive retry mode, and every failure becomes a
// ProbeError. makeFisClient is the one place a client is created (the shared AWS client pool
// replaces its body).
import { setMaxListeners } from "node:events";
import type { FisClient as SdkFisClient } from "@aws-sdk/client-fis";
import { formatDuration } from "../../core/duration.js";
import { redact } from "../../core/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { defaultRequestTimeout, namedExports, NOT_AUTHORIZED, raceAbort, THROTTLED } from "../aws-config/client.js";
import { abortedError, ProbeError } from "../errors.js";
import { describeUrl } from "../http.js";
import { networkError } from "../network-error.js";
import type { AwsFisSource } from "./options.js";

export type FisOperation = "ListExperiments" | "GetExperiment" | "ListExperimentTemplates" | "GetExperimentTemplate";

export interface FisClient {
  readonly region: string;
  /** Logical requests sent (SDK retries count once). */
  requests: number;
  /** `query`: extra query parameters the SDK's model does not know (see send). */
  send<T>(op: FisOperation, input: object, query?: Record<string, string>): Promise<T>;
  destroy(): void;
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

export async function makeFisClient(src: AwsFisSource, ctx: CheckContext): Promise<FisClient> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let sdk: typeof import("@aws-sdk/client-fis");
  try {
    sdk = namedExports(await import("@aws-sdk/client-fis"));
  } catch {
    throw new ProbeError("error", `FIS (${src.region}): @aws-sdk/client-fis is not installed`);
  }
  const requestTimeout = src.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const requestHandler = { requestTimeout, connectionTimeout: Math.min(requestTimeout, 5000), throwOnRequestTimeout: true, logger: SILENT };
  let credentials: NonNullable<ConstructorParameters<typeof sdk.FisClient>[0]>["credentials"];
  if (src.roleArn || src.profile) {
    const providers = namedExports(await import("@aws-sdk/credential-providers"));
    const base = src.profile ? providers.fromIni({ profile: src.profile }) : undefined;
    credentials = src.roleArn
      ? providers.fromTemporaryCredentials({
          params: { RoleArn: src.roleArn, RoleSessionName: "standby-fis", DurationSeconds: 900, ...(src.externalId ? { ExternalId: src.externalId } : {}) },
          ...(base ? { masterCredentials: base } : {}),
          clientConfig: { region: src.region, maxAttempts: src.maxAttempts, requestHandler, logger: SILENT, ...(src.stsEndpoint ? { endpoint: src.stsEndpoint } : {}) },
          logger: SILENT,
        })
      : base;
  }
  const client: SdkFisClient = new sdk.FisClient({
    region: src.region,
    ...(src.endpoint ? { endpoint: src.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    retryMode: "adaptive",
    maxAttempts: src.maxAttempts,
    requestHandler,
    logger: SILENT,
  });
  const commands = {
    ListExperiments: sdk.ListExperimentsCommand,
    GetExperiment: sdk.GetExperimentCommand,
    ListExperimentTemplates: sdk.ListExperimentTemplatesCommand,
    GetExperimentTemplate: sdk.GetExperimentTemplateCommand,
  } as const;

  // A child signal: many sequential requests do not pile listeners onto the check's own.
  const controller = new AbortController();
  setMaxListeners(100, controller.signal);
  const onAbort = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });

  const self: FisClient = {
    region: src.region,
    requests: 0,
    async send<T>(op: FisOperation, input: object, query?: Record<string, string>): Promise<T> {
      self.requests++;
      const Command = commands[op] as unknown as new (input: object) => Parameters<SdkFisClient["send"]>[0];
      const command = new Command(input);
      // The pinned SDK's model predates ListExperiments' experimentTemplateId filter: add it to the
      // request before signing, as a newer model would serialise it.
      if (query) {
        command.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { query?: Record<string, string | string[] | null> };
            request.query = { ...request.query, ...query };
            return next(args);
          },
          { step: "build", name: "standbyExtraQuery" },
        );
      }
      try {
        return (await raceAbort(client.send(command, { abortSignal: controller.signal }), controller.signal)) as T;
      } catch (err) {
        throw classifyFisError(err, op, src, ctx, requestTimeout);
      }
    },
    destroy() {
      ctx.signal.removeEventListener("abort", onAbort);
      client.destroy();
    },
  };
  return self;
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** SDK error -> ProbeError; messages name FIS, the region and the operation, never a body. */
export function classifyFisError(err: unknown, op: FisOperation, src: Pick<AwsFisSource, "region" | "roleArn" | "profile" | "endpoint">, ctx: Pick<CheckContext, "signal">, requestTimeout: number): ProbeError {
  if (err instanceof ProbeError) return err;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const where = `FIS (${src.region})`;
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const message = typeof e.message === "string" ? e.message : "";
  const status = e.$metadata?.httpStatusCode;

  if (name === "AbortError" || (ctx.signal.aborted && name !== "TimeoutError")) {
    return abortedError(ctx.signal, `${where}: ${op} did not finish within the check's timeout`, `${where}: ${op} was cancelled`);
  }
  if (name === "CredentialsProviderError") {
    const via = src.profile ? `profile ${src.profile}` : "the SDK's default provider chain (environment, shared config, SSO, container or instance role)";
    return new ProbeError("not-authorized", `${where}: no AWS credentials from ${via}`);
  }
  if (NOT_AUTHORIZED.has(name) || /not authori[sz]ed/i.test(message)) {
    if (/InvalidClientTokenId|UnrecognizedClientException|Signature|ExpiredToken|MissingAuthenticationToken/.test(name)) {
      return new ProbeError("not-authorized", `${where}: AWS rejected the credentials (${name}) calling ${op}`);
    }
    const m = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
    const permission = m ? m[1]! : name === "AccessDenied" && src.roleArn ? "sts:AssumeRole" : `fis:${op}`;
    const on = permission === "sts:AssumeRole" ? ` on ${src.roleArn ?? "the role"}` : src.roleArn ? ` for role ${src.roleArn}` : "";
    return new ProbeError("not-authorized", `${where}: not authorized: missing permission ${permission}${on} (${name})`);
  }
  if (THROTTLED.has(name) || status === 429) {
    // TODO(issue 20 item 4): reason "throttled" once the shared AWS client pool adds it.
    return new ProbeError("error", `${where}: FIS throttled ${op}${after || " (retries exhausted)"}; raise maxAttempts or lower the scan's concurrency`);
  }
  if (name === "ResourceNotFoundException") return new ProbeError("error", `${where}: ${op}: not found (${redact(message).slice(0, 200)})`);
  if (name === "ValidationException") return new ProbeError("error", `${where}: FIS rejected ${op} (ValidationException): ${redact(message).slice(0, 300)}`);
  if (name === "TimeoutError" || e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT") {
    return new ProbeError("timeout", `${where}: ${op} timed out after ${formatDuration(requestTimeout)}${after}`);
  }
  if (status === 401 || status === 403) return new ProbeError("not-authorized", `${where}: FIS refused ${op} with HTTP ${status} (${name})`, { status });
  if ((status !== undefined && status >= 500) || e.$fault === "server") {
    return new ProbeError("invalid-response", `${where}: FIS answered ${op} with HTTP ${status ?? "5xx"} (${name})${after}`, status ? { status } : {});
  }
  const net = networkError(err, `${where}${src.endpoint ? ` at ${describeUrl(src.endpoint)}` : ""}`);
  if (net) return net;
  if (status !== undefined && status >= 400) return new ProbeError("invalid-response", `${where}: FIS answered ${op} with HTTP ${status} (${name})`, { status });
  if (name === "SyntaxError" || /Deserializ|Unexpected token|JSON|Expected/i.test(message)) {
    return new ProbeError("invalid-response", `${where}: ${op} returned a response that is not FIS's JSON (${name})`);
  }
  return new ProbeError("error", `${where}: ${op} failed (${name})`);
}
