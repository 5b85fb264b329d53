// Kubernetes Secret values must never appear in any output format, as values, as base64 or as the
// hashes they are compared by; nor must the kubeconfig's bearer token. The values are ordinary
// words on purpose: a dictionary must not find them either (the hashes are keyed per run).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../src/demo/kube-api-server.js";
import { runCli } from "./helpers/cli.js";
import { kubePki, startKubeServer, tempDir, writeKubeconfig } from "./helpers/kube-cluster.js";
import { opaqueSecret } from "./helpers/kube-drift-objects.js";

const TOKEN = "kubetoken-CANARY-3c1d";
const VALUES = { primary: "swordfish", standby: "marmalade", shared: "tangerine" };
let primary: KubeApiServer;
let standby: KubeApiServer;
let dir = "";

beforeAll(async () => {
  const pki = await kubePki();
  primary = await startKubeServer(pki, { token: TOKEN });
  standby = await startKubeServer(pki, { token: TOKEN });
  // Changed, missing on the standby, extra on the standby, and the same on both.
  primary.put(opaqueSecret("orders-db", { password: VALUES.primary, apiKey: VALUES.shared, legacy: VALUES.primary }));
  standby.put(opaqueSecret("orders-db", { password: VALUES.standby, apiKey: VALUES.shared, added: VALUES.standby }));
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "use1", server: primary, namespace: "shop", token: TOKEN },
    { name: "usw2", server: standby, namespace: "shop", token: TOKEN },
  ]);
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
services:
  - name: orders
    checks:
      - id: orders-db-secret
        kind: config-drift
        primary: { kubernetes: { context: use1, kubeconfig: kubeconfig, apiVersion: v1, kind: Secret, name: orders-db } }
        standby: { kubernetes: { context: usw2, kubeconfig: kubeconfig, apiVersion: v1, kind: Secret, name: orders-db } }
      - id: orders-db-secret-unpacked
        kind: config-drift
        packs: false
        rules: [{ path: data, kind: info }]
        primary: { kubernetes: { context: use1, kubeconfig: kubeconfig, apiVersion: v1, kind: Secret, selector: app=orders } }
        standby: { kubernetes: { context: usw2, kubeconfig: kubeconfig, apiVersion: v1, kind: Secret, selector: app=orders } }
`,
  );
});

afterAll(async () => {
  await primary.stop();
  await standby.stop();
});

const forbidden = [TOKEN, ...Object.values(VALUES), ...Object.values(VALUES).map((v) => Buffer.from(v).toString("base64")), "hmac-sha256"];

describe("kubernetes secret canary", () => {
  for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
    it(`never appears in ${format} output`, async () => {
      const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format], { cwd: dir, env: { FORCE_COLOR: "1" } });
      expect(r.code).toBe(1);
      if (format === "text") expect(r.stdout).toMatch(/orders-db-secret-unpacked[\s\S]*data.password: changed, primary "\*\*\*", standby "\*\*\*"/);
      if (format !== "prometheus") expect(r.stdout).toContain("data.password");
      for (const v of forbidden) expect(r.stdout + r.stderr, v).not.toContain(v);
    });
  }
});
