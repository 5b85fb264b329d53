// The words of issue 17, through the built CLI as a user reads them: drift with side-var
// substitution, the [rule-id: reason] ending of every finding, a parity failure without a
// measured value that is not about it, durations in two units at most, and list-checks KIND.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "standby-words-"));
cpSync(join(ROOT, "examples/quickstart"), join(tmp, "quickstart"), { recursive: true, filter: (src) => !src.includes(".standby") });
const QUICKSTART = join(tmp, "quickstart/standby.yml");
/** The text report wraps at 80 columns: a finding read back as one line. */
const unwrap = (text: string) => text.replace(/\n {6,}(?![-] )/g, " ");

const USE1_DLQ = '"https://sqs.us-east-1.amazonaws.com/111111111111/order-events-dlq-use1"';
const USW2_DLQ = '"https://sqs.us-west-2.amazonaws.com/222222222222/order-events-dlq-usw2"';
const SUBSTITUTED = `queues.deadLetter: changed, standby holds ${USE1_DLQ}; it should hold ${USW2_DLQ} (the primary's ${USE1_DLQ} with this side's vars) [match]`;
const PLAIN = 'logging.level: changed, primary "info", standby "debug" [match]';
const WITH_REASON = "capacity.maxSize: weaker, primary 24, standby 8 [at-least: the standby must hold at least the primary's value]";

describe("drift wording and the rule ending", () => {
  it("text: the standby holds X; it should hold Y (the primary's Z with this side's vars); without substitution primary X, standby Y", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--no-history"]);
    expect(r.code).toBe(1);
    const out = unwrap(r.stdout);
    expect(out).toContain(`      - ${SUBSTITUTED}\n`);
    expect(out).toContain(`      - ${PLAIN}\n`);
    expect(out).toContain(`      - ${WITH_REASON}\n`);
    expect(out).not.toContain("after side-var substitution");
    expect(out).not.toContain(" -> standby");
  });

  it("junit carries the same lines", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--no-history", "-f", "junit"]);
    for (const line of [SUBSTITUTED, PLAIN, WITH_REASON]) expect(r.stdout).toContain(`- ${line}\n`);
  });

  it("markdown: the standby cell says what it holds and what it should hold; the why cell ends with the rule", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--no-history", "-f", "markdown"]);
    const code = (v: string) => `<code>${v}</code>`;
    expect(r.stdout).toContain(
      `| ${code("queues.deadLetter")} | changed | ${code(USE1_DLQ)} | holds ${code(USE1_DLQ)}; it should hold ${code(USW2_DLQ)} (the primary's value with this side's vars) | \\[match\\] |`,
    );
    expect(r.stdout).toContain(`| ${code("capacity.maxSize")} | weaker | ${code("24")} | ${code("8")} | \\[at-least: the standby must hold at least the primary's value\\] |`);
  });

  it("json: rule is the id, why the reason, expected the substituted value", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--no-history", "-f", "json"]);
    const findings = (JSON.parse(r.stdout) as { checks: Array<{ id: string; findings: Array<Record<string, unknown>> }> }).checks.find((c) => c.id === "orders-app-config")!.findings;
    const at = (path: string) => findings.find((f) => f.path === path)!;
    expect(at("capacity.maxSize")).toMatchObject({ rule: "at-least", why: "the standby must hold at least the primary's value" });
    expect(at("queues.deadLetter")).toMatchObject({ rule: "match", expected: JSON.parse(USW2_DLQ), primary: JSON.parse(USE1_DLQ), standby: JSON.parse(USE1_DLQ) });
    expect(at("queues.deadLetter").message).toBe(
      `queues.deadLetter on standby still holds the primary's own value ${JSON.parse(USE1_DLQ)}; it should hold ${JSON.parse(USW2_DLQ)} (the primary's value with this side's vars)`,
    );
    expect(findings.every((f) => typeof f.rule === "string")).toBe(true);
  });
});

describe("a JWKS-parity failure and durations", () => {
  let server: Server;
  const dir = join(tmp, "jwt");

  beforeAll(async () => {
    const k1 = await generateKeyPair("ES256", { extractable: true });
    const k2 = await generateKeyPair("ES256", { extractable: true });
    const jwk = async (k: typeof k1, kid: string) => ({ ...(await exportJWK(k.publicKey)), kid, alg: "ES256", use: "sig" });
    const routes: Record<string, unknown> = { "/primary/jwks": { keys: [await jwk(k1, "k1")] }, "/standby/jwks": { keys: [await jwk(k2, "k2")] } };
    server = createServer((req, res) => {
      const body = routes[req.url ?? ""];
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iat: now, exp: now + 30 * 86_400 }).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(k1.privateKey);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "token.txt"), token);
    // Cached files this old (the scan adds a few seconds, which two units never show).
    const DAY = 86_400_000;
    const aged = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), "{}");
      const t = (Date.now() - ageMs) / 1000;
      utimesSync(join(dir, name), t, t);
    };
    aged("a.json", 100 * DAY + 4_000);
    aged("b.json", 195 * DAY + 1_000);
    aged("c.json", 4 * DAY + 23 * 3_600_000 + 30 * 60_000);
    writeFileSync(
      join(dir, "standby.yml"),
      [
        "version: 1",
        "services:",
        "  - name: orders",
        "    checks:",
        "      - id: orders-tokens",
        "        kind: jwt",
        `        primary: { token: "\${file:token.txt}", jwks: ${base}/primary/jwks }`,
        `        standby: { jwks: ${base}/standby/jwks }`,
        "      - { id: cache-a, kind: cache-age, file: a.json, max: 200d }",
        "      - { id: cache-b, kind: cache-age, file: b.json, max: 300d }",
        "      - { id: cache-c, kind: cache-age, file: c.json, max: 10d }",
        "",
      ].join("\n"),
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("a JWKS-parity failure shows no token lifetime as its measured value, and ends with its rule", async () => {
    const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "--no-history"]);
    expect(r.code, r.stderr).toBe(1);
    const from = r.stdout.lastIndexOf("\n", r.stdout.indexOf(" orders-tokens ["));
    const block = r.stdout.slice(from, r.stdout.indexOf(" cache-", from));
    expect(block).toMatch(/^\n  ✗ FAIL +high +orders-tokens \[orders\]\n/);
    expect(unwrap(block)).toMatch(/- keys\[kid=k1\]: missing on standby \(primary \{"kid":"k1",.*\}\); standby JWKS lacks kid k1 \(the primary token's current key\): tokens the primary signed with it would not verify after failover \[jwks-parity\]/);
    expect(block).not.toContain("measured");
    const json = JSON.parse((await runCli(["scan", "-c", join(dir, "standby.yml"), "--no-history", "-f", "json"])).stdout) as { checks: Array<{ id: string; measured: unknown; reading?: unknown }> };
    const tokens = json.checks.find((c) => c.id === "orders-tokens")!;
    expect(tokens.measured).toBeNull();
    // The lifetime is kept aside for the history and the metrics, as the reading.
    expect(tokens.reading).toMatchObject({ unit: "s", limit: 86_400 });
  });

  it("durations print two units at most, the rest rounded down: 100d, 195d, 4d23h", async () => {
    const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "--no-history"]);
    expect(r.stdout).toContain("file a.json 100d old (limit 200d, warns at 160d)");
    expect(r.stdout).toContain("measured 100d (limit 200d, warn at 160d)");
    expect(r.stdout).toContain("file b.json 195d old (limit 300d, warns at 240d)");
    expect(r.stdout).toContain("file c.json 4d23h old (limit 10d, warns at 8d)");
    expect(r.stdout).not.toMatch(/\b\d+d\d+[ms]\b|\b\d+h\d+s\b|\b\d+d\d+h\d/);
  });
});

describe("standby list-checks KIND", () => {
  it("prints the kind's manual as shipped in the package", async () => {
    const r = await runCli(["list-checks", "config-drift"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, "checks/config-drift/README.md"), "utf8"));
    expect(r.stderr).toBe("");
    const j = await runCli(["list-checks", "jwt", "-f", "json"]);
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: "jwt", docs: "checks/jwt/README.md", manual: readFileSync(join(ROOT, "checks/jwt/README.md"), "utf8") });
  });

  it("finds the manual from any working directory", async () => {
    const r = await runCli(["list-checks", "tls-certificate"], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# tls-certificate/);
  });

  it("an unknown kind is an error with did-you-mean, exit 2; a path is never read", async () => {
    const r = await runCli(["list-checks", "config-drif"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "standby: unknown check kind 'config-drif' (did you mean 'config-drift'?); the kinds are aws-credentials, cache-age, config-drift, dns-failover, drill-recency, jwt, replication-lag, shared-fate, split-brain, tls-certificate\n",
    );
    const path = await runCli(["list-checks", "../README.md"]);
    expect(path.code).toBe(2);
    expect(path.stdout).toBe("");
    expect(path.stderr).toMatch(/^standby: unknown check kind '\.\.\/README\.md'; the kinds are /);
  });

  it("without a kind lists them all and says how to read one", async () => {
    const r = await runCli(["list-checks"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("checks/config-drift/README.md");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("standby list-checks KIND prints that kind's manual");
  });
});
