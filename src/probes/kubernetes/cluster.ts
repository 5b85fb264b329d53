// One side's cluster for one run: kubeconfig resolved (kubeconfig.ts), kinds mapped to resources by
// discovery (cached in this object only: nothing outlives the run), objects read with GET and
// LIST (continue followed), and every answer judged: 401/403 name the verb, resource and namespace
// refused, 404 of a named object is null (missing), 410 while paging is a clear unknown, anything
// that is not the expected JSON is invalid-response. Never a pass on doubt.
import type { CheckContext, Side } from "../../engine/types.js";
import { MiB } from "../byte-cap.js";
import { abortedStep, ProbeError } from "../errors.js";
import { resolveCluster, type ResolvedCluster } from "./kubeconfig.js";
import { OBJECT_NAME_RE, type KubeConnection } from "./options.js";
import { kubeGet, statusOf, type KubeReply } from "./request.js";
import type { KubeCluster, KubeObject } from "./types.js";

/** Objects per LIST page: kubectl's default chunk size (--chunk-size=500). */
export const PAGE_LIMIT = 500;
/** Per reply: a page of 500 sizeable objects fits (a Deployment with managedFields is ~5 KiB); an endless reply stops here. */
export const MAX_REPLY_BYTES = 64 * MiB;
/** A list longer than this is refused rather than read into memory. */
export const MAX_LIST_ITEMS = 100_000;
const RETRIES_429 = 3;
/** Pages of one list: empty pages that keep saying "continue" end here. */
export const MAX_PAGES = 2000;
/** Longest continue token sent back (and kept, to spot a loop). */
export const MAX_CONTINUE_CHARS = 4096;

interface Resource {
  plural: string;
  namespaced: boolean;
  /** "deployments.apps", "configmaps": as the API server names it. */
  qualified: string;
}

export interface OpenOptions {
  /** Per-request deadline; default the check's timeout. */
  requestTimeoutMs?: number;
  maxReplyBytes?: number;
  maxSockets?: number;
}

export async function openCluster(conn: KubeConnection, side: Side, ctx: CheckContext, options: OpenOptions = {}): Promise<KubeCluster> {
  const resolved = await resolveCluster(conn, side, ctx.baseDir, options.maxSockets ?? 8, ctx.signal);
  return new Cluster(resolved, side, ctx, options);
}

const groupPath = (apiVersion: string): string => (apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
const enc = encodeURIComponent;

class Cluster implements KubeCluster {
  readonly describe: { context: string; server: string; namespace: string };
  requests = 0;
  private readonly discovery = new Map<string, Promise<Map<string, Resource>>>();
  private readonly who: string;

  constructor(
    private readonly c: ResolvedCluster,
    side: Side,
    private readonly ctx: CheckContext,
    private readonly options: OpenOptions,
  ) {
    this.describe = { context: c.context, server: c.server, namespace: c.namespace };
    this.who = `${side} ${c.context}`;
  }

  async get(apiVersion: string, kind: string, name: string): Promise<KubeObject | null> {
    const r = await this.resource(apiVersion, kind);
    const where = r.namespaced ? ` in namespace ${this.c.namespace}` : "";
    const what = `${this.who}: get ${r.qualified} "${name}"${where}`;
    // "..", "a/b" or "%2e%2e" would name another path of the API (URLs resolve dot segments).
    if (!OBJECT_NAME_RE.test(name)) throw new ProbeError("error", `${what}: not an object name (it starts with a letter or digit; no '/', '%' or spaces)`);
    const reply = await this.send(this.collection(apiVersion, r) + `/${enc(name)}`, {}, what);
    if (reply.status === 404) {
      // A 404 that is no Status (a proxy's page, a wrong server path) is not proof the object is missing.
      if (statusOf(reply.json)?.reason === "NotFound") return null;
      throw this.refusal(reply, what);
    }
    if (reply.status !== 200) throw this.refusal(reply, what);
    const obj = this.object(reply.json, apiVersion, kind, what, r);
    // A proxy or a broken server answering another object: judging it would judge the wrong thing.
    if (obj.metadata.name !== name) throw new ProbeError("invalid-response", `${what}: the API server answered "${String(obj.metadata.name).slice(0, 80)}"`);
    return obj;
  }

  async list(apiVersion: string, kind: string, opts: { selector?: string; limit?: number; onPage?: (items: KubeObject[]) => void } = {}): Promise<KubeObject[]> {
    const r = await this.resource(apiVersion, kind);
    const where = r.namespaced ? ` in namespace ${this.c.namespace}` : "";
    const sel = opts.selector ? ` with selector ${opts.selector}` : "";
    const what = `${this.who}: list ${r.qualified}${where}${sel}`;
    const path = this.collection(apiVersion, r);
    // With onPage the caller consumes each page: keeping them too would hold the whole list twice.
    const all: KubeObject[] = [];
    let total = 0;
    const names = new Set<string>();
    const tokens = new Set<string>();
    let token: string | undefined;
    for (let page = 1; ; page++) {
      const query: Record<string, string> = { limit: String(opts.limit ?? PAGE_LIMIT) };
      if (opts.selector) query.labelSelector = opts.selector;
      if (token) query.continue = token;
      const reply = await this.send(path, query, what);
      if (reply.status === 410 && token) {
        throw new ProbeError(
          "error",
          `${what}: the list changed while it was read page by page and its continue token expired (410 Expired, after page ${page - 1}); nothing is judged on half a list: run again, or raise the page limit`,
          { status: 410 },
        );
      }
      if (reply.status !== 200) throw this.refusal(reply, what);
      const body = reply.json as { kind?: unknown; items?: unknown; metadata?: { continue?: unknown } } | undefined;
      if (!body || typeof body !== "object" || !Array.isArray(body.items) || body.kind !== `${kind}List`) {
        const got = reply.json === undefined ? "not JSON" : typeof body?.kind === "string" ? `${body.kind.slice(0, 60)}, not a ${kind}List` : "no items";
        throw new ProbeError("invalid-response", `${what}: the reply is not a ${kind}List (${got})`);
      }
      const items = body.items.map((item) => this.object(item, apiVersion, kind, what, r));
      total += items.length;
      if (total > MAX_LIST_ITEMS) throw new ProbeError("invalid-response", `${what}: more than ${MAX_LIST_ITEMS} objects; select fewer with a label selector`);
      for (const o of items) {
        // One namespace cannot hold a name twice: a server that says so would have one of them judged at random.
        const id = `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        if (names.has(id)) throw new ProbeError("invalid-response", `${what}: the API server listed "${id.slice(0, 120)}" twice`);
        names.add(id);
      }
      if (opts.onPage) opts.onPage(items);
      else all.push(...items);
      const next = body.metadata?.continue;
      if (typeof next !== "string" || next === "") return all;
      // A real token is a few hundred bytes (base64 of a resource version and a key); one sent back in a URL must stay small.
      if (next.length > MAX_CONTINUE_CHARS) throw new ProbeError("invalid-response", `${what}: the API server's continue token is ${next.length} characters long (no real one passes ${MAX_CONTINUE_CHARS})`);
      if (tokens.has(next) || page >= MAX_PAGES) {
        throw new ProbeError("invalid-response", `${what}: the API server ${tokens.has(next) ? "returned a continue token it had already returned" : `still had more after ${MAX_PAGES} pages`} (a list that never ends)`);
      }
      tokens.add(next);
      token = next;
    }
  }

  close(): void {
    this.c.agent.destroy();
  }

  private collection(apiVersion: string, r: Resource): string {
    return `${groupPath(apiVersion)}${r.namespaced ? `/namespaces/${enc(this.c.namespace)}` : ""}/${r.plural}`;
  }

  /** The resource of a kind, by discovery (once per group version in this run). */
  private async resource(apiVersion: string, kind: string): Promise<Resource> {
    let known = this.discovery.get(apiVersion);
    if (!known) {
      known = this.discover(apiVersion);
      this.discovery.set(apiVersion, known);
      known.catch(() => this.discovery.delete(apiVersion));
    }
    const r = (await known).get(kind);
    if (!r) {
      const served = [...(await known).keys()].sort().join(", ");
      throw new ProbeError("error", `${this.who}: the API server does not serve kind ${kind} in ${apiVersion}${served ? ` (it serves ${served})` : ""}`);
    }
    return r;
  }

  private async discover(apiVersion: string): Promise<Map<string, Resource>> {
    const what = `${this.who}: discovery of ${apiVersion}`;
    const reply = await this.send(groupPath(apiVersion), {}, what);
    if (reply.status === 404) throw new ProbeError("error", `${this.who}: the API server does not serve ${apiVersion} (GET ${groupPath(apiVersion)}: 404)`, { status: 404 });
    if (reply.status !== 200) throw this.refusal(reply, what);
    const list = reply.json as { kind?: unknown; resources?: unknown } | undefined;
    if (!list || list.kind !== "APIResourceList" || !Array.isArray(list.resources)) throw new ProbeError("invalid-response", `${what}: the reply is not an APIResourceList`);
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
    const out = new Map<string, Resource>();
    for (const r of list.resources as Array<{ name?: unknown; kind?: unknown; namespaced?: unknown }>) {
      // Subresources (deployments/status, deployments/scale) share the kind: skip them.
      if (typeof r?.name !== "string" || typeof r.kind !== "string" || r.name.includes("/") || out.has(r.kind)) continue;
      out.set(r.kind, { plural: r.name, namespaced: r.namespaced === true, qualified: group ? `${r.name}.${group}` : r.name });
    }
    return out;
  }

  /** One GET, retried on 429 (the API server's priority and fairness) as it asks, within the deadline. */
  private async send(path: string, query: Record<string, string>, what: string): Promise<KubeReply> {
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      const reply = await kubeGet(this.c, path, query, {
        signal: this.ctx.signal,
        timeoutMs: this.options.requestTimeoutMs ?? this.ctx.timeoutMs,
        maxBytes: this.options.maxReplyBytes ?? MAX_REPLY_BYTES,
        what,
      });
      if (reply.status !== 429 || attempt >= RETRIES_429) return reply;
      await wait(Math.min(reply.retryAfterS ?? 1, 5) * 1000, this.ctx.signal, what);
    }
  }

  private object(item: unknown, apiVersion: string, kind: string, what: string, r: Resource): KubeObject {
    const o = item as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!o || typeof o !== "object" || Array.isArray(o) || !o.metadata || typeof o.metadata !== "object" || typeof o.metadata.name !== "string") {
      throw new ProbeError("invalid-response", `${what}: the reply holds ${item === undefined ? "no JSON" : "an object without metadata.name"}`);
    }
    const name = `"${o.metadata.name.slice(0, 80)}"`;
    if ((o.kind !== undefined && o.kind !== kind) || (o.apiVersion !== undefined && o.apiVersion !== apiVersion)) {
      throw new ProbeError("invalid-response", `${what}: ${name} is a ${String(o.apiVersion).slice(0, 60)} ${String(o.kind).slice(0, 60)}, not a ${apiVersion} ${kind}`);
    }
    // A namespaced kind is read in one namespace; a cluster-scoped one has none (a discovery that
    // called a namespaced kind cluster-scoped would otherwise read every namespace's objects).
    const ns = o.metadata.namespace;
    if (ns !== undefined && ns !== (r.namespaced ? this.c.namespace : "")) {
      throw new ProbeError("invalid-response", `${what}: ${name} is in namespace ${String(ns).slice(0, 63)}, not ${r.namespaced ? this.c.namespace : `none (the API server's discovery says ${r.qualified} is cluster-scoped)`}`);
    }
    // Items of a list carry no apiVersion/kind (the list's kind says what they are): put them back.
    return { ...(o as object), apiVersion, kind } as KubeObject;
  }

  /**
   * A server's message without this side's credentials: the run's redaction leaves alone a value
   * that equals a report word (a token `true`), so an echoed credential is cut here, anywhere.
   */
  private scrub(message: string): string {
    let out = message;
    for (const v of Object.values(this.c.headers)) {
      const cred = /^(?:Bearer|Basic)\s+(.+)$/i.exec(v)?.[1];
      if (cred) out = out.split(cred).join("***");
    }
    return out;
  }

  /** A reply that is not the expected 200, in words: who refused what, and why. */
  private refusal(reply: KubeReply, what: string): ProbeError {
    const st = statusOf(reply.json);
    const why = st?.message ? `: ${this.scrub(st.message)}` : "";
    const { status } = reply;
    if (status === 401) return new ProbeError("not-authorized", `${what}: unauthorized (401): the API server rejected the credentials of context ${this.c.context}${why}`, { status });
    if (status === 403) return new ProbeError("not-authorized", `${what}: forbidden (403)${why}`, { status });
    if (!st) {
      const body = reply.json === undefined ? `${reply.contentType || "no content type"}, not JSON` : "JSON that is not a Kubernetes Status";
      return new ProbeError("invalid-response", `${what}: HTTP ${status} with ${body} (a proxy in front of the API server?)`, { status });
    }
    // The API server refused the request itself (a label selector it cannot parse): fix the config.
    if (status === 400) return new ProbeError("error", `${what}: the API server rejected the request (400 ${st.reason || "BadRequest"})${why}`, { status });
    if (status === 429) return new ProbeError("error", `${what}: the API server is throttling (429 after ${RETRIES_429} attempts)${why}`, { status });
    return new ProbeError("invalid-response", `${what}: HTTP ${status} (${st.reason || "no reason"})${why}`, { status });
  }
}

function wait(ms: number, signal: AbortSignal, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedStep(what, signal));
    const onAbort = () => {
      clearTimeout(t);
      reject(abortedStep(what, signal));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
