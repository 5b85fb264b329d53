// A config reload (SIGHUP in `standby watch`) builds a new engine from the old one: what it keeps
// must still be true under the new config. Checks here are plain in-process kinds on a fake clock.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { LoadedCheck, LoadedConfig } from "../../src/config/load.js";
import { defineCheck, type CheckOutcome } from "../../src/engine/types.js";
import { newCounters, WatchEngine } from "../../src/watch/engine.js";
import { FakeClock } from "../helpers/fake-clock.js";

const service = { name: "svc", primary: { vars: {} }, standby: { vars: {} } };
const definition = defineCheck({
  meta: { kind: "echo", title: "echo", description: "returns its option", defaultSeverity: "high", docs: "x" },
  options: z.object({ status: z.enum(["pass", "fail"]) }),
  run: async (o) => ({ status: o.status, summary: o.status }),
});

function check(id: string, status: "pass" | "fail", severity: "high" | "low" = "high"): LoadedCheck {
  return { id, kind: "echo", severity, timeoutMs: 60_000, schedule: "* * * * * *", options: { status }, definition, service, location: { file: "s.yml", line: 1, column: 1 } };
}

/** A check whose status flips on every run: fail, pass, fail... (a service status change each time). */
function flipping(id: string): LoadedCheck {
  let n = 0;
  const flip = defineCheck({
    meta: { kind: "flip", title: "flip", description: "flips", defaultSeverity: "high", docs: "x" },
    options: z.object({}),
    run: async (): Promise<CheckOutcome> => (n++ % 2 === 0 ? { status: "fail", summary: "down" } : { status: "pass", summary: "up" }),
  });
  return { id, kind: "flip", severity: "high", timeoutMs: 60_000, schedule: "0 0 1 1 *", options: {}, definition: flip, service, location: { file: "s.yml", line: 1, column: 1 } };
}

function config(checks: LoadedCheck[]): LoadedConfig {
  return { file: "s.yml", baseDir: process.cwd(), objectives: { rpo: 300_000, rto: 900_000 }, minScore: 0, concurrency: 4, services: [service], checks };
}

describe("watch engine carried over by a reload", () => {
  it("keeps counters of checks that stay, results only of checks whose definition did not change, and the uptime", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const old = new WatchEngine({ config: config([check("same", "fail"), check("edited", "fail"), check("dropped", "pass")]), clock, jitterMs: 0, log: () => undefined });
    for (const id of ["same", "edited", "dropped", "same"]) await old.runCheck(id);
    expect(old.stats()).toMatchObject({ runs: 4, reported: 3 });
    await clock.advanceTo(new Date("2026-03-01T00:05:00Z"));

    const next = new WatchEngine({ config: config([check("same", "fail"), check("edited", "pass"), check("added", "pass")]), clock, jitterMs: 0, log: () => undefined, previous: old });
    await old.stop();
    // Uptime goes on; "same" keeps its result, "edited" (options changed) is unknown until it runs again.
    expect(next.startedAt).toBe(old.startedAt);
    expect(next.latestReport()!.checks.map((c) => [c.id, c.status])).toEqual([["same", "fail"]]);
    expect(next.stats()).toMatchObject({ checks: 3, reported: 1, runs: 3 }); // same: 2, edited: 1; dropped is gone
    const metrics = next.metrics();
    expect(metrics).toContain('standby_watch_runs_total{check="same",status="fail"} 2');
    expect(metrics).toContain('standby_watch_runs_total{check="edited",status="fail"} 1'); // a counter never resets
    expect(metrics).not.toContain('check="dropped"');

    await next.runCheck("edited");
    expect(next.latestReport()!.checks.map((c) => [c.id, c.status])).toEqual([
      ["same", "fail"],
      ["edited", "pass"],
    ]);
    await next.stop();
  });

  it("a severity change is a changed definition too: the old result would score with the old weight", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const old = new WatchEngine({ config: config([check("c", "fail", "high")]), clock, jitterMs: 0, log: () => undefined });
    await old.runCheck("c");
    const next = new WatchEngine({ config: config([check("c", "fail", "low")]), clock, jitterMs: 0, log: () => undefined, previous: old });
    await old.stop();
    expect(next.latestReport()).toBeNull();
    await next.stop();
  });

  it("a changed RPO/RTO drops the carried results: they were judged against the old limits", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const old = new WatchEngine({ config: config([check("c", "pass")]), clock, jitterMs: 0, log: () => undefined });
    await old.runCheck("c");
    const next = new WatchEngine({ config: { ...config([check("c", "pass")]), objectives: { rpo: 60_000, rto: 900_000 } }, clock, jitterMs: 0, log: () => undefined, previous: old });
    await old.stop();
    expect(next.latestReport()).toBeNull();
    await next.stop();
  });

  it("a reload does not cancel a webhook alert in flight; the process's shutdown does, and the counters are shared", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const shutdown = new AbortController();
    const counters = newCounters();
    const signals: AbortSignal[] = [];
    const delivers: Array<() => void> = [];
    const deliver = () => delivers[0]!();
    // Each alert waits until the test delivers it, or until its signal aborts (then it failed).
    const notifier = async (_hook: unknown, _payload: unknown, signal: AbortSignal) => {
      signals.push(signal);
      const delivered = new Promise<void>((r) => delivers.push(r));
      await Promise.race([delivered, new Promise((r) => signal.addEventListener("abort", r, { once: true }))]);
      return !signal.aborted;
    };
    const webhook = { url: "http://127.0.0.1:9/hook", format: "json" as const, timeoutMs: 1000, retries: 0 };
    const cfg = { ...config([flipping("f")]), notify: { webhook } };
    const old = new WatchEngine({ config: cfg, webhook, notifier, clock, jitterMs: 0, log: () => undefined, counters, notifySignal: shutdown.signal });
    await old.runCheck("f"); // fail: the first status, no change yet
    await old.runCheck("f"); // pass: NOT_READY -> READY, an alert starts and waits
    await until(() => signals.length === 1);
    const next = new WatchEngine({ config: cfg, webhook, notifier, clock, jitterMs: 0, log: () => undefined, counters, notifySignal: shutdown.signal, previous: old });
    const stopping = old.stop(); // the reload's stop of the old engine
    await new Promise((r) => setTimeout(r, 20));
    expect(signals[0]!.aborted).toBe(false); // the alert goes on
    deliver();
    await stopping;
    expect(next.metrics()).toContain('standby_watch_notifications_total{result="sent"} 1');
    // The process's shutdown cancels the next one.
    await next.runCheck("f"); // fail again: READY -> NOT_READY
    await until(() => signals.length === 2);
    shutdown.abort();
    await next.stop();
    expect(counters).toMatchObject({ notificationsSent: 1, notificationsFailed: 1 });
  });
});

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
