// The Kubernetes probe when things go wrong around it: a server that never answers (the request's
// deadline, the check's signal; both close the socket), kubeconfigs that are missing or lack the
// context, and credentials that must never reach a message, even when the server echoes them.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { openCluster } from "../../src/probes/kubernetes/index.js";
import type { ProbeError } from "../../src/probes/errors.js";
import { kubeContext, kubePki, probeFailure, startKubeServer, tempDir, until, writeKubeconfig, type KubePki } from "../helpers/kube-cluster.js";
import { realisticDeployment } from "../helpers/kube-objects.js";

// A canary that is also an ordinary word-like value: it must be caught wherever it appears.
const CANARY = "kubecanary-9d2e-do-not-print";
let pki: KubePki;
let server: KubeApiServer;
let dir = "";

beforeAll(async () => {
  pki = await kubePki();
  server = await startKubeServer(pki, { token: CANARY });
  server.put(realisticDeployment("web"));
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "prod", server, namespace: "shop", token: CANARY },
    { name: "stale", server, namespace: "shop", token: `${CANARY}-old` },
  ]);
});

afterAll(() => server.stop());

/** Every failure here is also checked for the canary. */
async function failure(p: Promise<unknown>): Promise<ProbeError> {
  const err = await probeFailure(p);
  expect(err.message).not.toContain("kubecanary");
  return err;
}

describe("kubernetes probe: deadlines and cancellation", () => {
  it("a server that never answers hits the request deadline, and the socket is closed", async () => {
    const c = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 400));
    await c.get("apps/v1", "Deployment", "web");
    server.fault({ kind: "slow", path: /deployments\/web$/, times: 1 });
    const e = await failure(c.get("apps/v1", "Deployment", "web"));
    expect(e.reason).toBe("timeout");
    expect(e.message).toBe('primary prod: get deployments.apps "web" in namespace shop: timed out after 400ms');
    // The aborted request's socket is destroyed, not returned to the pool (close() is not what ends it).
    await until("the server has no connection open", () => server.openConnections === 0);
    c.close();
  });

  it("the check's signal (a cancelled scan, the check's deadline) aborts the request in flight and closes its socket", async () => {
    const ac = new AbortController();
    const c = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 30_000, ac.signal));
    server.fault({ kind: "slow", path: /deployments\?/, times: 1 });
    const seen = server.requests.length;
    const p = failure(c.list("apps/v1", "Deployment"));
    await until("the list request arrived", () => server.requests.slice(seen).some((r) => r.path.endsWith("/deployments")));
    ac.abort(Object.assign(new Error("timed out after 3s"), { name: "TimeoutError" }));
    const e = await p;
    expect(e.reason).toBe("timeout");
    expect(e.message).toBe("primary prod: list deployments.apps in namespace shop: timed out after 3s");
    await until("the server has no connection open", () => server.openConnections === 0);

    const ac2 = new AbortController();
    const c2 = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 30_000, ac2.signal));
    server.fault({ kind: "slow", path: /deployments\/web$/, times: 1 });
    const seen2 = server.requests.length;
    const q = failure(c2.get("apps/v1", "Deployment", "web"));
    await until("the get request arrived", () => server.requests.slice(seen2).some((r) => r.path.endsWith("/deployments/web")));
    ac2.abort();
    expect((await q).message).toMatch(/cancelled$/);
    await until("the server has no connection open", () => server.openConnections === 0);
  });

  it("a slow answer within the deadline is read", async () => {
    const c = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 5000));
    server.fault({ kind: "slow", path: /deployments\/web$/, times: 1, delayMs: 150 });
    expect((await c.get("apps/v1", "Deployment", "web"))?.metadata.name).toBe("web");
    c.close();
  });
});

describe("kubernetes probe: network and TLS", () => {
  it("an API server that refuses connections is unreachable", async () => {
    const gone = new KubeApiServer();
    await gone.start();
    await gone.stop();
    writeKubeconfig(dir, [{ name: "gone", server: gone, token: CANARY }], "gone-kubeconfig");
    const c = await openCluster({ context: "gone", kubeconfig: "gone-kubeconfig" }, "standby", kubeContext(dir));
    const e = await failure(c.get("apps/v1", "Deployment", "web"));
    expect(e.reason).toBe("unreachable");
    expect(e.message).toBe("standby gone: discovery of apps/v1: connection refused (ECONNREFUSED)");
  });

  it("a plain-http API server without insecure-skip-tls-verify is named as the kubeconfig problem it is", async () => {
    writeFileSync(join(dir, "plain"), JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster: { server: "http://127.0.0.1:1" } }], users: [{ name: "u", user: { token: CANARY } }], contexts: [{ name: "plain", context: { cluster: "c", user: "u" } }] }));
    const e = await failure(openCluster({ context: "plain", kubeconfig: "plain" }, "standby", kubeContext(dir)));
    expect(e.reason).toBe("error");
    expect(e.message).toBe('standby: cluster "c" of context "plain" is plain http:// (http://127.0.0.1:1): set insecure-skip-tls-verify: true on it to allow an unencrypted API server');
  });

  it("an API server whose certificate the kubeconfig's CA did not sign fails the handshake: never read", async () => {
    const other = await kubePki();
    const impostor = await startKubeServer(other, { token: CANARY });
    try {
      impostor.put(realisticDeployment("web"));
      // The kubeconfig names the first PKI's CA for a server presenting the other PKI's certificate.
      KubeApiServer.writeKubeconfig(join(dir, "impostor"), [{ name: "impostor", server: Object.assign(Object.create(impostor) as KubeApiServer, { opts: { tls: { cert: pki.ca.certPem, key: "", ca: pki.ca.certPem } } }), token: CANARY }]);
      const c = await openCluster({ context: "impostor", kubeconfig: "impostor" }, "standby", kubeContext(dir));
      const e = await failure(c.get("apps/v1", "Deployment", "web"));
      expect(e.reason).toBe("unreachable");
      expect(e.message).toMatch(/^standby impostor: discovery of apps\/v1: TLS handshake failed \(/);
      expect(impostor.requests).toEqual([]);
    } finally {
      await impostor.stop();
    }
  });
});

describe("kubernetes probe: kubeconfig and context problems at run time", () => {
  it("a missing kubeconfig is unreadable-input naming the file", async () => {
    const e = await failure(openCluster({ context: "prod", kubeconfig: "nope.yaml" }, "standby", kubeContext(dir)));
    expect(e.reason).toBe("unreadable-input");
    expect(e.message).toBe(`standby: kubeconfig ${join(dir, "nope.yaml")}: no such file`);
  });

  it("a context that is not in the kubeconfig names the ones that are", async () => {
    const e = await failure(openCluster({ context: "prdo", kubeconfig: "kubeconfig" }, "standby", kubeContext(dir)));
    expect(e.reason).toBe("error");
    expect(e.message).toBe(`standby: context "prdo" is not in kubeconfig ${join(dir, "kubeconfig")}; it has "prod", "stale": fix the check's \`context\``);
  });

  it("a kubeconfig that is not YAML is unreadable-input, without its contents", async () => {
    writeFileSync(join(dir, "broken"), `clusters: [ {name: x, token: ${CANARY}\n  : :`);
    const e = await failure(openCluster({ context: "prod", kubeconfig: "broken" }, "standby", kubeContext(dir)));
    expect(e.reason).toBe("unreadable-input");
    expect(e.message).toMatch(/kubeconfig .*broken: not a valid kubeconfig/);
  });

  it("KUBECONFIG is used when no kubeconfig is given", async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(dir, "kubeconfig");
    try {
      const c = await openCluster({ context: "prod" }, "standby", kubeContext("/"));
      expect((await c.get("apps/v1", "Deployment", "web"))?.metadata.name).toBe("web");
      const e = await failure(openCluster({ context: "nope" }, "standby", kubeContext("/")));
      expect(e.message).toContain(`not in KUBECONFIG=${join(dir, "kubeconfig")}`);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});

describe("kubernetes probe: credentials never printed", () => {
  it("a rejected token is not in the message", async () => {
    const c = await openCluster({ context: "stale", kubeconfig: "kubeconfig" }, "standby", kubeContext(dir));
    const e = await failure(c.get("apps/v1", "Deployment", "web"));
    expect(e.reason).toBe("not-authorized");
  });

  it("a server that echoes the token in its Status message gets it redacted", async () => {
    const c = await openCluster({ context: "prod", kubeconfig: "kubeconfig" }, "standby", kubeContext(dir));
    server.fault({ kind: "403", path: /deployments\/web$/, times: 1, message: `token ${CANARY} may not get deployments` });
    const e = await failure(c.get("apps/v1", "Deployment", "web"));
    expect(e.message).toContain("token *** may not get deployments");
    server.fault({ kind: "500", path: /deployments\/web$/, times: 1, message: `Authorization: Bearer ${CANARY}` });
    await failure(c.get("apps/v1", "Deployment", "web"));
  });
});
