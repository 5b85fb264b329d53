// The built CLI (esbuild bundle: @kubernetes/client-node in a lazy chunk) reading TLS Secrets from
// two loopback API servers through a kubeconfig: the scan judges them, `validate` reports an
// unknown context at its line, and the bearer token (a canary) never appears in any output format.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { runCli } from "../helpers/cli.js";
import { kubePki, startKubeServer, tempDir, writeKubeconfig } from "../helpers/kube-cluster.js";
import { realisticTlsSecret } from "../helpers/kube-objects.js";
import { issue, selfSigned } from "../helpers/pki.js";

const CANARY = "kubecli-canary-6b1d-do-not-print";
let primary: KubeApiServer;
let standby: KubeApiServer;
let dir = "";

beforeAll(async () => {
  const pki = await kubePki();
  primary = await startKubeServer(pki, { token: CANARY });
  standby = await startKubeServer(pki, { token: CANARY });
  const ca = await selfSigned({ cn: "Shop Root", notAfterDays: 3650, ca: true });
  const p = await issue(ca, { cn: "shop.example.com", sans: ["shop.example.com"], notAfterDays: 300 });
  const s = await issue(ca, { cn: "shop.example.com", sans: ["shop.example.com"], notAfterDays: 5 });
  primary.put(realisticTlsSecret("web-tls", p.certPem, p.keyPem));
  standby.put(realisticTlsSecret("web-tls", s.certPem, s.keyPem));
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "prod-use1", server: primary, namespace: "shop", token: CANARY },
    { name: "prod-usw2", server: standby, namespace: "shop", token: CANARY },
  ]);
  writeFileSync(join(dir, "ca.pem"), ca.certPem);
  const side = (context: string) => `{ kubernetes: { context: ${context}, kubeconfig: kubeconfig, secret: web-tls }, name: shop.example.com, caFile: ca.pem }`;
  const cfg = (standbyContext: string) =>
    `version: 1\nservices:\n  - name: shop\n    checks:\n      - id: shop-tls\n        kind: tls-certificate\n        primary: ${side("prod-use1")}\n        standby: ${side(standbyContext)}\n`;
  writeFileSync(join(dir, "standby.yml"), cfg("prod-usw2"));
  writeFileSync(join(dir, "typo.yml"), cfg("prod-usw3"));
  // A server that echoes the token into its refusal.
  standby.fault({ kind: "403", path: /secrets\/other/, times: Infinity, message: `token ${CANARY} is not allowed` });
  writeFileSync(join(dir, "echo.yml"), cfg("prod-usw2").replace(/secret: web-tls \}, name: shop.example.com, caFile: ca.pem \}\n$/, "secret: other }, name: shop.example.com, caFile: ca.pem }\n"));
});

afterAll(async () => {
  await primary.stop();
  await standby.stop();
});

describe("tls-certificate Secret sides through the built CLI", () => {
  it("scan reads both Secrets and fails the standby's expiry", async () => {
    const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", "json", "--no-history"], { timeoutMs: 60_000 });
    const report = JSON.parse(r.stdout) as { checks: Array<{ status: string; findings: Array<{ rule: string; message: string }> }> };
    const result = report.checks[0]!;
    expect(result.status).toBe("fail");
    expect(result.findings.find((f) => f.rule === "expiry")?.message).toMatch(/^standby secret shop\/web-tls in context prod-usw2: certificate "shop.example.com" expires in/);
    expect(primary.requests.some((q) => q.path === "/api/v1/namespaces/shop/secrets/web-tls" && q.user === "standby-reader")).toBe(true);
  });

  it("validate names an unknown context at its line", async () => {
    const r = await runCli(["validate", "-c", join(dir, "typo.yml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo\.yml:8:\d+: .*standby\.kubernetes\.context: context "prod-usw3" is not in kubeconfig .*; it has "prod-use1", "prod-usw2"/);
  });

  for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
    it(`the token never appears in ${format} output, even echoed by the server`, async () => {
      const r = await runCli(["scan", "-c", join(dir, "echo.yml"), "-f", format, "--no-history"], { timeoutMs: 60_000 });
      expect(r.stdout).toContain("shop-tls");
      expect(r.stdout + r.stderr).not.toContain(CANARY);
    });
  }
});
