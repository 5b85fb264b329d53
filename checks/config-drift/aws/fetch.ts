// Reads one side's configuration items: explicit ids through BatchGetResourceConfig (100 keys per
// request, `concurrency` requests in flight, unprocessed keys retried with bounded backoff), or a
// query through SelectResourceConfig / SelectAggregateResourceConfig following NextToken.
import type { CheckContext } from "../../../src/engine/types.js";
import { ProbeError } from "../../../src/probes/errors.js";
import type { Side } from "../sources.js";
import { type AwsSideClient, makeClient } from "./client.js";
import { type ConfigItem, prepareItem } from "./items.js";
import type { AwsConfigSource } from "./schema.js";

/** BatchGetResourceConfig accepts at most 100 keys; advanced queries return at most 100 rows a page. */
export const BATCH_KEYS = 100;
export const PAGE_LIMIT = 100;
/** Ids per `resourceId IN (...)` when explicit ids go through an aggregator (expressions are <= 4096 chars). */
const AGGREGATE_IDS_PER_QUERY = 40;
/** Rounds of retrying unprocessedResourceKeys, and the first backoff (doubling, with jitter). */
export const UNPROCESSED_ROUNDS = 5;
const UNPROCESSED_BACKOFF_MS = 50;

const SELECT_FIELDS = [
  "resourceId",
  "resourceName",
  "resourceType",
  "awsRegion",
  "accountId",
  "arn",
  "availabilityZone",
  "resourceCreationTime",
  "configurationItemCaptureTime",
  "configurationItemStatus",
  "configurationStateId",
  "configuration",
  "supplementaryConfiguration",
  "tags",
].join(", ");

export interface RecorderState {
  checked: boolean;
  recording?: boolean;
  recorders?: Array<{ name: string; recording: boolean; lastStatus?: string }>;
  note?: string;
}

export interface SideItems {
  side: Side;
  region: string;
  items: ConfigItem[];
  /** Explicit mode: the ids asked for, in order (pairing is by position). */
  ids?: string[];
  requests: number;
  recorder: RecorderState;
}

export async function fetchSide(src: AwsConfigSource, side: Side, ctx: CheckContext): Promise<SideItems> {
  const client = await makeClient(src, side, ctx);
  try {
    const recorderP = src.checkRecorder && !src.aggregator ? recorderState(client) : Promise.resolve<RecorderState>({ checked: false });
    // Do not leave a rejection unobserved while the items are read.
    recorderP.catch(() => {});
    const ids = src.resourceId === undefined ? undefined : Array.isArray(src.resourceId) ? src.resourceId : [src.resourceId];
    let raw: Array<Record<string, unknown>>;
    let itemsError: unknown;
    try {
      raw = ids === undefined ? await selectAll(client, src, queryExpression(src)) : src.aggregator ? await aggregateByIds(client, src, ids) : await batchGet(client, src, ids, ctx);
    } catch (err) {
      raw = [];
      itemsError = err;
    }
    // A stopped recorder explains everything else (and makes any items it returned stale).
    const recorder = await recorderP;
    if (recorder.checked && recorder.recording === false) {
      const detail = recorder.recorders && recorder.recorders.length > 0 ? recorder.recorders.map((r) => `${r.name}: recording false${r.lastStatus ? `, last status ${r.lastStatus}` : ""}`).join("; ") : "no configuration recorder";
      throw new ProbeError("error", `${side} (${src.region}): AWS Config is not recording in ${src.region} (${detail}); its configuration items may be stale or missing`);
    }
    if (itemsError !== undefined) throw itemsError;
    const items = raw.map((r) => prepareItem(r, `${side} ${String(r.resourceType ?? src.resourceType)} ${String(r.resourceId ?? "?")}`));
    const out: SideItems = { side, region: src.region, items, requests: client.requests, recorder };
    if (ids) out.ids = ids;
    return out;
  } finally {
    client.destroy();
  }
}

async function recorderState(client: AwsSideClient): Promise<RecorderState> {
  try {
    const res = await client.send<{ ConfigurationRecordersStatus?: Array<{ name?: string; recording?: boolean; lastStatus?: string }> }>(
      "DescribeConfigurationRecorderStatus",
      {},
    );
    const recorders = (res.ConfigurationRecordersStatus ?? []).map((r) => {
      const o: { name: string; recording: boolean; lastStatus?: string } = { name: r.name ?? "default", recording: r.recording === true };
      if (r.lastStatus) o.lastStatus = r.lastStatus;
      return o;
    });
    return { checked: true, recording: recorders.some((r) => r.recording), recorders };
  } catch (err) {
    // Reading the items is what matters; not being allowed to ask about the recorder is a note.
    if (err instanceof ProbeError && err.reason === "not-authorized") {
      return { checked: false, note: "not allowed to call config:DescribeConfigurationRecorderStatus; recorder state not verified" };
    }
    throw err;
  }
}

interface ResourceKey {
  resourceType: string;
  resourceId: string;
}

async function batchGet(client: AwsSideClient, src: AwsConfigSource, ids: string[], ctx: CheckContext): Promise<Array<Record<string, unknown>>> {
  const unique = [...new Set(ids)];
  const chunks: ResourceKey[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_KEYS) {
    chunks.push(unique.slice(i, i + BATCH_KEYS).map((resourceId) => ({ resourceType: src.resourceType, resourceId })));
  }
  const results: Array<Array<Record<string, unknown>>> = new Array(chunks.length);
  await mapLimit(chunks, src.concurrency, async (keys, i) => {
    results[i] = await batchGetChunk(client, keys, ctx);
  });
  return results.flat();
}

async function batchGetChunk(client: AwsSideClient, keys: ResourceKey[], ctx: CheckContext): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let pending = keys;
  for (let round = 0; ; round++) {
    const res = await client.send<{ baseConfigurationItems?: Array<Record<string, unknown>>; unprocessedResourceKeys?: ResourceKey[] }>(
      "BatchGetResourceConfig",
      { resourceKeys: pending },
    );
    for (const item of res.baseConfigurationItems ?? []) items.push(item);
    const left = res.unprocessedResourceKeys ?? [];
    if (left.length === 0) return items;
    if (round + 1 >= UNPROCESSED_ROUNDS) {
      throw new ProbeError(
        "error",
        `${client.side} (${client.region}): AWS Config left ${left.length} resource key${left.length === 1 ? "" : "s"} unprocessed after ${UNPROCESSED_ROUNDS} BatchGetResourceConfig attempts`,
      );
    }
    pending = left;
    const base = UNPROCESSED_BACKOFF_MS * 2 ** round;
    await sleep(base / 2 + Math.random() * base, client.signal, ctx);
  }
}

/** `SELECT ... WHERE resourceType = '...' [AND tags.tag = 'k=v'] [AND (where)]` */
export function queryExpression(src: AwsConfigSource): string {
  const where = [`resourceType = '${src.resourceType}'`];
  if (src.query?.tag) where.push(`tags.tag = '${src.query.tag.key}=${src.query.tag.value}'`);
  if (src.query?.where) where.push(`(${src.query.where})`);
  where.push(...aggregateFilters(src));
  return `SELECT ${SELECT_FIELDS} WHERE ${where.join(" AND ")}`;
}

function aggregateFilters(src: AwsConfigSource): string[] {
  if (!src.aggregator) return [];
  const out = [`(awsRegion = '${src.region}' OR awsRegion = 'global')`];
  if (src.accountId) out.push(`accountId = '${src.accountId}'`);
  return out;
}

async function aggregateByIds(client: AwsSideClient, src: AwsConfigSource, ids: string[]): Promise<Array<Record<string, unknown>>> {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += AGGREGATE_IDS_PER_QUERY) chunks.push(unique.slice(i, i + AGGREGATE_IDS_PER_QUERY));
  const results: Array<Array<Record<string, unknown>>> = new Array(chunks.length);
  await mapLimit(chunks, src.concurrency, async (chunk, i) => {
    const list = chunk.map((id) => `'${id.replace(/'/g, "")}'`).join(", ");
    const expr = `SELECT ${SELECT_FIELDS} WHERE resourceType = '${src.resourceType}' AND resourceId IN (${list}) AND ${aggregateFilters(src).join(" AND ")}`;
    results[i] = await selectAll(client, src, expr);
  });
  return results.flat();
}

async function selectAll(client: AwsSideClient, src: AwsConfigSource, expression: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  const aggregator = typeof src.aggregator === "string" ? src.aggregator : src.aggregator?.name;
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const input: Record<string, unknown> = { Expression: expression, Limit: PAGE_LIMIT };
    if (aggregator) input.ConfigurationAggregatorName = aggregator;
    if (token) input.NextToken = token;
    const res = await client.send<{ Results?: string[]; NextToken?: string }>(aggregator ? "SelectAggregateResourceConfig" : "SelectResourceConfig", input);
    for (const row of res.Results ?? []) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row) as unknown;
      } catch {
        throw new ProbeError("invalid-response", `${client.side} (${client.region}): an advanced-query result is not valid JSON`);
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ProbeError("invalid-response", `${client.side} (${client.region}): an advanced-query result is not an object`);
      }
      items.push(parsed as Record<string, unknown>);
    }
    token = res.NextToken || undefined;
    if (!token) return items;
    if (seen.has(token)) throw new ProbeError("invalid-response", `${client.side} (${client.region}): AWS Config repeated a NextToken`);
    seen.add(token);
  }
}

/** Runs fn over items with at most `limit` in flight; the first failure stops new work and is thrown. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const bad = settled.find((s) => s.status === "rejected");
  if (bad) throw (bad as PromiseRejectedResult).reason;
}

function sleep(ms: number, signal: AbortSignal, ctx: CheckContext): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled(ctx));
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled(ctx));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function cancelled(ctx: CheckContext): ProbeError {
  const timedOut = (ctx.signal.reason as { name?: string } | undefined)?.name === "TimeoutError";
  return timedOut ? new ProbeError("timeout", "reading AWS Config did not finish within the check's timeout") : new ProbeError("error", "reading AWS Config was cancelled");
}
