// The loopback API server is only worth what a real client makes of it: kubectl (Debian's
// kubernetes-client) reads it through the same kubeconfig as the probe, over TLS with a token and
// with a client certificate, and must read the same objects (named, listed, selected, chunked
// through continue) and print the API server's own words for 403 and 404. Under CI=true kubectl
// must be present; elsewhere the suite is skipped with a message when it is not. (kubectl hides
// managedFields unless --show-managed-fields: the objects are compared whole.)
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { ProbeError } from "../../src/probes/errors.js";
import { openCluster, type KubeCluster, type KubeObject } from "../../src/probes/kubernetes/index.js";
import { kubeContext, kubePki, startKubeServer, tempDir, writeKubeconfig } from "../helpers/kube-cluster.js";
import { realisticConfigMap, realisticDeployment } from "../helpers/kube-objects.js";
import { assertPresent, findBinary, skipMessage } from "../helpers/servers/common.js";

const run = promisify(execFile);
const kubectlBin = findBinary(["/usr/bin/kubectl", "kubectl"]);
const skip = skipMessage("kubectl", kubectlBin ? null : "kubectl (apt-get install kubernetes-client)");

const TOKEN = "kubectl-token-41c7";
let server: KubeApiServer;
let dir = "";
let kubeconfig = "";

async function kubectl(context: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(kubectlBin!, ["--kubeconfig", kubeconfig, "--context", context, "--cache-dir", join(dir, "cache"), "--request-timeout=10s", ...args, "--show-managed-fields"], { env: { ...process.env, HOME: dir, KUBECONFIG: "" } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const names = (items: KubeObject[]) => items.map((o) => o.metadata.name);

describe.skipIf(skip !== null)("the loopback API server, read by kubectl and by the probe", () => {
  let probe: KubeCluster;

  beforeAll(async () => {
    assertPresent("kubectl", kubectlBin ? null : "kubectl");
    const pki = await kubePki();
    server = await startKubeServer(pki, { token: TOKEN });
    for (let i = 1; i <= 5; i++) server.put(realisticDeployment(`web-${i}`, { labels: { app: "web" } }));
    server.put(realisticDeployment("worker", { labels: { app: "worker" }, replicas: 1 }));
    server.put(realisticDeployment("elsewhere", { namespace: "ops" }));
    server.put(realisticConfigMap("settings", { mode: "active", "feature.flags": "a,b" }));
    dir = tempDir();
    kubeconfig = writeKubeconfig(dir, [
      { name: "prod", server, namespace: "shop", token: TOKEN },
      { name: "prod-cert", server, namespace: "shop", clientCert: { cert: pki.client.certPem, key: pki.client.keyPem } },
    ]);
    probe = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir));
  });

  afterAll(async () => {
    probe?.close();
    await server?.stop();
  });

  it("get deployments -n shop -o json: the same objects, field for field", async () => {
    const k = await kubectl("prod", ["get", "deployments", "-n", "shop", "-o", "json"]);
    expect(k.stderr).toBe("");
    const list = JSON.parse(k.stdout) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe("List");
    const mine = await probe.list("apps/v1", "Deployment");
    expect(names(list.items)).toEqual(["web-1", "web-2", "web-3", "web-4", "web-5", "worker"]);
    expect(mine).toEqual(list.items);
    // kubectl really read it from the API: a chunked list request with a limit.
    expect(server.requests.some((r) => r.path === "/apis/apps/v1/namespaces/shop/deployments" && r.query.limit === "500")).toBe(true);
  });

  it("get deploy NAME: the same object", async () => {
    const k = await kubectl("prod", ["get", "deploy", "web-3", "-n", "shop", "-o", "json"]);
    expect(JSON.parse(k.stdout)).toEqual(await probe.get("apps/v1", "Deployment", "web-3"));
    const cm = await kubectl("prod", ["get", "configmap", "settings", "-o", "json"]);
    expect(JSON.parse(cm.stdout)).toEqual(await probe.get("v1", "ConfigMap", "settings"));
  });

  it("get deploy -l app=web: the same selection", async () => {
    const k = await kubectl("prod", ["get", "deploy", "-l", "app=web", "-o", "json"]);
    expect(names((JSON.parse(k.stdout) as { items: KubeObject[] }).items)).toEqual(names(await probe.list("apps/v1", "Deployment", { selector: "app=web" })));
    const notin = await kubectl("prod", ["get", "deploy", "-l", "app notin (web)", "-o", "json"]);
    expect(names((JSON.parse(notin.stdout) as { items: KubeObject[] }).items)).toEqual(["worker"]);
  });

  it("across namespaces (-A) and cluster-scoped (namespaces): the server's other routes, as kubectl reads them", async () => {
    const all = await kubectl("prod", ["get", "deploy", "-A", "-o", "json"]);
    const items = (JSON.parse(all.stdout) as { items: KubeObject[] }).items;
    expect(items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["ops/elsewhere", "shop/web-1", "shop/web-2", "shop/web-3", "shop/web-4", "shop/web-5", "shop/worker"]);
    expect(server.requests.at(-1)?.path).toBe("/apis/apps/v1/deployments");
    const ns = await kubectl("prod", ["get", "namespaces", "-o", "json"]);
    expect(names((JSON.parse(ns.stdout) as { items: KubeObject[] }).items)).toEqual(["default", "kube-public", "kube-system", "ops", "shop"]);
    expect(names(await probe.list("v1", "Namespace"))).toEqual(["default", "kube-public", "kube-system", "ops", "shop"]);
  });

  it("--chunk-size=2: kubectl follows the server's continue tokens to the same list", async () => {
    const before = server.requests.length;
    const k = await kubectl("prod", ["get", "deployments", "--chunk-size=2", "-o", "json"]);
    const pages = server.requests.slice(before).filter((r) => r.path === "/apis/apps/v1/namespaces/shop/deployments");
    expect(pages.map((p) => [p.query.limit, Boolean(p.query.continue)])).toEqual([
      ["2", false],
      ["2", true],
      ["2", true],
    ]);
    expect((JSON.parse(k.stdout) as { items: KubeObject[] }).items).toEqual(await probe.list("apps/v1", "Deployment", { limit: 2 }));
  });

  it("with a client certificate, both authenticate as its subject", async () => {
    const k = await kubectl("prod-cert", ["get", "deploy", "worker", "-o", "json"]);
    expect(k.code).toBe(0);
    expect(server.requests.at(-1)).toMatchObject({ path: "/apis/apps/v1/namespaces/shop/deployments/worker", user: "standby-cert-user" });
    const viaCert = await openCluster({ context: "prod-cert", kubeconfig: "kubeconfig" }, "standby", kubeContext(dir));
    expect(await viaCert.get("apps/v1", "Deployment", "worker")).toEqual(JSON.parse(k.stdout));
    viaCert.close();
  });

  it("403: kubectl prints the Status message the probe quotes", async () => {
    server.fault({ kind: "403", path: /\/namespaces\/shop\/deployments\?/, times: 1 });
    const k = await kubectl("prod", ["get", "deployments", "-o", "json"]);
    expect(k.code).not.toBe(0);
    const words = 'deployments.apps is forbidden: User "standby-reader" cannot list resource "deployments" in API group "apps" in the namespace "shop"';
    expect(k.stderr.trim()).toBe(`Error from server (Forbidden): ${words}`);
    server.fault({ kind: "403", path: /\/namespaces\/shop\/deployments\?/, times: 1 });
    const e = await probe.list("apps/v1", "Deployment").catch((x: unknown) => x as ProbeError);
    expect(e).toBeInstanceOf(ProbeError);
    expect((e as ProbeError).reason).toBe("not-authorized");
    expect((e as ProbeError).message).toBe(`primary prod: list deployments.apps in namespace shop: forbidden (403): ${words}`);
  });

  it("404: kubectl says NotFound where the probe says missing", async () => {
    const k = await kubectl("prod", ["get", "deploy", "nope", "-o", "json"]);
    expect(k.code).not.toBe(0);
    expect(k.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(await probe.get("apps/v1", "Deployment", "nope")).toBeNull();
  });

  it("401: kubectl and the probe both refuse a wrong token", async () => {
    writeKubeconfig(dir, [{ name: "bad", server, namespace: "shop", token: "not-the-token" }], "bad-kubeconfig");
    const saved = kubeconfig;
    kubeconfig = join(dir, "bad-kubeconfig");
    try {
      const k = await kubectl("bad", ["get", "deploy", "web-1", "-o", "json"]);
      expect(k.code).not.toBe(0);
      expect(k.stderr).toMatch(/Unauthorized/);
      expect(k.stderr).not.toContain("not-the-token");
    } finally {
      kubeconfig = saved;
    }
    const bad = await openCluster({ context: "bad", kubeconfig: "bad-kubeconfig" }, "standby", kubeContext(dir));
    await expect(bad.get("apps/v1", "Deployment", "web-1")).rejects.toMatchObject({ reason: "not-authorized" });
  });
});
