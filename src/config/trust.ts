// Untrusted-config mode (DESIGN.md "Untrusted configs"): standby.yml is code, and one from a pull
// request is someone else's. In this mode no command runs, ${env:} reads only allowed names (never
// the runner's own credentials), every file stays inside the workspace once symlinks are
// resolved, and network targets stay within allowed-hosts when that list is given. Each refusal
// is a message; the loader reports it at the option's line (load.ts).
import { realpathSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { allowed, connectionFiles, connectionTargets, describeTarget, parseHostPattern, serverTarget, urlTarget, type HostPattern, type Target } from "./hosts.js";
import type { ReachAt } from "../options/reach.js";
import type { RedirectGuard } from "../probes/redirect-guard.js";
import { kubeconfigSource, readContexts } from "../probes/kubernetes/kubeconfig-file.js";

export interface UntrustedSettings {
  /** Files must resolve inside this directory (the CLI's current directory, the Action's working directory). */
  workspace: string;
  /** Names ${env:} may read. */
  allowedEnv?: readonly string[];
  /** When given, the only hosts standby may connect to. */
  allowedHosts?: readonly string[];
}

export interface TrustPolicy {
  /** Real path (symlinks resolved). */
  workspace: string;
  allowedEnv: ReadonlySet<string>;
  allowedHosts: readonly HostPattern[] | null;
}

const MODE = "in untrusted-config mode";

/** Variables the runner holds its own credentials in: never readable by an untrusted config. */
export function reservedEnv(name: string): boolean {
  const n = name.toUpperCase();
  return n === "GITHUB_TOKEN" || n.startsWith("ACTIONS_") || n.startsWith("RUNNER_");
}

/** The policy; a bad allowed-hosts entry throws (the CLI and the Action check them first, as usage errors). */
export function makePolicy(s: UntrustedSettings): TrustPolicy {
  const patterns: HostPattern[] = [];
  for (const text of s.allowedHosts ?? []) {
    const p = parseHostPattern(text);
    if (typeof p === "string") throw new Error(p);
    patterns.push(p);
  }
  let workspace = resolve(s.workspace);
  try {
    workspace = realpathSync(workspace);
  } catch {
    // A workspace that does not exist holds no file: every file is then refused.
  }
  return { workspace, allowedEnv: new Set(s.allowedEnv ?? []), allowedHosts: s.allowedHosts && s.allowedHosts.length > 0 ? patterns : null };
}

/** Why ${env:NAME} is refused, or null. */
export function envRefusal(name: string, policy: TrustPolicy): string | null {
  if (reservedEnv(name)) return `\${env:${name}} is never readable ${MODE}: GITHUB_TOKEN, ACTIONS_* and RUNNER_* hold the runner's own credentials`;
  if (!policy.allowedEnv.has(name)) return `\${env:${name}} is not allowed ${MODE}: ${name} is not in allowed-env`;
  return null;
}

const inside = (root: string, p: string): boolean => {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * The real path of `abs`, symlinks resolved: of the file when it exists, else of its nearest
 * existing directory with the rest appended (a history file not written yet).
 */
function realOf(abs: string, real: (p: string) => string): string {
  const rest: string[] = [];
  let p = abs;
  for (;;) {
    try {
      return join(real(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return abs;
      rest.unshift(basename(p));
      p = parent;
    }
  }
}

async function realOfAsync(abs: string): Promise<string> {
  const rest: string[] = [];
  let p = abs;
  for (;;) {
    try {
      return join(await realpath(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return abs;
      rest.unshift(basename(p));
      p = parent;
    }
  }
}

function fileMessage(shown: string, real: string, abs: string, policy: TrustPolicy): string | null {
  if (inside(policy.workspace, real)) return null;
  const via = real !== abs ? ` (it resolves to ${real})` : "";
  return `${shown} is outside the workspace ${policy.workspace}${via}: files are confined to the workspace ${MODE}`;
}

/** Why a file path (absolute) is refused, or null. `shown` is how the config names it. */
export function fileRefusal(abs: string, shown: string, policy: TrustPolicy): string | null {
  return fileMessage(shown, realOf(abs, realpathSync), abs, policy);
}

export async function fileRefusalAsync(abs: string, shown: string, policy: TrustPolicy): Promise<string | null> {
  return fileMessage(shown, await realOfAsync(abs), abs, policy);
}

function targetsRefusal(targets: Target[] | null, shown: string, policy: TrustPolicy): string | null {
  if (!policy.allowedHosts) return null;
  const list = policy.allowedHosts.map((p) => p.text).join(", ");
  if (!targets) return `cannot tell which host ${shown} connects to; ${MODE} with allowed-hosts (${list}) every target must be one of them`;
  const bad = targets.find((t) => !allowed(t, policy.allowedHosts!));
  return bad ? `${describeTarget(bad)} is not in allowed-hosts (${list}): network targets are limited to them ${MODE}` : null;
}

/**
 * Why an option's reach is refused, or null. Files are judged against the config's directory
 * (`baseDir`), as the checks resolve them.
 */
export function reachRefusal(r: ReachAt, baseDir: string, policy: TrustPolicy): string | null {
  const v = r.value;
  switch (r.reach.kind) {
    case "label":
      return null;
    case "command":
      return `command sources are not allowed ${MODE}: a config from someone else must not run programs`;
    case "file":
      return fileRefusal(resolve(baseDir, v), v, policy);
    case "url":
      return targetsRefusal(urlHost(v), "this URL", policy);
    case "server":
      return targetsRefusal(one(serverTarget(v, r.reach.defaultPort)), v, policy);
    case "host":
      return targetsRefusal([r.reach.port === undefined ? { host: v } : { host: v, port: r.reach.port }], v, policy);
    case "connection": {
      for (const f of connectionFiles(v)) {
        // The driver (pg's sslcert, sslkey, sslrootcert) opens a relative path from the process's
        // directory, not the config's: both readings must stay inside the workspace.
        const byConfig = fileRefusal(resolve(baseDir, f), f, policy);
        if (byConfig) return `the connection string reads ${byConfig}`;
        const byDriver = isAbsolute(f) ? null : fileRefusal(resolve(process.cwd(), f), `${f} (the driver opens it from the current directory ${process.cwd()})`, policy);
        if (byDriver) return `the connection string reads ${byDriver}`;
      }
      const targets = connectionTargets(v);
      if (!targets && !policy.allowedHosts) return `the connection string cannot be parsed; ${MODE} standby must see where it connects and which files it reads`;
      return targetsRefusal(targets, "this connection string", policy);
    }
    case "kube-context":
      return kubeContextRefusal(v, r.reach.kubeconfig, baseDir, policy);
  }
}

/** A kubeconfig context reads its kubeconfig and the files it names, may run a program for credentials, and reaches its API server. */
function kubeContextRefusal(context: string, kubeconfig: string | undefined, baseDir: string, policy: TrustPolicy): string | null {
  const src = kubeconfigSource(kubeconfig === undefined ? {} : { kubeconfig }, baseDir);
  if (src.kind === "none") return null;
  if (src.kind === "in-cluster") return `context ${context} would use the in-cluster service account, the runner's own credentials: refused ${MODE}`;
  for (const f of src.files) {
    const why = fileRefusal(f, f, policy);
    if (why) return `the kubeconfig ${src.from === "option" ? "" : `(${src.from === "home" ? "~/.kube/config" : "KUBECONFIG"}) `}${why}`;
  }
  const read = readContexts(src);
  const entry = "contexts" in read ? read.contexts.get(context) : undefined;
  if (!entry) return null; // validate names the problem; nothing is reached
  if (entry.user?.runsCommand) return `context ${context} runs ${entry.user.runsCommand} for its credentials: command sources are not allowed ${MODE}`;
  for (const f of entry.files) {
    const why = fileRefusal(f, f, policy);
    if (why) return `context ${context} reads ${why}`;
  }
  return entry.server ? targetsRefusal(urlHost(entry.server), `the API server of context ${context}`, policy) : null;
}

const one = (t: Target | null): Target[] | null => (t ? [t] : null);
const urlHost = (v: string): Target[] | null => one(urlTarget(v));

/** The host rule for the redirects an HTTP probe follows (null: no allowed-hosts, any host). */
export function redirectGuardFor(policy: TrustPolicy | undefined): RedirectGuard | null {
  const hosts = policy?.allowedHosts;
  if (!hosts) return null;
  return (to) => {
    const target = urlTarget(to.href);
    if (target && allowed(target, hosts)) return null;
    return `a redirect to ${to.origin} is refused ${MODE}: ${target ? describeTarget(target) : to.origin} is not in allowed-hosts`;
  };
}
