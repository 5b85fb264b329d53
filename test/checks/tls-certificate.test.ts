// Behaviour of the tls-certificate kind through the one tester: a PKI made in the test (CA,
// intermediates, leaves with chosen validity windows) served by real node:tls servers on
// loopback, plus PEM files in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { createServer, type DetailedPeerCertificate, type Server } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/tls-certificate/index.js";
import { evaluateSide } from "../../checks/tls-certificate/evaluate.js";
import type { TlsCertificateEvidence } from "../../checks/tls-certificate/evidence.js";
import type { CheckOutcome, ServiceInfo } from "../../src/engine/types.js";
import { expiryLimits } from "../../src/options/thresholds.js";
import { walkChain } from "../../src/probes/tls.js";
import { issue, selfSigned, type Issued } from "../helpers/pki.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { decisionTable } from "../helpers/decision-table.js";

const DAY_MS = 86_400_000;
const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { suffix: "use1" } },
  standby: { vars: { suffix: "usw2" } },
};

let dir: string;
let ca: Issued;
let intermediate: Issued;
const servers: Array<Server | NetServer> = [];
const sockets = new Set<Socket>();
const ports: Record<string, number> = {};

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** A TLS server presenting `chain` (leaf first) with the leaf's key. */
async function serve(leaf: Issued, chain: Issued[], host = "127.0.0.1", port = 0): Promise<number> {
  const server = createServer({ key: leaf.keyPem, cert: [leaf, ...chain].map((c) => c.certPem).join("") });
  server.on("secureConnection", (s) => s.on("error", () => undefined));
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return (server.address() as AddressInfo).port;
}

async function leafFor(cn: string, notAfterDays: number, sans = ["localhost"], notBeforeDays = -1, by = intermediate): Promise<Issued> {
  return issue(by, { cn, sans, notAfterDays, notBeforeDays });
}

const run = (options: Record<string, unknown>, ctx: Parameters<typeof runCheck>[2] = {}) =>
  runCheck(check, options as never, { baseDir: dir, service: SERVICE, ...ctx });
// Test servers listen on 127.0.0.1 only: pin it, or a resolver that also gives ::1 for localhost
// would add a refused address to every test. Resolution by name has its own test below.
const live = (port: number, extra: Record<string, unknown> = {}) => ({ host: "localhost", port, caFile: "ca.pem", addresses: ["127.0.0.1"], ...extra });
const LOCALHOST = (await lookup("localhost", { all: true })).map((a) => a.address);
const DUAL_STACK = LOCALHOST.includes("127.0.0.1") && LOCALHOST.includes("::1");
const rules = (o: CheckOutcome) => (o.findings ?? []).map((f) => f.rule);
const ev = (o: CheckOutcome) => o.evidence as unknown as TlsCertificateEvidence;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "standby-tls-"));
  ca = await selfSigned({ cn: "Standby Test Root", notAfterDays: 3650, ca: true });
  intermediate = await issue(ca, { cn: "Standby Test Intermediate", notAfterDays: 1800, ca: true });
  file("ca.pem", ca.certPem);

  const healthy = await leafFor("localhost", 200);
  ports.healthyA = await serve(healthy, [intermediate]);
  ports.healthyB = await serve(await leafFor("localhost", 190), [intermediate]);

  const shortInt = await issue(ca, { cn: "Expiring Intermediate", notAfterDays: 5, ca: true });
  ports.expiringIntermediate = await serve(await leafFor("localhost", 300, ["localhost"], -1, shortInt), [shortInt]);
  ports.wrongName = await serve(await leafFor("wrong.example", 200, ["wrong.example"]), [intermediate]);
  ports.selfSigned = await serve(await selfSigned({ cn: "localhost", sans: ["localhost"], notAfterDays: 200 }), []);
  ports.expired = await serve(await leafFor("localhost", -3, ["localhost"], -90), [intermediate]);
  ports.notYetValid = await serve(await leafFor("localhost", 200, ["localhost"], 2), [intermediate]);
  ports.soon = await serve(await leafFor("localhost", 40), [intermediate]);

  // Accepts TCP, never answers the ClientHello.
  const hang = createNetServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
  });
  servers.push(hang);
  await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
  ports.hang = (hang.address() as AddressInfo).port;

  // A port nothing listens on: bind, read the number, close.
  const tmp = createNetServer();
  await new Promise<void>((resolve) => tmp.listen(0, "127.0.0.1", resolve));
  ports.refused = (tmp.address() as AddressInfo).port;
  await new Promise((resolve) => tmp.close(resolve));

  file("chain.pem", [healthy, intermediate].map((c) => c.certPem).join(""));
  file("broken.pem", "-----BEGIN CERTIFICATE-----\nMIIBnotreallyacertificate==\n-----END CERTIFICATE-----\n");
  file("notpem.pem", "hello, I am not a certificate\n");
  const use1 = await leafFor("orders.use1.test", 200, ["orders.use1.test", "orders.test"]);
  const usw2 = await leafFor("orders.usw2.test", 200, ["orders.usw2.test", "orders.test"]);
  const other = await leafFor("orders.other.test", 200, ["orders.other.test"]);
  file("use1.pem", use1.certPem + intermediate.certPem);
  file("usw2.pem", usw2.certPem + intermediate.certPem);
  file("other.pem", other.certPem + intermediate.certPem);
}, 30_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

describe("tls-certificate", () => {
  it("passes a healthy chain on both sides and reports the earliest expiry", async () => {
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.healthyB!) });
    expect(o.status, o.summary).toBe("pass");
    expect(o.measured).toMatchObject({ unit: "d", limit: 14, warnAt: 28 });
    expect(o.measured!.value).toBeGreaterThan(189);
    expect(o.measured!.value).toBeLessThan(191);
    const chain = (o.evidence as any).standby.addresses[0].chain;
    expect(chain.map((c: any) => c.role)).toEqual(["leaf", "intermediate", "root"]);
    expect(chain[0]).toMatchObject({ subject: "CN=localhost", issuer: "CN=Standby Test Intermediate", sans: ["DNS:localhost"] });
    expect(chain[0].fingerprint256).toMatch(/^[0-9A-F:]{95}$/);
    expect((o.evidence as any).standby.addresses[0].verified).toBe(true);
    // Thresholds are numbers (ms), so renderers colour by them instead of parsing "28d".
    expect(ev(o).thresholds).toEqual({ warnMs: 28 * DAY_MS, failMs: 14 * DAY_MS });
  });

  it("fails on an intermediate expiring in 5 days behind a healthy leaf", async () => {
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.expiringIntermediate!) });
    expect(o.status).toBe("fail");
    const f = o.findings!.find((x) => x.rule === "expiry")!;
    expect(f.message).toMatch(/^standby localhost:\d+: intermediate "Expiring Intermediate" expires in (4d23h|5d) /);
    expect(o.measured!.value).toBeCloseTo(5, 0);
  });

  it("fails a certificate issued for another name", async () => {
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.wrongName!), nameParity: "off" });
    expect(o.status).toBe("fail");
    expect(rules(o)).toEqual(["name-mismatch"]);
    expect(o.findings![0]!.message).toContain("does not cover localhost (covers wrong.example)");
  });

  it("fails a self-signed certificate without looping on its issuer link", async () => {
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.selfSigned!) });
    expect(o.status).toBe("fail");
    expect(o.findings!.find((f) => f.rule === "verification")!.message).toContain("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect((o.evidence as any).standby.addresses[0].chain).toHaveLength(1);
  });

  it("fails an expired and a not-yet-valid certificate", async () => {
    const expired = await run({ primary: live(ports.healthyA!), standby: live(ports.expired!) });
    expect(expired.status).toBe("fail");
    expect(rules(expired)).toContain("expired");
    expect(expired.measured!.value).toBeLessThan(0);
    const early = await run({ primary: live(ports.notYetValid!), standby: live(ports.healthyB!) });
    expect(early.status).toBe("fail");
    expect(early.findings!.find((f) => f.rule === "not-yet-valid")!.message).toMatch(/^primary localhost:\d+: leaf "localhost" is not valid until/);
  });

  it("warns when the standby expires much sooner than the primary", async () => {
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.soon!) });
    expect(o.status, o.summary).toBe("warn");
    expect(rules(o)).toEqual(["expiry-parity"]);
    // Validity windows are set relative to now, so the gap can print as 160d or 159d23h.
    expect(o.findings![0]!.message).toMatch(/expires (160d|159d23h) before the primary's/);
    // Beyond the horizon the gap does not matter.
    const far = await run({ primary: live(ports.healthyA!), standby: live(ports.soon!), parityWithin: "30d" });
    expect(far.status).toBe("pass");
    // Thresholds are the user's: warning at 60d makes the 40d certificate itself a warning.
    const strict = await run({ primary: live(ports.healthyA!), standby: live(ports.soon!), warn: "60d", fail: "30d" });
    expect(rules(strict)).toEqual(["expiry", "expiry-parity"]);
    expect(strict.measured).toMatchObject({ unit: "d", limit: 30, warnAt: 60 });
    expect(ev(strict).thresholds).toEqual({ warnMs: 60 * DAY_MS, failMs: 30 * DAY_MS });
    // A warn below fail is widened to fail: the measured limits say so too.
    const widened = await run({ primary: live(ports.healthyA!), standby: live(ports.soon!), warn: "7d", fail: "45d" });
    expect(widened.measured).toMatchObject({ limit: 45, warnAt: 45 });
    expect(widened.findings!.find((f) => f.rule === "expiry")).toMatchObject({ level: "fail" });
  });

  it("connects to every address and reports one serving a different certificate", async () => {
    // Same port on 127.0.0.1 and ::1: the IPv6 node serves an older, sooner-expiring certificate.
    const port = ports.healthyA!;
    ports.dualStack = port;
    await serve(await leafFor("localhost", 50), [intermediate], "::1", port);
    const o = await run({ primary: live(port, { addresses: ["127.0.0.1", "::1"] }), standby: live(ports.healthyB!) });
    expect(o.status, o.summary).toBe("warn");
    expect(rules(o)).toContain("address-mismatch");
    const mismatch = o.findings!.find((f) => f.rule === "address-mismatch")!;
    expect(mismatch.message).toContain(`127.0.0.1:${port}`);
    expect(mismatch.message).toContain(`[::1]:${port}`);
    expect((o.evidence as any).primary.addresses).toHaveLength(2);
    // The ::1 node's sooner expiry is read; it is not what warned, so it is the reading, not measured.
    expect(o.measured).toBeNull();
    expect(o.reading!.value).toBeCloseTo(50, 0);
  });

  it("resolves the name and connects to every address the resolver gives", async () => {
    // The two nodes of the previous test, reached through the name alone. Where the resolver gives
    // localhost both families the ::1 node is found and its older certificate reported; where it gives
    // one address, exactly that one is probed.
    const byName = await run({ primary: { host: "localhost", port: ports.dualStack!, caFile: "ca.pem" }, standby: live(ports.healthyB!) });
    const expected = LOCALHOST.map((a) => (a.includes(":") ? `[${a}]:${ports.dualStack}` : `${a}:${ports.dualStack}`)).sort();
    expect((byName.evidence as any).primary.addresses.map((a: any) => a.address).sort()).toEqual(expected);
    expect(rules(byName).includes("address-mismatch")).toBe(DUAL_STACK);
  });

  it("is unknown/timeout when the server never completes the handshake", async () => {
    const t0 = performance.now();
    const o = await run({ primary: live(ports.healthyA!), standby: live(ports.hang!) }, { timeoutMs: 800 });
    expect(o).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(o.summary).toMatch(/^standby localhost:\d+: TLS handshake with 127\.0\.0\.1:\d+: timed out after 800ms$/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("is unknown/unreachable for a refused port and an unknown name", async () => {
    const refused = await run({ primary: live(ports.healthyA!), standby: live(ports.refused!) });
    // Side, target, the address connected to, and the cause in words.
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable", summary: `standby localhost:${ports.refused} via 127.0.0.1:${ports.refused}: connection refused (ECONNREFUSED)` });
    expect(ev(refused).standby.errors).toEqual([{ reason: "unreachable", message: refused.summary }]);
    const byIp = await run({ primary: live(ports.healthyA!), standby: { host: "127.0.0.1", port: ports.refused! } });
    expect(byIp.summary).toBe(`standby 127.0.0.1:${ports.refused}: connection refused (ECONNREFUSED)`);
    const nx = await run({ primary: live(ports.healthyA!), standby: { host: "standby-does-not-exist.invalid", port: 443 } });
    expect(nx).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(nx.summary).toMatch(/^standby standby-does-not-exist\.invalid:443: host not found: standby-does-not-exist\.invalid/);
    expect(ev(nx).standby).toMatchObject({ target: "standby-does-not-exist.invalid:443", addresses: [], errors: [{ reason: "unreachable" }] });
  });

  it("a definite failure on one side is not hidden by an unreadable other side", async () => {
    const o = await run({ primary: live(ports.refused!), standby: live(ports.expired!) });
    expect(o.status).toBe("fail");
    expect(rules(o)).toContain("not-checked");
  });

  it("reads PEM files: healthy chain, name parity after side-var substitution", async () => {
    const ok = await run({ primary: { pemFile: "use1.pem", name: "orders.use1.test", caFile: "ca.pem" }, standby: { pemFile: "usw2.pem", name: "orders.usw2.test", caFile: "ca.pem" } });
    expect(ok.status, ok.summary).toBe("pass");
    const drift = await run({ primary: { pemFile: "use1.pem", caFile: "ca.pem" }, standby: { pemFile: "other.pem", caFile: "ca.pem" } });
    expect(drift.status).toBe("fail");
    const f = drift.findings!.find((x) => x.rule === "name-parity" && x.change === "missing")!;
    expect(f.message).toContain("does not cover orders.usw2.test, orders.test");
    // Untrusted without the CA bundle: Node's roots do not know the test CA.
    const untrusted = await run({ primary: { pemFile: "chain.pem" }, standby: { pemFile: "chain.pem" } });
    expect(untrusted.findings!.map((x) => x.message)).toContain("primary chain.pem: chain does not verify (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)");
  });

  it("is unknown/invalid-response for malformed PEM and unknown/unreachable for a missing file", async () => {
    const healthy = { pemFile: "chain.pem", caFile: "ca.pem" };
    const broken = await run({ primary: healthy, standby: { pemFile: "broken.pem" } });
    expect(broken).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(broken.summary).toMatch(/^standby PEM file broken\.pem: certificate 1 of 1 is not a valid X\.509 certificate/);
    const notPem = await run({ primary: { pemFile: "notpem.pem" }, standby: healthy });
    expect(notPem).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(notPem.summary).toBe("primary PEM file notpem.pem holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)");
    const missing = await run({ primary: healthy, standby: { pemFile: "nope.pem" } });
    expect(missing).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby PEM file nope.pem: no such file (ENOENT)" });
    const noCa = await run({ primary: healthy, standby: live(ports.healthyB!, { caFile: "no-ca.pem" }) });
    expect(noCa).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby CA file no-ca.pem: no such file (ENOENT)" });
  });

  it("follows issuer links without looping: self-links end a chain, cycles are flagged", () => {
    const link = (pem: string) => ({ raw: new X509Certificate(pem).raw }) as DetailedPeerCertificate;
    const [leaf, int] = [link(intermediate.certPem), link(ca.certPem)];
    leaf.issuerCertificate = int;
    int.issuerCertificate = int; // how Node ends a chain at a self-signed root
    expect(walkChain(leaf)).toMatchObject({ circular: false });
    expect(walkChain(leaf).chain).toHaveLength(2);
    // A broken server: A names B as issuer and B names A.
    const a = link(intermediate.certPem);
    const b = link(ca.certPem);
    a.issuerCertificate = b;
    b.issuerCertificate = a;
    const cyc = walkChain(a);
    expect(cyc.circular).toBe(true);
    expect(cyc.chain).toHaveLength(2);
    expect(walkChain({})).toEqual({ chain: [], circular: false });
  });

  it("validates its options, naming the path and what was expected", () => {
    const issues = (raw: unknown) => {
      const r = parseOptions(check, raw);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    const pem = { pemFile: "x" };
    expect(issues({ primary: { host: "a", port: 70000 }, standby: pem })).toContain("primary.port: Too big: expected number to be <=65535");
    expect(issues({ primary: { host: "a", addresses: ["not-an-ip"] }, standby: pem })).toContain("primary.addresses.0: expected an IPv4 or IPv6 address");
    expect(issues({ primary: pem, standby: pem, warn: "soon" })).toEqual(['warn: expected a duration like 90s, 5m, 2h or 14d, got "soon"']);
    expect(issues({ primary: pem, standby: pem, nameParity: "info" })).toEqual(['nameParity: Invalid option: expected one of "fail"|"warn"|"off"']);
    // host and pemFile together match neither shape (both are strict objects).
    expect(parseOptions(check, { primary: { host: "a", pemFile: "x" }, standby: pem }).success).toBe(false);
    const ok = parseOptions(check, { primary: { host: "a" }, standby: pem, warn: "30d" });
    expect(ok.success && ok.data).toMatchObject({ primary: { port: 443 }, warn: 30 * DAY_MS, fail: 14 * DAY_MS });
  });
});

// evaluateSide's expiry judgement on one chain (a leaf valid 100 days, behind the test
// intermediate), seen from moments chosen so the time left lands exactly on each limit.
const LEAF_DAYS = 100;
const leafChain = await (async () => {
  const root = await selfSigned({ cn: "Table Root", notAfterDays: 3650, ca: true });
  const leaf = await issue(root, { cn: "table.test", sans: ["table.test"], notAfterDays: LEAF_DAYS, notBeforeDays: -1 });
  return [new X509Certificate(leaf.certPem), new X509Certificate(root.certPem)];
})();
type ExpiryCase = { leftMs: number; warn: string; fail: string };
const judgeExpiry = ({ leftMs, warn, fail }: ExpiryCase): string => {
  const now = new Date(new Date(leafChain[0]!.validTo).getTime() - leftMs);
  const reading = { side: "standby" as const, target: "table.pem", name: null, failures: [], observations: [{ where: "table.pem", chain: leafChain, verified: true, verifyError: null, circular: false, protocol: null }] };
  const limits = expiryLimits(check.options.parse({ primary: { pemFile: "x" }, standby: { pemFile: "x" }, warn, fail }));
  const f = evaluateSide(reading, limits, now).findings.find((x) => x.rule === "expiry" || x.rule === "expired");
  return f ? `${f.level} ${f.rule}: ${f.message.replace(/ \(\d{4}-[^)]*\)/, "")}` : "none";
};
decisionTable<ExpiryCase, string>("tls-certificate expiry of a chain", judgeExpiry, [
  { name: "beyond warn: no finding", input: { leftMs: 40 * DAY_MS, warn: "28d", fail: "14d" }, expected: "none" },
  { name: "exactly at warn: warns", input: { leftMs: 28 * DAY_MS, warn: "28d", fail: "14d" }, expected: 'warn expiry: standby table.pem: leaf "table.test" expires in 28d, within the warn threshold 28d' },
  { name: "exactly at fail: fails", input: { leftMs: 14 * DAY_MS, warn: "28d", fail: "14d" }, expected: 'fail expiry: standby table.pem: leaf "table.test" expires in 14d, within the fail threshold 14d' },
  { name: "warn below fail is widened: inside fail fails", input: { leftMs: 10 * DAY_MS, warn: "7d", fail: "14d" }, expected: 'fail expiry: standby table.pem: leaf "table.test" expires in 10d, within the fail threshold 14d' },
  { name: "warn below fail is widened: beyond fail nothing", input: { leftMs: 15 * DAY_MS, warn: "7d", fail: "14d" }, expected: "none" },
  { name: "past expiry: expired", input: { leftMs: -3 * DAY_MS, warn: "28d", fail: "14d" }, expected: 'fail expired: standby table.pem: leaf "table.test" expired 3d ago' },
]);
