// Reads one side's configuration items as a stream of batches: explicit ids through
// BatchGetResourceConfig (100 keys per request, `concurrency` requests in flight, unprocessed keys
// retried with bounded backoff), or a query through SelectResourceConfig /
// SelectAggregateResourceConfig following NextToken. Each batch is handed to the caller as soon as
// it has arrived, on a later turn of the event loop: the next request is already on the wire while
// the caller parses, pairs and judges the previous batch, so CPU work overlaps network waits and
// only the batches not yet consumed are held in memory.
import type { CheckContext } from "../../engine/types.js";
import { abortedError, ProbeError } from "../errors.js";
import { type AwsSideClient, makeClient, type Side } from "./client.js";
import { type ConfigItem, prepareItem } from "./items.js";
import { type AwsConnection, QUOTE_IN_QUERY, selectionIds, type Selection } from "./options.js";

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

/**
 * Items that arrived together, in slices of at most SLICE items (one slice per event-loop turn,
 * so a response that arrives meanwhile is not kept waiting behind a whole batch of work).
 */
export interface ItemBatch {
  /** Index of the selection (in the list given to readSide) these items answer. */
  selection: number;
  items: ConfigItem[];
  /**
   * Explicit ids, on the last slice of a request only: every id the request settled. Ids among
   * earlier slices' items are settled by those items; the others are unknown to AWS Config.
   */
  ids?: readonly string[];
}

/** Items handed over per event-loop turn. */
export const SLICE = 25;

export interface SideRead {
  side: Side;
  region: string;
  /** Requests sent (logical calls, not SDK attempts). */
  requests: number;
  /** Items delivered, per selection. */
  items: number[];
  recorder: RecorderState;
}

/**
 * Reads `selections` from one side's AWS Config and calls `onBatch` for every batch, in arrival
 * order, never re-entrantly. Resolves once every batch has been consumed; rejects with a ProbeError
 * when the side cannot be read (or with what `onBatch` threw). A recorder that is not recording
 * wins over everything else: its items may be stale, whatever was delivered must not be trusted.
 */
export async function readSide(
  conn: AwsConnection,
  selections: readonly Selection[],
  side: Side,
  ctx: CheckContext,
  onBatch: (batch: ItemBatch) => void,
): Promise<SideRead> {
  const client = await makeClient(conn, side, ctx);
  const counts = selections.map(() => 0);
  const out = new Deliverer(side, conn.region, (b) => {
    counts[b.selection]! += b.items.length;
    onBatch(b);
  });
  try {
    const recorderP = conn.checkRecorder && !conn.aggregator ? recorderState(client) : Promise.resolve<RecorderState>({ checked: false });
    // Do not leave a rejection unobserved while the items are read.
    recorderP.catch(() => {});
    const reads = await Promise.allSettled(selections.map((sel, i) => readSelection(client, conn, sel, i, ctx, out)));
    const failed = reads.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    let itemsError: unknown = failed?.reason;
    if (itemsError === undefined) {
      try {
        await out.flush();
      } catch (err) {
        itemsError = err;
      }
    } else out.stop();
    const recorder = await recorderP;
    if (recorder.checked && recorder.recording === false) {
      const detail =
        recorder.recorders && recorder.recorders.length > 0
          ? recorder.recorders.map((r) => `${r.name}: recording false${r.lastStatus ? `, last status ${r.lastStatus}` : ""}`).join("; ")
          : "no configuration recorder";
      throw new ProbeError("error", `${side} (${conn.region}): AWS Config is not recording in ${conn.region} (${detail}); its configuration items may be stale or missing`);
    }
    if (itemsError !== undefined) throw itemsError;
    return { side, region: conn.region, requests: client.requests, items: counts, recorder };
  } finally {
    out.stop();
    client.destroy();
  }
}

type RawItem = Record<string, unknown>;
/** An item as decoded by the SDK, or an advanced-query row still as its JSON text. */
type Raw = RawItem | string;

/**
 * Hands batches to the consumer in slices, one per event-loop turn (setImmediate), after the
 * reader has sent its next request. Parsing (advanced-query rows, `configuration` strings) runs
 * here too: it is consumer-side CPU, kept off the path between a response and the next request.
 */
class Deliverer {
  private readonly queue: Array<{ selection: number; raw: Raw[]; at: number; ids?: readonly string[] }> = [];
  private scheduled = false;
  private stopped = false;
  private error: unknown = undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  constructor(
    private readonly side: Side,
    private readonly region: string,
    private readonly consume: (b: ItemBatch) => void,
  ) {}

  /** Queues a request's items; throws what the consumer threw, so the reader stops early. */
  push(selection: number, raw: Raw[], ids?: readonly string[]): void {
    if (this.error !== undefined) throw this.error;
    if (this.stopped) return;
    this.queue.push(ids ? { selection, raw, at: 0, ids } : { selection, raw, at: 0 });
    this.schedule();
  }

  /** Resolves when every pushed batch was consumed; rejects with the first consumer error. */
  flush(): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const next = this.queue[0];
    if (next && !this.stopped && this.error === undefined) {
      const end = Math.min(next.raw.length, next.at + SLICE);
      const last = end === next.raw.length;
      try {
        const items: ConfigItem[] = new Array(end - next.at);
        for (let i = next.at; i < end; i++) {
          items[i - next.at] = prepareItem(this.parse(next.raw[i]!), this.side);
          next.raw[i] = ""; // let the decoded item go as soon as the consumer does
        }
        next.at = end;
        if (last) this.queue.shift();
        this.consume(last && next.ids ? { selection: next.selection, items, ids: next.ids } : { selection: next.selection, items });
      } catch (err) {
        this.error = err;
        this.queue.length = 0;
      }
    }
    if (this.queue.length > 0) return this.schedule();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.error !== undefined) w.reject(this.error);
      else w.resolve();
    }
  }

  private parse(raw: Raw): RawItem {
    if (typeof raw !== "string") return raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw) as unknown;
    } catch {
      throw new ProbeError("invalid-response", `${this.side} (${this.region}): an advanced-query result is not valid JSON`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ProbeError("invalid-response", `${this.side} (${this.region}): an advanced-query result is not an object`);
    }
    return parsed as RawItem;
  }
}

async function readSelection(client: AwsSideClient, conn: AwsConnection, sel: Selection, index: number, ctx: CheckContext, out: Deliverer): Promise<void> {
  const ids = selectionIds(sel);
  if (ids === undefined) {
    return selectPages(client, conn, queryExpression(conn, sel), (rows) => out.push(index, rows));
  }
  if (conn.aggregator) return aggregateByIds(client, conn, sel.resourceType, ids, index, out);
  return batchGet(client, conn, sel.resourceType, ids, index, ctx, out);
}

export async function recorderState(client: AwsSideClient): Promise<RecorderState> {
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

async function batchGet(client: AwsSideClient, conn: AwsConnection, resourceType: string, ids: string[], index: number, ctx: CheckContext, out: Deliverer): Promise<void> {
  const unique = [...new Set(ids)];
  await mapLimit(chunksOf(unique, BATCH_KEYS), conn.concurrency, async (chunk) => {
    const items = await batchGetChunk(client, chunk.map((resourceId) => ({ resourceType, resourceId })), ctx);
    out.push(index, items, chunk);
  });
}

async function batchGetChunk(client: AwsSideClient, keys: ResourceKey[], ctx: CheckContext): Promise<RawItem[]> {
  let items: RawItem[] | undefined;
  let pending = keys;
  for (let round = 0; ; round++) {
    const res = await client.send<{ baseConfigurationItems?: RawItem[]; unprocessedResourceKeys?: ResourceKey[] }>("BatchGetResourceConfig", { resourceKeys: pending });
    const got = res.baseConfigurationItems ?? [];
    if (items === undefined) items = got;
    else for (const item of got) items.push(item);
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

/**
 * A '...' literal of an advanced query. AWS Config's query language documents no escape for a quote
 * inside a literal, so no value with one may get here: the options schema (options.ts) refuses them
 * at load, with the file position (resourceType, region and accountId by their patterns; tag key
 * and value, and explicit ids read through an aggregator, explicitly). This throw only guards
 * callers that build a Selection in code: never strip or rewrite the value, that would silently
 * query for something else.
 */
function literal(value: string, what: string): string {
  if (value.includes("'")) throw new ProbeError("error", `${what} ${JSON.stringify(value)} contains a single quote: ${QUOTE_IN_QUERY}`);
  return `'${value}'`;
}

/** `SELECT ... WHERE resourceType = '...' [AND tags.tag = 'k=v'] [AND (where)]` */
export function queryExpression(conn: Pick<AwsConnection, "aggregator" | "region" | "accountId">, sel: Selection): string {
  const where = [`resourceType = ${literal(sel.resourceType, "resource type")}`];
  if (sel.query?.tag) where.push(`tags.tag = ${literal(`${sel.query.tag.key}=${sel.query.tag.value}`, "tag")}`);
  // `where` is the user's own condition, quotes and all: used as written.
  if (sel.query?.where) where.push(`(${sel.query.where})`);
  where.push(...aggregateFilters(conn));
  return `SELECT ${SELECT_FIELDS} WHERE ${where.join(" AND ")}`;
}

function aggregateFilters(conn: Pick<AwsConnection, "aggregator" | "region" | "accountId">): string[] {
  if (!conn.aggregator) return [];
  const out = [`(awsRegion = ${literal(conn.region, "region")} OR awsRegion = 'global')`];
  if (conn.accountId) out.push(`accountId = ${literal(conn.accountId, "account id")}`);
  return out;
}

async function aggregateByIds(client: AwsSideClient, conn: AwsConnection, resourceType: string, ids: string[], index: number, out: Deliverer): Promise<void> {
  const unique = [...new Set(ids)];
  await mapLimit(chunksOf(unique, AGGREGATE_IDS_PER_QUERY), conn.concurrency, async (chunk) => {
    // An id with a quote is refused at load (options.ts): stripping it would read another resource.
    const list = chunk.map((id) => literal(id, "resource id")).join(", ");
    const expr = `SELECT ${SELECT_FIELDS} WHERE resourceType = ${literal(resourceType, "resource type")} AND resourceId IN (${list}) AND ${aggregateFilters(conn).join(" AND ")}`;
    const rows: string[] = [];
    await selectPages(client, conn, expr, (page) => {
      for (const r of page) rows.push(r);
    });
    // The chunk's ids are settled only once all its pages are in.
    out.push(index, rows, chunk);
  });
}

/** Follows NextToken; each page's rows (advanced-query results: JSON text, parsed by the consumer) go to onPage. */
async function selectPages(client: AwsSideClient, conn: Pick<AwsConnection, "aggregator">, expression: string, onPage: (rows: string[]) => void): Promise<void> {
  const aggregator = typeof conn.aggregator === "string" ? conn.aggregator : conn.aggregator?.name;
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const input: Record<string, unknown> = { Expression: expression, Limit: PAGE_LIMIT };
    if (aggregator) input.ConfigurationAggregatorName = aggregator;
    if (token) input.NextToken = token;
    const res = await client.send<{ Results?: string[]; NextToken?: string }>(aggregator ? "SelectAggregateResourceConfig" : "SelectResourceConfig", input);
    const next = res.NextToken || undefined;
    if (next && seen.has(next)) throw new ProbeError("invalid-response", `${client.side} (${client.region}): AWS Config repeated a NextToken`);
    if (next) seen.add(next);
    token = next;
    // Only queued: the next page is requested before this one is parsed and consumed.
    onPage(res.Results ?? []);
    if (!token) return;
  }
}

/** `list` in consecutive slices of at most `size`. */
export function chunksOf<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
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
  return abortedError(ctx.signal, "reading AWS Config did not finish within the check's timeout", "reading AWS Config was cancelled");
}
