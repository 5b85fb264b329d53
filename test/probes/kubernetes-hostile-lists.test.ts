// The Kubernetes probe against an API server that answers with the wrong things: a list of another
// kind, items from another namespace, a name twice, continue tokens that loop, and the memory a
// paged read keeps when the caller consumes pages as they arrive.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { openCluster } from "../../src/probes/kubernetes/index.js";
import { kubeContext, kubePki, probeFailure, startKubeServer, tempDir, writeKubeconfig } from "../helpers/kube-cluster.js";
import { realisticConfigMap, realisticDeployment } from "../helpers/kube-objects.js";

let server: KubeApiServer;
let dir = "";
const TOKEN = "hostile-lists-token-4c1d";

beforeAll(async () => {
  server = await startKubeServer(await kubePki(), { token: TOKEN });
  for (const n of ["a", "b", "c", "d", "e"]) server.put(realisticDeployment(n));
  dir = tempDir();
  writeKubeconfig(dir, [{ name: "prod", server, namespace: "shop", token: TOKEN }]);
});
afterAll(() => server.stop());
beforeEach(() => server.clearFaults());

const open = () => openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir));
const strip = ({ apiVersion: _a, kind: _k, ...rest }: Record<string, unknown>) => rest;

describe("kubernetes probe: hostile list replies", () => {
  it("with onPage, the pages are handed on and not also kept (a 100k-object list is not held twice)", async () => {
    const c = await open();
    let seen = 0;
    const kept = await c.list("apps/v1", "Deployment", { limit: 2, onPage: (items) => (seen += items.length) });
    expect(seen).toBe(5);
    expect(kept).toEqual([]);
    expect((await c.list("apps/v1", "Deployment", { limit: 2 })).map((o) => o.metadata.name)).toEqual(["a", "b", "c", "d", "e"]);
    c.close();
  });

  it("a list of another kind is refused, not relabelled as Deployments", async () => {
    const c = await open();
    server.fault({ kind: "reply", path: /deployments\?/, times: 1, body: { kind: "ConfigMapList", apiVersion: "v1", metadata: {}, items: [strip(realisticConfigMap("a", { k: "v" }))] } });
    const e = await probeFailure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toContain("ConfigMapList, not a DeploymentList");
    c.close();
  });

  it("an item that says it is another kind, or of another namespace, is refused", async () => {
    const c = await open();
    server.fault({ kind: "reply", path: /deployments\?/, times: 1, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: {}, items: [{ ...realisticConfigMap("a", {}), apiVersion: "v1", kind: "ConfigMap" }] } });
    expect((await probeFailure(c.list("apps/v1", "Deployment"))).message).toContain('"a" is a v1 ConfigMap');
    server.fault({ kind: "reply", path: /deployments\?/, times: 1, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: {}, items: [strip(realisticDeployment("a", { namespace: "payments" }))] } });
    const e = await probeFailure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toContain('"a" is in namespace payments, not shop');
    c.close();
  });

  it("a GET that answers another object (name, namespace or kind) is refused", async () => {
    const c = await open();
    server.fault({ kind: "reply", path: /deployments\/a$/, times: 1, body: realisticDeployment("b") });
    expect((await probeFailure(c.get("apps/v1", "Deployment", "a"))).message).toContain('answered "b"');
    server.fault({ kind: "reply", path: /deployments\/a$/, times: 1, body: realisticDeployment("a", { namespace: "payments" }) });
    expect((await probeFailure(c.get("apps/v1", "Deployment", "a"))).message).toContain("in namespace payments, not shop");
    c.close();
  });

  it("a name twice in one list (across pages) is refused: one of the two would be judged at random", async () => {
    const c = await open();
    const d = strip(realisticDeployment("a"));
    server.fault({ kind: "reply", path: /deployments\?/, times: 1, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: { continue: "t1" }, items: [d] } });
    server.fault({ kind: "reply", path: /continue=t1/, times: 1, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: {}, items: [d] } });
    const e = await probeFailure(c.list("apps/v1", "Deployment", { onPage: () => undefined }));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toContain('"shop/a" twice');
    c.close();
  });

  it("continue tokens that alternate (t1, t2, t1...) are a loop, stopped at once", async () => {
    const c = await open();
    const page = (next: string) => ({ kind: "DeploymentList", apiVersion: "apps/v1", metadata: { continue: next }, items: [] });
    server.fault({ kind: "reply", path: /deployments\?limit=500$/, times: 1, body: page("t1") });
    server.fault({ kind: "reply", path: /continue=t1/, times: 5, body: page("t2") });
    server.fault({ kind: "reply", path: /continue=t2/, times: 5, body: page("t1") });
    const before = server.requests.length;
    const e = await probeFailure(c.list("apps/v1", "Deployment"));
    expect(e.message).toContain("returned a continue token it had already returned");
    // discovery, then three pages: the third names t1 again.
    expect(server.requests.length - before).toBe(4);
    c.close();
  });
});

describe("kubernetes probe: a bearer token that is an ordinary word", () => {
  it("a token `true` (a report word the run's redaction must leave alone) echoed in a Status message is cut", async () => {
    for (const tok of ["true", "orders"]) {
      const s = await startKubeServer(await kubePki(), { token: tok });
      const d = tempDir();
      writeKubeconfig(d, [{ name: "prod", server: s, namespace: "shop", token: tok }]);
      const c = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(d));
      s.fault({ kind: "403", times: 1, message: `the bearer token ${tok} is expired; Authorization: Bearer ${tok}` });
      const e = await probeFailure(c.list("apps/v1", "Deployment"));
      expect(e.reason).toBe("not-authorized");
      expect(e.message).toBe("primary prod: discovery of apps/v1: forbidden (403): the bearer token *** is expired; Authorization: Bearer ***");
      c.close();
      await s.stop();
    }
  });
});

describe("kubernetes probe: a discovery that calls a namespaced kind cluster-scoped", () => {
  it("the cluster-wide list it leads to (every namespace's objects) is refused, not judged", async () => {
    const c = await open();
    server.fault({ kind: "reply", path: /^\/apis\/apps\/v1$/, times: 1, body: { kind: "APIResourceList", apiVersion: "v1", groupVersion: "apps/v1", resources: [{ name: "deployments", kind: "Deployment", namespaced: "true", verbs: ["get", "list"] }] } });
    const e = await probeFailure(c.list("apps/v1", "Deployment"));
    expect(server.requests.at(-1)?.path).toBe("/apis/apps/v1/deployments");
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toContain("is in namespace shop, not none (the API server's discovery says deployments.apps is cluster-scoped)");
    c.close();
  });
});

describe("kubernetes probe: a continue token the size of a page", () => {
  it("is refused before it is sent back in a URL (or kept to spot loops)", async () => {
    const c = await open();
    server.fault({ kind: "reply", path: /deployments\?limit=500$/, times: 1, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: { continue: "x".repeat(1_000_000) }, items: [] } });
    const before = server.requests.length;
    const e = await probeFailure(c.list("apps/v1", "Deployment"));
    expect(e.reason).toBe("invalid-response");
    expect(e.message).toContain("continue token is 1000000 characters long");
    expect(server.requests.length - before).toBe(2);
    c.close();
  });
});
