// config-drift with kubernetes sources: the real probe (@kubernetes/client-node's kubeconfig,
// requests over TLS with a bearer token) against two loopback API servers speaking the Kubernetes
// REST API (src/demo/kube-api-server.ts), one per side, serving objects shaped like real ones.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import type { CheckOutcome, Finding, ServiceInfo } from "../../src/engine/types.js";
import type { KubeObject } from "../../src/probes/kubernetes/types.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { runCli } from "../helpers/cli.js";
import { kubePki, startKubeServer, tempDir, writeKubeconfig } from "../helpers/kube-cluster.js";
import { opaqueSecret } from "../helpers/kube-drift-objects.js";
import { realisticDeployment } from "../helpers/kube-objects.js";

const TOKEN = { primary: "kube-token-use1-5b7e", standby: "kube-token-usw2-91c0" };
const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: "us-east-1", suffix: "use1" } },
  standby: { vars: { region: "us-west-2", suffix: "usw2" } },
};
let primary: KubeApiServer;
let standby: KubeApiServer;
let dir = "";

beforeAll(async () => {
  const pki = await kubePki();
  primary = await startKubeServer(pki, { token: TOKEN.primary });
  standby = await startKubeServer(pki, { token: TOKEN.standby, pageLimitMax: 3 });
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "prod-use1", server: primary, namespace: "shop", token: TOKEN.primary },
    { name: "prod-usw2", server: standby, namespace: "shop", token: TOKEN.standby },
  ]);
});

afterAll(async () => {
  await primary.stop();
  await standby.stop();
});

beforeEach(() => {
  for (const s of [primary, standby]) {
    s.clearFaults();
    s.requests.length = 0;
  }
});

type Pick = { name: string } | { selector: string };
const side = (context: string, pick: Pick, kind = { apiVersion: "apps/v1", kind: "Deployment" }) => ({ kubernetes: { context, kubeconfig: "kubeconfig", ...kind, ...pick } });

function drift(p: Pick, s: Pick, options: Record<string, unknown> = {}, kind?: { apiVersion: string; kind: string }, timeoutMs?: number): Promise<CheckOutcome> {
  return runCheck(check, { primary: side("prod-use1", p, kind), standby: side("prod-usw2", s, kind), ...options } as never, { service: SERVICE, baseDir: dir, ...(timeoutMs ? { timeoutMs } : {}) });
}

const byPath = (out: CheckOutcome): Record<string, Finding> => Object.fromEntries((out.findings ?? []).map((f) => [f.path, f]));
const image = (region: string, tag = "1.4.2") => `123456789012.dkr.ecr.${region}.amazonaws.com/orders:${tag}`;
const put = (server: KubeApiServer, ...objs: KubeObject[]) => objs.forEach((o) => server.put(o));

describe("config-drift kubernetes: named objects", () => {
  it("passes twins whose images differ only by the side vars, and names both clusters in the evidence", async () => {
    put(primary, realisticDeployment("orders-use1", { image: image("us-east-1") }));
    put(standby, realisticDeployment("orders-usw2", { image: image("us-west-2"), labels: { app: "orders-usw2" } }));
    const out = await drift({ name: "orders-use1" }, { name: "orders-usw2" });
    expect(out.findings).toEqual([]);
    expect(out).toMatchObject({ status: "pass", evidence: { resourceType: "apps/v1 Deployment", comparedPairs: 1, rules: { pack: "apps/v1 Deployment" } } });
    expect((out.evidence as { sources: unknown }).sources).toEqual({
      primary: { kubernetes: { context: "prod-use1", server: primary.url, namespace: "shop", apiVersion: "apps/v1", kind: "Deployment", name: "orders-use1" } },
      standby: { kubernetes: { context: "prod-usw2", server: standby.url, namespace: "shop", apiVersion: "apps/v1", kind: "Deployment", name: "orders-usw2" } },
    });
    expect(primary.requests.map((r) => r.path)).toContain("/apis/apps/v1/namespaces/shop/deployments/orders-use1");
    expect(primary.requests.every((r) => r.user === "standby-reader")).toBe(true);
  });

  it("finds an image drift after side-var substitution, and replicas below the primary's as weaker", async () => {
    put(primary, realisticDeployment("orders-use1", { image: image("us-east-1", "1.5.0"), replicas: 6 }));
    put(standby, realisticDeployment("orders-usw2", { image: image("us-west-2", "1.4.2"), replicas: 3, labels: { app: "orders-usw2" } }));
    const out = await drift({ name: "orders-use1" }, { name: "orders-usw2" });
    expect(out.status).toBe("fail");
    const f = byPath(out);
    expect(f["orders-usw2.spec.template.spec.containers[name=orders-use1].image"]).toBeUndefined();
    // The container is named after the Deployment: keyed by name after substitution.
    expect(f["orders-usw2.spec.template.spec.containers[name=orders-usw2].image"]).toMatchObject({ change: "changed", expected: image("us-west-2", "1.5.0"), standby: image("us-west-2", "1.4.2"), primary: image("us-east-1", "1.5.0") });
    expect(f["orders-usw2.spec.replicas"]).toMatchObject({ change: "weaker", rule: "at-least", primary: 6, standby: 3 });
    expect(f["orders-usw2.status.availableReplicas"]).toMatchObject({ change: "weaker", rule: "readiness" });
    expect(out.summary).toMatch(/^\d+ drifts across 1 apps\/v1 Deployment pair: 1 changed, 2 weaker/);
  });

  it("a named object the standby's API server answers 404 for is missing, not unknown", async () => {
    put(primary, realisticDeployment("billing-use1"));
    const out = await drift({ name: "billing-use1" }, { name: "billing-usw2" });
    expect(out.status).toBe("fail");
    expect(out.findings).toEqual([expect.objectContaining({ path: "billing-usw2", change: "missing", rule: "pairing", primary: "shop/billing-use1" })]);
  });

  it("a changed Secret value is found and never shown, nor its hash", async () => {
    put(primary, opaqueSecret("orders-db", { password: "correct horse", user: "orders" }));
    put(standby, opaqueSecret("orders-db", { password: "battery staple", user: "orders" }));
    const out = await drift({ name: "orders-db" }, { name: "orders-db" }, {}, { apiVersion: "v1", kind: "Secret" });
    expect(out.status).toBe("fail");
    expect(out.findings).toEqual([expect.objectContaining({ path: "orders-db.data.password", change: "changed", primary: "***", standby: "***" })]);
    const text = JSON.stringify(out);
    for (const v of ["correct horse", "battery staple", Buffer.from("correct horse").toString("base64"), "hmac"]) expect(text).not.toContain(v);
  });
});

describe("config-drift kubernetes: selectors", () => {
  it("pairs by name after substitution across pages (continue), with missing and extra objects", async () => {
    for (let i = 0; i < 8; i++) put(primary, realisticDeployment(`shard${i}-use1`, { labels: { app: "shards" } }));
    for (let i = 1; i < 9; i++) put(standby, realisticDeployment(`shard${i}-usw2`, { labels: { app: "shards" } }));
    const out = await drift({ selector: "app=shards" }, { selector: "app in (shards)" });
    const f = byPath(out);
    expect(f["shard0-usw2"]).toMatchObject({ change: "missing", rule: "pairing" });
    expect(f["shard8-usw2"]).toMatchObject({ change: "extra", rule: "pairing" });
    expect(out.evidence).toMatchObject({ comparedPairs: 7, pairs: 9, primaryObjects: 8, standbyObjects: 8 });
    expect(out.summary).toBe("2 drifts across 7 apps/v1 Deployment pairs: 1 missing, 1 extra");
    // The standby serves pages of 3: the list was followed through its continue tokens.
    const lists = standby.requests.filter((r) => r.path === "/apis/apps/v1/namespaces/shop/deployments");
    expect(lists.length).toBe(3);
    expect(lists.slice(1).every((r) => r.query.continue && r.query.labelSelector === "app in (shards)")).toBe(true);
  });

  it("nothing matching the selector on either side is unknown, never a pass", async () => {
    const out = await drift({ selector: "app=nothing-here" }, { selector: "app=nothing-here" });
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toContain("no apps/v1 Deployment matched the selector on either side");
  });

  it("a 403 is unknown/not-authorized naming the side, verb, resource and namespace refused", async () => {
    put(primary, realisticDeployment("web-use1", { labels: { app: "web" } }));
    put(standby, realisticDeployment("web-usw2", { labels: { app: "web" } }));
    standby.fault({ kind: "403", path: /deployments/, times: 1 });
    const out = await drift({ selector: "app=web" }, { selector: "app=web" });
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized", evidence: { compared: null } });
    expect(out.summary).toContain("standby prod-usw2: list deployments.apps in namespace shop with selector app=web: forbidden (403)");
  });

  it("a slow API server hits the check's timeout: unknown", async () => {
    put(primary, realisticDeployment("web-use1", { labels: { app: "web" } }));
    primary.fault({ kind: "slow", path: /deployments/, times: 1 });
    const out = await drift({ selector: "app=web" }, { selector: "app=web" }, {}, undefined, 600);
    expect(out.status).toBe("unknown");
    expect(out.reason).toBe("timeout");
  });

  it("the user's atLeast, ignore and rules override the pack", async () => {
    put(primary, realisticDeployment("api-use1", { labels: { app: "api" }, replicas: 4 }));
    put(standby, realisticDeployment("api-usw2", { labels: { app: "api" }, replicas: 2 }));
    const strict = await drift({ selector: "app=api" }, { selector: "app=api" });
    expect(byPath(strict)["api-usw2.spec.replicas"]).toMatchObject({ change: "weaker" });
    const relaxed = await drift({ selector: "app=api" }, { selector: "app=api" }, { rules: [{ path: "spec.replicas", kind: "info", reason: "an HPA scales it" }], ignore: ["status.availableReplicas"] });
    expect(relaxed.status).toBe("pass");
    expect(byPath(relaxed)["api-usw2.spec.replicas"]).toMatchObject({ level: "info", why: "an HPA scales it" });
  });
});

describe("config-drift kubernetes: options", () => {
  const opts = (p: unknown, s: unknown, extra: Record<string, unknown> = {}) => parseOptions(check, { primary: p, standby: s, ...extra });
  const messages = (r: ReturnType<typeof opts>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));

  it("needs kubernetes on both sides, the same kind, and name or selector alike on both", () => {
    expect(messages(opts(side("a", { name: "x" }), { file: "b.json" }))).toEqual(["standby: expected { kubernetes: ... } on both sides or on neither"]);
    expect(messages(opts(side("a", { name: "x" }), side("b", { name: "x" }, { apiVersion: "apps/v1", kind: "StatefulSet" })))).toEqual(["standby.kubernetes.kind: expected the primary's apps/v1 Deployment, got apps/v1 StatefulSet"]);
    expect(messages(opts(side("a", { name: "x" }), side("b", { selector: "app=x" })))[0]).toMatch(/^standby.kubernetes: expected name as on the primary/);
    expect(messages(opts(side("a", { name: "x" }), side("b", { name: "x" }), { pairBy: "name" }))[0]).toMatch(/^pairBy: pairBy applies to awsConfig sources only/);
    expect(opts(side("a", { name: "x" }), side("b", { name: "y" }), { rules: [{ path: "spec.replicas", kind: "info" }] }).success).toBe(true);
  });

  it("refuses both or neither of name and selector, and an apiVersion that is not one", () => {
    const both = { kubernetes: { context: "a", apiVersion: "apps/v1", kind: "Deployment", name: "x", selector: "app=x" } };
    expect(opts(both, both).success).toBe(false);
    const bad = { kubernetes: { context: "a", apiVersion: "apps", kind: "Deployment", name: "x" } };
    expect(opts(bad, bad).success).toBe(false);
    // A group that is a dot segment would send the request to another path of the API server (/apis/../v1 is /v1).
    for (const apiVersion of ["../v1", "./v1", ".apps/v1", "-/v1"]) {
      const dots = { kubernetes: { context: "a", apiVersion, kind: "Deployment", name: "x" } };
      expect(messages(opts(dots, dots)), apiVersion).toContain('primary.kubernetes.apiVersion: expected an apiVersion like "apps/v1" or "v1"');
    }
    const ok = { kubernetes: { context: "a", apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "x" } };
    expect(opts(ok, ok).success).toBe(true);
  });
});

describe("config-drift kubernetes: through the built CLI", () => {
  it("`standby scan` reads both clusters, reports the drift, and prints neither token", async () => {
    put(primary, realisticDeployment("cli-use1", { replicas: 5 }));
    put(standby, realisticDeployment("cli-usw2", { replicas: 2, labels: { app: "cli-usw2" } }));
    const file = join(dir, "standby.yml");
    writeFileSync(
      file,
      `version: 1
services:
  - name: orders
    primary: { vars: { region: us-east-1, suffix: use1 } }
    standby: { vars: { region: us-west-2, suffix: usw2 } }
    checks:
      - id: orders-deployment
        kind: config-drift
        primary: { kubernetes: { context: prod-use1, kubeconfig: kubeconfig, apiVersion: apps/v1, kind: Deployment, name: cli-use1 } }
        standby: { kubernetes: { context: prod-usw2, kubeconfig: kubeconfig, apiVersion: apps/v1, kind: Deployment, name: cli-usw2 } }
`,
    );
    const res = await runCli(["scan", "-c", file, "--format", "json"], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { checks: Array<{ status: string; summary: string; findings: Finding[] }> };
    expect(report.checks[0]!.findings.find((f) => f.path === "cli-usw2.spec.replicas")).toMatchObject({ change: "weaker", primary: 5, standby: 2 });
    expect(res.stdout).not.toContain(TOKEN.primary);
    expect(res.stdout).not.toContain(TOKEN.standby);
  });

  it("`standby validate` reports an unknown context at its file:line and dotted path", async () => {
    const file = join(dir, "standby-typo.yml");
    writeFileSync(
      file,
      [
        "version: 1",
        "services:",
        "  - name: orders",
        "    checks:",
        "      - id: orders-deployment",
        "        kind: config-drift",
        "        primary: { kubernetes: { context: prod-use1, kubeconfig: kubeconfig, apiVersion: apps/v1, kind: Deployment, name: a } }",
        "        standby:",
        "          kubernetes:",
        "            context: prod-uws2",
        "            kubeconfig: kubeconfig",
        "            apiVersion: apps/v1",
        "            kind: Deployment",
        "            name: b",
        "",
      ].join("\n"),
    );
    const res = await runCli(["validate", "-c", file], { cwd: dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("standby-typo.yml:10:22");
    expect(res.stderr).toContain("services[0].checks[0].standby.kubernetes.context");
    expect(res.stderr).toContain('context "prod-uws2" is not in kubeconfig');
  });
});
