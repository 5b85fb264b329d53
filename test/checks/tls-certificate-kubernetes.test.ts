// tls-certificate with Kubernetes TLS Secret sides: the Secret's tls.crt (the whole chain) is
// judged exactly like the same PEM file (expiry, trust, name, parity), read from the loopback API
// server through kubeconfig contexts; a Secret that is missing is a fail (no certificate to serve);
// refused, of another type or without tls.crt is unknown, a slow API server hits the check's timeout, and tls.key never
// appears anywhere in the outcome.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/tls-certificate/index.js";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import type { CheckOutcome, ServiceInfo } from "../../src/engine/types.js";
import { runCheck } from "../helpers/check-tester.js";
import { kubePki, startKubeServer, tempDir, writeKubeconfig } from "../helpers/kube-cluster.js";
import { realisticTlsSecret } from "../helpers/kube-objects.js";
import { issue, selfSigned, type Issued } from "../helpers/pki.js";

const SERVICE: ServiceInfo = { name: "shop", primary: { vars: { region: "use1" } }, standby: { vars: { region: "usw2" } } };
const TOKEN = "tls-secret-token-2b8e";
let primary: KubeApiServer;
let standby: KubeApiServer;
let dir = "";
let ca: Issued;
let inter: Issued;
let leafKey = "";

beforeAll(async () => {
  const pki = await kubePki();
  primary = await startKubeServer(pki, { token: TOKEN });
  standby = await startKubeServer(pki, { token: TOKEN });
  ca = await selfSigned({ cn: "Shop Root", notAfterDays: 3650, ca: true });
  inter = await issue(ca, { cn: "Shop Intermediate", notAfterDays: 900, ca: true });
  const p = await issue(inter, { cn: "shop.use1.example.com", sans: ["shop.use1.example.com", "shop.example.com"], notAfterDays: 200 });
  const s = await issue(inter, { cn: "shop.usw2.example.com", sans: ["shop.usw2.example.com"], notAfterDays: 10 });
  leafKey = s.keyPem;
  primary.put(realisticTlsSecret("web-tls", p.certPem + inter.certPem, p.keyPem));
  standby.put(realisticTlsSecret("web-tls", s.certPem + inter.certPem, s.keyPem));
  standby.put(realisticTlsSecret("opaque", s.certPem, s.keyPem, "shop", "Opaque"));
  standby.put({ ...realisticTlsSecret("no-crt", s.certPem, s.keyPem), data: { "tls.key": Buffer.from(s.keyPem).toString("base64") } });
  dir = tempDir();
  writeKubeconfig(dir, [
    { name: "primary", server: primary, namespace: "shop", token: TOKEN },
    { name: "standby", server: standby, namespace: "shop", token: TOKEN },
  ]);
  writeFileSync(join(dir, "ca.pem"), ca.certPem);
  writeFileSync(join(dir, "primary.pem"), p.certPem + inter.certPem);
  writeFileSync(join(dir, "standby.pem"), s.certPem + inter.certPem);
});

afterAll(async () => {
  await primary.stop();
  await standby.stop();
});

const secretSide = (context: string, secret = "web-tls", extra: Record<string, unknown> = {}) => ({ kubernetes: { context, kubeconfig: "kubeconfig", secret }, caFile: "ca.pem", ...extra });
const run = (options: Record<string, unknown>, timeoutMs = 10_000) => runCheck(check, options as never, { baseDir: dir, service: SERVICE, timeoutMs });

/** The outcome with each side's target replaced by a placeholder, to compare Secret and PEM sides. */
function normalised(o: CheckOutcome, targets: string[]): string {
  let text = JSON.stringify({ status: o.status, findings: o.findings, measured: o.measured });
  for (const t of targets) text = text.split(t).join("<target>");
  return text;
}

describe("tls-certificate: kubernetes.io/tls Secret sides", () => {
  it("judges tls.crt exactly like the same chain in a PEM file: expiry, names, parity", async () => {
    const kube = await run({ primary: secretSide("primary", "web-tls", { name: "shop.use1.example.com" }), standby: secretSide("standby", "web-tls", { name: "shop.usw2.example.com" }) });
    const pem = await run({ primary: { pemFile: "primary.pem", caFile: "ca.pem", name: "shop.use1.example.com" }, standby: { pemFile: "standby.pem", caFile: "ca.pem", name: "shop.usw2.example.com" } });
    expect(kube.status).toBe("fail");
    expect(kube.findings!.map((f) => f.rule)).toEqual(pem.findings!.map((f) => f.rule));
    expect(kube.findings!.some((f) => f.rule === "expiry" && f.message.startsWith("standby secret shop/web-tls in context standby"))).toBe(true);
    // shop.example.com is on the primary only: a name-parity finding, as with the files.
    expect(kube.findings!.some((f) => f.rule === "name-parity")).toBe(true);
    expect(normalised(kube, ["secret shop/web-tls in context primary", "secret shop/web-tls in context standby"])).toBe(normalised(pem, ["primary.pem", "standby.pem"]));
    const ev = kube.evidence as { standby: { target: string } };
    expect(ev.standby.target).toBe("secret shop/web-tls in context standby");
  });

  it("checks the name against the Secret's leaf", async () => {
    const o = await run({ primary: secretSide("primary"), standby: secretSide("standby", "web-tls", { name: "shop.example.com" }), fail: "5d", warn: "6d", nameParity: "off", parityWarn: "1000d" });
    expect(o.findings!.find((f) => f.rule === "name-mismatch")?.message).toMatch(/^standby secret shop\/web-tls in context standby/);
  });

  it("a Secret of another type, or without tls.crt, is unknown invalid-response; tls.key appears nowhere", async () => {
    for (const [secret, words] of [
      ["opaque", "secret shop/opaque is of type Opaque, not kubernetes.io/tls"],
      ["no-crt", "secret shop/no-crt has no tls.crt"],
    ] as const) {
      const o = await run({ primary: secretSide("primary"), standby: secretSide("standby", secret) });
      expect(o.status).toBe("unknown");
      expect(o.reason).toBe("invalid-response");
      expect(o.summary + JSON.stringify(o.findings)).toContain(`standby standby: ${words}`);
      const all = JSON.stringify(o);
      expect(all).not.toContain(Buffer.from(leafKey).toString("base64").slice(0, 40));
      expect(all).not.toContain(leafKey.split("\n")[1]!);
      expect(all).not.toContain("PRIVATE KEY");
    }
  });

  it("a Secret that is not there is a fail (that cluster has no certificate to serve); refused (403) is unknown naming the Secret", async () => {
    const missing = await run({ primary: secretSide("primary"), standby: secretSide("standby", "gone") });
    expect(missing.status).toBe("fail");
    expect(missing.findings).toContainEqual({ level: "fail", rule: "missing-secret", message: "standby standby: secret shop/gone: not found (404): this side has no certificate there" });
    // A proxy's page instead of the API server's NotFound Status proves nothing: unknown.
    standby.fault({ kind: "notStatus", path: /secrets\/web-tls/, times: 1 });
    expect((await run({ primary: secretSide("primary"), standby: secretSide("standby") })).status).toBe("unknown");
    standby.fault({ kind: "403", path: /secrets\/web-tls/, times: 1 });
    const refused = await run({ primary: secretSide("primary"), standby: secretSide("standby") });
    expect(refused.status).toBe("unknown");
    expect(refused.reason).toBe("not-authorized");
    expect(JSON.stringify(refused)).toMatch(/standby standby: get secrets \\"web-tls\\" in namespace shop: forbidden \(403\)/);
  });

  it("a slow API server hits the check's timeout: unknown/timeout, never a pass", async () => {
    standby.fault({ kind: "slow", path: /secrets\/web-tls/, times: 1 });
    const o = await run({ primary: secretSide("primary"), standby: secretSide("standby") }, 1500);
    expect(o.status).toBe("unknown");
    expect(o.reason).toBe("timeout");
    standby.clearFaults();
  });
});
