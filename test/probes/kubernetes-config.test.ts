// A Kubernetes connection checked at load time, by the kube-context reach of its schema (every
// kind that tags its connection with tagKubeConnection gets this; tls-certificate's Secret sides
// here): `standby validate` reports an unknown context or a missing kubeconfig at the option's
// file:line:column, and untrusted-config mode refuses a kubeconfig outside the workspace, an exec
// plugin (a program run for credentials) and an API server outside allowed-hosts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../src/config/errors.js";
import { loadConfigText } from "../../src/config/load.js";
import { kubeContextProblem } from "../../src/probes/kubernetes/kubeconfig-file.js";
import { tempDir } from "../helpers/kube-cluster.js";

function kubeconfig(server: string, user: Record<string, unknown> = { token: "t" }, contexts = ["primary", "standby"]): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server } }],
    users: [{ name: "u", user }],
    contexts: contexts.map((name) => ({ name, context: { cluster: "c", user: "u", namespace: "shop" } })),
    "current-context": contexts[0],
  });
}

const config = (primary: string, standby: string) => `version: 1
services:
  - name: shop
    checks:
      - id: shop-tls
        kind: tls-certificate
        primary: { kubernetes: { ${primary}, secret: web-tls } }
        standby: { kubernetes: { ${standby}, secret: web-tls } }
`;

function issues(text: string, baseDir: string, extra: Parameters<typeof loadConfigText>[1] extends infer O ? Partial<O> : never = {}): string[] {
  try {
    loadConfigText(text, { baseDir, displayName: "standby.yml", inputFiles: true, ...extra });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
  }
}

describe("kubernetes connection: options", () => {
  it("a Secret side without `secret`, or with a misspelt key, is a config error at its place", () => {
    const dir = tempDir();
    expect(issues(config("context: primary", "context: standby").replace(", secret: web-tls } }\n        standby", " } }\n        standby"), dir, { inputFiles: false })).toEqual([
      "standby.yml:7:32 services[0].checks[0].primary.kubernetes.secret: required: expected string",
    ]);
    expect(issues(config("context: primary, nmespace: shop", "context: standby"), dir, { inputFiles: false })[0]).toBe(
      "standby.yml:7:52 services[0].checks[0].primary.kubernetes.nmespace: unknown key 'nmespace' (did you mean 'namespace'?)",
    );
    expect(issues(config("context: primary, namespace: ../kube-system", "context: standby"), dir, { inputFiles: false })[0]).toMatch(
      /primary\.kubernetes\.namespace: expected a namespace name: lowercase letters, digits and '-', at most 63 characters$/,
    );
  });
});

describe("kubernetes connection: validate", () => {
  it("a context that is in the kubeconfig passes; one that is not is reported at its line, naming the contexts there", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "kubeconfig"), kubeconfig("https://127.0.0.1:6443"));
    expect(issues(config("context: primary, kubeconfig: kubeconfig", "context: standby, kubeconfig: kubeconfig"), dir)).toEqual([]);
    expect(issues(config("context: primary, kubeconfig: kubeconfig", "context: stanby, kubeconfig: kubeconfig"), dir)).toEqual([
      `standby.yml:8:43 services[0].checks[0].standby.kubernetes.context: context "stanby" is not in kubeconfig ${join(dir, "kubeconfig")}; it has "primary", "standby"`,
    ]);
  });

  it("a missing kubeconfig is reported once, as a missing file", () => {
    const dir = tempDir();
    expect(issues(config("context: primary, kubeconfig: kubeconfig", "context: standby, kubeconfig: kubeconfig"), dir)).toEqual([
      `standby.yml:7:64 services[0].checks[0].primary.kubernetes.kubeconfig: no such file: ${join(dir, "kubeconfig")} (kubeconfig is relative to the config file's directory)`,
      `standby.yml:8:64 services[0].checks[0].standby.kubernetes.kubeconfig: no such file: ${join(dir, "kubeconfig")} (kubeconfig is relative to the config file's directory)`,
    ]);
  });

  it("without `kubeconfig`: KUBECONFIG, ~/.kube/config, in-cluster, or a clear 'no kubeconfig'", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a"), kubeconfig("https://a:6443", { token: "t" }, ["primary"]));
    writeFileSync(join(dir, "b"), kubeconfig("https://b:6443", { token: "t" }, ["standby"]));
    const home = join(dir, "home");
    mkdirSync(join(home, ".kube"), { recursive: true });
    expect(kubeContextProblem({ context: "standby" }, dir, { KUBECONFIG: `${join(dir, "a")}:${join(dir, "b")}` })).toBeNull();
    expect(kubeContextProblem({ context: "x" }, dir, { KUBECONFIG: `${join(dir, "a")}:${join(dir, "b")}` })).toBe(`context "x" is not in KUBECONFIG=${join(dir, "a")}:${join(dir, "b")}; it has "primary", "standby"`);
    expect(kubeContextProblem({ context: "x" }, dir, { KUBECONFIG: join(dir, "missing") })).toBe(`KUBECONFIG=${join(dir, "missing")}: no such file: ${join(dir, "missing")}`);
    expect(kubeContextProblem({ context: "primary" }, dir, { HOME: home })).toMatch(/^no kubeconfig: give `kubeconfig`, set KUBECONFIG, or write ~\/.kube\/config/);
    writeFileSync(join(home, ".kube", "config"), kubeconfig("https://h:6443"));
    expect(kubeContextProblem({ context: "primary" }, dir, { HOME: home })).toBeNull();
    writeFileSync(join(dir, "broken"), "clusters: [ { name: x\n  :");
    expect(kubeContextProblem({ context: "primary", kubeconfig: "broken" }, dir)).toMatch(/broken is not valid YAML$/);
  });
});

describe("kubernetes connection: untrusted-config mode", () => {
  const untrusted = (workspace: string, allowedHosts?: string[]) => ({ untrusted: { workspace, ...(allowedHosts ? { allowedHosts } : {}) } });

  it("a kubeconfig in the workspace naming an allowed server is accepted", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "kubeconfig"), kubeconfig("https://kube.example.com:6443"));
    expect(issues(config("context: primary, kubeconfig: kubeconfig", "context: standby, kubeconfig: kubeconfig"), dir, untrusted(dir, ["kube.example.com"]))).toEqual([]);
  });

  it("an exec plugin is a program run for credentials: refused", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "kubeconfig"), kubeconfig("https://kube.example.com:6443", { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/tmp/steal.sh" } }));
    const found = issues(config("context: primary, kubeconfig: kubeconfig", "context: standby, kubeconfig: kubeconfig"), dir, untrusted(dir));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/primary\.kubernetes\.context: context primary runs the exec plugin \/tmp\/steal\.sh for its credentials: command sources are not allowed in untrusted-config mode$/);
  });

  it("an API server outside allowed-hosts, a kubeconfig or client key outside the workspace: refused", () => {
    const dir = tempDir();
    const ws = join(dir, "ws");
    mkdirSync(ws);
    writeFileSync(join(ws, "kubeconfig"), kubeconfig("https://evil.example.net:6443"));
    writeFileSync(join(ws, "keyed"), kubeconfig("https://kube.example.com:6443", { "client-certificate": "../cert.pem", "client-key": "/etc/ssl/private/key.pem" }));
    writeFileSync(join(dir, "outside"), kubeconfig("https://kube.example.com:6443"));
    const host = issues(config("context: primary, kubeconfig: kubeconfig", "context: standby, kubeconfig: keyed"), ws, untrusted(ws, ["kube.example.com"]));
    expect(host[0]).toMatch(/primary\.kubernetes\.context: evil\.example\.net:6443 is not in allowed-hosts/);
    expect(host[1]).toMatch(/standby\.kubernetes\.context: context standby reads .*cert\.pem is outside the workspace/);
    const outside = issues(config("context: primary, kubeconfig: ../outside", "context: standby, kubeconfig: ../outside"), ws, untrusted(ws));
    expect(outside.some((m) => /primary\.kubernetes\.kubeconfig: .*outside is outside the workspace/.test(m))).toBe(true);
  });
});
