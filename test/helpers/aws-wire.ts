// What the loopback AWS servers share (aws-config-server.ts, drs-server.ts): the request's body
// and SigV4 credential scope (access key, region, service), a client that hangs up on a slow
// answer, and injected faults that hit a number of times or every n-th matching request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SignedRequest {
  text: string;
  authorization: string;
  accessKeyId: string;
  /** From the credential scope; us-east-1 when the request is not signed. */
  region: string;
  service: string;
}

export async function readSigned(req: IncomingMessage): Promise<SignedRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const authorization = String(req.headers.authorization ?? "");
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(authorization);
  return { text: Buffer.concat(chunks).toString("utf8"), authorization, accessKeyId: scope?.[1] ?? "", region: scope?.[2] ?? "us-east-1", service: scope?.[3] ?? "" };
}

/** Waits `ms` before answering; true when the client hung up meanwhile (nothing to answer). */
export function holdAnswer(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(res.destroyed), ms);
    res.once("close", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export interface WireFault<K extends string = string> {
  kind: K;
  /** Operation; any when absent. */
  op?: string;
  /** Region from the request's credential scope; any when absent. */
  region?: string;
  /** How many matching requests it hits; Infinity for always. */
  times: number;
  /**
   * Hit only every n-th matching request (the n-th, 2n-th...), counted over all requests the
   * fault matches: `{ kind: "throttle", every: 3, times: Infinity }` is an endpoint that throttles
   * every third request, whoever sends it. `times` counts the hits.
   */
  every?: number;
}

export class FaultList<F extends WireFault> {
  private list: F[] = [];
  private readonly seen = new WeakMap<F, number>();

  add(fault: F): void {
    this.list.push({ ...fault });
  }

  clear(): void {
    this.list = [];
  }

  /** The first fault of `kinds` that matches and hits this request (counting it down). */
  take(op: string, region: string, kinds: readonly F["kind"][]): F | undefined {
    for (const f of this.list) {
      if (f.times <= 0 || (f.op && f.op !== op) || (f.region && f.region !== region) || !kinds.includes(f.kind)) continue;
      if (f.every !== undefined) {
        const n = (this.seen.get(f) ?? 0) + 1;
        this.seen.set(f, n);
        if (n % f.every !== 0) continue;
      }
      f.times--;
      return f;
    }
    return undefined;
  }
}

/** A node:http server on 127.0.0.1 (a free port) whose subclass answers requests. */
export abstract class LoopbackServer {
  url = "";
  private server: Server | null = null;

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops listening and drops kept-alive connections too. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * A valid JSON answer of about `bytes`: `head`, then `item` repeated (comma-separated), then
 * `tail`, written as fast as the client reads and without a content-length (a hostile or broken
 * endpoint streaming an endless page).
 */
export function streamHuge(res: ServerResponse, contentType: string, head: string, item: string, tail: string, bytes: number): void {
  const chunk = Buffer.from(`${Array.from({ length: 100 }, () => item).join(",")},`);
  let left = Math.ceil(bytes / chunk.length);
  res.writeHead(200, { "content-type": contentType });
  res.write(head);
  const pump = (): void => {
    while (left > 0) {
      left--;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end(`${item}${tail}`);
  };
  res.on("close", () => (left = 0));
  pump();
}
