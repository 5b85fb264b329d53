// The AWS clients of one run (a scan, or one check's run in continuous mode), shared by every AWS
// source and engine (AWS Config, DRS, FIS, S3, STS): one client per service, region, endpoint,
// identity and request settings, one RetryBudget (retry quota and send-rate limiter) per
// service, region, endpoint and identity, and one credential provider per identity. It lives in
// the run's scope (src/engine/scope.ts) and is destroyed with it, so no credentials outlive a run.
// The SDK is imported by the caller's `make` (lazily, on the first read): this module imports none.
// A new AWS source (S3, FIS...) uses it like checks/replication-lag/drs.ts:
//   const load = lazySdk("@aws-sdk/client-fis", () => import("@aws-sdk/client-fis"), (sdk) => sdk); const sdk = await load(who);
//   const pooled = await awsPool(ctx).client({ service: "fis", make: (c) => new sdk.FisClient(c) }, access, timeout);
//   try { await pooled.send(new sdk.ListExperimentsCommand(input), signal) }
//   catch (err) { throw classifyAwsError(err, { service: "AWS FIS", iam: "fis", op, where, access, ... }) }
// with `access` from options built on awsAccessShape() (./options.ts).
import { setMaxListeners } from "node:events";
import type { CheckContext } from "../../engine/types.js";
import { credentialsFor, identityKey, type CredentialProvider } from "./credentials.js";
import type { AwsAccess } from "./options.js";
import { capResponses, MAX_RESPONSE_BYTES, type CappedStack } from "./response-cap.js";
import { RetryBudget } from "./retry-budget.js";
import { raceAbort, SILENT } from "./sdk.js";

/** What the pool needs of an SDK v3 client. */
export interface SdkClient {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
  middlewareStack: {
    remove(name: string): boolean;
    add(middleware: never, options: { step: "initialize"; name: string; priority?: "high" }): void;
  };
}

export interface ClientSpec<C extends SdkClient> {
  /** Service id in the pool's keys ("config", "drs"). */
  service: string;
  /** Builds the client (the caller imported the SDK package lazily). */
  make(config: Record<string, unknown>): C;
  /** "AWS DRS": how the read limit's message names the service (default: `service`). */
  label?: string;
  /**
   * Bytes one response body may have (the SDK's deserializer buffers any size whole); default
   * MAX_RESPONSE_BYTES, `null` for a streaming payload the caller caps itself (S3 GetObject).
   */
  maxResponseBytes?: number | null;
}

export { MAX_RESPONSE_BYTES } from "./response-cap.js";

export interface PooledClient<C extends SdkClient> {
  readonly client: C;
  readonly budget: RetryBudget;
  readonly requestTimeout: number;
  /** Sends with the caller's signal; cancellation is immediate (the SDK notices aborts between attempts only). */
  send<T>(command: unknown, signal: AbortSignal): Promise<T>;
}

/** Default per-request timeout: half the check's, so one stuck connection still leaves time to retry. */
export function defaultRequestTimeout(checkTimeoutMs: number): number {
  return Math.max(1000, Math.floor(checkTimeoutMs / 2));
}

const POOL = Symbol("aws-pool");

/** The pool of the run `ctx` belongs to. */
export function awsPool(ctx: Pick<CheckContext, "scope">): AwsPool {
  return ctx.scope.shared(POOL, () => new AwsPool(), (p) => p.destroy());
}

export class AwsPool {
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly clients = new Map<string, Promise<PooledClient<SdkClient>>>();
  private readonly credentials = new Map<string, Promise<CredentialProvider | undefined>>();
  private destroyed = false;

  /** Clients made so far (tests: sharing is observable). */
  get size(): number {
    return this.clients.size;
  }

  /** The shared client for `access` (region override: an aggregator's region). */
  client<C extends SdkClient>(spec: ClientSpec<C>, access: AwsAccess, requestTimeout: number, region: string = access.region): Promise<PooledClient<C>> {
    if (this.destroyed) return Promise.reject(new Error("AWS client pool already destroyed"));
    const identity = identityKey(access);
    const budgetKey = [spec.service, region, access.endpoint ?? "", identity].join("|");
    const key = `${budgetKey}|${access.maxAttempts}|${requestTimeout}`;
    let hit = this.clients.get(key);
    if (!hit) {
      hit = this.make(spec, access, requestTimeout, region, budgetKey, identity);
      // A failed construction (credentials provider not installed) is not kept.
      hit.catch(() => this.clients.delete(key));
      this.clients.set(key, hit);
    }
    return hit as Promise<PooledClient<C>>;
  }

  budget(key: string): RetryBudget {
    let b = this.budgets.get(key);
    if (!b) this.budgets.set(key, (b = new RetryBudget()));
    return b;
  }

  destroy(): void {
    this.destroyed = true;
    for (const c of this.clients.values()) c.then((p) => p.client.destroy(), () => {});
    this.clients.clear();
    this.credentials.clear();
    this.budgets.clear();
  }

  private async make<C extends SdkClient>(spec: ClientSpec<C>, access: AwsAccess, requestTimeout: number, region: string, budgetKey: string, identity: string): Promise<PooledClient<C>> {
    // Checks never print: the SDK's Node-version notice would go to stderr on every scan.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const requestHandler = {
      requestTimeout,
      connectionTimeout: Math.min(requestTimeout, 5000),
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: 64 },
      httpsAgent: { keepAlive: true, maxSockets: 64 },
      logger: SILENT,
    };
    let creds = this.credentials.get(identity);
    if (!creds) {
      // STS (assume-role) retries from the budget of its own endpoint and base identity.
      const sts = this.budget(["sts", access.region, access.stsEndpoint ?? "", identityKey({ profile: access.profile })].join("|"));
      creds = credentialsFor(access, requestHandler, sts.strategy(access.maxAttempts));
      creds.catch(() => this.credentials.delete(identity));
      this.credentials.set(identity, creds);
    }
    const credentials = await creds;
    const budget = this.budget(budgetKey);
    const client = spec.make({
      region,
      ...(access.endpoint ? { endpoint: access.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: access.maxAttempts,
      retryStrategy: budget.strategy(access.maxAttempts),
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
    // The retry strategy learns each request's operation from its scope (partition_id is the SDK's
    // retry-token scope and nothing else): the budget tells congestion from refusal per operation.
    const scopeMiddleware = (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => {
      context.partition_id = String(context.commandName ?? "");
      return next(args);
    };
    client.middlewareStack.add(scopeMiddleware as never, { step: "initialize", name: "standbyRetryScope", priority: "high" });
    if (this.destroyed) client.destroy();
    // S3's GetObject body is a stream its caller reads and caps itself (Terraform states: 256 MiB).
    const limit = spec.maxResponseBytes !== undefined ? spec.maxResponseBytes : MAX_RESPONSE_BYTES;
    const label = `${region}: ${spec.label ?? spec.service}`;
    return {
      client,
      budget,
      requestTimeout,
      async send<T>(command: unknown, signal: AbortSignal): Promise<T> {
        // A controller per request: older SDKs set `abortSignal.onabort`, one request per signal.
        const one = new AbortController();
        const onAbort = () => one.abort(signal.reason);
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
        const op = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
        const cap = limit === null ? null : capResponses((command as { middlewareStack?: CappedStack }).middlewareStack, limit, `${label} ${op} response`);
        try {
          return (await raceAbort(client.send(command as never, { abortSignal: one.signal }), signal)) as T;
        } catch (err) {
          throw cap?.exceeded ?? err;
        } finally {
          signal.removeEventListener("abort", onAbort);
        }
      },
    };
  }
}

/** A child of the check's signal, so many parallel requests do not pile listeners onto the check's own. */
export function childSignal(signal: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  setMaxListeners(1000, controller.signal);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return { signal: controller.signal, release: () => signal.removeEventListener("abort", onAbort) };
}
