import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "standby-cli-"));
// A copy, as a user's checkout: scans append their history beside the config, never into examples/.
cpSync(join(ROOT, "examples/quickstart"), join(tmp, "quickstart"), { recursive: true, filter: (src) => !src.includes(".standby") });
const QUICKSTART = join(tmp, "quickstart/standby.yml");
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("standby scan on the quickstart", () => {
  it("prints a readable report and exits 1 because the standby is not ready", async () => {
    const r = await runCli(["scan", "--config", QUICKSTART]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("NOT_READY");
    expect(r.stdout).toContain("orders-app-config");
    // Drift that normalisation must not hide: the standby's DLQ still points at the primary region.
    expect(r.stdout).toContain("queues.deadLetter");
    expect(r.stdout).toContain("capacity.maxSize");
    // Drift that normalisation hides: region/account twins and ignored timestamps.
    expect(r.stdout).not.toContain("database.clusterArn");
    expect(r.stdout).not.toContain("metadata.generatedAt");
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stderr).toBe("");
  });

  it("writes the DESIGN.md JSON report", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).slice(0, 9)).toEqual(["schemaVersion", "tool", "startedAt", "durationMs", "status", "score", "points", "services", "checks"]);
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: "standby", version: "0.1.0" }, status: "NOT_READY" });
    expect(report.services.map((s: { name: string }) => s.name)).toEqual(["orders", "search"]);
    const app = report.checks.find((c: { id: string }) => c.id === "orders-app-config");
    expect(app).toMatchObject({ service: "orders", kind: "config-drift", severity: "high", status: "fail", reason: null });
    const paths = app.findings.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["queues.deadLetter", "listeners[port=443].sslPolicy", "listeners[port=9090]", "routing.rules[name=debug]", "capacity.maxSize", "tags[Key=data-classification]"]));
    expect(paths).not.toContain("capacity.desired"); // within 15% tolerance
    expect(app.findings.find((f: { path: string }) => f.path === "capacity.maxSize")).toMatchObject({ change: "weaker", primary: 24, standby: 8 });
    // The standby still points at the primary's queue: the finding says what it should hold.
    expect(app.findings.find((f: { path: string }) => f.path === "queues.deadLetter")).toMatchObject({
      change: "changed",
      standby: "https://sqs.us-east-1.amazonaws.com/111111111111/order-events-dlq-use1",
      expected: "https://sqs.us-west-2.amazonaws.com/222222222222/order-events-dlq-usw2",
    });
    // The secret-looking key is shown as differing, never with its values.
    expect(r.stdout).not.toContain("pr1mary-db-pass");
    expect(r.stdout).not.toContain("st4ndby-db-pass");
    const flags = report.checks.find((c: { id: string }) => c.id === "orders-feature-flags");
    expect(flags.status).toBe("pass");
    const points = report.checks.reduce((s: number, c: { points: { possible: number } }) => s + c.points.possible, 0);
    expect(report.points.possible).toBe(points);
  });

  it("--only selects by id glob, --fail-on never exits 0", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--only", "search-*", "--format", "json", "--fail-on", "never"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(["search-cluster-settings"]);
    expect(report.status).toBe("NOT_READY"); // a medium failure alone scores 0, below minScore
  });

  it("--only that matches nothing is a usage error", async () => {
    const r = await runCli(["scan", "-c", QUICKSTART, "--only", "nope-*"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("matches no check");
  });

  it("--output writes the report file and one line on stderr", async () => {
    const out = join(tmp, "report.xml");
    const r = await runCli(["scan", "-c", QUICKSTART, "-f", "junit", "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/NOT_READY, score \d+\/100; junit report written to/);
    expect(readFileSync(out, "utf8")).toMatch(/^<\?xml/);
  });

  it("an -o that cannot be written is a usage error before anything runs (no scan, no history record)", async () => {
    const ws = mkdtempSync(join(tmpdir(), "standby-o-"));
    cpSync(join(ROOT, "examples/quickstart"), ws, { recursive: true, filter: (src) => !src.includes(".standby") });
    const history = join(ws, ".standby/history.jsonl");
    const missingDir = await runCli(["scan", "-c", join(ws, "standby.yml"), "-o", join(ws, "no/such/dir/report.txt")]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toBe(`standby: -o: cannot write the report: the directory ${join(ws, "no/such/dir")} does not exist\n`);
    const aDir = await runCli(["scan", "-c", join(ws, "standby.yml"), "-o", ws]);
    expect(aDir.code).toBe(2);
    expect(aDir.stderr).toContain(`${ws} is a directory`);
    expect(existsSync(history)).toBe(false);
    const merge = await runCli(["merge", join(ws, "nope.json"), "-o", join(ws, "no/such/dir/merged.json")]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain("merge: -o: cannot write the report: the directory");
  });

  it("honours FORCE_COLOR and NO_COLOR", async () => {
    const colored = await runCli(["scan", "-c", QUICKSTART], { env: { FORCE_COLOR: "1" } });
    expect(colored.stdout).toMatch(/\x1b\[/);
    const plain = await runCli(["scan", "-c", QUICKSTART], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
  });

  it("renders every format", async () => {
    for (const format of ["markdown", "prometheus"]) {
      const r = await runCli(["scan", "-c", QUICKSTART, "-f", format]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("orders-app-config");
    }
  });
});

describe("invalid input", () => {
  it("invalid config: every problem with file:line:column, exit 2, no stack trace", async () => {
    const file = join(tmp, "broken.yml");
    for (const f of ["a.json", "b.json"]) writeFileSync(join(tmp, f), "{}\n");
    writeFileSync(file, `version: 1\nservices:\n  - name: orders\n    checks:\n      - id: a\n        kind: config-drfit\n      - id: b\n        kind: config-drift\n        timeout: soon\n        primary: { file: a.json }\n        standby: { file: b.json }\n`);
    const r = await runCli(["validate", "-c", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid config (2 problems)");
    expect(r.stderr).toMatch(/broken\.yml:6:15: services\[0\]\.checks\[0\]\.kind: unknown check kind 'config-drfit' \(did you mean 'config-drift'\?\)/);
    expect(r.stderr).toMatch(/broken\.yml:9:18: services\[0\]\.checks\[1\]\.timeout: expected a duration/);
    noStack(r.stderr);
    const s = await runCli(["scan", "-c", file]);
    expect(s.code).toBe(2);
    expect(s.stdout).toBe("");
  });

  it("a missing config file is exit 2 with a clear message", async () => {
    const r = await runCli(["scan", "-c", "does-not-exist.yml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`standby: no config found: -c does-not-exist.yml: looked for does-not-exist.yml in ${ROOT}\n`);
    noStack(r.stderr);
  });

  it("unknown flags and bad values are usage errors (exit 2)", async () => {
    expect((await runCli(["scan", "--frobnicate"])).code).toBe(2);
    expect((await runCli(["scan", "--format", "xml"])).code).toBe(2);
    expect((await runCli(["scan", "--concurrency", "0"])).code).toBe(2);
    expect((await runCli(["explode"])).code).toBe(2);
  });
});

describe("other commands", () => {
  it("validate accepts the quickstart", async () => {
    const r = await runCli(["validate", "-c", QUICKSTART]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(2 services, 3 checks of 1 kind\)/);
  });

  it("--version and --help", async () => {
    const v = await runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe("0.1.0");
    const h = await runCli(["--help"]);
    expect(h.code).toBe(0);
    for (const cmd of ["scan", "validate", "schema", "list-checks"]) expect(h.stdout).toContain(cmd);
  });

  it("schema prints a JSON Schema that knows each kind's options", async () => {
    const r = await runCli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(r.stdout).toContain('"config-drift"');
    expect(r.stdout).toContain('"atLeast"');
    expect(schema.properties.services).toBeDefined();
  });

  it("list-checks names each kind with its docs", async () => {
    const r = await runCli(["list-checks"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("config-drift");
    expect(r.stdout).toContain("checks/config-drift/README.md");
    const j = await runCli(["list-checks", "--format", "json"]);
    const kinds = JSON.parse(j.stdout) as { kind: string }[];
    expect(kinds.find((k) => k.kind === "config-drift")).toMatchObject({ kind: "config-drift", defaultSeverity: "high" });
    expect(kinds.map((k) => k.kind)).toEqual([...kinds.map((k) => k.kind)].sort());
  });
});
