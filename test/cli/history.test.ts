// scan --due with a prepared history, `standby history`, schedule validation, history on by default.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

let dir = "";
const CONFIG = (hourly: string, yearly: string) => `version: 1
scoring: { minScore: 0 }
services:
  - name: orders
    checks:
      - id: hourly-drift
        kind: config-drift
        severity: medium
        schedule: "${hourly}"
        primary: { file: configs/primary/flags.yaml }
        standby: { file: configs/standby/flags.yaml }
      - id: yearly-drift
        kind: config-drift
        severity: low
        schedule: "${yearly}"
        timezone: Europe/Paris
        primary: { file: configs/primary/search.json }
        standby: { file: configs/standby/search.json }
`;

const rec = (at: Date, ids: string[], status = "DEGRADED", score = 50) =>
  JSON.stringify({ v: 1, at: at.toISOString(), src: "scan", status, score, svc: { orders: status }, checks: ids.map((id) => ({ id, svc: "orders", st: "fail", fp: ["aaaaaaaaaaaa"], ms: 1 })) });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "standby-due-"));
  cpSync(join(ROOT, "examples/quickstart/configs"), join(dir, "configs"), { recursive: true });
  writeFileSync(join(dir, "standby.yml"), CONFIG("0 * * * *", "0 0 1 1 *"));
});

describe("scan --due", () => {
  it("runs only the checks whose previous occurrence is newer than their last run", async () => {
    const now = Date.now();
    const file = join(dir, "prepared.jsonl");
    // hourly-drift last ran 2 hours ago (due); yearly-drift ran a minute ago (not due until Jan 1).
    writeFileSync(file, [rec(new Date(now - 3 * 3600_000), ["hourly-drift", "yearly-drift"]), rec(new Date(now - 2 * 3600_000), ["hourly-drift"]), rec(new Date(now - 60_000), ["yearly-drift"])].join("\n") + "\n");
    const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "--due", "--history", file, "-f", "json", "--fail-on", "never"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(["hourly-drift"]);
    expect(report.comparison.previousAt).toBe(new Date(now - 60_000).toISOString());
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(4);
    const last = JSON.parse(lines[3]!);
    expect(last).toMatchObject({ v: 1, src: "scan", partial: true, checks: [{ id: "hourly-drift" }] });
    expect(last.svc).toEqual({}); // a partial scan does not record the service's status

    // Just ran: nothing is due now.
    const again = await runCli(["scan", "-c", join(dir, "standby.yml"), "--due", "--history", file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/no check is due; next: hourly-drift at \d{4}-/);
  });

  it("a check that never ran is due; --due without history is a usage error", async () => {
    const file = join(dir, "empty.jsonl");
    const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "--due", "--history", file, "-f", "json", "--fail-on", "never"]);
    expect(JSON.parse(r.stdout).checks.map((c: { id: string }) => c.id)).toEqual(["hourly-drift", "yearly-drift"]);
    const no = await runCli(["scan", "-c", join(dir, "standby.yml"), "--due", "--no-history"]);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain("--due needs the history (it decides what is due from the last runs); drop --no-history");
    // Turned off in the config, not on the command line: the message says where.
    const off = join(dir, "history-off.yml");
    writeFileSync(off, CONFIG("0 * * * *", "0 0 1 1 *").replace("scoring: { minScore: 0 }", "scoring: { minScore: 0 }\nhistory: { enabled: false }"));
    const offRun = await runCli(["scan", "-c", off, "--due"]);
    expect(offRun.code).toBe(2);
    expect(offRun.stderr).toContain("the config turns it off (history.enabled: false)");
  });

  it("history with a -c that does not exist says so instead of showing another directory's history", async () => {
    const r = await runCli(["history", "-c", join(dir, "mistyped.yml")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mistyped.yml: file not found (it locates the history; or give --history FILE)");
    expect(r.stdout).toBe("");
  });
});

describe("history by default, and standby history", () => {
  it("scan appends to .standby/history.jsonl beside the config; the second scan compares with the first", async () => {
    const cfg = join(dir, "standby.yml");
    const first = await runCli(["scan", "-c", cfg, "--fail-on", "never"], { cwd: tmpdir() });
    expect(first.stdout).not.toContain("since last scan");
    expect(existsSync(join(dir, ".standby/history.jsonl"))).toBe(true);
    const second = await runCli(["scan", "-c", cfg, "--fail-on", "never"], { cwd: tmpdir() });
    expect(second.stdout).toMatch(/since last scan \(.+\): 0 new, 0 resolved, \d+ persisting problems?/);
    const md = await runCli(["scan", "-c", cfg, "--fail-on", "never", "-f", "markdown"]);
    expect(md.stdout).toMatch(/Since last scan \(.+\): \*\*0\*\* new/);
    const json = JSON.parse((await runCli(["scan", "-c", cfg, "--fail-on", "never", "-f", "json"])).stdout);
    const firstRecord = JSON.parse(readFileSync(join(dir, ".standby/history.jsonl"), "utf8").split("\n")[0]!);
    for (const c of json.checks) for (const f of c.findings) expect(f.firstSeen).toBe(firstRecord.at);
    const none = await runCli(["scan", "-c", cfg, "--fail-on", "never", "--no-history"]);
    expect(none.stdout).not.toContain("since last scan");
    expect(readFileSync(join(dir, ".standby/history.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("shows the score trend and the checks that flap, in text and JSON, and notes a torn tail", async () => {
    const file = join(dir, "trend.jsonl");
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const flap = i % 2 === 0 ? "pass" : "fail";
      lines.push(JSON.stringify({ v: 1, at: new Date(t0 + i * 3600_000).toISOString(), src: "scan", status: flap === "pass" ? "READY" : "NOT_READY", score: flap === "pass" ? 100 : 20 + i, svc: {}, checks: [{ id: "flappy", svc: "orders", st: flap, fp: [], ms: 1 }, { id: "steady", svc: "orders", st: "pass", fp: [], ms: 1 }] }));
    }
    writeFileSync(file, lines.join("\n") + "\n" + '{"v":1,"at":"2026-01-02');
    const t = await runCli(["history", "--history", file]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/12 records from 2026-01-01T00:00:00.000Z to 2026-01-01T11:00:00.000Z/);
    expect(t.stdout).toMatch(/score  [▁-█]{12}  last 31 \(min 21, max 100\)/);
    expect(t.stdout).toMatch(/status NOT_READY since 2026-01-01T11:00:00.000Z \(1 record\)/);
    expect(t.stdout).toMatch(/flappy\s+11 changes in 12 runs/);
    expect(t.stdout).not.toMatch(/steady\s+\d+ change/);
    expect(t.stderr).toContain("skipped a torn last line");
    const j = await runCli(["history", "--history", file, "-f", "json", "--last", "4"]);
    const data = JSON.parse(j.stdout);
    expect(data.trend.map((x: { score: number }) => x.score)).toEqual([100, 29, 100, 31]);
    expect(data.flapping).toEqual([{ id: "flappy", service: "orders", changes: 3, runs: 4 }]);
  });
});

describe("schedule validation", () => {
  it("names file:line:col of a bad cron expression or time zone (exit 2)", async () => {
    const bad = join(dir, "bad.yml");
    writeFileSync(bad, CONFIG("61 * * * *", "0 0 1 1 *").replace("timezone: Europe/Paris", "timezone: Europe/Pariss"));
    const r = await runCli(["validate", "-c", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml:9:19: services\[0\]\.checks\[0\]\.schedule: invalid cron expression "61 \* \* \* \*": .*0-59/);
    expect(r.stderr).toMatch(/bad\.yml:16:19: services\[0\]\.checks\[1\]\.timezone: unknown time zone "Europe\/Pariss"/);
    writeFileSync(bad, "version: 1\ndefaults: { schedule: \"* * *\" }\n" + CONFIG("0 * * * *", "0 0 1 1 *").replace("version: 1\n", ""));
    const d = await runCli(["validate", "-c", bad]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/bad\.yml:2:23: defaults\.schedule: expected a cron expression of 5 fields .* got 3/);
  });
});
