// Soak: thousands of scheduled runs in accelerated time through the real watch engine (scheduler,
// runner, history, metrics), with checks that pass, fail with changing findings, throw and hang.
// Memory (heapUsed after a full GC) and open handles must not grow.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { LoadedCheck, LoadedConfig } from "../../src/config/load.js";
import { defineCheck, type CheckOutcome } from "../../src/engine/types.js";
import { HistorySession } from "../../src/history/session.js";
import { readHistory } from "../../src/history/store.js";
import { WatchEngine } from "../../src/watch/engine.js";
import { FakeClock, flush } from "../helpers/fake-clock.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const service = { name: "svc", primary: { vars: {} }, standby: { vars: {} } };

function check(id: string, schedule: string, run: (signal: AbortSignal, n: number) => Promise<CheckOutcome>, timeoutMs = 1000): LoadedCheck {
  let n = 0;
  const definition = defineCheck({
    meta: { kind: "soak", title: "soak", description: "soak", defaultSeverity: "high", docs: "x" },
    options: z.object({}),
    run: (_o, ctx) => run(ctx.signal, ++n),
  });
  return { id, kind: "soak", severity: "high", timeoutMs, schedule, options: {}, definition, service, location: { file: "s.yml", line: 1, column: 1 } };
}

describe("watch soak", () => {
  it("2,000+ runs in accelerated time: no growth in heap or open handles", async () => {
    const checks = [
      check("ok", "* * * * * *", async () => ({ status: "pass", summary: "fine" })),
      check("drifting", "* * * * * *", async (_s, n) => n % 50 < 5 ? { status: "pass", summary: "fine for now" } : ({
        status: "fail",
        summary: "drift",
        measured: { value: n % 100, unit: "s" },
        findings: Array.from({ length: 5 }, (_, k) => ({ message: "d", path: `p.${(n + k) % 40}`, change: "changed" as const })),
      })),
      check("throws", "*/2 * * * * *", async (_s, n) => {
        if (n % 2) throw new Error("boom");
        return { status: "warn", summary: "meh" };
      }),
      check("hangs", "* * * * * *", () => new Promise(() => {}), 2), // ignores its signal; the runner's deadline ends it
    ].map((c, i) => (i === 3 ? { ...c, severity: "medium" as const } : c));
    const config: LoadedConfig = { file: "soak.yml", baseDir: process.cwd(), objectives: { rpo: 300_000, rto: 900_000 }, minScore: 0, concurrency: 16, services: [service], checks };
    const file = join(mkdtempSync(join(tmpdir(), "standby-soak-")), "history.jsonl");
    const history = new HistorySession(file, 256 * 1024); // small, so rotation happens during the soak
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const logs: string[] = [];
    let sent = 0;
    const engine = new WatchEngine({
      config,
      clock,
      jitterMs: 50,
      history,
      webhook: { url: "http://127.0.0.1:9/", format: "json", timeoutMs: 10, retries: 0 },
      notifier: async () => (sent++, true),
      log: (l) => {
        if (logs.length < 100) logs.push(l);
      },
    });
    engine.start();

    const samples: Array<{ runs: number; heapMB: number; handles: number }> = [];
    const sample = () => {
      gc();
      gc();
      samples.push({ runs: engine.stats().runs, heapMB: +(process.memoryUsage().heapUsed / 1048576).toFixed(2), handles: process.getActiveResourcesInfo().length });
    };
    const t0 = performance.now();
    let step = 0;
    while (engine.stats().runs < 2400) {
      await clock.advance(1000);
      if (++step % 10 === 0) {
        engine.metrics();
        engine.latestReport();
        await new Promise((r) => setTimeout(r, 3)); // let the hanging check's real 2 ms deadline pass now and then
      }
      if (step % 100 === 0) sample();
    }
    sample();
    const elapsed = performance.now() - t0;
    const stats = engine.stats();
    await engine.stop();
    await flush();

    const base = samples[1]!; // after warm-up
    const last = samples[samples.length - 1]!;
    console.log(
      `soak: ${stats.runs} runs (${stats.skipped} skipped overruns) over ${step} fake seconds in ${Math.round(elapsed)} ms; ` +
        `heapUsed after GC ${samples.map((s) => s.heapMB).join(" -> ")} MB; active resources ${samples.map((s) => s.handles).join(" -> ")}; ` +
        `notifications ${sent}; history ${readHistory(file).records.length} records kept (rotated at 256 KiB)`,
    );
    expect(stats.runs).toBeGreaterThanOrEqual(2000);
    expect(stats.skipped).toBeGreaterThan(0); // the hanging check overran its every-second schedule
    expect(last.heapMB - base.heapMB).toBeLessThan(3);
    expect(Math.max(...samples.slice(1).map((s) => s.handles))).toBeLessThanOrEqual(base.handles + 3);
    expect(clock.pendingTimers).toBe(0);
    const report = engine.latestReport()!;
    expect(report.checks.map((c) => c.id)).toEqual(["ok", "drifting", "throws", "hangs"]);
    expect(report.checks[0]!.status).toBe("pass");
    expect(sent).toBeGreaterThan(0); // the service flips between statuses as results arrive
  }, 60_000);
});
