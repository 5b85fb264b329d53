// config-drift's Kubernetes comparison as pure functions over objects shaped like a real API
// server's: preparation (status, Secret hashing), the kinds' packs, readiness, pairing by name.
import { describe, expect, it } from "vitest";
import { quantityToNumber } from "../checks/config-drift/diff.js";
import { KubeDriftComparison, type KubeCompareOptions } from "../checks/config-drift/kubernetes/compare.js";
import { KubePreparer } from "../checks/config-drift/kubernetes/prepare.js";
import { SecretHasher } from "../checks/config-drift/kubernetes/secret.js";
import { PACKS } from "../checks/config-drift/rules/index.js";
import type { CheckOutcome, Finding } from "../src/engine/types.js";
import { makeSubstituter } from "../src/kit/side-vars.js";
import type { KubeObject } from "../src/probes/kubernetes/types.js";
import { hpa, ingress, opaqueSecret, pdb, service, statefulSet } from "./helpers/kube-drift-objects.js";
import { realisticConfigMap, realisticDeployment } from "./helpers/kube-objects.js";

const VARS = { primary: { region: "us-east-1", suffix: "use1" }, standby: { region: "us-west-2", suffix: "usw2" } };

/** The standby twin of an object: another server's uid, resourceVersion, timestamps and managedFields. */
function twin(o: KubeObject, patch: (o: KubeObject) => void = () => {}): KubeObject {
  const c = structuredClone(o);
  Object.assign(c.metadata, { uid: "b2c4-standby", resourceVersion: "99112", creationTimestamp: "2026-02-01T00:00:00Z", generation: 9, selfLink: "/x" });
  (c.metadata.managedFields as unknown[] | undefined)?.reverse();
  patch(c);
  return c;
}

function compare(p: KubeObject[], s: KubeObject[], opts: Partial<KubeCompareOptions> = {}): CheckOutcome {
  const first = p[0] ?? s[0] ?? { apiVersion: "apps/v1", kind: "Deployment" };
  const c = new KubeDriftComparison({
    apiVersion: first.apiVersion,
    kind: first.kind,
    mode: "selector",
    rules: [],
    packs: true,
    ignore: [],
    keys: {},
    atLeast: [],
    tolerance: {},
    substituter: makeSubstituter(VARS.primary, VARS.standby),
    maxFindings: 200,
    ...opts,
  });
  c.add("primary", p);
  c.add("standby", s);
  return c.finish({ primary: { objects: p.length, requests: 2 }, standby: { objects: s.length, requests: 2 } }) as unknown as CheckOutcome;
}

const byPath = (out: CheckOutcome): Record<string, Finding> => Object.fromEntries((out.findings ?? []).map((f) => [f.path, f]));
const spec = (o: KubeObject) => o.spec as Record<string, any>;
const container = (o: KubeObject) => spec(o).template.spec.containers[0] as Record<string, any>;

describe("quantities", () => {
  it("reads Kubernetes quantities: decimal, binary and exponent suffixes", () => {
    expect(quantityToNumber("500m")).toBe(0.5);
    expect(quantityToNumber("2")).toBe(2);
    expect(quantityToNumber("1Gi")).toBe(2 ** 30);
    expect(quantityToNumber("1000Mi")! < quantityToNumber("1Gi")!).toBe(true);
    expect(quantityToNumber("1G")).toBe(1e9);
    expect(quantityToNumber("1e3")).toBe(1000);
    expect(quantityToNumber("1E")).toBe(1e18);
    expect(quantityToNumber(3)).toBe(3);
    expect(quantityToNumber("25%")).toBeNull();
    expect(quantityToNumber("1Gib")).toBeNull();
    expect(quantityToNumber("")).toBeNull();
  });
});

describe("preparation", () => {
  it("drops status unless a rule reads a path under it, and keeps only those paths", () => {
    const d = realisticDeployment("orders");
    expect(new KubePreparer({ read: ["spec.replicas"], secret: false }).prepare(d).status).toBeUndefined();
    const kept = new KubePreparer({ read: ["status.readyReplicas", "**.observedGeneration"], secret: false }).prepare(d);
    expect(kept.status).toEqual({ readyReplicas: 3, observedGeneration: 4 });
    expect(d.status).toMatchObject({ conditions: expect.any(Array) }); // not changed in place
  });

  it("hashes each Secret value with a per-run key: equal values compare equal, no value or stable hash survives", () => {
    const a = new SecretHasher();
    const s1 = a.hash(opaqueSecret("db", { password: "hunter2", user: "app" }));
    const s2 = a.hash(opaqueSecret("db", { password: "hunter2", user: "app" }));
    const s3 = a.hash(opaqueSecret("db", { password: "hunter3", user: "app" }));
    expect(s1.data).toEqual(s2.data);
    expect((s1.data as Record<string, string>).password).not.toBe((s3.data as Record<string, string>).password);
    // Another run hashes the same value differently: a leaked hash cannot be looked up.
    expect(new SecretHasher().hash(opaqueSecret("db", { password: "hunter2" })).data).not.toEqual({ password: (s1.data as Record<string, string>).password });
    const text = JSON.stringify(s1);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(Buffer.from("hunter2").toString("base64"));
    // kubectl's annotation holds the values in clear: gone, whatever the rules.
    expect((s1.metadata.annotations as Record<string, string>)["kubectl.kubernetes.io/last-applied-configuration"]).toBeUndefined();
  });

  it("keeps a Secret key named __proto__ as a key", () => {
    const raw = opaqueSecret("odd", {});
    raw.data = JSON.parse('{"__proto__":"eA=="}') as Record<string, string>;
    const h = new SecretHasher().hash(raw);
    expect(Object.keys(h.data as object)).toEqual(["__proto__"]);
  });
});

describe("packs", () => {
  it("has a pack with a one-line reason per rule for each kind the issue lists", () => {
    for (const kind of ["apps/v1 Deployment", "apps/v1 StatefulSet", "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget", "v1 ConfigMap", "v1 Secret", "v1 Service", "networking.k8s.io/v1 Ingress"]) {
      const pack = PACKS[kind];
      expect(pack, kind).toBeDefined();
      for (const r of pack!.rules) expect(r.reason, `${kind} ${r.path}`).toMatch(/^[^\n]{10,160}$/);
    }
  });

  it("passes twins that differ only in identity, server bookkeeping, side vars and status", () => {
    const p = realisticDeployment("orders-use1", { image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2" });
    const s = twin(realisticDeployment("orders-usw2", { image: "111111111111.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2", labels: { app: "orders-usw2" } }), (o) => {
      (o.status as Record<string, unknown>).conditions = [];
    });
    // Labels follow the name (orders-use1 -> orders-usw2 after substitution).
    const out = compare([p], [s]);
    expect(out.findings).toEqual([]);
    expect(out.status).toBe("pass");
    expect(out.summary).toMatch(/^no drift across \d+ compared values in 1 apps\/v1 Deployment pair/);
    expect(out.evidence).toMatchObject({ comparedPairs: 1, rules: { pack: "apps/v1 Deployment" }, substitutedVars: ["region", "suffix"] });
  });

  it("finds an image that differs after side-var substitution, with the pack's reason", () => {
    const p = realisticDeployment("orders", { image: "registry.us-east-1.example.com/orders:1.4.2" });
    const s = twin(realisticDeployment("orders", { image: "registry.us-west-2.example.com/orders:1.4.1" }));
    const f = byPath(compare([p], [s]))["orders.spec.template.spec.containers[name=orders].image"];
    expect(f).toMatchObject({ change: "changed", rule: "match", expected: "registry.us-west-2.example.com/orders:1.4.2", standby: "registry.us-west-2.example.com/orders:1.4.1" });
    expect(f!.why).toContain("same image");
  });

  it("replicas and resources are atLeast, read as quantities: more on the standby is fine, less is weaker", () => {
    const p = realisticDeployment("orders", { replicas: 6, cpu: "500m", memory: "1Gi" });
    const more = twin(realisticDeployment("orders", { replicas: 8, cpu: "1", memory: "1536Mi" }));
    const m = compare([p], [more]);
    expect(m.findings).toEqual([]);
    expect(m.status).toBe("pass");
    const less = twin(realisticDeployment("orders", { replicas: 4, cpu: "250m", memory: "1Gi", available: 4 }));
    const f = byPath(compare([p], [less]));
    expect(f["orders.spec.replicas"]).toMatchObject({ change: "weaker", rule: "at-least", primary: 6, standby: 4 });
    expect(f["orders.spec.template.spec.containers[name=orders].resources.requests.cpu"]).toMatchObject({ change: "weaker", primary: "500m", standby: "250m" });
  });

  it("env names must match; a value that differs only informs; probes and strategy must match", () => {
    const p = realisticDeployment("orders");
    container(p).env = [{ name: "LOG_LEVEL", value: "info" }, { name: "DB_HOST", value: "db.internal" }];
    const s = twin(p, (o) => {
      container(o).env = [{ name: "LOG_LEVEL", value: "debug" }];
      container(o).readinessProbe.periodSeconds = 30;
      spec(o).strategy = { type: "Recreate" };
    });
    const f = byPath(compare([p], [s]));
    expect(f["orders.spec.template.spec.containers[name=orders].env[name=DB_HOST]"]).toMatchObject({ change: "missing", rule: "match" });
    expect(f["orders.spec.template.spec.containers[name=orders].env[name=LOG_LEVEL].value"]).toMatchObject({ level: "info", rule: "info" });
    expect(f["orders.spec.template.spec.containers[name=orders].readinessProbe.periodSeconds"]).toMatchObject({ change: "changed", rule: "match" });
    expect(f["orders.spec.strategy.type"]).toMatchObject({ change: "changed" });
  });

  it("readiness: a standby below its own spec, or below the primary's available pods, is a finding; availableReplicas absent is 0", () => {
    const p = realisticDeployment("orders", { replicas: 3, available: 3 });
    const short = twin(realisticDeployment("orders", { replicas: 3, available: 1 }));
    expect(byPath(compare([p], [short]))["orders.status.availableReplicas"]).toMatchObject({ change: "weaker", rule: "readiness", primary: 3, standby: 1 });
    // The API server omits availableReplicas when none is available.
    const none = twin(realisticDeployment("orders", { replicas: 3 }), (o) => delete (o.status as Record<string, unknown>).availableReplicas);
    expect(byPath(compare([p], [none]))["orders.status.availableReplicas"]!.message).toContain("is 0 on standby, below its own spec.replicas of 3 and below the primary's 3 available");
    // Scaled to its own spec but below the primary's pods (the primary scaled up by hand).
    const fewer = twin(realisticDeployment("orders", { replicas: 2, available: 2 }));
    const out = compare([p], [fewer], { rules: [{ path: "spec.replicas", kind: "info", reason: "scaled on demand" }] });
    expect(byPath(out)["orders.status.availableReplicas"]!.message).toBe("orders.status.availableReplicas is 2 on standby, below the primary's 3 available");
    // The user's ignore of the path turns readiness off.
    expect(byPath(compare([p], [short], { ignore: ["status"] }))["orders.status.availableReplicas"]).toBeUndefined();
  });

  it("StatefulSet: volume size is atLeast, storage class only informs, readiness applies", () => {
    const p = statefulSet("ledger", { storage: "200Gi" });
    const s = twin(statefulSet("ledger", { storage: "100Gi", available: 2 }), (o) => (spec(o).volumeClaimTemplates[0].spec.storageClassName = "standard"));
    const f = byPath(compare([p], [s]));
    expect(f["ledger.spec.volumeClaimTemplates[0].spec.resources.requests.storage"]).toMatchObject({ change: "weaker", rule: "at-least" });
    expect(f["ledger.spec.volumeClaimTemplates[0].spec.storageClassName"]).toMatchObject({ level: "info" });
    expect(f["ledger.status.availableReplicas"]).toMatchObject({ rule: "readiness" });
  });

  it("HPA: max and min replicas atLeast, metrics match; its status is not compared", () => {
    const s = twin(hpa("orders", { max: 10, cpu: 90 }), (o) => ((o.status as Record<string, unknown>).currentReplicas = 1));
    const f = byPath(compare([hpa("orders")], [s]));
    expect(f["orders.spec.maxReplicas"]).toMatchObject({ change: "weaker" });
    expect(f["orders.spec.metrics[0].resource.target.averageUtilization"]).toMatchObject({ change: "changed", rule: "match" });
    expect(Object.keys(f).some((k) => k.includes("status"))).toBe(false);
  });

  it("PDB, ConfigMap, Service and Ingress packs", () => {
    expect(byPath(compare([pdb("orders", 2)], [twin(pdb("orders", 1))]))["orders.spec.minAvailable"]).toMatchObject({ change: "changed", rule: "match" });
    const cm = byPath(compare([realisticConfigMap("orders", { url: "https://api.us-east-1.example.com", mode: "fast" })], [twin(realisticConfigMap("orders", { url: "https://api.us-west-2.example.com", mode: "slow" }))]));
    expect(Object.keys(cm)).toEqual(["orders.data.mode"]);
    // Cluster IPs and node ports are allocated per cluster; a missing port is drift.
    const svc = byPath(compare([service("orders", { ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "grpc", port: 9090, targetPort: 9090 }] })], [twin(service("orders", { clusterIP: "10.100.0.9", nodePort: 30001 }))]));
    expect(Object.keys(svc)).toEqual(["orders.spec.ports[port=9090]"]);
    expect(svc["orders.spec.ports[port=9090]"]).toMatchObject({ change: "missing" });
    const ing = byPath(compare([ingress("orders", ["orders.us-east-1.example.com", "api.example.com"])], [twin(ingress("orders", ["orders.us-west-2.example.com"]))]));
    expect(ing["orders.spec.rules[host=api.example.com]"]).toMatchObject({ change: "missing" });
    expect(Object.keys(ing).some((k) => k.startsWith("orders.spec.tls"))).toBe(true);
  });

  it("Secret: a changed value is a finding that shows no value and no hash; keys on one side are missing/extra", () => {
    const out = compare([opaqueSecret("db", { password: "hunter2", user: "app", extra: "x" })], [twin(opaqueSecret("db", { password: "hunter3", user: "app", added: "y" }))]);
    const f = byPath(out);
    expect(f["db.data.password"]).toMatchObject({ change: "changed", primary: "***", standby: "***" });
    expect(f["db.data.extra"]).toMatchObject({ change: "missing", primary: "***" });
    expect(f["db.data.added"]).toMatchObject({ change: "extra", standby: "***" });
    expect(f["db.data.user"]).toBeUndefined();
    const text = JSON.stringify(out);
    for (const v of ["hunter2", "hunter3", Buffer.from("hunter2").toString("base64"), "hmac-sha256"]) expect(text).not.toContain(v);
    // Even with the pack off and a user rule on the data, values stay hidden.
    const raw = JSON.stringify(compare([opaqueSecret("db", { token: "abc" })], [twin(opaqueSecret("db", { token: "abd" }))], { packs: false, rules: [{ path: "data", kind: "info", reason: "x" }] }));
    expect(raw).not.toContain("hmac-sha256");
    expect(raw).not.toContain(Buffer.from("abc").toString("base64"));
  });

  it("pairs selected objects by name after substitution; one side only is missing or extra; nothing matched is unknown", () => {
    const out = compare([realisticDeployment("web-use1"), realisticDeployment("api-use1")], [twin(realisticDeployment("web-usw2", { labels: { app: "web-use1" } })), twin(realisticDeployment("worker-usw2"))]);
    const f = byPath(out);
    expect(f["api-usw2"]).toMatchObject({ change: "missing", rule: "pairing", primary: "shop/api-use1" });
    expect(f["worker-usw2"]).toMatchObject({ change: "extra", rule: "pairing", standby: "shop/worker-usw2" });
    expect(out.summary).toMatch(/^\d+ drifts across 1 apps\/v1 Deployment pair: .*1 missing, 1 extra/);
    expect(compare([], [])).toMatchObject({ status: "unknown" });
  });

  it("an object nested far deeper than any real one is refused with a reason, not a stack overflow", () => {
    const deep = (): KubeObject => {
      const d = realisticDeployment("orders");
      let cur = spec(d);
      for (let i = 0; i < 100_000; i++) cur = cur.x = {};
      return d;
    };
    expect(() => compare([deep()], [deep()])).toThrow(/^apps\/v1 Deployment orders nests too deep to compare/);
  });

  it("user rules, ignore and keys override the pack", () => {
    const p = realisticDeployment("orders", { replicas: 6 });
    const s = twin(realisticDeployment("orders", { replicas: 4, available: 4 }));
    const out = compare([p], [s], { rules: [{ path: "spec.replicas", kind: "ignore", reason: "scaled by an HPA" }], ignore: ["status.availableReplicas"] });
    expect(out.status).toBe("pass");
    const t = compare([p], [s], { tolerance: { "spec.replicas": "50%" }, ignore: ["status"] });
    expect(t.status).toBe("pass");
  });
});

describe("secret-named env entries", () => {
  it("hides the value of an env var named like a secret, changed or missing, and still names it", () => {
    const p = realisticDeployment("orders");
    container(p).env = [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "API_TOKEN", value: "tok-1" }, { name: "LOG_LEVEL", value: "info" }];
    const s = twin(p, (o) => (container(o).env = [{ name: "DB_PASSWORD", value: "hunter3" }, { name: "LOG_LEVEL", value: "debug" }]));
    const out = compare([p], [s]);
    const f = byPath(out);
    expect(f["orders.spec.template.spec.containers[name=orders].env[name=DB_PASSWORD].value"]).toMatchObject({ primary: "***", standby: "***", level: "info" });
    expect(f["orders.spec.template.spec.containers[name=orders].env[name=API_TOKEN]"]).toMatchObject({ change: "missing", primary: "***" });
    expect(f["orders.spec.template.spec.containers[name=orders].env[name=LOG_LEVEL].value"]).toMatchObject({ primary: "info", standby: "debug" });
    for (const v of ["hunter2", "hunter3", "tok-1"]) expect(JSON.stringify(out)).not.toContain(v);
  });
});
