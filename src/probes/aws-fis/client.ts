// The AWS FIS client of one source. The SDK client comes from the run's AWS pool
// (src/probes/aws/pool.ts: one per region, endpoint and identity, one retry budget for all the
// run's AWS checks); the SDK is imported here, lazily, on the first read, so `standby --version`
// and file scans never load @aws-sdk. Every call gets the check's abort signal and a per-request
// timeout, and every failure becomes a ProbeError (never a pass).
import type { FisClient as SdkFisClient } from "@aws-sdk/client-fis";
import { redact } from "../../core/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { classifyAwsError } from "../aws/errors.js";
import { awsPool, childSignal, defaultRequestTimeout, type ClientSpec } from "../aws/pool.js";
import { lazySdk } from "../aws/sdk.js";
import { ProbeError } from "../errors.js";
import type { AwsFisSource } from "./options.js";

export type FisOperation = "ListExperiments" | "GetExperiment" | "ListExperimentTemplates" | "GetExperimentTemplate";

export interface FisClient {
  readonly region: string;
  /** Logical requests sent (SDK retries count once). */
  requests: number;
  /** `query`: extra query parameters the SDK's model does not know (see send). */
  send<T>(op: FisOperation, input: object, query?: Record<string, string>): Promise<T>;
  /** Stops listening to the check's signal (the SDK client is the pool's, destroyed with the run). */
  destroy(): void;
}

/** Per response (the pool caps every AWS service's): a page of 100 summaries is tens of KiB. */
export { MAX_RESPONSE_BYTES } from "../aws/pool.js";

type Sdk = typeof import("@aws-sdk/client-fis");
const load = lazySdk("@aws-sdk/client-fis", () => import("@aws-sdk/client-fis"), (sdk): { sdk: Sdk; spec: ClientSpec<SdkFisClient> } => ({
  sdk,
  spec: { service: "fis", label: "FIS", make: (config: object) => new sdk.FisClient(config) },
}));

export async function makeFisClient(src: AwsFisSource, ctx: CheckContext): Promise<FisClient> {
  const { sdk, spec } = await load(src.region);
  const requestTimeout = src.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const pooled = await awsPool(ctx).client(spec, src, requestTimeout);
  const commands = {
    ListExperiments: sdk.ListExperimentsCommand,
    GetExperiment: sdk.GetExperimentCommand,
    ListExperimentTemplates: sdk.ListExperimentTemplatesCommand,
    GetExperimentTemplate: sdk.GetExperimentTemplateCommand,
  } as const;
  const child = childSignal(ctx.signal);
  const self: FisClient = {
    region: src.region,
    requests: 0,
    async send<T>(op: FisOperation, input: object, query?: Record<string, string>): Promise<T> {
      self.requests++;
      const command = new (commands[op] as unknown as new (input: object) => { middlewareStack: SdkFisClient["middlewareStack"] })(input);
      // The pinned SDK's model predates ListExperiments' experimentTemplateId filter: add it to
      // the request before signing, as a newer model would serialise it.
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
        return await pooled.send<T>(command, child.signal);
      } catch (err) {
        throw classifyFisError(err, op, src, ctx, requestTimeout);
      }
    },
    destroy: child.release,
  };
  return self;
}

/** SDK error -> ProbeError; messages name the region, FIS and the operation, never a body. */
export function classifyFisError(err: unknown, op: FisOperation, src: AwsFisSource, ctx: Pick<CheckContext, "signal">, requestTimeout: number): ProbeError {
  const where = src.region;
  return classifyAwsError(err, {
    service: "FIS",
    iam: "fis",
    op,
    where,
    access: src,
    signal: ctx.signal,
    requestTimeout,
    special(name, message) {
      if (name === "ResourceNotFoundException") return new ProbeError("error", `${where}: FIS ${op}: not found (${redact(message).slice(0, 200)})`);
      return undefined;
    },
  });
}
