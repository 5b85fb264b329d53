// The AWS Config client of one side, shared by every check that reads AWS Config (config-drift,
// aws-credentials). The SDK client comes from the run's AWS pool (src/probes/aws/pool.ts: one per
// region, endpoint and identity, one retry budget for all the run's checks), imported here lazily
// on the first read: `standby --version` and file/URL scans never load @aws-sdk or @smithy. Every
// call gets the check's abort signal (through a per-side child signal, so many parallel requests
// do not pile listeners onto the check's own) and a per-request timeout. Every failure becomes a
// ProbeError: never a pass.
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { redact } from "../../core/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { ProbeError } from "../errors.js";
import { classifyAwsError as classifyAws } from "../aws/errors.js";
import { awsPool, childSignal, defaultRequestTimeout, type ClientSpec } from "../aws/pool.js";
import { lazySdk } from "../aws/sdk.js";
import type { AwsConnection } from "./options.js";

export { defaultRequestTimeout } from "../aws/pool.js";

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
  /** Stops listening to the check's signal (the SDK client is the pool's, destroyed with the run). */
  destroy(): void;
}

type Sdk = typeof import("@aws-sdk/client-config-service");
const load = lazySdk("@aws-sdk/client-config-service", () => import("@aws-sdk/client-config-service"), (sdk): { sdk: Sdk; spec: ClientSpec<ConfigServiceClient> } => ({
  sdk,
  spec: { service: "config", label: "AWS Config", make: (config: object) => new sdk.ConfigServiceClient(config) },
}));

export async function makeClient(src: AwsConnection, side: Side, ctx: CheckContext): Promise<AwsSideClient> {
  const { sdk, spec } = await load(side);
  const requestTimeout = src.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const aggregatorRegion = typeof src.aggregator === "object" ? src.aggregator.region : undefined;
  const pooled = await awsPool(ctx).client(spec, src, requestTimeout, aggregatorRegion ?? src.region);
  const commands = {
    BatchGetResourceConfig: sdk.BatchGetResourceConfigCommand,
    SelectResourceConfig: sdk.SelectResourceConfigCommand,
    SelectAggregateResourceConfig: sdk.SelectAggregateResourceConfigCommand,
    DescribeConfigurationRecorderStatus: sdk.DescribeConfigurationRecorderStatusCommand,
  } as const;
  const child = childSignal(ctx.signal);

  const self: AwsSideClient = {
    side,
    region: src.region,
    requests: 0,
    signal: child.signal,
    async send<T>(op: Operation, input: object): Promise<T> {
      self.requests++;
      const Command = commands[op] as unknown as new (input: object) => unknown;
      try {
        return await pooled.send<T>(new Command(input), child.signal);
      } catch (err) {
        throw classifyAwsError(err, op, side, src, ctx, requestTimeout);
      }
    },
    destroy: child.release,
  };
  return self;
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
  const where = `${side} (${src.region})`;
  return classifyAws(err, {
    service: "AWS Config",
    iam: "config",
    op,
    where,
    access: src,
    signal: ctx.signal,
    requestTimeout,
    special(name, message) {
      if (name === "NoAvailableConfigurationRecorderException") {
        return new ProbeError("error", `${where}: AWS Config is not recording in ${src.region} (no configuration recorder), so there is no configuration to compare`);
      }
      if (name === "NoSuchConfigurationAggregatorException") return new ProbeError("error", `${where}: configuration aggregator not found`);
      if (name === "InvalidExpressionException" || name === "InvalidLimitException") {
        return new ProbeError("error", `${where}: AWS Config rejected ${op} (${name}): ${redact(message).slice(0, 300)}`);
      }
      return undefined;
    },
  });
}
