// Which kubeconfig a side uses, and what its contexts are, read synchronously without the client:
// `standby validate` reports an unknown context or a missing kubeconfig at the option's line, and
// untrusted-config mode judges what a context would read, run and reach (kube-reach.ts). The
// discovery order is @kubernetes/client-node's loadFromDefault: `kubeconfig`, else KUBECONFIG
// (files joined by the path delimiter, the first file's entries winning), else ~/.kube/config,
// else the in-cluster service account (context "inClusterContext").
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, relative, resolve } from "node:path";
import { parse } from "yaml";
import type { KubeConnection } from "./options.js";

/** The in-cluster context's name, as the client names it. */
export const IN_CLUSTER_CONTEXT = "inClusterContext";
const SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export type KubeconfigSource =
  | { kind: "files"; files: string[]; from: "option" | "KUBECONFIG" | "home" }
  | { kind: "in-cluster"; server: string }
  | { kind: "none" };

export function kubeconfigSource(conn: Pick<KubeConnection, "kubeconfig">, baseDir: string, env: NodeJS.ProcessEnv = process.env): KubeconfigSource {
  if (conn.kubeconfig) return { kind: "files", files: [resolve(baseDir, conn.kubeconfig)], from: "option" };
  if (env.KUBECONFIG) return { kind: "files", files: env.KUBECONFIG.split(delimiter).filter(Boolean).map((f) => resolve(f)), from: "KUBECONFIG" };
  const home = env.HOME || homedir();
  const file = home ? resolve(home, ".kube", "config") : "";
  if (file && existsSync(file)) return { kind: "files", files: [file], from: "home" };
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(SA_TOKEN)) {
    const host = env.KUBERNETES_SERVICE_HOST.includes(":") ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST;
    return { kind: "in-cluster", server: `https://${host}:${env.KUBERNETES_SERVICE_PORT}` };
  }
  return { kind: "none" };
}

const shown = (abs: string): string => {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
};

/** How messages name a source: "kubeconfig prod.yaml", "KUBECONFIG=a:b", "~/.kube/config". */
export function describeSource(src: KubeconfigSource): string {
  if (src.kind === "in-cluster") return "the in-cluster service account";
  if (src.kind === "none") return "no kubeconfig";
  if (src.from === "KUBECONFIG") return `KUBECONFIG=${src.files.join(delimiter)}`;
  return `kubeconfig ${shown(src.files[0]!)}`;
}

export interface KubeUser {
  /** Runs a program for its credentials (exec plugin) or a legacy auth provider. */
  runsCommand: string | null;
}

export interface KubeContextEntry {
  name: string;
  /** The cluster's server URL, when the cluster is there. */
  server: string | null;
  user: KubeUser | null;
  /** Files the cluster and user entries read (CA, client certificate and key, token file). */
  files: string[];
}

type Named = { name?: unknown; [k: string]: unknown };
const list = (v: unknown): Named[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Named[]) : []);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * The contexts of a file source (the first file's entries winning, as the client merges), or a
 * problem in words: a file that is missing, unreadable or not a kubeconfig.
 */
export function readContexts(src: Extract<KubeconfigSource, { kind: "files" }>): { contexts: Map<string, KubeContextEntry> } | { problem: string } {
  const contexts = new Map<string, KubeContextEntry>();
  const clusters = new Map<string, { server: string | null; files: string[] }>();
  const users = new Map<string, { user: KubeUser; files: string[] }>();
  const refs = new Map<string, Record<string, unknown>>();
  for (const file of src.files) {
    let doc: Record<string, unknown>;
    try {
      if (statSync(file).size > 4 * 1024 * 1024) return { problem: `${shown(file)} is larger than 4 MiB: not a kubeconfig` };
      const parsed = parse(readFileSync(file, "utf8")) as unknown;
      if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) return { problem: `${shown(file)} is not a kubeconfig (expected a mapping with clusters, users and contexts)` };
      doc = (parsed ?? {}) as Record<string, unknown>;
    } catch (err) {
      // A file system error has an errno; YAML's parse errors have a code too (MISSING_CHAR).
      const code = (err as NodeJS.ErrnoException).errno === undefined ? undefined : (err as NodeJS.ErrnoException).code;
      return { problem: code === "ENOENT" ? `no such file: ${shown(file)}` : code ? `cannot read ${shown(file)} (${code})` : `${shown(file)} is not valid YAML` };
    }
    const dir = resolve(file, "..");
    const at = (p: unknown): string[] => (str(p) ? [resolve(dir, p as string)] : []);
    for (const c of list(doc.clusters)) {
      const name = str(c.name);
      const cl = (c.cluster ?? {}) as Record<string, unknown>;
      if (name && !clusters.has(name)) clusters.set(name, { server: str(cl.server), files: at(cl["certificate-authority"]) });
    }
    for (const u of list(doc.users)) {
      const name = str(u.name);
      const us = (u.user ?? {}) as Record<string, unknown>;
      const exec = us.exec as { command?: unknown } | undefined;
      const provider = us["auth-provider"] as { name?: unknown } | undefined;
      const runsCommand = exec ? `the exec plugin ${str(exec.command) ?? "(no command)"}` : provider ? `the auth provider ${str(provider.name) ?? "(unnamed)"}` : null;
      if (name && !users.has(name)) users.set(name, { user: { runsCommand }, files: [...at(us["client-certificate"]), ...at(us["client-key"]), ...at(us.tokenFile)] });
    }
    for (const c of list(doc.contexts)) {
      const name = str(c.name);
      if (name && !refs.has(name)) refs.set(name, (c.context ?? {}) as Record<string, unknown>);
    }
  }
  // Contexts link to clusters and users of any of the files: linked once all are read.
  for (const [name, ctx] of refs) {
    const cl = clusters.get(str(ctx.cluster) ?? "");
    const us = users.get(str(ctx.user) ?? "");
    contexts.set(name, { name, server: cl?.server ?? null, user: us?.user ?? null, files: [...(cl?.files ?? []), ...(us?.files ?? [])] });
  }
  return { contexts };
}

/**
 * Why `conn` cannot be used, in words for `standby validate` at the `context` option, or null:
 * no kubeconfig at all, a kubeconfig file missing or broken, or a context that is not in it.
 */
export function kubeContextProblem(conn: KubeConnection, baseDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const src = kubeconfigSource(conn, baseDir, env);
  if (src.kind === "none") return `no kubeconfig: give \`kubeconfig\`, set KUBECONFIG, or write ~/.kube/config (in a pod, the service account is used as context "${IN_CLUSTER_CONTEXT}")`;
  if (src.kind === "in-cluster") return conn.context === IN_CLUSTER_CONTEXT ? null : `context "${conn.context}" is not available in-cluster: the service account's context is "${IN_CLUSTER_CONTEXT}" (or give \`kubeconfig\`)`;
  // A missing `kubeconfig` option is the file check's to report (fileOption).
  if (src.from === "option" && !existsSync(src.files[0]!)) return null;
  const read = readContexts(src);
  if ("problem" in read) return `${describeSource(src)}: ${read.problem}`;
  if (read.contexts.has(conn.context)) return null;
  const names = [...read.contexts.keys()];
  return `context "${conn.context}" is not in ${describeSource(src)}${names.length ? `; it has ${names.map((n) => `"${n}"`).join(", ")}` : "; it has no contexts"}`;
}
