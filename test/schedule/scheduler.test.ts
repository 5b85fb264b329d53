import { describe, expect, it } from "vitest";
import { Schedule } from "../../src/schedule/cron.js";
import { MAX_TIMER_MS, Scheduler } from "../../src/schedule/scheduler.js";
import { FakeClock } from "../helpers/fake-clock.js";

const NY = "America/New_York";

function recorder(clock: FakeClock, durationMs = 0) {
  const fired: Array<{ id: string; at: string; occurrence: string }> = [];
  const run = async (id: string, occurrence: Date) => {
    fired.push({ id, at: new Date(clock.now()).toISOString(), occurrence: occurrence.toISOString() });
    if (durationMs) await clock.sleep(durationMs);
  };
  return { fired, run };
}

describe("scheduler with an injected clock", () => {
  it("fires a daily 02:30 New York job once a day through spring forward and fall back", async () => {
    const clock = new FakeClock(new Date("2025-03-05T00:00:00Z"));
    const { fired, run } = recorder(clock);
    const s = new Scheduler([{ id: "daily", schedule: new Schedule("30 2 * * *", NY) }], { clock, run, jitterMs: 0 });
    s.start();
    await clock.advanceTo(new Date("2025-03-12T00:00:00Z"));
    expect(fired.map((f) => f.at)).toEqual([
      "2025-03-05T07:30:00.000Z",
      "2025-03-06T07:30:00.000Z",
      "2025-03-07T07:30:00.000Z",
      "2025-03-08T07:30:00.000Z",
      "2025-03-09T07:30:00.000Z", // 02:30 does not exist that day: 03:30 EDT
      "2025-03-10T06:30:00.000Z",
      "2025-03-11T06:30:00.000Z",
    ]);
    fired.length = 0;
    await clock.advanceTo(new Date("2025-10-30T00:00:00Z"));
    fired.length = 0;
    await clock.advanceTo(new Date("2025-11-05T00:00:00Z"));
    expect(fired.map((f) => f.at)).toEqual([
      "2025-10-30T06:30:00.000Z",
      "2025-10-31T06:30:00.000Z",
      "2025-11-01T06:30:00.000Z",
      "2025-11-02T07:30:00.000Z", // EST from here
      "2025-11-03T07:30:00.000Z",
      "2025-11-04T07:30:00.000Z",
    ]);
    await s.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it("fires an end-of-month job on the 31st only, across a year (long gaps use re-armed, capped timers)", async () => {
    const clock = new FakeClock(new Date("2025-01-01T00:00:00Z"));
    const { fired, run } = recorder(clock);
    const s = new Scheduler([{ id: "eom", schedule: new Schedule("0 3 31 * *") }], { clock, run, jitterMs: 0 });
    s.start();
    await clock.advanceTo(new Date("2026-01-01T00:00:00Z"));
    expect(fired.map((f) => f.at.slice(0, 10))).toEqual(["2025-01-31", "2025-03-31", "2025-05-31", "2025-07-31", "2025-08-31", "2025-10-31", "2025-12-31"]);
    expect(MAX_TIMER_MS).toBeLessThanOrEqual(2 ** 31 - 1);
    await s.stop();
  });

  it("never runs one job twice at once: an overrunning occurrence is skipped and reported", async () => {
    const clock = new FakeClock(new Date("2025-06-01T00:00:00Z"));
    const { fired, run } = recorder(clock, 2500); // each run takes 2.5 s; the schedule is every second
    const skipped: string[] = [];
    const s = new Scheduler([{ id: "slow", schedule: new Schedule("* * * * * *") }], { clock, run, jitterMs: 0, onSkip: (_id, occ) => skipped.push(occ.toISOString()) });
    s.start();
    await clock.advanceTo(new Date("2025-06-01T00:00:10Z"));
    // Runs start at :01, :04, :07, :10; the occurrences in between are skipped.
    expect(fired.map((f) => f.at.slice(17, 19))).toEqual(["01", "04", "07", "10"]);
    expect(skipped.map((x) => x.slice(17, 19))).toEqual(["02", "03", "05", "06", "08", "09"]);
    expect(s.stats).toMatchObject({ started: 4, skipped: 6, running: 1 });
    const stopping = s.stop();
    await clock.advance(3000);
    await stopping;
    expect(s.stats.running).toBe(0);
  });

  it("jitter delays each occurrence by less than the cap and a tenth of the period", async () => {
    const clock = new FakeClock(new Date("2025-06-01T00:00:00Z"));
    const { fired, run } = recorder(clock);
    let r = 0;
    const random = () => ((r = (r * 7 + 3) % 10) / 10);
    const s = new Scheduler(
      [
        { id: "a", schedule: new Schedule("*/10 * * * *") },
        { id: "b", schedule: new Schedule("* * * * * *") },
      ],
      { clock, run, jitterMs: 5000, random },
    );
    s.start();
    await clock.advanceTo(new Date("2025-06-01T01:00:00Z"));
    for (const f of fired) {
      const delay = Date.parse(f.at) - Date.parse(f.occurrence);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(f.id === "a" ? 5000 : 100);
    }
    expect(fired.filter((f) => f.id === "a")).toHaveLength(5); // 00:10 ... 00:50; 01:00 + jitter is past the window
    expect(new Set(fired.filter((f) => f.id === "a").map((f) => Date.parse(f.at) - Date.parse(f.occurrence))).size).toBeGreaterThan(1);
    // The every-second job: one run per occurrence, none lost to jitter.
    expect(fired.filter((f) => f.id === "b").length).toBeGreaterThanOrEqual(3599);
    await s.stop();
  });

  it("survives jobs that throw (sync or async) and keeps firing", async () => {
    const clock = new FakeClock(new Date("2025-06-01T00:00:00Z"));
    let n = 0;
    const errors: unknown[] = [];
    const s = new Scheduler([{ id: "bad", schedule: new Schedule("* * * * * *") }], {
      clock,
      jitterMs: 0,
      run: (() => {
        n += 1;
        if (n % 2) throw new Error("sync boom");
        return Promise.reject(new Error("async boom"));
      }) as never,
      onError: (_id, e) => errors.push(e),
    });
    s.start();
    await clock.advance(10_000);
    expect(n).toBe(10);
    expect(errors).toHaveLength(10);
    await s.stop();
  });

  it("does not replay occurrences missed while the process stalled", async () => {
    const clock = new FakeClock(new Date("2025-06-01T00:00:00Z"));
    const { fired, run } = recorder(clock);
    const s = new Scheduler([{ id: "m", schedule: new Schedule("* * * * *") }], { clock, run, jitterMs: 0 });
    s.start();
    await clock.advanceTo(new Date("2025-06-01T00:01:00Z"));
    // The loop was blocked for 10 minutes: time jumps without firing timers.
    (clock as unknown as { t: number }).t = Date.parse("2025-06-01T00:11:30Z");
    await clock.advanceTo(new Date("2025-06-01T00:13:00Z"));
    expect(fired.map((f) => f.at.slice(11, 19))).toEqual(["00:01:00", "00:11:30", "00:12:00", "00:13:00"]);
    await s.stop();
  });
});
