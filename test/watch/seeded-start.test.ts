// watch is useful from its first second: each check's last result in the history is served
// (marked seeded, with when it was measured, stale when older than its schedule's period) until
// the initial run, jittered at start, replaces it. A real process with a daily schedule.
import { spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";
import { startWatch } from "../helpers/watch-daemon.js";

let dir = "";
const children: ChildProcess[] = [];
const HOUR = 3_600_000;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "standby-seed-"));
  cpSync(join(ROOT, "examples/quickstart/configs"), join(dir, "configs"), { recursive: true });
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
scoring: { minScore: 80 }
defaults: { schedule: "17 2 * * *" }
services:
  - name: search
    checks:
      - id: search-drift
        kind: config-drift
        severity: medium
        primary: { file: configs/primary/search.json }
        standby: { file: configs/standby/search.json }
      - id: flags-drift
        kind: config-drift
        severity: low
        primary: { file: configs/primary/flags.yaml }
        standby: { file: configs/standby/flags.yaml }
`,
  );
  // Yesterday's nightly scan, as a real record written by `scan`, moved back in time: one check
  // 20 hours ago (within its daily period), the other three days ago (stale).
  const scan = spawnSync(process.execPath, [BIN, "scan", "-c", join(dir, "standby.yml"), "-f", "json"], { cwd: dir, encoding: "utf8" });
  expect(scan.status, scan.stderr).toBe(1);
  const file = join(dir, ".standby/history.jsonl");
  const rec = JSON.parse(readFileSync(file, "utf8").trim().split("\n")[0]!);
  const older = { ...rec, at: new Date(Date.now() - 72 * HOUR).toISOString(), partial: true, checks: rec.checks.filter((c: { id: string }) => c.id === "flags-drift") };
  const newer = { ...rec, at: new Date(Date.now() - 20 * HOUR).toISOString(), partial: true, checks: rec.checks.filter((c: { id: string }) => c.id === "search-drift") };
  writeFileSync(file, `${JSON.stringify(older)}\n${JSON.stringify(newer)}\n`);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function start(extra: string[]): Promise<{ base: string; child: ChildProcess; startedAt: number }> {
  const startedAt = Date.now();
  const d = await startWatch(join(dir, "standby.yml"), { cwd: dir, args: extra, children });
  return { base: d.base, child: d.child, startedAt };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

interface Rep {
  score: number;
  status: string;
  checks: Array<{ id: string; status: string; seeded?: boolean; stale?: boolean; measuredAt?: string }>;
}

describe("watch seeds its results from the history", () => {
  it("--no-initial-run: the score and each check's status from the first request, marked seeded, the old one stale", async () => {
    const d = await start(["--no-initial-run"]);
    try {
      const rep = (await (await fetch(`${d.base}/report.json`)).json()) as Rep;
      expect(rep.checks.map((c) => [c.id, c.status, c.seeded, c.stale ?? false])).toEqual([
        ["search-drift", "fail", true, false],
        ["flags-drift", "fail", true, true],
      ]);
      for (const c of rep.checks) expect(Date.parse(c.measuredAt!)).toBeLessThan(d.startedAt - 19 * HOUR);
      const metrics = await (await fetch(`${d.base}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`standby_readiness_score ${rep.score}\\b`));
      expect(metrics).toMatch(/standby_check_status\{[^}]*check="search-drift"[^}]*status="fail"\} 1/);
    } finally {
      await stop(d.child);
    }
  });

  it("by default the initial run replaces the seeded results within seconds", async () => {
    const d = await start([]);
    try {
      const first = (await (await fetch(`${d.base}/report.json`)).json()) as Rep;
      expect(first.checks.length).toBe(2); // seeded or already fresh, never empty
      const end = Date.now() + 10_000;
      let rep = first;
      while (rep.checks.some((c) => c.seeded) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        rep = (await (await fetch(`${d.base}/report.json`)).json()) as Rep;
      }
      expect(rep.checks.map((c) => [c.id, c.seeded ?? false])).toEqual([
        ["search-drift", false],
        ["flags-drift", false],
      ]);
      for (const c of rep.checks) expect(Date.parse(c.measuredAt!)).toBeGreaterThanOrEqual(d.startedAt - 1000);
    } finally {
      await stop(d.child);
    }
  });
});
