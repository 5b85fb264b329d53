import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { LoadedCheck } from "../../src/config/load.js";
import { secrets } from "../../src/core/secrets.js";
import { runChecks, runOne } from "../../src/engine/runner.js";
import { defineCheck, type CheckOutcome, type Severity } from "../../src/engine/types.js";

const service = { name: "svc", primary: { vars: {} }, standby: { vars: {} } };
const config = { objectives: { rpo: 300_000, rto: 900_000 }, baseDir: process.cwd(), concurrency: 4 };

function loaded(id: string, run: (signal: AbortSignal) => Promise<CheckOutcome>, timeoutMs = 1000, severity: Severity = "high"): LoadedCheck {
  const definition = defineCheck({
    meta: { kind: "test-kind", title: "t", description: "t", defaultSeverity: "high", docs: "x" },
    options: z.object({}),
    run: (_o, ctx) => run(ctx.signal),
  });
  return { id, kind: "test-kind", severity, timeoutMs, schedule: "* * * * *", options: {}, definition, service, location: { file: "s.yml", line: 1, column: 1 } };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

describe("runner", () => {
  it("isolates a crashing check: unknown/error with the message, the others still run", async () => {
    const results = await runChecks(config, [
      loaded("boom", async () => {
        throw new Error("kaboom");
      }),
      loaded("ok", async () => ({ status: "pass", summary: "fine" })),
    ]);
    expect(results[0]).toMatchObject({ id: "boom", status: "unknown", reason: "error" });
    expect(results[0]!.summary).toContain("kaboom");
    expect(results[1]).toMatchObject({ id: "ok", status: "pass", reason: null, points: { earned: 5, possible: 5 } });
  });

  it("times out a check through its AbortSignal", async () => {
    let sawAbort = false;
    const r = await runOne(config, loaded("slow", async (signal) => {
      try {
        await sleep(10_000, signal);
      } catch (e) {
        sawAbort = true;
        throw e;
      }
      return { status: "pass", summary: "late" };
    }, 50));
    expect(r.status).toBe("unknown");
    expect(r.reason).toBe("timeout");
    expect(r.summary).toMatch(/timed out after 50ms/);
    expect(sawAbort).toBe(true);
  });

  it("enforces the deadline even when a check ignores its signal", async () => {
    const r = await runOne(config, loaded("deaf", () => new Promise(() => {}), 50));
    expect(r).toMatchObject({ status: "unknown", reason: "timeout" });
  });

  it("never trusts a malformed result", async () => {
    const r = await runOne(config, loaded("bad", async () => ({ status: "ok" }) as unknown as CheckOutcome));
    expect(r).toMatchObject({ status: "unknown", reason: "error" });
    const r2 = await runOne(config, loaded("noreason", async () => ({ status: "unknown", summary: "?" })));
    expect(r2.reason).toBe("error");
    const r3 = await runOne(config, loaded("null", async () => null as unknown as CheckOutcome));
    expect(r3.status).toBe("unknown");
  });

  it("bounds concurrency", async () => {
    let running = 0;
    let peak = 0;
    const checks = Array.from({ length: 12 }, (_, i) =>
      loaded(`c${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(15);
        running--;
        return { status: "pass", summary: "ok" };
      }),
    );
    const results = await runChecks({ ...config, concurrency: 3 }, checks);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill("pass"));
    expect(peak).toBe(3);
  });

  it("cancels the whole scan through the parent signal", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("interrupted")), 30);
    const results = await runChecks(config, [loaded("a", (s) => sleep(5000, s).then(() => ({ status: "pass" as const, summary: "x" })), 10_000)], { signal: ac.signal });
    expect(results[0]).toMatchObject({ status: "unknown", reason: "error" });
    expect(results[0]!.summary).toMatch(/cancelled/);
  });

  it("many checks at high concurrency on one scan signal: no listener-leak warning, and every listener is removed", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    const scan = new AbortController();
    try {
      const checks = Array.from({ length: 60 }, (_, i) => loaded(`c${i}`, async () => {
        await sleep(5);
        return { status: "pass", summary: "ok" };
      }));
      const results = await runChecks(config, checks, { concurrency: 32, signal: scan.signal });
      expect(results.every((r) => r.status === "pass")).toBe(true);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
    // Aborting now reaches no finished run: nothing was left listening.
    let late = 0;
    scan.signal.addEventListener("abort", () => late++);
    scan.abort();
    expect(late).toBe(1);
  });

  it("redacts registered secrets from whatever a check returns", async () => {
    secrets.add("CANARY-runner-7f3a");
    try {
      const r = await runOne(config, loaded("leaky", async () => {
        throw new Error("connect failed for postgres://app:CANARY-runner-7f3a@db:5432/x");
      }));
      expect(JSON.stringify(r)).not.toContain("CANARY-runner-7f3a");
      expect(r.summary).toContain("***");
    } finally {
      secrets.clear();
    }
  });
});
