// The Kubernetes probe against the loopback API server over TLS, through real kubeconfigs read by
// @kubernetes/client-node: bearer-token and client-certificate users, discovery, GET, LIST with
// continue and selectors, and each refusal the API server can give.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { openCluster } from "../../src/probes/kubernetes/index.js";
import { kubeContext, kubePki, probeFailure, startKubeServer, tempDir, writeKubeconfig, type KubePki } from "../helpers/kube-cluster.js";
import { realisticConfigMap, realisticDeployment } from "../helpers/kube-objects.js";

const TOKEN = "kube-token-7f3a9c1e";
let pki: KubePki;
let server: KubeApiServer;
let dir = "";

beforeAll(async () => {
  pki = await kubePki();
  server = await startKubeServer(pki, { token: TOKEN });
  for (let i = 1; i <= 5; i++) server.put(realisticDeployment(`web-${i}`, { labels: { app: "web", tier: i <= 3 ? "front" : "back" } }));
  server.put(realisticDeployment("worker", { labels: { app: "worker" } }));
  server.put(realisticDeployment("other-ns", { namespace: "ops" }));
  server.put(realisticConfigMap("settings", { mode: "active" }));
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "prod-token", server, namespace: "shop", token: TOKEN },
    { name: "prod-cert", server, namespace: "shop", clientCert: { cert: pki.client.certPem, key: pki.client.keyPem } },
    { name: "prod-bad-token", server, namespace: "shop", token: "wrong-token" },
    { name: "no-namespace", server, token: TOKEN },
  ]);
  // An exec plugin (as aws eks get-token, gke-gcloud-auth-plugin): a program that prints an ExecCredential.
  const plugin = join(dir, "token-plugin.mjs");
  writeFileSync(plugin, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: ${JSON.stringify(TOKEN)} } }));\n`);
  chmodSync(plugin, 0o755);
  const hang = join(dir, "hang-plugin.mjs");
  writeFileSync(hang, `#!${process.execPath}\nsetTimeout(() => {}, 5000);\n`);
  chmodSync(hang, 0o755);
  const exec = (command: string) => ({ exec: { apiVersion: "client.authentication.k8s.io/v1", command, interactiveMode: "Never" } });
  writeFileSync(
    join(dir, "exec-kubeconfig"),
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: server.url, "certificate-authority-data": Buffer.from(pki.ca.certPem).toString("base64") } }],
      users: [
        { name: "plugin", user: exec(plugin) },
        { name: "hang", user: exec(hang) },
      ],
      contexts: [
        { name: "exec", context: { cluster: "c", user: "plugin", namespace: "shop" } },
        { name: "exec-hang", context: { cluster: "c", user: "hang", namespace: "shop" } },
      ],
    }),
  );
});

afterAll(() => server.stop());

const open = (context: string, extra: { namespace?: string } = {}, ctx = kubeContext(dir)) => openCluster({ context, kubeconfig: "kubeconfig", ...extra }, "standby", ctx);

const failure = probeFailure;

describe("kubernetes probe: auth and reads", () => {
  it("reads a named object with a bearer token, and describes the side without credentials", async () => {
    const c = await open("prod-token");
    expect(c.describe).toEqual({ context: "prod-token", server: server.url, namespace: "shop" });
    const d = await c.get("apps/v1", "Deployment", "web-1");
    expect(d?.metadata.name).toBe("web-1");
    expect(d?.apiVersion).toBe("apps/v1");
    expect((d?.spec as { replicas: number }).replicas).toBe(3);
    expect(server.requests.at(-1)).toMatchObject({ path: "/apis/apps/v1/namespaces/shop/deployments/web-1", user: "standby-reader" });
    c.close();
  });

  it("authenticates with a client certificate from the kubeconfig", async () => {
    const c = await open("prod-cert");
    expect((await c.get("v1", "ConfigMap", "settings"))?.data).toEqual({ mode: "active" });
    expect(server.requests.at(-1)).toMatchObject({ path: "/api/v1/namespaces/shop/configmaps/settings", user: "standby-cert-user" });
    c.close();
  });

  it("uses the context's namespace, the option's over it, and default without either", async () => {
    expect((await open("no-namespace")).describe.namespace).toBe("default");
    const c = await open("prod-token", { namespace: "ops" });
    expect((await c.list("apps/v1", "Deployment")).map((o) => o.metadata.name)).toEqual(["other-ns"]);
  });

  it("returns null for a named object that is not there (404 NotFound)", async () => {
    const c = await open("prod-token");
    expect(await c.get("apps/v1", "Deployment", "nope")).toBeNull();
  });

  it("lists through continue tokens, a page at a time, items with apiVersion and kind", async () => {
    const c = await open("prod-token");
    const pages: string[][] = [];
    const before = server.requests.length;
    const all = await c.list("apps/v1", "Deployment", { limit: 2, onPage: (items) => pages.push(items.map((i) => i.metadata.name)) });
    expect(pages).toEqual([["web-1", "web-2"], ["web-3", "web-4"], ["web-5", "worker"]]);
    expect(all.every((o) => o.kind === "Deployment" && o.apiVersion === "apps/v1")).toBe(true);
    const lists = server.requests.slice(before).filter((r) => r.path.endsWith("/deployments"));
    expect(lists.map((r) => Boolean(r.query.continue))).toEqual([false, true, true]);
    expect(lists.every((r) => r.query.limit === "2")).toBe(true);
  });

  it("passes label selectors to the server", async () => {
    const c = await open("prod-token");
    const names = async (selector: string) => (await c.list("apps/v1", "Deployment", { selector, limit: 2 })).map((o) => o.metadata.name);
    expect(await names("app=web,tier=front")).toEqual(["web-1", "web-2", "web-3"]);
    expect(await names("app in (web),tier notin (front)")).toEqual(["web-4", "web-5"]);
    expect(await names("app!=web")).toEqual(["worker"]);
    expect(await names("!tier")).toEqual(["worker"]);
    expect(server.requests.at(-1)?.query.labelSelector).toBe("!tier");
    expect(await names("tier")).toEqual(["web-1", "web-2", "web-3", "web-4", "web-5"]);
    expect(await names("app==web,tier=back")).toEqual(["web-4", "web-5"]);
    const bad = await failure(c.list("apps/v1", "Deployment", { selector: "app=(web" }));
    expect(bad.reason).toBe("error");
    expect(bad.message).toMatch(/with selector app=\(web: the API server rejected the request \(400 BadRequest\): unable to parse requirement/);
  });

  it("discovers each group version once per cluster object, and again in a new one (no cache across runs)", async () => {
    const c = await open("prod-token");
    const before = server.requests.length;
    await c.get("apps/v1", "Deployment", "web-1");
    await c.get("apps/v1", "Deployment", "web-2");
    const discovery = () => server.requests.slice(before).filter((r) => r.path === "/apis/apps/v1").length;
    expect(discovery()).toBe(1);
    await (await open("prod-token")).get("apps/v1", "Deployment", "web-1");
    expect(discovery()).toBe(2);
  });

  it("a name that would be another path of the API ('..', 'a/b', '%2e%2e') is refused before any request", async () => {
    const c = await open("prod-token");
    await c.get("apps/v1", "Deployment", "web-1");
    const before = server.requests.length;
    for (const name of ["..", ".", "../../namespaces", "a/b", "%2e%2e", "web 1", ""]) {
      const e = await failure(c.get("apps/v1", "Deployment", name));
      expect(e.reason).toBe("error");
      expect(e.message).toMatch(/: not an object name/);
    }
    expect(server.requests.length).toBe(before);
    const ns = await failure(openCluster({ context: "prod-token", kubeconfig: "kubeconfig", namespace: "../kube-system" }, "standby", kubeContext(dir)));
    expect(ns.message).toBe('standby: context "prod-token" has namespace "../kube-system", which is not a namespace name');
  });

  it("names a kind the server does not serve", async () => {
    const c = await open("prod-token");
    const e = await failure(c.get("apps/v1", "DaemonSet", "x"));
    expect(e.reason).toBe("error");
    expect(e.message).toMatch(/does not serve kind DaemonSet in apps\/v1 \(it serves Deployment, StatefulSet\)/);
    const g = await failure(c.get("batch/v1", "Job", "x"));
    expect(g.message).toContain("does not serve batch/v1");
  });
});

describe("kubernetes probe: exec plugins", () => {
  it("authenticates with the token an exec plugin prints", async () => {
    const c = await openCluster({ context: "exec", kubeconfig: "exec-kubeconfig" }, "primary", kubeContext(dir));
    expect((await c.get("apps/v1", "Deployment", "web-1"))?.metadata.name).toBe("web-1");
    expect(server.requests.at(-1)?.user).toBe("standby-reader");
    c.close();
  });

  it("a plugin that never exits is bounded by the check's deadline", async () => {
    const ac = new AbortController();
    const p = openCluster({ context: "exec-hang", kubeconfig: "exec-kubeconfig" }, "primary", kubeContext(dir, 30_000, ac.signal));
    setTimeout(() => ac.abort(Object.assign(new Error("timed out after 1s"), { name: "TimeoutError" })), 300);
    const e = await failure(p);
    expect(e.reason).toBe("timeout");
    expect(e.message).toBe('primary exec-hang: credentials of user "hang": timed out after 1s');
  });
});

describe("kubernetes probe: refusals", () => {
  it("429 (priority and fairness) is retried as Retry-After says", async () => {
    const c = await open("prod-token");
    await c.get("apps/v1", "Deployment", "web-1");
    server.fault({ kind: "429", path: /deployments\/web-1$/, times: 2 });
    expect((await c.get("apps/v1", "Deployment", "web-1"))?.metadata.name).toBe("web-1");
    server.fault({ kind: "429", path: /deployments\/web-1$/, times: 3 });
    const e = await failure(c.get("apps/v1", "Deployment", "web-1"));
    expect(e.message).toMatch(/the API server is throttling \(429 after 3 attempts\)/);
  });

  it("a list whose pages never end stops (empty pages that keep saying continue)", async () => {
    const c = await open("prod-token");
    await c.get("apps/v1", "Deployment", "web-1");
    server.fault({ kind: "endlessContinue", path: /deployments\?/, times: Infinity });
    try {
      const e = await failure(c.list("apps/v1", "Deployment"));
      expect(e.reason).toBe("invalid-response");
      expect(e.message).toMatch(/still had more after 2000 pages \(a list that never ends\)$/);
    } finally {
      server.clearFaults();
    }
  });

  it("401: the credentials were rejected, naming verb, resource and namespace", async () => {
    const c = await open("prod-bad-token");
    const e = await failure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("not-authorized");
    expect(e.message).toMatch(/^standby prod-bad-token: discovery of apps\/v1: unauthorized \(401\)/);
    expect(e.message).not.toContain("wrong-token");
  });

  it("403 on list and on get: verb, resource and namespace refused, with the server's words", async () => {
    const c = await open("prod-token");
    server.fault({ kind: "403", path: /\/deployments(\?|$)/, times: 1 });
    const e = await failure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("not-authorized");
    expect(e.message).toBe(
      'standby prod-token: list deployments.apps in namespace shop: forbidden (403): deployments.apps is forbidden: User "standby-reader" cannot list resource "deployments" in API group "apps" in the namespace "shop"',
    );
    server.fault({ kind: "403", path: /\/secrets\/db$/, times: 1 });
    const g = await failure(c.get("v1", "Secret", "db"));
    expect(g.message).toMatch(/^standby prod-token: get secrets "db" in namespace shop: forbidden \(403\): secrets "db" is forbidden: User "standby-reader" cannot get resource "secrets"/);
  });

  it("410 Expired while following continue: a clear unknown, never half a list", async () => {
    const c = await open("prod-token");
    server.fault({ kind: "410", path: /continue=/, times: 1 });
    const e = await failure(c.list("apps/v1", "Deployment", { limit: 2 }));
    expect(e.reason).toBe("error");
    expect(e.message).toMatch(/list deployments\.apps in namespace shop: the list changed while it was read page by page and its continue token expired \(410 Expired, after page 1\)/);
  });

  it("500 with a Status: invalid-response with the server's reason", async () => {
    const c = await open("prod-token");
    server.fault({ kind: "500", path: /deployments\/web-1/, times: 1 });
    const e = await failure(c.get("apps/v1", "Deployment", "web-1"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toMatch(/HTTP 500 \(InternalError\): Internal error occurred: etcdserver: request timed out/);
  });

  it("an error that is no Status (a proxy's HTML page) is invalid-response, and a 404 that is no Status is not 'missing'", async () => {
    const c = await open("prod-token");
    await c.get("apps/v1", "Deployment", "web-1");
    server.fault({ kind: "notStatus", path: /deployments\/web-1/, times: 1 });
    const e = await failure(c.get("apps/v1", "Deployment", "web-1"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toMatch(/HTTP 502 with text\/html, not JSON \(a proxy in front of the API server\?\)/);
  });

  it("malformed JSON on a 200 list is invalid-response", async () => {
    const c = await open("prod-token");
    await c.get("apps/v1", "Deployment", "web-1");
    server.fault({ kind: "badJson", path: /deployments\?/, times: 1 });
    const e = await failure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toMatch(/the reply is not a DeploymentList \(not JSON\)/);
  });

  it("an endless reply stops at the byte cap", async () => {
    const c = await openCluster({ context: "prod-token", kubeconfig: "kubeconfig" }, "standby", kubeContext(dir), { maxReplyBytes: 2 * 1024 * 1024 });
    await c.get("apps/v1", "Deployment", "web-1");
    server.fault({ kind: "huge", path: /configmaps\?/, times: 1 });
    const e = await failure(c.list("v1", "ConfigMap"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toMatch(/list configmaps in namespace shop: the reply exceeded 2 MiB \(the read limit per reply\)/);
  });
});
