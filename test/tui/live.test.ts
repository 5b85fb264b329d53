// The live controller with in-memory checks: results stream into snapshots as they land, runs
// never overlap, r / R / --refresh re-run, history gives first-seen, trend and readings.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { LoadedCheck, LoadedConfig } from "../../src/config/load.js";
import { defineCheck, type CheckOutcome, type ServiceInfo, type Severity } from "../../src/engine/types.js";
import { LiveScan } from "../../src/tui/live.js";
import { reduce, INITIAL_VIEW, visibleRows, matchesFilter } from "../../src/tui/model.js";
import { resolveKey, BINDINGS } from "../../src/tui/keymap.js";

const service: ServiceInfo = { name: "orders", primary: { vars: {} }, standby: { vars: {} } };

function check(id: string, run: () => Promise<CheckOutcome>, severity: Severity = "high"): LoadedCheck {
  const definition = defineCheck({ meta: { kind: "test-kind", title: "Test", description: "t", defaultSeverity: "high", docs: "x" }, options: z.object({}), run });
  return { id, kind: "test-kind", severity, timeoutMs: 2000, schedule: "0 0 1 1 *", options: {}, definition, service, location: { file: "s.yml", line: 1, column: 1 } };
}

function config(checks: LoadedCheck[]): LoadedConfig {
  return { file: "s.yml", baseDir: tmpdir(), objectives: { rpo: 300_000, rto: 900_000 }, minScore: 80, concurrency: 4, services: [service], checks };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

let live: LiveScan | null = null;
let dir: string | null = null;
afterEach(async () => {
  await live?.stop();
  live = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe("LiveScan", () => {
  it("streams each result as it lands, with running flags before", async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const checks = [check("fast", async () => ({ status: "fail", summary: "broken" })), check("slow", async () => (await slow, { status: "pass", summary: "ok" }))];
    live = new LiveScan({ config: config(checks), schedules: false });
    const seen: string[] = [];
    live.subscribe(() => seen.push(live!.getSnapshot().rows.map((r) => `${r.id}:${r.result?.status ?? "-"}:${r.running ? "R" : ""}`).join(",")));
    live.start();
    await until(() => live!.getSnapshot().rows[0]!.result !== null);
    const mid = live.getSnapshot();
    expect(mid.rows[1]!.running).toBe(true);
    expect(mid.report?.status).toBe("NOT_READY"); // partial results already roll up
    release();
    await until(() => live!.getSnapshot().lastScanAt !== null);
    const end = live.getSnapshot();
    expect(end.rows.map((r) => r.result?.status)).toEqual(["fail", "pass"]);
    expect(end.rows.every((r) => !r.running)).toBe(true);
    expect(seen.some((s) => s.includes("slow:-:R"))).toBe(true);
    expect(end.problemSince.fast).toBeTruthy();
  });

  it("only `concurrency` checks run at once; the others are queued, and the screen says which", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const checks = Array.from({ length: 10 }, (_, i) => check(`c${i}`, async () => (await gate, { status: "pass", summary: "ok" })));
    live = new LiveScan({ config: config(checks), schedules: false }); // concurrency 4
    live.start();
    await until(() => live!.getSnapshot().rows.filter((r) => r.running).length === 4);
    const rows = live.getSnapshot().rows;
    expect(rows.filter((r) => r.running).map((r) => r.id)).toEqual(["c0", "c1", "c2", "c3"]);
    expect(rows.filter((r) => r.queued)).toHaveLength(6);
    expect(rows.every((r) => !(r.running && r.queued))).toBe(true);
    release();
    await until(() => live!.getSnapshot().lastScanAt !== null);
    expect(live.getSnapshot().rows.every((r) => !r.running && !r.queued && r.result?.status === "pass")).toBe(true);
  });

  it("a stream of results redraws at a bounded rate, and the last snapshot holds every result", async () => {
    const n = 400;
    const checks = Array.from({ length: n }, (_, i) => check(`c${i}`, async () => {
      await new Promise((r) => setTimeout(r, 1 + (i % 7)));
      return { status: "pass", summary: "ok" };
    }));
    live = new LiveScan({ config: { ...config(checks), concurrency: 50 }, schedules: false });
    let snapshots = 0;
    live.subscribe(() => snapshots++);
    const t0 = performance.now();
    live.start();
    await until(() => live!.getSnapshot().lastScanAt !== null, 10_000);
    const elapsed = performance.now() - t0;
    expect(live.getSnapshot().rows.every((r) => r.result?.status === "pass")).toBe(true);
    // At most one snapshot per 50 ms (plus the first and the last); without the bound it was one per result.
    expect(snapshots).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 3);
    expect(snapshots).toBeLessThan(n / 4);
  });

  it("r re-runs one check, R all; a running check is not started twice", async () => {
    let runs = 0;
    const checks = [check("a", async () => (runs++, await new Promise((r) => setTimeout(r, 30)), { status: "pass", summary: "ok" }))];
    live = new LiveScan({ config: config(checks), schedules: false });
    live.start();
    live.rerun("a"); // still running: ignored
    await until(() => live!.getSnapshot().rows[0]!.runs === 1);
    live.rerun("a");
    await until(() => live!.getSnapshot().rows[0]!.runs === 2);
    live.runAll();
    await until(() => live!.getSnapshot().rows[0]!.runs === 3);
    expect(runs).toBe(3);
  });

  it("--refresh re-runs everything and the next run shows in the snapshot", async () => {
    let runs = 0;
    live = new LiveScan({ config: config([check("a", async () => (runs++, { status: "pass", summary: "ok" }))]), schedules: false, refreshMs: 60 });
    live.start();
    expect(live.getSnapshot().refreshMs).toBe(60);
    await until(() => runs >= 3, 2000);
    await until(() => live!.getSnapshot().nextRun?.what === "all checks (--refresh)");
  });

  it("shows the next scheduled run from the cron schedules", async () => {
    live = new LiveScan({ config: config([check("a", async () => ({ status: "pass", summary: "ok" }))]) });
    live.start();
    await until(() => live!.getSnapshot().nextRun !== null);
    const next = live.getSnapshot().nextRun!;
    expect(next.what).toBe("a");
    expect(new Date(next.at).getUTCMonth()).toBe(0); // "0 0 1 1 *": January 1st
  });

  it("keeps the history: first-seen across sessions, score trend and readings", async () => {
    dir = mkdtempSync(join(tmpdir(), "standby-tui-"));
    const file = join(dir, "history.jsonl");
    let lag = 10;
    const checks = [check("lag", async () => ({ status: lag > 100 ? "fail" : "pass", summary: `lag ${lag}`, measured: { value: lag, unit: "s", limit: 100 } }))];
    for (const v of [10, 150, 160]) {
      lag = v;
      const l = new LiveScan({ config: config(checks), historyFile: file, schedules: false });
      l.start();
      await until(() => l.getSnapshot().lastScanAt !== null);
      await l.stop();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(3);
    live = new LiveScan({ config: config(checks), historyFile: file, schedules: false });
    const snap = live.getSnapshot();
    expect(snap.trend).toEqual([100, 0, 0]);
    expect(snap.readings.lag!.map((r) => r.value)).toEqual([10, 150, 160]);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { at: string });
    expect(snap.problemSince.lag).toBe(lines[1]!.at); // the problem began with the second scan
  });

  it("stop() cancels running checks promptly", async () => {
    live = new LiveScan({ config: config([check("hang", () => new Promise(() => undefined))]), schedules: false });
    live.start();
    const t0 = Date.now();
    await live.stop(500);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("view model and keymap", () => {
  it("filters on every word across id, kind, service and summary", () => {
    const row = { id: "orders-db-lag", service: "orders", kind: "replication-lag", title: "Lag", severity: "critical" as const, result: null, running: false, queued: false, runs: 0, lastRunAt: null, nextRunAt: null };
    expect(matchesFilter(row, "orders lag")).toBe(true);
    expect(matchesFilter(row, "replication")).toBe(true);
    expect(matchesFilter(row, "dns")).toBe(false);
    expect(visibleRows({ rows: [row], problemSince: {} }, { ...INITIAL_VIEW, failuresOnly: true })).toEqual([]);
  });

  it("cycles the sort through every mode and back", () => {
    let v = INITIAL_VIEW;
    const seen = [v.sort];
    for (let i = 0; i < 6; i++) seen.push((v = reduce(v, { type: "cycleSort" })).sort);
    expect(seen).toEqual(["worst", "id", "service", "kind", "persisting", "duration", "worst"]);
  });

  it("every binding in the help resolves to a command", () => {
    const list = { view: "list" as const, editingFilter: false, help: false };
    for (const k of ["j", "k", "r", "R", "/", "f", "s", "?", "q", "g", "G", "l"]) expect(resolveKey(k, {}, list), k).not.toBeNull();
    expect(resolveKey("", { return: true }, list)).toBe("open");
    expect(resolveKey("", { escape: true }, { ...list, view: "detail" })).toBe("back");
    expect(resolveKey("x", {}, { ...list, help: true })).toBe("help");
    expect(BINDINGS.length).toBeGreaterThan(10);
  });
});
