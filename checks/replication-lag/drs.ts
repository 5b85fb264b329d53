// AWS Elastic Disaster Recovery as a replication engine: DescribeSourceServers (by id, or all of
// the region's filtered by tags, following nextToken) through @aws-sdk/client-drs, imported lazily
// with this module, from the run's AWS pool (src/probes/aws/pool.ts). Each source server's
// dataReplicationInfo is judged: CONTINUOUS is the only healthy state; INITIAL_SYNC, RESCAN,
// BACKLOG and CREATING_SNAPSHOT are judged by their lagDuration and the bytes not yet replicated;
// every other state fails. The last recovery launch (drill or recovery) is evidence. A requested
// id DRS does not return, a tag that matches nothing, a server without a state and an answer of
// the wrong shape are undecided: never a pass by omission.
import { parseIsoDuration } from "../../src/core/iso-duration.js";
import { ProbeError, type CheckContext, type Finding, type Undecided } from "../../src/kit/index.js";
import { classifyAwsError } from "../../src/probes/aws/errors.js";
import type { AwsAccess } from "../../src/probes/aws/options.js";
import { awsPool, childSignal, defaultRequestTimeout } from "../../src/probes/aws/pool.js";
import { lazySdk } from "../../src/probes/aws/sdk.js";
import type { DrsLagEvidence, DrsServerView } from "./evidence.js";
import type { LagReading } from "./measure.js";

export interface DrsOptions extends AwsAccess {
  sourceServerIds?: string[] | undefined;
  tags?: Record<string, string> | undefined;
}

/** States whose lag and bytes are judged against the RPO: replication runs, the copy catches up. */
const CATCHING_UP = new Set(["INITIAL_SYNC", "RESCAN", "BACKLOG", "CREATING_SNAPSHOT"]);
/** States in which the standby's copy is not being kept up: a failure whatever the last lag said. */
const NOT_REPLICATING = new Set(["STALLED", "DISCONNECTED", "PAUSED", "STOPPED", "NOT_STARTED", "INITIATING"]);
/** Ids per DescribeSourceServers filter (the API's limit), servers per page asked for. */
const IDS_PER_REQUEST = 200;
const PAGE_SIZE = 1000;
/** Pages followed before the answer counts as endless. */
const MAX_PAGES = 1000;
/** Source servers listed in all (DRS's quota is 4000 per account and region): more is no real answer. */
export const MAX_SERVERS = 10_000;
/** Characters kept of a text field, tags kept per server (AWS allows 50): evidence stays small. */
const MAX_TEXT = 256;
const MAX_TAGS = 50;

const load = lazySdk("@aws-sdk/client-drs", () => import("@aws-sdk/client-drs"), (sdk) => ({
  sdk,
  spec: { service: "drs", label: "AWS DRS", make: (config: object) => new sdk.DrsClient(config) },
}));

export async function measureDrs(drs: DrsOptions, ctx: CheckContext): Promise<LagReading<DrsLagEvidence>> {
  const where = `standby (${drs.region})`;
  const { sdk, spec } = await load(where);
  const requestTimeout = drs.requestTimeout ?? defaultRequestTimeout(ctx.timeoutMs);
  const pooled = await awsPool(ctx).client(spec, drs, requestTimeout);
  const child = childSignal(ctx.signal);
  let requests = 0;
  const page = async (input: object): Promise<{ items: unknown[]; nextToken?: string }> => {
    requests++;
    let out: unknown;
    try {
      out = await pooled.send(new sdk.DescribeSourceServersCommand(input), child.signal);
    } catch (err) {
      throw classifyAwsError(err, { service: "AWS DRS", iam: "drs", op: "DescribeSourceServers", where, access: drs, signal: ctx.signal, requestTimeout, special: drsError(where) });
    }
    const { items, nextToken } = (out ?? {}) as { items?: unknown; nextToken?: unknown };
    if ((items !== undefined && !Array.isArray(items)) || (nextToken !== undefined && nextToken !== null && typeof nextToken !== "string")) {
      throw new ProbeError("invalid-response", `${where}: AWS DRS DescribeSourceServers answered without a list of source servers`);
    }
    return { items: items ?? [], ...(typeof nextToken === "string" && nextToken ? { nextToken } : {}) };
  };
  try {
    // Each page is reduced to the fields read as it arrives: pages are not kept whole.
    const views: (DrsServerView | null)[] = [];
    const groups = drs.sourceServerIds ? chunks(drs.sourceServerIds, IDS_PER_REQUEST) : [undefined];
    for (const ids of groups) {
      const seen = new Set<string>();
      let token: string | undefined;
      for (let n = 0; ; n++) {
        if (n >= MAX_PAGES) throw new ProbeError("invalid-response", `${where}: AWS DRS DescribeSourceServers kept paging past ${MAX_PAGES} pages`);
        const got = await page({ ...(ids ? { filters: { sourceServerIDs: ids } } : {}), maxResults: PAGE_SIZE, ...(token ? { nextToken: token } : {}) });
        for (const item of got.items) views.push(viewOf(item));
        if (views.length > MAX_SERVERS) throw new ProbeError("invalid-response", `${where}: AWS DRS DescribeSourceServers listed more than ${MAX_SERVERS} source servers`);
        if (!got.nextToken) break;
        if (seen.has(got.nextToken)) throw new ProbeError("invalid-response", `${where}: AWS DRS DescribeSourceServers returned the same nextToken twice (endless pagination)`);
        seen.add(got.nextToken);
        token = got.nextToken;
      }
    }
    return judge(drs, views, requests, where, ctx.now());
  } finally {
    child.release();
  }
}

function drsError(where: string) {
  return (name: string): ProbeError | undefined =>
    name === "UninitializedAccountException"
      ? new ProbeError("error", `${where}: AWS Elastic Disaster Recovery is not initialized in this account and region (UninitializedAccountException)`)
      : undefined;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** A text field as shown: one line (no control characters: a hostname cannot fake a report line), cut short. */
const str = (v: unknown): string | null => {
  if (typeof v !== "string" || v === "") return null;
  // eslint-disable-next-line no-control-regex
  const line = v.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}...` : line;
};
const bytes = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** One source server as the check reads it; null when it is not an object with an id. */
export function viewOf(raw: unknown): DrsServerView | null {
  const s = obj(raw);
  const id = str(s.sourceServerID);
  if (!id) return null;
  const info = obj(s.dataReplicationInfo);
  const life = obj(s.lifeCycle);
  const last = obj(life.lastLaunch);
  const initiated = obj(last.initiated);
  const disks = Array.isArray(info.replicatedDisks) ? info.replicatedDisks.map(obj) : [];
  let total = 0;
  let replicated = 0;
  let backlogged = 0;
  let diskShapeOk = disks.length > 0;
  for (const d of disks) {
    const t = bytes(d.totalStorageBytes);
    const r = bytes(d.replicatedStorageBytes);
    const b = bytes(d.backloggedStorageBytes ?? 0);
    if (t === null || r === null || b === null) diskShapeOk = false;
    total += t ?? 0;
    replicated += r ?? 0;
    backlogged += b ?? 0;
  }
  const error = obj(info.dataReplicationError);
  const tags = obj(s.tags);
  const lagDuration = str(info.lagDuration);
  return {
    sourceServerId: id,
    hostname: str(obj(obj(s.sourceProperties).identificationHints).hostname),
    tags: Object.fromEntries(
      Object.entries(tags)
        .filter((e): e is [string, string] => typeof e[1] === "string" && e[0].length <= 128 && e[1].length <= MAX_TEXT)
        .slice(0, MAX_TAGS),
    ),
    state: str(info.dataReplicationState),
    lagDuration,
    lagMs: parseIsoDuration(lagDuration),
    etaDateTime: str(info.etaDateTime),
    totalStorageBytes: diskShapeOk ? total : null,
    replicatedStorageBytes: diskShapeOk ? replicated : null,
    backloggedStorageBytes: diskShapeOk ? backlogged : null,
    bytesBehind: diskShapeOk ? backlogged + Math.max(0, total - replicated) : null,
    replicationError: str(error.error),
    lastSeenByService: str(life.lastSeenByServiceDateTime),
    replicationDirection: str(s.replicationDirection),
    lastLaunch: {
      result: str(s.lastLaunchResult),
      status: str(last.status),
      type: str(initiated.type),
      jobId: str(initiated.jobID),
      initiatedAt: str(initiated.apiCallDateTime),
    },
  };
}

const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ");

function judge(drs: DrsOptions, views: (DrsServerView | null)[], requests: number, where: string, now: Date): LagReading<DrsLagEvidence> {
  const findings: Finding[] = [];
  const undecided: Undecided[] = [];
  const all: DrsServerView[] = [];
  const ids = new Map<string, string>();
  for (const v of views) {
    if (!v) {
      undecided.push({ reason: "invalid-response", message: `${where}: AWS DRS returned a source server without a sourceServerID` });
      continue;
    }
    // A server listed twice (pages that overlap) counts once; twice with different replication
    // info, the first copy must not decide (a STALLED second copy would go unseen).
    const seen = ids.get(v.sourceServerId);
    const text = JSON.stringify(v);
    if (seen === undefined) {
      all.push(v);
      ids.set(v.sourceServerId, text);
    } else if (seen !== text) {
      undecided.push({ reason: "invalid-response", message: `${where}: AWS DRS listed source server ${v.sourceServerId} twice with different replication info` });
    }
  }
  const wanted = drs.tags;
  const servers = wanted ? all.filter((s) => Object.entries(wanted).every(([k, v]) => s.tags[k] === v)) : all.filter((s) => drs.sourceServerIds!.includes(s.sourceServerId));
  const missing = drs.sourceServerIds ? drs.sourceServerIds.filter((id) => !servers.some((s) => s.sourceServerId === id)) : [];
  for (const id of missing) undecided.push({ reason: "error", message: `${where}: source server ${id} is not in AWS DRS (wrong id, region or account, or deleted)` });
  if (wanted && servers.length === 0) undecided.push({ reason: "error", message: `${where}: no AWS DRS source server carries the tags ${tagText(wanted)}` });

  let worstLag: number | null = null;
  let worstBytes: number | null = null;
  for (const s of servers) {
    const name = s.hostname ? `${s.sourceServerId} (${s.hostname})` : s.sourceServerId;
    const state = s.state;
    const failed = s.replicationError ? ` (${s.replicationError})` : "";
    if (s.lagDuration !== null && s.lagMs === null) {
      undecided.push({ reason: "invalid-response", message: `${where}: ${name}: lagDuration ${JSON.stringify(s.lagDuration.slice(0, 40))} is not an ISO 8601 duration` });
    }
    if (state === null) {
      undecided.push({ reason: "invalid-response", message: `${where}: ${name}: AWS DRS gave no dataReplicationState` });
    } else if (NOT_REPLICATING.has(state)) {
      findings.push({ level: "fail", rule: "replication-state", path: s.sourceServerId, message: `${name}: replication ${state}${failed}: the recovery site's copy is not being kept up to date` });
    } else if (state !== "CONTINUOUS" && !CATCHING_UP.has(state)) {
      undecided.push({ reason: "invalid-response", message: `${where}: ${name}: unrecognised replication state ${JSON.stringify(state.slice(0, 40))}` });
    } else if (s.lagMs === null && s.lagDuration === null && state !== "CONTINUOUS") {
      undecided.push({ reason: "invalid-response", message: `${where}: ${name}: ${state} without a lagDuration: how far behind it is cannot be told` });
    }
    // CONTINUOUS without a lagDuration is DRS's "no lag".
    const lag = s.lagMs ?? (state === "CONTINUOUS" && s.lagDuration === null ? 0 : null);
    if (lag !== null && (worstLag === null || lag > worstLag)) worstLag = lag;
    if (s.bytesBehind !== null && (worstBytes === null || s.bytesBehind > worstBytes)) worstBytes = s.bytesBehind;
    else if (s.bytesBehind === null && state !== null && CATCHING_UP.has(state)) {
      undecided.push({ reason: "invalid-response", message: `${where}: ${name}: ${state} without replicated disks' byte counts` });
    }
    const l = s.lastLaunch;
    if (l.result === "FAILED" || l.status === "FAILED") {
      const at = l.initiatedAt ? `, initiated ${l.initiatedAt}` : "";
      findings.push({ level: "info", rule: "last-launch", path: s.sourceServerId, message: `${name}: the last ${l.type === "RECOVERY" ? "recovery" : "drill"} launch failed${l.jobId ? ` (job ${l.jobId}${at})` : ""}` });
    }
  }
  const states = [...new Set(servers.map((s) => s.state ?? "no state"))].sort();
  const evidence: DrsLagEvidence = {
    region: drs.region,
    selectedBy: drs.tags ? "tags" : "ids",
    ...(drs.tags ? { tags: drs.tags } : { requestedIds: drs.sourceServerIds! }),
    requests,
    servers,
    missingIds: missing,
    states,
    checkedAt: now.toISOString(),
  };
  return {
    lagMs: servers.length === 0 ? null : worstLag,
    basis: worstLag === 0 ? "caught-up" : "drs-lag-duration",
    bytes: worstBytes,
    findings,
    undecided,
    evidence,
  };
}

/** "3 AWS DRS source servers in us-west-2 (BACKLOG, CONTINUOUS)" for the summary. */
export function describeServers(ev: DrsLagEvidence): string {
  const n = ev.servers.length;
  return `${n} AWS DRS source server${n === 1 ? "" : "s"} in ${ev.region} (${ev.states.join(", ")})`;
}
