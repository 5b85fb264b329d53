// A loopback Kubernetes API server for the demo and the tests: the REST API's wire format for the
// resources of kube-resources.ts. Discovery (/api, /apis, /apis/<g>/<v>), GET and LIST of objects
// (namespaced and across namespaces), LIST with limit/continue (tokens shaped like the real ones:
// base64 JSON {v, rv, start}), remainingItemCount (absent with a selector, as on a real server),
// label selectors, Status error objects (401/403/404/410/500), bearer-token and client-certificate
// authentication over TLS, and faults (slow, endless, malformed replies). kubectl reads it
// (test/probes/kubernetes-kubectl.test.ts), which keeps the shapes honest.
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { stringify } from "yaml";
import { apiGroupList, apiResourceList, apiVersions, groupVersionOf, qualifiedResource, resourceFor, SERVED_RESOURCES, type ServedResource } from "./kube-resources.js";
import { parseLabelSelector } from "./kube-selector.js";
import type { KubeObject } from "../probes/kubernetes/types.js";

export type { KubeObject };

export type KubeFaultKind = "401" | "403" | "404" | "410" | "429" | "500" | "slow" | "badJson" | "huge" | "notStatus" | "endlessContinue" | "reply";

export interface KubeFault {
  kind: KubeFaultKind;
  /** Matched against the request's path and query (`/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=...`); every request when absent. */
  path?: RegExp;
  /** How many matching requests it answers (Infinity: all). */
  times: number;
  /** slow: the delay before the normal answer (none: never answers). */
  delayMs?: number;
  /** 403/500: the Status message instead of the usual one (a server that echoes what it got). */
  message?: string;
  /** reply: the JSON body sent with status 200 (a hostile or broken server's answer). */
  body?: unknown;
}

export interface KubeApiServerOptions {
  /** Serve HTTPS with this certificate (and name `ca` in written kubeconfigs). */
  tls?: { cert: string; key: string; ca?: string };
  /** Bearer token that authenticates (as user "standby-reader"). */
  token?: string;
  /** CA whose client certificates authenticate (as the certificate's CN); needs tls. */
  clientCa?: string;
  /** Added before every answer (benchmarks). */
  latencyMs?: number;
  /** A larger `limit` is lowered to this (a real server caps pages too). */
  pageLimitMax?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Who it authenticated as, or null (anonymous). */
  user: string | null;
}

export interface KubeconfigContext {
  name: string;
  server: KubeApiServer;
  namespace?: string;
  token?: string;
  clientCert?: { cert: string; key: string };
}

const key = (apiVersion: string, kind: string, namespace: string | undefined, name: string): string => `${apiVersion}|${kind}|${namespace ?? ""}|${name}`;
const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** A Status object as the API server writes it. */
export function kubeStatus(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

interface Route {
  resource: ServedResource;
  namespace: string | undefined;
  name: string | undefined;
}

export class KubeApiServer {
  url = "";
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly faults: KubeFault[] = [];
  private readonly sockets = new Set<Socket>();
  private revision = 1000;
  private server: Server | null = null;

  constructor(readonly opts: KubeApiServerOptions = {}) {}

  /** Connections open now (a probe that aborts must close its own). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Listens on 127.0.0.1:`port` (0: a free one, as tests want; the demo may pin one). */
  async start(port = 0): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const tls = this.opts.tls;
    this.server = tls
      ? createHttpsServer({ cert: tls.cert, key: tls.key, ...(this.opts.clientCa ? { ca: this.opts.clientCa, requestCert: true, rejectUnauthorized: false } : {}) }, handler)
      : createHttpServer(handler);
    this.server.keepAliveTimeout = 30_000;
    this.server.on(tls ? "secureConnection" : "connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => this.server!.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    const bound = (this.server.address() as { port: number }).port;
    this.url = `${tls ? "https" : "http"}://127.0.0.1:${bound}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stores an object (a new resourceVersion each time; uid, creationTimestamp and generation when absent). */
  put(obj: KubeObject): void {
    if (!resourceFor(obj.apiVersion, obj.kind)) throw new Error(`kube-api-server does not serve ${obj.apiVersion} ${obj.kind}`);
    const copy = structuredClone(obj);
    const meta = copy.metadata as Record<string, unknown>;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= new Date(Date.UTC(2026, 0, 5, 9, 30)).toISOString().replace(/\.\d+Z$/, "Z");
    meta.generation ??= 1;
    meta.resourceVersion = String(++this.revision);
    this.objects.set(key(copy.apiVersion, copy.kind, copy.metadata.namespace, copy.metadata.name), copy);
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    this.objects.delete(key(apiVersion, kind, namespace, name));
    this.revision++;
  }

  fault(f: KubeFault): void {
    this.faults.push({ ...f });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Writes a kubeconfig (YAML, as kubectl config view writes it) with one cluster, user and context per entry; returns the path. */
  static writeKubeconfig(path: string, contexts: KubeconfigContext[], current?: string): string {
    const config = {
      apiVersion: "v1",
      kind: "Config",
      preferences: {},
      clusters: contexts.map((c) => ({
        name: `${c.name}-cluster`,
        // Plain http needs insecure-skip-tls-verify for @kubernetes/client-node (kubectl takes it too).
        cluster: { server: c.server.url, ...(c.server.opts.tls ? { "certificate-authority-data": b64(c.server.opts.tls.ca ?? c.server.opts.tls.cert) } : { "insecure-skip-tls-verify": true }) },
      })),
      users: contexts.map((c) => ({
        name: `${c.name}-user`,
        user: {
          ...(c.token ? { token: c.token } : {}),
          ...(c.clientCert ? { "client-certificate-data": b64(c.clientCert.cert), "client-key-data": b64(c.clientCert.key) } : {}),
        },
      })),
      contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
      "current-context": current ?? contexts[0]?.name ?? "",
    };
    writeFileSync(path, stringify(config), { mode: 0o600 });
    return path;
  }

  // ---- serving ---------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const query = Object.fromEntries(url.searchParams);
    const user = this.authenticate(req);
    this.requests.push({ method: req.method ?? "GET", path: url.pathname, query, user: user ?? null });
    if (this.opts.latencyMs) await sleep(this.opts.latencyMs);
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "audit-id": randomUUID() });
      res.end(text);
    };
    if (user === undefined) return send(401, kubeStatus(401, "Unauthorized", "Unauthorized"));
    const fault = this.takeFault(`${url.pathname}${url.search}`);
    const route = this.route(url.pathname);
    if (fault && (await this.applyFault(fault, req, res, route, user, send))) return;
    if (req.method !== "GET") return send(405, kubeStatus(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`));
    const doc = this.discovery(url.pathname);
    if (doc) return send(200, doc);
    if (!route) return send(404, kubeStatus(404, "NotFound", "the server could not find the requested resource", {}));
    if (route.name !== undefined) return this.serveGet(route, send);
    this.serveList(route, query, send);
  }

  /** The user a request authenticates as: null anonymous (nothing configured), undefined refused. */
  private authenticate(req: IncomingMessage): string | null | undefined {
    const { token, clientCa } = this.opts;
    if (!token && !clientCa) return null;
    const auth = req.headers.authorization;
    if (token && auth === `Bearer ${token}`) return "standby-reader";
    if (clientCa) {
      const sock = req.socket as TLSSocket;
      if (sock.authorized) {
        const cn = sock.getPeerCertificate()?.subject?.CN;
        return typeof cn === "string" ? cn : "client-certificate";
      }
    }
    return undefined;
  }

  private takeFault(target: string): KubeFault | undefined {
    const f = this.faults.find((x) => x.times > 0 && (!x.path || x.path.test(target)));
    if (f) f.times--;
    return f;
  }

  /** Answers with the fault; false when the normal answer follows (slow). */
  private async applyFault(f: KubeFault, req: IncomingMessage, res: ServerResponse, route: Route | null, user: string | null, send: (s: number, b: unknown) => void): Promise<boolean> {
    const what = route ? qualifiedResource(route.resource) : "the requested resource";
    const verb = route?.name !== undefined ? "get" : "list";
    switch (f.kind) {
      case "401":
        send(401, kubeStatus(401, "Unauthorized", "Unauthorized"));
        return true;
      case "403": {
        const r = route?.resource;
        const subject = route?.name !== undefined ? `${what} "${route.name}"` : what;
        const scope = route?.namespace ? ` in the namespace "${route.namespace}"` : " at the cluster scope";
        send(
          403,
          kubeStatus(403, "Forbidden", f.message ?? `${subject} is forbidden: User "${user ?? "system:anonymous"}" cannot ${verb} resource "${r?.plural ?? "unknown"}" in API group "${r?.group ?? ""}"${scope}`, {
            ...(route?.name !== undefined ? { name: route.name } : {}),
            group: r?.group ?? "",
            kind: r?.plural ?? "",
          }),
        );
        return true;
      }
      case "404":
        send(404, kubeStatus(404, "NotFound", route?.name !== undefined ? `${what} "${route.name}" not found` : "the server could not find the requested resource", route ? { name: route.name, group: route.resource.group, kind: route.resource.plural } : {}));
        return true;
      case "410":
        send(
          410,
          kubeStatus(
            410,
            "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
          ),
        );
        return true;
      case "429":
        // Priority and fairness turning a request away: Retry-After says when to come back.
        if (!res.destroyed) {
          const text = JSON.stringify(kubeStatus(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds: 0 }));
          res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
          res.end(text);
        }
        return true;
      case "endlessContinue":
        // Empty pages that always say there is more: a client must stop somewhere.
        send(200, { kind: `${route?.resource.kind ?? "Config"}List`, apiVersion: route ? groupVersionOf(route.resource) : "v1", metadata: { resourceVersion: "1", continue: b64(JSON.stringify({ v: "meta.k8s.io/v1", rv: 1, start: randomUUID() })) }, items: [] });
        return true;
      case "reply":
        send(200, f.body);
        return true;
      case "500":
        send(500, kubeStatus(500, "InternalError", f.message ?? "Internal error occurred: etcdserver: request timed out", { causes: [{ message: "etcdserver: request timed out" }] }));
        return true;
      case "notStatus":
        // A proxy or load balancer in front of the API server, not the API server.
        if (!res.destroyed) {
          res.writeHead(502, { "content-type": "text/html" });
          res.end("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n");
        }
        return true;
      case "badJson":
        if (!res.destroyed) {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"web"');
        }
        return true;
      case "huge":
        await endless(res);
        return true;
      case "slow":
        if (f.delayMs === undefined) {
          // Never answers: the client's deadline is the only way out.
          await new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
          return true;
        }
        await sleep(f.delayMs);
        return res.destroyed;
    }
  }

  private discovery(path: string): unknown {
    if (path === "/api") return apiVersions();
    if (path === "/apis") return apiGroupList();
    if (path === "/version") return { major: "1", minor: "31", gitVersion: "v1.31.4", platform: "linux/amd64" };
    const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
    return m ? apiResourceList(m[1] ?? m[2]!) : null;
  }

  /** /api/v1/namespaces/shop/configmaps/x, /apis/apps/v1/deployments, /api/v1/namespaces/shop ... */
  private route(path: string): Route | null {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (!m) return null;
    const gv = m[1] ?? `${m[2]}/${m[3]}`;
    const parts = m[4]!.split("/").map(decodeURIComponent);
    const find = (plural: string) => SERVED_RESOURCES.find((r) => groupVersionOf(r) === gv && r.plural === plural);
    if (parts[0] === "namespaces" && parts.length >= 3) {
      const resource = find(parts[2]!);
      if (!resource || !resource.namespaced || parts.length > 4) return null;
      return { resource, namespace: parts[1], name: parts[3] };
    }
    const resource = find(parts[0]!);
    if (!resource || parts.length > 2) return null;
    return { resource, namespace: undefined, name: parts[1] };
  }

  /**
   * The stored objects of a kind; Namespaces also for every namespace in use and the ones a cluster
   * starts with (kubectl asks for the namespace when an object is not found).
   */
  private stored(r: ServedResource): KubeObject[] {
    const gv = groupVersionOf(r);
    const own = [...this.objects.values()].filter((o) => o.apiVersion === gv && o.kind === r.kind);
    if (r.kind !== "Namespace") return own;
    const names = new Set(["default", "kube-public", "kube-system", ...[...this.objects.values()].flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : []))]);
    for (const o of own) names.delete(o.metadata.name);
    const implied = [...names].map((name) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { "kubernetes.io/metadata.name": name }, uid: randomUUID(), resourceVersion: "1", creationTimestamp: "2026-01-05T09:00:00Z" },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    }));
    return [...own, ...implied];
  }

  private serveGet(route: Route, send: (s: number, b: unknown) => void): void {
    const r = route.resource;
    const obj = this.stored(r).find((o) => o.metadata.name === route.name && (r.namespaced ? o.metadata.namespace === route.namespace : true));
    if (!obj || (r.namespaced && !route.namespace)) {
      return send(404, kubeStatus(404, "NotFound", `${qualifiedResource(r)} "${route.name}" not found`, { name: route.name, group: r.group, kind: r.plural }));
    }
    send(200, obj);
  }

  private serveList(route: Route, query: Record<string, string>, send: (s: number, b: unknown) => void): void {
    const r = route.resource;
    let matches: (labels: Record<string, string>) => boolean;
    try {
      matches = parseLabelSelector(query.labelSelector ?? "");
    } catch (err) {
      return send(400, kubeStatus(400, "BadRequest", (err as Error).message));
    }
    const gv = groupVersionOf(r);
    let items = this.stored(r)
      .filter((o) => !route.namespace || o.metadata.namespace === route.namespace)
      .filter((o) => matches((o.metadata.labels as Record<string, string> | undefined) ?? {}))
      .sort((a, b) => itemKey(a).localeCompare(itemKey(b)));
    let rv = String(this.revision);
    if (query.continue) {
      let token: { v?: string; rv?: number; start?: string };
      try {
        token = JSON.parse(Buffer.from(query.continue, "base64").toString("utf8")) as typeof token;
        if (token.v !== "meta.k8s.io/v1" || typeof token.start !== "string" || typeof token.rv !== "number") throw new Error("bad");
      } catch {
        return send(400, kubeStatus(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
      }
      items = items.filter((o) => itemKey(o) >= token.start!);
      rv = String(token.rv);
    }
    const requested = query.limit ? Number(query.limit) : 0;
    const limit = requested > 0 ? Math.min(requested, this.opts.pageLimitMax ?? Infinity) : (this.opts.pageLimitMax ?? 0);
    const page = limit > 0 ? items.slice(0, limit) : items;
    const rest = items.length - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (rest > 0) {
      metadata.continue = b64(JSON.stringify({ v: "meta.k8s.io/v1", rv: Number(rv), start: `${itemKey(items[page.length]!)}` }));
      if (!query.labelSelector && !query.fieldSelector) metadata.remainingItemCount = rest;
    }
    // Items of a list carry no apiVersion/kind: the list's kind says what they are.
    send(200, { kind: `${r.kind}List`, apiVersion: gv, metadata, items: page.map(({ apiVersion: _a, kind: _k, ...rest }) => rest) });
  }
}

const itemKey = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A 200 list that never ends: items written as fast as the client reads, until it hangs up. */
async function endless(res: ServerResponse): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[');
  const chunk = Buffer.from(`${JSON.stringify({ metadata: { name: "x", namespace: "shop" }, data: { pad: "y".repeat(60_000) } })},`);
  let open = true;
  let wake: () => void = () => undefined;
  res.once("close", () => {
    open = false;
    wake();
  });
  while (open && !res.destroyed) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        res.once("drain", resolve);
      });
    }
  }
}
