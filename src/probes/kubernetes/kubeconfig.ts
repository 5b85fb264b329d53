// One side's kubeconfig, resolved by @kubernetes/client-node (imported here, lazily: `standby
// --version` and file scans never load it): the file (or KUBECONFIG, ~/.kube/config, the in-cluster
// service account), the context, its cluster and user, and the user's credentials (token, client
// certificate, exec plugin, token file) applied to request options by the client itself. The
// requests are ours (request.ts): the generated API client (node-fetch) takes a signal only through
// a middleware and reads every body whole (no byte cap), and its generic KubernetesObjectApi
// fetches discovery on its own; ours count bytes as they arrive and destroy the socket on abort.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from "node:https";
import { resolve } from "node:path";
import { redact, secrets } from "../../core/secrets.js";
import type { Side } from "../../engine/types.js";
import { abortedStep, ProbeError } from "../errors.js";
import { bindExecPlugins } from "./exec-plugin.js";
import { describeSource, kubeconfigSource, kubeContextProblem } from "./kubeconfig-file.js";
import { NAMESPACE_RE, type KubeConnection } from "./options.js";

type ClientModule = typeof import("@kubernetes/client-node");

let client: Promise<ClientModule> | null = null;

async function loadClient(side: Side): Promise<ClientModule> {
  client ??= import("@kubernetes/client-node");
  try {
    return await client;
  } catch {
    client = null;
    throw new ProbeError("error", `${side}: @kubernetes/client-node is not installed`);
  }
}

export interface ResolvedCluster {
  context: string;
  /** API server origin and path prefix, no credentials. */
  server: string;
  namespace: string;
  /** Headers with the credentials (Authorization); never printed. */
  headers: Record<string, string>;
  agent: HttpAgent;
}

/**
 * The cluster, credentials and namespace of `conn.context`. A kubeconfig that is missing or
 * unreadable is unreadable-input; a context that is not in it is an error worded as the config
 * problem it is (validate reports both at load time: kube-reach.ts).
 */
export async function resolveCluster(conn: KubeConnection, side: Side, baseDir: string, maxSockets: number, signal: AbortSignal): Promise<ResolvedCluster> {
  const src = kubeconfigSource(conn, baseDir);
  // The client would fall back to http://localhost:8080 (context "loaded-context"): say what is missing instead.
  if (src.kind === "none") throw new ProbeError("unreadable-input", `${side}: ${kubeContextProblem(conn, baseDir)}`);
  const from = describeSource(src);
  const k8s = await loadClient(side);
  const kc = new k8s.KubeConfig();
  bindExecPlugins(kc, signal);
  try {
    if (conn.kubeconfig) kc.loadFromFile(resolve(baseDir, conn.kubeconfig));
    else kc.loadFromDefault();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code ? `cannot read (${code})` : `not a valid kubeconfig (${redact(String((err as Error).message ?? err)).slice(0, 200)})`;
    throw new ProbeError("unreadable-input", `${side}: ${from}: ${why}`);
  }
  const context = kc.getContextObject(conn.context);
  if (!context) {
    const known = kc.getContexts().map((c) => c.name);
    const list = known.length ? `; it has ${known.map((n) => `"${n}"`).join(", ")}` : "; it has no contexts";
    throw new ProbeError("error", `${side}: context "${conn.context}" is not in ${from}${list}: fix the check's \`context\``);
  }
  kc.setCurrentContext(conn.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ProbeError("error", `${side}: context "${conn.context}" names cluster "${context.cluster}", which is not in ${from}`);
  let server: URL;
  try {
    server = new URL(cluster.server);
    if (server.protocol !== "https:" && server.protocol !== "http:") throw new Error("scheme");
  } catch {
    throw new ProbeError("error", `${side}: cluster "${cluster.name}" of context "${conn.context}" has no valid http(s) server URL`);
  }

  // The client refuses plain http unless the cluster says so; say it in the kubeconfig's words.
  if (server.protocol === "http:" && !cluster.skipTLSVerify) {
    throw new ProbeError("error", `${side}: cluster "${cluster.name}" of context "${conn.context}" is plain http:// (${server.origin}): set insecure-skip-tls-verify: true on it to allow an unencrypted API server`);
  }
  // The client's gcp and azure auth-providers run `cmd-path` with execSync when the token needs a
  // refresh: no timeout, and the whole process (every check, the TUI, watch) frozen while it runs.
  const provider = kc.getCurrentUser()?.authProvider as { name?: unknown; config?: Record<string, unknown> } | undefined;
  if ((provider?.name === "gcp" || provider?.name === "azure") && provider.config?.["cmd-path"]) {
    throw new ProbeError(
      "not-authorized",
      `${side} ${conn.context}: user "${context.user}" refreshes its token with the ${provider.name} auth-provider's cmd-path, which the client runs synchronously (it would stop the whole scan while it runs): use an exec credential plugin instead (gke-gcloud-auth-plugin, kubelogin)`,
    );
  }
  const opts: RequestOptions = {};
  try {
    // Token, token file, exec plugin, auth provider, client certificate, CA, TLS server name. An
    // exec plugin runs without a timeout of its own: the check's signal bounds the wait and kills it (exec-plugin.ts).
    await untilAborted(kc.applyToHTTPSOptions(opts), signal, `${side} ${conn.context}: credentials of user "${context.user}"`);
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    throw new ProbeError("not-authorized", `${side} ${conn.context}: no credentials for user "${context.user}": ${redact(String((err as Error).message ?? err)).slice(0, 300)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === "string" || typeof v === "number") headers[k] = String(v);
  if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
  // A server that echoes a credential back (in a Status message, a redirect) never gets it printed.
  for (const v of Object.values(headers)) {
    const m = /^(?:Bearer|Basic)\s+(.+)$/i.exec(v);
    if (m) secrets.add(m[1]!);
  }
  const tls: AgentOptions = {
    ...pick(opts, ["ca", "cert", "key", "pfx", "passphrase", "servername"]),
    ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };
  // Through a proxy, the client's own agent (it knows socks/http proxies); else ours, kept alive.
  const agent = cluster.proxyUrl && opts.agent
    ? (opts.agent as HttpAgent)
    : server.protocol === "https:"
      ? new HttpsAgent({ ...tls, keepAlive: true, maxSockets })
      : new HttpAgent({ keepAlive: true, maxSockets });
  const namespace = conn.namespace ?? context.namespace ?? "default";
  if (!NAMESPACE_RE.test(namespace)) throw new ProbeError("error", `${side}: context "${conn.context}" has namespace "${namespace.slice(0, 80)}", which is not a namespace name`);
  return {
    context: conn.context,
    server: `${server.origin}${server.pathname.replace(/\/+$/, "")}`,
    namespace,
    headers,
    agent,
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** `work`, or the check's abort as a ProbeError (the work is left to finish on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortedStep(what, signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedStep(what, signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
