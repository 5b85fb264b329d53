// A local AWS Config endpoint for tests and the benchmark: node:http on 127.0.0.1 speaking the
// AWS JSON 1.1 protocol the real SDK uses (POST /, `X-Amz-Target: StarlingDoveService.<Op>`,
// `Content-Type: application/x-amz-json-1.1`, errors as `{ "__type": ..., "message": ... }` with
// the `x-amzn-ErrorType` header), plus STS AssumeRole (AWS query protocol, XML) for roleArn.
// Each request is routed to a region by its SigV4 credential scope, so primary and standby can
// share one endpoint. Faults (throttling, 500, access denied, slow answers, unprocessed keys, no
// recorder) are injected per operation and region, a given number of times.
import type { IncomingMessage, ServerResponse } from "node:http";
import { FaultList, holdAnswer, LoopbackServer, readSigned, streamHuge, type WireFault } from "./aws-wire.js";

/** A configuration item as AWS Config records it (timestamps as Dates, configuration as an object here). */
export interface StoredItem {
  version: string;
  accountId: string;
  configurationItemCaptureTime: Date;
  configurationItemStatus: string;
  configurationStateId: string;
  configurationItemMD5Hash: string;
  arn: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsRegion: string;
  availabilityZone: string;
  resourceCreationTime: Date;
  configuration: unknown;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string>;
  relatedEvents: string[];
  relationships: Array<{ resourceType: string; resourceId: string; resourceName?: string; relationshipName: string }>;
}

export type FaultKind = "throttle" | "500" | "accessDenied" | "slow" | "unprocessed" | "noRecorder" | "badJson" | "huge";

/** A fault on an operation (BatchGetResourceConfig...) or "AssumeRole". */
export interface Fault extends WireFault<FaultKind> {
  /** slow: answer after this many ms. */
  delayMs?: number;
  /** huge: about this many bytes of a valid answer, streamed. */
  bytes?: number;
}

export interface RecordedRequest {
  op: string;
  region: string;
  accessKeyId: string;
  body: Record<string, unknown>;
}

interface RegionState {
  items: Map<string, StoredItem>;
  recorders: Array<{ name: string; recording: boolean; lastStatus?: string }>;
}

export interface AwsConfigServerOptions {
  /** Added to every response (the benchmark's network). */
  latencyMs?: number;
}

const JSON_TYPE = "application/x-amz-json-1.1";

export class AwsConfigServer extends LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  latencyMs: number;
  private readonly regions = new Map<string, RegionState>();
  private readonly faults = new FaultList<Fault>();
  /** Access key -> assumed role ARN (STS-issued credentials). */
  readonly sessions = new Map<string, string>();
  /** Role ARNs AssumeRole refuses. */
  readonly deniedRoles = new Set<string>();
  /** Off in the benchmark: 10,000 recorded bodies are memory the measurement should not carry. */
  recordRequests = true;
  /**
   * On in the benchmark: serialise each stored item once and reuse the JSON, so the fake AWS
   * spends (almost) no CPU per request, as the real one spends none of the scanner's. Items must
   * not be mutated after put() while this is on.
   */
  cacheResponses = false;
  private readonly cache = new WeakMap<StoredItem, Map<string, string>>();
  /** cacheResponses: query results (filtered, sorted) by region and expression. */
  private readonly selected = new Map<string, StoredItem[]>();

  constructor(options: AwsConfigServerOptions = {}) {
    super();
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Forget items, faults, recorded requests and sessions. */
  reset(): void {
    this.regions.clear();
    this.selected.clear();
    this.faults.clear();
    this.requests.length = 0;
    this.sessions.clear();
    this.deniedRoles.clear();
    this.latencyMs = 0;
  }

  region(name: string): RegionState {
    let r = this.regions.get(name);
    if (!r) {
      r = { items: new Map(), recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS" }] };
      this.regions.set(name, r);
    }
    return r;
  }

  /** Stores items in the region they name. */
  put(...items: StoredItem[]): this {
    for (const item of items) this.putIn(item.awsRegion, item);
    return this;
  }

  /** Stores items in a given region's recorder: global resources (awsRegion "global") live in one. */
  putIn(region: string, ...items: StoredItem[]): this {
    for (const item of items) this.region(region).items.set(`${item.resourceType}|${item.resourceId}`, item);
    this.selected.clear();
    return this;
  }

  setRecorders(region: string, recorders: RegionState["recorders"]): this {
    this.region(region).recorders = recorders;
    return this;
  }

  inject(fault: Fault): this {
    this.faults.add(fault);
    return this;
  }

  count(op: string, region?: string): number {
    return this.requests.filter((r) => r.op === op && (region === undefined || r.region === region)).length;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { text, authorization: auth, accessKeyId, region } = await readSigned(req);
    const target = String(req.headers["x-amz-target"] ?? "");
    const isSts = !target && String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
    const op = isSts ? (new URLSearchParams(text).get("Action") ?? "") : target.replace(/^StarlingDoveService\./, "");
    let body: Record<string, unknown> = {};
    if (isSts) body = Object.fromEntries(new URLSearchParams(text));
    else if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return this.error(res, 400, "SerializationException", "invalid JSON");
      }
    }
    if (this.recordRequests) this.requests.push({ op, region, accessKeyId, body });

    let delay = this.latencyMs;
    const slow = this.faults.take(op, region, ["slow"]);
    if (slow) delay += slow.delayMs ?? 5000;
    if (delay > 0 && (await holdAnswer(res, delay))) return;
    if (!auth.startsWith("AWS4-HMAC-SHA256")) return this.error(res, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");

    if (isSts) return this.assumeRole(res, body);
    if (req.headers["content-type"] !== JSON_TYPE) return this.error(res, 400, "SerializationException", "expected application/x-amz-json-1.1");

    const fault = this.faults.take(op, region, ["throttle", "500", "accessDenied", "noRecorder", "badJson", "huge"]);
    if (fault?.kind === "throttle") return this.error(res, 400, "ThrottlingException", "Rate exceeded");
    if (fault?.kind === "500") return this.error(res, 500, "InternalFailure", "We encountered an internal error. Please try again.");
    if (fault?.kind === "accessDenied") {
      const who = this.sessions.get(accessKeyId) ?? "arn:aws:iam::111111111111:user/standby-ci";
      return this.error(res, 400, "AccessDeniedException", `User: ${who} is not authorized to perform: config:${op} on resource: *`);
    }
    if (fault?.kind === "noRecorder") return this.error(res, 400, "NoAvailableConfigurationRecorderException", "There are no configuration recorders available to provide the configuration item.");
    if (fault?.kind === "huge") return streamHuge(res, JSON_TYPE, "{\"Results\":[", JSON.stringify(JSON.stringify({ resourceId: "x".repeat(400) })), "]}", fault.bytes ?? 32 * 1024 * 1024);
    if (fault?.kind === "badJson") {
      res.writeHead(200, { "content-type": JSON_TYPE });
      return void res.end("{not json");
    }

    switch (op) {
      case "BatchGetResourceConfig":
        return this.batchGet(res, region, body);
      case "SelectResourceConfig":
        return this.select(res, [this.region(region)], body, undefined, region);
      case "SelectAggregateResourceConfig":
        return this.select(res, [...this.regions.values()], body, String(body.ConfigurationAggregatorName ?? ""), "*");
      case "DescribeConfigurationRecorderStatus":
        return this.ok(res, { ConfigurationRecordersStatus: this.region(region).recorders });
      default:
        return this.error(res, 400, "UnknownOperationException", `unknown operation ${op}`);
    }
  }

  private batchGet(res: ServerResponse, region: string, body: Record<string, unknown>): void {
    const keys = (body.resourceKeys ?? []) as Array<{ resourceType: string; resourceId: string }>;
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > 100) {
      return this.error(res, 400, "ValidationException", "resourceKeys must hold 1 to 100 keys");
    }
    const unprocessed = this.faults.take("BatchGetResourceConfig", region, ["unprocessed"]);
    // Like AWS under load: the tail of the batch comes back as unprocessed.
    const cut = unprocessed ? Math.max(0, Math.floor(keys.length / 2)) : keys.length;
    const state = this.region(region);
    const items: string[] = [];
    for (const k of keys.slice(0, cut)) {
      const item = state.items.get(`${k.resourceType}|${k.resourceId}`);
      if (item) items.push(this.serialised(item, "base", () => JSON.stringify(baseItem(item))));
    }
    this.okRaw(res, `{"baseConfigurationItems":[${items.join(",")}],"unprocessedResourceKeys":${JSON.stringify(keys.slice(cut))}}`);
  }

  private select(res: ServerResponse, regions: RegionState[], body: Record<string, unknown>, aggregator: string | undefined, scope: string): void {
    const expr = String(body.Expression ?? "");
    if (!/^SELECT\s/i.test(expr)) return this.error(res, 400, "InvalidExpressionException", "expression must start with SELECT");
    const fields = /^SELECT\s+(.*?)\s+WHERE\s/i.exec(expr)?.[1]?.split(",").map((s) => s.trim()) ?? [];
    const type = /resourceType\s*=\s*'([^']+)'/.exec(expr)?.[1];
    const tag = /tags\.tag\s*=\s*'([^'=]+)=([^']*)'/.exec(expr);
    const idsIn = /resourceId\s+IN\s*\(([^)]*)\)/i.exec(expr)?.[1]?.split(",").map((s) => s.trim().replace(/^'|'$/g, ""));
    const regionIs = aggregator ? /awsRegion\s*=\s*'([^']+)'/.exec(expr)?.[1] : undefined;
    const accountIs = /accountId\s*=\s*'(\d+)'/.exec(expr)?.[1];
    const engine = /configuration\.engine\s*=\s*'([^']+)'/.exec(expr)?.[1];
    const limit = Math.min(Number(body.Limit ?? 100) || 100, 100);
    const cacheKey = `${scope}|${expr}`;
    let all = this.cacheResponses ? this.selected.get(cacheKey) : undefined;
    if (!all) {
      all = [];
      for (const r of regions) {
        for (const item of r.items.values()) {
          if (type && item.resourceType !== type) continue;
          if (tag && item.tags[tag[1]!] !== tag[2]) continue;
          if (idsIn && !idsIn.includes(item.resourceId)) continue;
          if (regionIs && item.awsRegion !== regionIs && item.awsRegion !== "global") continue;
          if (accountIs && item.accountId !== accountIs) continue;
          if (engine && (item.configuration as { engine?: string } | null)?.engine !== engine) continue;
          all.push(item);
        }
      }
      all.sort((a, b) => (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
      if (this.cacheResponses) this.selected.set(cacheKey, all);
    }
    const offset = body.NextToken ? Number(Buffer.from(String(body.NextToken), "base64url").toString("utf8")) : 0;
    if (!Number.isInteger(offset) || offset < 0) return this.error(res, 400, "InvalidNextTokenException", "The specified next token is invalid.");
    const page = all.slice(offset, offset + limit);
    const out: Record<string, unknown> = {
      Results: page.map((item) => this.serialised(item, fields.join(","), () => JSON.stringify(selectFields(item, fields)))),
      QueryInfo: { SelectFields: fields.map((Name) => ({ Name })) },
    };
    if (offset + limit < all.length) out.NextToken = Buffer.from(String(offset + limit)).toString("base64url");
    this.ok(res, out);
  }

  private assumeRole(res: ServerResponse, body: Record<string, unknown>): void {
    const roleArn = String(body.RoleArn ?? "");
    const fault = this.faults.take("AssumeRole", "", ["accessDenied", "huge"]);
    if (fault?.kind === "huge") return streamHuge(res, "text/xml", "<AssumeRoleResponse><AssumeRoleResult>", `<Pad>${"x".repeat(400)}</Pad>`, "</AssumeRoleResult></AssumeRoleResponse>", fault.bytes ?? 32 * 1024 * 1024);
    if (fault || this.deniedRoles.has(roleArn)) {
      res.writeHead(403, { "content-type": "text/xml" });
      return void res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111111111111:user/standby-ci is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
      );
    }
    const key = `ASIA${Math.random().toString(36).slice(2, 14).toUpperCase().padEnd(12, "X")}`;
    this.sessions.set(key, roleArn);
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>test-secret-${key}</SecretAccessKey><SessionToken>test-session-${key}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/standby</Arn><AssumedRoleId>AROATEST:standby</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  private serialised(item: StoredItem, key: string, make: () => string): string {
    if (!this.cacheResponses) return make();
    let m = this.cache.get(item);
    if (!m) this.cache.set(item, (m = new Map()));
    let text = m.get(key);
    if (text === undefined) m.set(key, (text = make()));
    return text;
  }

  private ok(res: ServerResponse, body: unknown): void {
    this.okRaw(res, JSON.stringify(body));
  }

  private okRaw(res: ServerResponse, text: string): void {
    res.writeHead(200, { "content-type": JSON_TYPE, "x-amzn-requestid": "req-ok", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, type: string, message: string): void {
    const text = JSON.stringify({ __type: `com.amazonaws.starlingdove#${type}`, message });
    res.writeHead(status, {
      "content-type": JSON_TYPE,
      "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazonaws.starlingdove/`,
      "x-amzn-requestid": "req-err",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }
}

const epoch = (d: Date): number => d.getTime() / 1000;

/** BatchGetResourceConfig's BaseConfigurationItem: configuration and each supplementary value as JSON strings, no tags. */
function baseItem(item: StoredItem): Record<string, unknown> {
  const supplementary: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.supplementaryConfiguration)) supplementary[k] = typeof v === "string" ? v : JSON.stringify(v);
  const out: Record<string, unknown> = {
    version: item.version,
    accountId: item.accountId,
    configurationItemCaptureTime: epoch(item.configurationItemCaptureTime),
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: item.configurationStateId,
    arn: item.arn,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    resourceCreationTime: epoch(item.resourceCreationTime),
    configuration: item.configuration === null ? "null" : JSON.stringify(item.configuration),
    supplementaryConfiguration: supplementary,
  };
  if (item.resourceName) out.resourceName = item.resourceName;
  return out;
}

/** Advanced-query rows: selected fields only, configuration as an object, tags as [{ key, value, tag }]. */
function selectFields(item: StoredItem, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    switch (f) {
      case "configurationItemCaptureTime":
      case "resourceCreationTime":
        out[f] = item[f].toISOString();
        break;
      case "tags":
        out.tags = Object.entries(item.tags).map(([key, value]) => ({ key, value, tag: `${key}=${value}` }));
        break;
      case "supplementaryConfiguration":
        out[f] = Object.fromEntries(Object.entries(item.supplementaryConfiguration).map(([k, v]) => [k, typeof v === "string" ? safeParse(v) : v]));
        break;
      default: {
        const v = (item as unknown as Record<string, unknown>)[f];
        if (v !== undefined) out[f] = v;
      }
    }
  }
  return out;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}
