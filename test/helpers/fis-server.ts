// A local AWS FIS endpoint for tests: node:http on 127.0.0.1 speaking FIS's REST-JSON protocol
// (restJson1, API 2020-12-01) as the real SDK uses it: GET /experiments?experimentTemplateId=&
// maxResults=&nextToken=, GET /experiments/{id}, GET /experimentTemplates, GET
// /experimentTemplates/{id}; timestamps as epoch seconds; errors with the `x-amzn-ErrorType`
// header and a `{ "message" }` body (ValidationException 400, ResourceNotFoundException 404,
// AccessDeniedException 403, ThrottlingException 429). Shapes follow the AWS API model
// (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/fis.json). Each request's region comes from its
// SigV4 credential scope. Faults are injected per operation, a given number of times.
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer, streamHuge } from "./aws-wire.js";

export type FisStatus = "pending" | "initiating" | "running" | "completed" | "stopping" | "stopped" | "failed" | "cancelled";

export interface StoredExperiment {
  id: string;
  experimentTemplateId: string;
  status: FisStatus;
  reason?: string;
  creationTime: Date;
  startTime?: Date;
  /** Absent while running (as FIS reports it). */
  endTime?: Date;
  tags?: Record<string, string>;
  region?: string;
}

export interface StoredTemplate {
  id: string;
  description?: string;
  tags: Record<string, string>;
  region?: string;
}

export type FisOp = "ListExperiments" | "GetExperiment" | "ListExperimentTemplates" | "GetExperimentTemplate";
export type FisFaultKind = "throttle" | "500" | "accessDenied" | "slow" | "badJson" | "wrongShape" | "loopToken" | "huge";

export interface FisFault {
  kind: FisFaultKind;
  op?: FisOp;
  /** How many matching requests it hits; Infinity for always. */
  times: number;
  /** Only every n-th matching request (a busy endpoint throttling a share of the traffic). */
  every?: number;
  delayMs?: number;
  /** huge: about this many bytes of a valid page, streamed in chunks. */
  bytes?: number;
  seen?: number;
}

export interface FisRequest {
  op: FisOp | "unknown";
  region: string;
  accessKeyId: string;
  query: Record<string, string>;
  path: string;
}

export const REGION = "us-east-1";
export const DEFAULT_PAGE = 100;

export class FisServer extends LoopbackServer {
  readonly requests: FisRequest[] = [];
  experiments: StoredExperiment[] = [];
  templates: StoredTemplate[] = [];
  /** Page size when the request names none (real FIS pages too; small here to test paging). */
  pageSize = DEFAULT_PAGE;
  /** Off: answer ListExperiments unfiltered, as an endpoint that predates the filter would. */
  honourTemplateFilter = true;
  private faults: FisFault[] = [];


  reset(): void {
    this.requests.length = 0;
    this.experiments = [];
    this.templates = [];
    this.faults = [];
    this.pageSize = DEFAULT_PAGE;
    this.honourTemplateFilter = true;
  }

  inject(fault: FisFault): this {
    this.faults.push({ ...fault });
    return this;
  }

  count(op: FisOp): number {
    return this.requests.filter((r) => r.op === op).length;
  }

  private takeFault(op: FisOp): FisFault | undefined {
    const f = this.faults.find((x) => x.times > 0 && (!x.op || x.op === op) && (!x.every || ((x.seen = (x.seen ?? 0) + 1) % x.every === 0)));
    if (f) f.times--;
    return f;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req) void _;
    const url = new URL(req.url ?? "/", "http://x");
    const auth = String(req.headers.authorization ?? "");
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    const region = scope?.[2] ?? "";
    const path = decodeURIComponent(url.pathname);
    const op: FisOp | "unknown" =
      req.method !== "GET"
        ? "unknown"
        : path === "/experiments"
          ? "ListExperiments"
          : /^\/experiments\/[^/]+$/.test(path)
            ? "GetExperiment"
            : path === "/experimentTemplates"
              ? "ListExperimentTemplates"
              : /^\/experimentTemplates\/[^/]+$/.test(path)
                ? "GetExperimentTemplate"
                : "unknown";
    this.requests.push({ op, region, accessKeyId: scope?.[1] ?? "", query: Object.fromEntries(url.searchParams), path });
    if (!auth.startsWith("AWS4-HMAC-SHA256") || scope?.[3] !== "fis") return this.error(res, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    if (op === "unknown") return this.error(res, 404, "UnknownOperationException", `no route for ${req.method} ${path}`);

    const fault = this.takeFault(op);
    if (fault?.kind === "slow") {
      const closed = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), fault.delayMs ?? 5000);
        res.once("close", () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      if (closed || res.destroyed) return;
    }
    if (fault?.kind === "throttle") return this.error(res, 429, "ThrottlingException", "Rate exceeded");
    if (fault?.kind === "500") return this.error(res, 500, "InternalServerException", "Internal server error");
    if (fault?.kind === "accessDenied") {
      return this.error(res, 403, "AccessDeniedException", `User: arn:aws:iam::111111111111:user/standby-ci is not authorized to perform: fis:${op} on resource: arn:aws:fis:${region}:111111111111:experiment/*`);
    }
    if (fault?.kind === "badJson") return this.raw(res, 200, "{\"experiments\": [");
    if (fault?.kind === "wrongShape") return this.ok(res, op === "ListExperimentTemplates" ? { experimentTemplates: "none" } : op === "GetExperiment" ? { experiment: { id: "EXPother", state: { status: "completed" } } } : { experiments: { id: "EXP1" } });

    if (fault?.kind === "huge") return this.huge(res, fault.bytes ?? 32 * 1024 * 1024);
    const here = <T extends { region?: string }>(xs: T[]) => xs.filter((x) => (x.region ?? REGION) === region);
    const max = Number(url.searchParams.get("maxResults") ?? this.pageSize);
    if (!Number.isInteger(max) || max < 1 || max > 100) return this.error(res, 400, "ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
    const limit = Math.min(max, this.pageSize);
    switch (op) {
      case "ListExperiments": {
        const tid = url.searchParams.get("experimentTemplateId");
        const all = here(this.experiments).filter((e) => !tid || !this.honourTemplateFilter || e.experimentTemplateId === tid);
        return this.page(res, "experiments", all.map(summary), url, limit, fault?.kind === "loopToken");
      }
      case "ListExperimentTemplates":
        return this.page(res, "experimentTemplates", here(this.templates).map(templateSummary), url, limit, fault?.kind === "loopToken");
      case "GetExperiment": {
        const id = path.slice("/experiments/".length);
        const e = here(this.experiments).find((x) => x.id === id);
        return e ? this.ok(res, { experiment: full(e) }) : this.error(res, 404, "ResourceNotFoundException", "Experiment not found.");
      }
      case "GetExperimentTemplate": {
        const id = path.slice("/experimentTemplates/".length);
        const t = here(this.templates).find((x) => x.id === id);
        return t ? this.ok(res, { experimentTemplate: { ...templateSummary(t), actions: {}, targets: {}, stopConditions: [{ source: "none" }], roleArn: "arn:aws:iam::111111111111:role/fis" } }) : this.error(res, 404, "ResourceNotFoundException", "Experiment template not found.");
      }
    }
  }

  /** One page; nextToken is opaque (base64 of the offset), an unknown one is a ValidationException. */
  private page(res: ServerResponse, key: string, all: unknown[], url: URL, limit: number, loop: boolean): void {
    const token = url.searchParams.get("nextToken");
    const offset = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length) return this.error(res, 400, "ValidationException", "Invalid nextToken");
    const body: Record<string, unknown> = { [key]: all.slice(offset, offset + limit) };
    // loopToken: a broken paginator that hands out the same token forever.
    if (loop) body.nextToken = Buffer.from("0").toString("base64url");
    else if (offset + limit < all.length) body.nextToken = Buffer.from(String(offset + limit)).toString("base64url");
    this.ok(res, body);
  }

  /** A valid ListExperiments page of about `bytes`, written as fast as the client reads. */
  private huge(res: ServerResponse, bytes: number): void {
    const one = JSON.stringify({ id: "EXPhuge", experimentTemplateId: "EXThuge", state: { status: "failed", reason: "x".repeat(400) }, creationTime: 1 });
    streamHuge(res, "application/json", "{\"experiments\":[", one, "]}", bytes);
  }

  private ok(res: ServerResponse, body: unknown): void {
    this.raw(res, 200, JSON.stringify(body));
  }

  private raw(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": "req-1", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, type: string, message: string): void {
    this.raw(res, status, JSON.stringify({ message }), { "x-amzn-errortype": type });
  }
}

const epoch = (d: Date | undefined): number | undefined => (d ? d.getTime() / 1000 : undefined);

function state(e: StoredExperiment): Record<string, unknown> {
  return { status: e.status, reason: e.reason ?? defaultReason(e.status), ...(e.status === "failed" ? { error: { accountId: "111111111111", code: "ActionFailed", location: "aws:rds:failover-db-cluster" } } : {}) };
}

/** ExperimentSummary: no start or end time (those are GetExperiment's). */
function summary(e: StoredExperiment): Record<string, unknown> {
  return {
    id: e.id,
    arn: `arn:aws:fis:${e.region ?? REGION}:111111111111:experiment/${e.id}`,
    experimentTemplateId: e.experimentTemplateId,
    state: state(e),
    creationTime: epoch(e.creationTime),
    tags: e.tags ?? {},
    experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail", actionsMode: "run-all" },
  };
}

function full(e: StoredExperiment): Record<string, unknown> {
  return {
    ...summary(e),
    roleArn: "arn:aws:iam::111111111111:role/fis",
    targets: {},
    actions: { failover: { actionId: "aws:rds:failover-db-cluster", state: { status: e.status === "completed" ? "completed" : e.status, reason: "" } } },
    stopConditions: [{ source: "none" }],
    ...(e.startTime ?? e.creationTime ? { startTime: epoch(e.startTime ?? e.creationTime) } : {}),
    ...(e.endTime ? { endTime: epoch(e.endTime) } : {}),
    targetAccountConfigurationsCount: 0,
  };
}

function templateSummary(t: StoredTemplate): Record<string, unknown> {
  return {
    id: t.id,
    arn: `arn:aws:fis:${t.region ?? REGION}:111111111111:experiment-template/${t.id}`,
    description: t.description ?? "failover drill",
    creationTime: 1_700_000_000,
    lastUpdateTime: 1_700_000_000,
    tags: t.tags,
  };
}

function defaultReason(status: FisStatus): string {
  switch (status) {
    case "completed":
      return "Experiment completed.";
    case "failed":
      return "Experiment failed.";
    case "stopped":
      return "Experiment stopped.";
    case "cancelled":
      return "Experiment cancelled.";
    default:
      return `Experiment is ${status}.`;
  }
}
