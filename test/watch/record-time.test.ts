// A watch record holds the merged state at the moment a run finished, so it is stamped with that
// moment: a slow run that started before faster ones must not land, by its start time, behind
// records it has overtaken (the history would then name a stale service status as the latest).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { LoadedCheck, LoadedConfig } from "../../src/config/load.js";
import { defineCheck, type CheckOutcome } from "../../src/engine/types.js";
import { HistorySession } from "../../src/history/session.js";
import { HistoryState } from "../../src/history/state.js";
import { readHistory } from "../../src/history/store.js";
import { WatchEngine } from "../../src/watch/engine.js";
import { FakeClock, flush } from "../helpers/fake-clock.js";

const service = { name: "svc", primary: { vars: {} }, standby: { vars: {} } };

function check(id: string, schedule: string, run: (n: number) => Promise<CheckOutcome>): LoadedCheck {
  let n = 0;
  const definition = defineCheck({
    meta: { kind: "timed", title: "timed", description: "timed", defaultSeverity: "high", docs: "x" },
    options: z.object({}),
    run: () => run(++n),
  });
  return { id, kind: "timed", severity: "high", timeoutMs: 60_000, schedule, options: {}, definition, service, location: { file: "s.yml", line: 1, column: 1 } };
}

describe("watch history records", () => {
  it("are stamped when the run finished, so the latest record holds the latest service status", async () => {
    const clock = new FakeClock(new Date("2026-03-01T00:00:00Z"));
    const checks = [
      // Every 10 s, takes 4.5 s; passes the first time, fails the second.
      check("slow", "*/10 * * * * *", async (n) => {
        await clock.sleep(4500);
        return n === 1 ? { status: "pass", summary: "ok" } : { status: "fail", summary: "broken" };
      }),
      check("steady", "* * * * * *", async () => ({ status: "pass", summary: "ok" })),
    ];
    const config: LoadedConfig = { file: "s.yml", baseDir: process.cwd(), objectives: { rpo: 300_000, rto: 900_000 }, minScore: 0, concurrency: 4, services: [service], checks };
    const file = join(mkdtempSync(join(tmpdir(), "standby-record-time-")), "history.jsonl");
    const engine = new WatchEngine({ config, clock, jitterMs: 0, history: new HistorySession(file), log: () => undefined });
    engine.start();
    // slow: 00:10 -> 00:14.5 pass, 00:20 -> 00:24.5 fail; steady passes every second meanwhile.
    await clock.advanceTo(new Date("2026-03-01T00:00:24.700Z"));
    expect(engine.latestReport()!.services[0]!.status).toBe("NOT_READY");
    await engine.stop();
    await flush();

    const { records } = readHistory(file);
    const last = records[records.length - 1]!;
    expect(last.checks.map((c) => c.id)).toEqual(["slow"]);
    expect(last.at).toBe("2026-03-01T00:00:24.500Z");
    expect(last.svc).toEqual({ svc: "NOT_READY" });
    // What `scan` (notifications) and `watch` after a restart take as each service's last status.
    expect(HistoryState.from(records).services.get("svc")).toBe("NOT_READY");
  });
});
