// examples/kubernetes-clusters/standby.yml, run as its README says: through the built CLI, with
// KUBECONFIG naming `standby demo`'s two loopback clusters (src/demo/kube-clusters.ts), whose
// standby drifted in the ways the README lists.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeClusters, type DemoClusters } from "../../src/demo/kube-clusters.js";
import type { Finding } from "../../src/engine/types.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { kubePki, tempDir } from "../helpers/kube-cluster.js";

let clusters: DemoClusters;

beforeAll(async () => {
  const pki = await kubePki();
  clusters = await startKubeClusters(tempDir(), { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem });
});

afterAll(() => clusters.stop());

describe("examples/kubernetes-clusters", () => {
  it("finds the demo standby's drift, readiness and missing Deployment, and never prints the Secret", async () => {
    const res = await runCli(["scan", "-c", join(ROOT, "examples/kubernetes-clusters/standby.yml"), "-f", "json"], { env: { KUBECONFIG: clusters.kubeconfig } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { checks: Array<{ id: string; status: string; findings: Finding[] }> };
    const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toEqual({
      "orders-deployments": "fail",
      "orders-config": "fail",
      "orders-db-secret": "fail",
      "orders-autoscaling": "fail",
      "orders-ingress": "pass",
    });
    const paths = (id: string) => by[id]!.findings.map((f) => `${f.path} ${f.rule}`);
    expect(paths("orders-deployments")).toEqual(
      expect.arrayContaining([
        "orders-api.spec.template.spec.containers[name=orders-api].image match",
        "orders-api.status.availableReplicas readiness",
        "orders-batch pairing",
        "orders-worker.spec.replicas at-least",
        "orders-worker.spec.template.spec.containers[name=orders-worker].resources.requests.cpu at-least",
      ]),
    );
    expect(paths("orders-config")).toEqual(["orders-config.data.LOG_LEVEL match"]);
    expect(by["orders-db-secret"]!.findings[0]).toMatchObject({ path: "orders-db.data.DB_PASSWORD", primary: "***", standby: "***" });
    expect(res.stdout).not.toContain("demo-primary-pw");
    expect(res.stdout).not.toContain(Buffer.from("demo-primary-pw").toString("base64"));
  });
});
