// A local AWS Elastic Disaster Recovery endpoint for tests: node:http on 127.0.0.1 speaking the
// REST-JSON protocol @aws-sdk/client-drs uses (POST /DescribeSourceServers with a JSON body
// { filters: { sourceServerIDs }, maxResults, nextToken }, answered { items, nextToken }; errors
// as an HTTP status with `x-amzn-ErrorType: <Name>:<namespace>` and a { message, code } body;
// ThrottlingException is 429 with Retry-After). Requests are routed to a region by their SigV4
// credential scope. Source servers are stored per region; faults are injected per operation and
// region, a number of times or every n-th request.
import type { IncomingMessage, ServerResponse } from "node:http";
import { FaultList, holdAnswer, LoopbackServer, readSigned, streamHuge, type WireFault } from "./aws-wire.js";

/** A source server as DescribeSourceServers returns it (the fields the check reads, and a few more). */
export interface DrsSourceServer {
  sourceServerID: string;
  arn: string;
  tags?: Record<string, string>;
  lastLaunchResult?: "NOT_STARTED" | "PENDING" | "SUCCEEDED" | "FAILED";
  dataReplicationInfo?: {
    lagDuration?: string;
    etaDateTime?: string;
    dataReplicationState?: string;
    replicatedDisks?: Array<{ deviceName?: string; totalStorageBytes?: number; replicatedStorageBytes?: number; rescannedStorageBytes?: number; backloggedStorageBytes?: number }>;
    dataReplicationError?: { error?: string; rawError?: string };
    stagingAvailabilityZone?: string;
  };
  lifeCycle?: {
    addedToServiceDateTime?: string;
    firstByteDateTime?: string;
    elapsedReplicationDuration?: string;
    lastSeenByServiceDateTime?: string;
    lastLaunch?: { initiated?: { apiCallDateTime?: string; jobID?: string; type?: "DRILL" | "RECOVERY" }; status?: string };
  };
  sourceProperties?: { identificationHints?: { hostname?: string; fqdn?: string; awsInstanceID?: string } };
  replicationDirection?: "FAILOVER" | "FAILBACK";
  [extra: string]: unknown;
}

export type DrsFaultKind = "throttle" | "accessDenied" | "500" | "uninitialized" | "badJson" | "slow" | "raw" | "huge";

export interface DrsFault extends WireFault<DrsFaultKind> {
  /** slow: answer after this many ms. */
  delayMs?: number;
  /** raw: answer 200 with this body (a malformed answer). */
  body?: string;
  /** huge: about this many bytes of a valid page, streamed. */
  bytes?: number;
}

export interface DrsRequest {
  op: string;
  region: string;
  accessKeyId: string;
  body: Record<string, unknown>;
}

const NAMESPACE = "http://internal.amazon.com/coral/com.amazonaws.drs/";

export class DrsServer extends LoopbackServer {
  readonly requests: DrsRequest[] = [];
  /** Servers returned per page when the request asks for more (AWS pages as it likes). */
  pageSize = 100;
  private readonly regions = new Map<string, DrsSourceServer[]>();
  private readonly faults = new FaultList<DrsFault>();

  reset(): void {
    this.regions.clear();
    this.faults.clear();
    this.requests.length = 0;
    this.pageSize = 100;
  }

  put(region: string, ...servers: DrsSourceServer[]): this {
    const list = this.regions.get(region) ?? [];
    for (const s of servers) {
      const at = list.findIndex((x) => x.sourceServerID === s.sourceServerID);
      if (at >= 0) list[at] = s;
      else list.push(s);
    }
    this.regions.set(region, list);
    return this;
  }

  inject(fault: DrsFault): this {
    this.faults.add(fault);
    return this;
  }

  count(op: string, region?: string): number {
    return this.requests.filter((r) => r.op === op && (region === undefined || r.region === region)).length;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { text, authorization: auth, accessKeyId, region, service } = await readSigned(req);
    const op = (req.url ?? "/").split("?")[0]!.replace(/^\//, "");
    let body: Record<string, unknown> = {};
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return this.error(res, 400, "ValidationException", "Invalid JSON in request body");
      }
    }
    this.requests.push({ op, region, accessKeyId, body });
    const slow = this.faults.take(op, region, ["slow"]);
    if (slow && (await holdAnswer(res, slow.delayMs ?? 5000))) return;
    if (!auth.startsWith("AWS4-HMAC-SHA256") || service !== "drs") return this.error(res, 403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    if (req.method !== "POST" || !String(req.headers["content-type"] ?? "").startsWith("application/json")) return this.error(res, 400, "ValidationException", "expected POST application/json");

    const fault = this.faults.take(op, region, ["throttle", "500", "accessDenied", "uninitialized", "badJson", "raw", "huge"]);
    if (fault?.kind === "throttle") return this.error(res, 429, "ThrottlingException", "Rate exceeded", { "retry-after": "0" });
    if (fault?.kind === "500") return this.error(res, 500, "InternalServerException", "An internal error occurred");
    if (fault?.kind === "accessDenied") {
      return this.error(res, 403, "AccessDeniedException", `User: arn:aws:iam::111111111111:user/standby-ci is not authorized to perform: drs:${op} on resource: *`);
    }
    if (fault?.kind === "uninitialized") return this.error(res, 400, "UninitializedAccountException", "Account not initialized");
    if (fault?.kind === "badJson") return this.raw(res, "{not json");
    if (fault?.kind === "raw") return this.raw(res, fault.body ?? "");
    if (fault?.kind === "huge") return streamHuge(res, "application/json", "{\"items\":[", JSON.stringify(sourceServer(1, region, { hostname: "x".repeat(400) })), "]}", fault.bytes ?? 32 * 1024 * 1024);

    if (op === "DescribeSourceServers") return this.describeSourceServers(res, region, body);
    return this.error(res, 404, "UnknownOperationException", `unknown operation ${op}`);
  }

  private describeSourceServers(res: ServerResponse, region: string, body: Record<string, unknown>): void {
    const filters = (body.filters ?? {}) as { sourceServerIDs?: unknown };
    const ids = filters.sourceServerIDs;
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > 200 || ids.some((id) => typeof id !== "string" || !/^s-[0-9a-zA-Z]{17}$/.test(id)))) {
      return this.error(res, 400, "ValidationException", "filters.sourceServerIDs: each must match ^s-[0-9a-zA-Z]{17}$ (at most 200)");
    }
    const max = body.maxResults === undefined ? 1000 : Number(body.maxResults);
    if (!Number.isInteger(max) || max < 1 || max > 1000) return this.error(res, 400, "ValidationException", "maxResults must be between 1 and 1000");
    const all = (this.regions.get(region) ?? []).filter((s) => !ids || (ids as string[]).includes(s.sourceServerID));
    const offset = body.nextToken === undefined ? 0 : Number(Buffer.from(String(body.nextToken), "base64url").toString("utf8").replace(/^page:/, ""));
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length) return this.error(res, 400, "ValidationException", "Invalid nextToken");
    const limit = Math.min(max, this.pageSize);
    const out: Record<string, unknown> = { items: all.slice(offset, offset + limit) };
    if (offset + limit < all.length) out.nextToken = Buffer.from(`page:${offset + limit}`).toString("base64url");
    const text = JSON.stringify(out);
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "req-ok", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private raw(res: ServerResponse, text: string): void {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    const text = JSON.stringify({ message, code: type });
    res.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-errortype": `${type}:${NAMESPACE}`,
      "x-amzn-requestid": "req-err",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}

/** A source server id as DRS makes them: s- and 17 characters. */
export const serverId = (n: number): string => `s-${String(n).padStart(17, "0")}`;

/** A healthy source server (CONTINUOUS, lag PT0S, one 100 GiB disk replicated) with overrides. */
export function sourceServer(n: number, region: string, over: { state?: string; lag?: string | null; backlog?: number; replicated?: number; total?: number; tags?: Record<string, string>; lastLaunch?: NonNullable<NonNullable<DrsSourceServer["lifeCycle"]>["lastLaunch"]>; lastLaunchResult?: DrsSourceServer["lastLaunchResult"]; hostname?: string } = {}): DrsSourceServer {
  const id = serverId(n);
  const total = over.total ?? 100 * 2 ** 30;
  const info: NonNullable<DrsSourceServer["dataReplicationInfo"]> = {
    dataReplicationState: over.state ?? "CONTINUOUS",
    replicatedDisks: [{ deviceName: "/dev/nvme0n1", totalStorageBytes: total, replicatedStorageBytes: over.replicated ?? total, rescannedStorageBytes: 0, backloggedStorageBytes: over.backlog ?? 0 }],
    stagingAvailabilityZone: `${region}a`,
  };
  if (over.lag !== null) info.lagDuration = over.lag ?? "PT0S";
  const server: DrsSourceServer = {
    sourceServerID: id,
    arn: `arn:aws:drs:${region}:111111111111:source-server/${id}`,
    tags: over.tags ?? { app: "orders" },
    dataReplicationInfo: info,
    lifeCycle: {
      addedToServiceDateTime: "2026-11-01T10:00:00+00:00",
      firstByteDateTime: "2026-11-01T10:05:00+00:00",
      elapsedReplicationDuration: "P32D",
      lastSeenByServiceDateTime: "2026-12-03T06:59:00+00:00",
      ...(over.lastLaunch ? { lastLaunch: over.lastLaunch } : {}),
    },
    sourceProperties: { identificationHints: { hostname: over.hostname ?? `orders-db-${n}` } },
    replicationDirection: "FAILOVER",
  };
  if (over.lastLaunchResult) server.lastLaunchResult = over.lastLaunchResult;
  return server;
}
