// A local S3 endpoint for tests: node:http on 127.0.0.1 speaking the S3 REST protocol the real
// @aws-sdk/client-s3 uses for GetObject and HeadObject, path-style (GET /<bucket>/<key>, as the
// SDK sends with forcePathStyle when an endpoint is set). Errors are S3's XML documents
// (<Error><Code>NoSuchKey</Code><Message>...</Message><Key>...</Key><RequestId>...</RequestId></Error>)
// with S3's status codes; HEAD errors have no body, as on S3. Each request is routed by the
// region of its SigV4 credential scope: a bucket answers only in its own region
// (AuthorizationHeaderMalformed otherwise). Faults are injected per bucket a number of times.
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "./aws-wire.js";

export interface StoredObject {
  body: Buffer;
  lastModified: Date;
}

export type S3FaultKind = "accessDenied" | "slowDown" | "truncate" | "hang" | "reset" | "raw";

export interface S3Fault {
  kind: S3FaultKind;
  bucket?: string;
  times: number;
  /** raw: this status and body (a hostile error document), as they are. */
  status?: number;
  body?: string | Buffer;
}

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  region: string;
  accessKeyId: string;
}

export class S3Server extends LoopbackServer {
  readonly requests: S3Request[] = [];
  private readonly buckets = new Map<string, { region: string; objects: Map<string, StoredObject> }>();
  private faults: S3Fault[] = [];


  reset(): void {
    this.buckets.clear();
    this.faults = [];
    this.requests.length = 0;
  }

  bucket(name: string, region: string): this {
    if (!this.buckets.has(name)) this.buckets.set(name, { region, objects: new Map() });
    return this;
  }

  put(bucket: string, region: string, key: string, body: string | Buffer, lastModified = new Date()): this {
    this.bucket(bucket, region);
    // S3 keeps second precision in Last-Modified.
    this.buckets.get(bucket)!.objects.set(key, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000) });
    return this;
  }

  fault(f: S3Fault): this {
    this.faults.push(f);
    return this;
  }

  count(method?: string): number {
    return this.requests.filter((r) => method === undefined || r.method === method).length;
  }

  private takeFault(bucket: string): S3Fault | undefined {
    const f = this.faults.find((x) => x.times > 0 && (!x.bucket || x.bucket === bucket));
    if (f) f.times--;
    return f;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req) void _;
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(String(req.headers.authorization ?? ""));
    const url = new URL(req.url ?? "/", "http://x");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = rest.map(decodeURIComponent).join("/");
    const method = req.method ?? "GET";
    const region = scope?.[2] ?? "";
    this.requests.push({ method, bucket, key, region, accessKeyId: scope?.[1] ?? "" });
    const head = method === "HEAD";
    if (!scope) return this.error(res, head, 403, "AccessDenied", "Access Denied", key);
    if (method !== "GET" && method !== "HEAD") return this.error(res, head, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", key);
    const b = this.buckets.get(bucket);
    if (!b) return this.error(res, head, 404, "NoSuchBucket", "The specified bucket does not exist", key, `<BucketName>${bucket}</BucketName>`);
    if (b.region !== region) {
      return this.error(res, head, 400, "AuthorizationHeaderMalformed", `The authorization header is malformed; the region '${region}' is wrong; expecting '${b.region}'`, key, `<Region>${b.region}</Region>`);
    }
    const fault = this.takeFault(bucket);
    if (fault?.kind === "accessDenied") return this.error(res, head, 403, "AccessDenied", "Access Denied", key);
    if (fault?.kind === "slowDown") return this.error(res, head, 503, "SlowDown", "Please reduce your request rate.", key);
    if (fault?.kind === "hang") return; // never answers: the client's timeout must end it
    if (fault?.kind === "reset") return void req.socket.destroy(); // no answer at all: the connection is reset
    if (fault?.kind === "raw") return void res.writeHead(fault.status ?? 400, { "content-type": "application/xml" }).end(head ? undefined : fault.body);
    const obj = b.objects.get(key);
    if (!obj) return this.error(res, head, 404, "NoSuchKey", "The specified key does not exist.", key, `<Key>${escapeXml(key)}</Key>`);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(obj.body.length),
      "last-modified": obj.lastModified.toUTCString(),
      etag: `"${obj.body.length.toString(16)}"`,
      "x-amz-request-id": "4442587FB7D0A2F9",
      "accept-ranges": "bytes",
    });
    if (head) return void res.end();
    if (fault?.kind === "truncate") {
      // Content-Length promises the whole state; the connection ends halfway.
      res.write(obj.body.subarray(0, Math.floor(obj.body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(obj.body);
  }

  private error(res: ServerResponse, head: boolean, status: number, code: string, message: string, key: string, extra = ""): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId><HostId>dGVzdA==</HostId></Error>`;
    res.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": "4442587FB7D0A2F9", ...(head ? {} : { "content-length": String(Buffer.byteLength(body)) }) });
    void key;
    res.end(head ? undefined : body);
  }
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
