// A secret equal to a word of the report (a status, a service name, an id) must not bend the
// verdict or the report's structure: redaction touches free text only, and a short or common
// secret only as a whole word. Issue 14, item 1, through the built CLI in every format.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secrets, SecretRegistry } from "../src/core/secrets.js";
import { runCli } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "standby-verdict-"));

beforeAll(() => {
  // A critical drill that is a year overdue, with a secret service var used in its source path.
  writeFileSync(join(dir, "drill.json"), JSON.stringify({ completedAt: "2025-01-01T00:00:00Z" }));
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
services:
  - name: orders
    primary: { vars: { user: "\${env:DBUSER}" } }
    standby: { vars: { user: "\${env:DBUSER}" } }
    checks:
      - id: orders-drill
        kind: drill-recency
        severity: critical
        cadence: "0 10 1 * *"
        lastDrill: { file: drill.json, pointer: /completedAt }
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (format: string, value: string) =>
  runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format, "--no-history"], { env: { DBUSER: value } });

describe("a secret equal to a word of the report", () => {
  for (const value of ["fail", "orders", "critical", "NOT_READY", "drill", "id", "status"]) {
    it(`DBUSER=${value}: JSON keeps status, ids and score; exit 1`, async () => {
      const r = await scan("json", value);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as { status: string; score: number; services: { name: string }[]; checks: { id: string; status: string; severity: string; service: string }[] };
      expect(report.status).toBe("NOT_READY");
      expect(report.score).toBe(0);
      expect(report.services.map((s) => s.name)).toEqual(["orders"]);
      expect(report.checks).toHaveLength(1);
      expect(report.checks[0]).toMatchObject({ id: "orders-drill", service: "orders", status: "fail", severity: "critical" });
    });
  }

  for (const format of ["text", "markdown", "junit", "prometheus"]) {
    it(`DBUSER=fail: ${format} renders the verdict (exit 1, no internal error)`, async () => {
      const r = await scan(format, "fail");
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stdout).toContain("orders-drill");
      expect(r.stdout).toMatch(/NOT_READY|NOT READY|not_ready/i);
      expect(r.stdout).not.toMatch(/NaN/);
    });
  }

  it("DBUSER=orders: the service is still counted (1 check in 1 service)", async () => {
    const r = await scan("text", "orders");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/0 services/);
    expect(r.stdout).toContain("[orders]");
  });
});

describe("a secret made of report syntax", () => {
  // Found by an outside review: the last pass over a finished document matched across its syntax.
  const dir2 = mkdtempSync(join(tmpdir(), "standby-syntax-"));
  beforeAll(() => {
    writeFileSync(join(dir2, "p.json"), '{"a":1}');
    writeFileSync(join(dir2, "s.json"), '{"a":2}');
    writeFileSync(
      join(dir2, "standby.yml"),
      'version: 1\nservices:\n  - name: orders\n    primary: { vars: { x: "${env:S1} ${env:S2}" } }\n    checks:\n      - { id: drift, kind: config-drift, severity: critical, primary: { file: p.json }, standby: { file: s.json } }\n',
    );
  });
  afterAll(() => rmSync(dir2, { recursive: true, force: true }));
  const run = (format: string, S1: string, S2: string) => runCli(["scan", "-c", join(dir2, "standby.yml"), "-f", format, "--no-history"], { env: { S1, S2 } });

  it("JSON stays parseable with its status", async () => {
    const r = await run("json", '"status": "NOT_READY"', '"score": 0,');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe("NOT_READY");
  });

  it("JUnit keeps its failure counts and Prometheus its samples", async () => {
    const junit = await run("junit", 'failures="1"', 'tests="1"');
    expect(junit.stdout).toMatch(/<testsuites [^>]*tests="1" failures="1"/);
    const prom = await run("prometheus", "standby_ready 0", "standby_readiness_score");
    expect(prom.stdout).toMatch(/^standby_ready 0$/m);
    expect(prom.stdout).toMatch(/^standby_readiness_score 0$/m);
  });

  it("every Prometheus family rendered is a report word (never redacted out of the scrape)", async () => {
    const prom = await run("prometheus", "x1x1x1x1", "y2y2y2y2");
    const families = [...new Set([...prom.stdout.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!))];
    expect(families.length).toBeGreaterThan(10);
    const reg = new SecretRegistry();
    for (const f of families) reg.add(f);
    expect(reg.redactDocument(prom.stdout)).toBe(prom.stdout);
  });
});

describe("how redaction matches", () => {
  it("a long secret found nowhere in the config is redacted anywhere, even inside a word", () => {
    const reg = new SecretRegistry();
    reg.add("zq9-secret-77");
    expect(reg.redact("token=xzq9-secret-77y")).toBe("token=x***y");
  });

  it("a short secret or one the config uses is redacted as a whole word in free text only", () => {
    const reg = new SecretRegistry();
    reg.addVocabulary("services:\n  - name: orders\n");
    reg.add("orders");
    reg.add("ab");
    // Full-output passes (ids, statuses, names) never touch it.
    expect(reg.redact('"service": "orders"')).toBe('"service": "orders"');
    // Free text: whole words only, never a fragment of other words.
    expect(reg.redactFreeText("user orders rejected; ordersdb and reorders kept")).toBe("user *** rejected; ordersdb and reorders kept");
    expect(reg.redactFreeText("ab")).toBe("***");
    expect(reg.redactFreeText("tab abc ab.")).toBe("tab abc ***.");
  });

  it("a secret URL hides its userinfo, path segments and query values", () => {
    const reg = new SecretRegistry();
    reg.add("https://u:p4ss-word@hooks.example.com/T0123/cap-9f8e7d6c?sig=abcdef123456&x=1");
    const text = reg.redact("GET /T0123/cap-9f8e7d6c?sig=abcdef123456 failed; see cap-9f8e7d6c");
    expect(text).not.toContain("cap-9f8e7d6c");
    expect(text).not.toContain("abcdef123456");
    expect(text).not.toContain("T0123");
    expect(reg.touchesUrl(new URL("https://hooks.example.com/T0123/cap-9f8e7d6c"))).toBe(true);
    expect(reg.touchesUrl(new URL("https://hooks.example.com/other"))).toBe(false);
  });

  it("the process registry starts empty in this test file", () => {
    expect(secrets.size).toBe(0);
  });
});
