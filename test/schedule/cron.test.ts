import { describe, expect, it } from "vitest";
import { cronProblem, Schedule } from "../../src/schedule/cron.js";

const NY = "America/New_York";
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** All occurrences in [from, to), walking next(). */
function occurrences(s: Schedule, from: string, to: string): string[] {
  const out: string[] = [];
  let cur = new Date(from);
  for (;;) {
    cur = s.next(cur);
    if (cur.getTime() >= Date.parse(to)) return out;
    out.push(cur.toISOString());
  }
}

/** Local wall-clock time in a zone, "YYYY-MM-DD HH:MM". */
function local(d: string, tz: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(d)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

describe("cron validation", () => {
  it("accepts 5 and 6 fields and aliases", () => {
    expect(cronProblem("17 2 * * *")).toBeNull();
    expect(cronProblem("*/10 * * * * *")).toBeNull();
    expect(cronProblem("@daily")).toBeNull();
    expect(cronProblem("30 2 * * *", NY)).toBeNull();
  });

  it("rejects bad expressions with a reason", () => {
    expect(cronProblem("* * *")).toMatch(/5 fields .* or 6 .* got 3/);
    expect(cronProblem("")).toMatch(/got 0/);
    expect(cronProblem("61 * * * *")).toMatch(/invalid cron expression "61 \* \* \* \*": .*0-59/);
    expect(cronProblem("0 0 31 2 *")).toMatch(/invalid cron expression/);
    expect(cronProblem("@sometimes")).toMatch(/unknown cron alias/);
    expect(cronProblem("0 0 * * *", "Mars/Olympus")).toMatch(/unknown time zone "Mars\/Olympus"/);
  });
});

describe("schedules across DST (America/New_York, daily 02:30)", () => {
  const s = new Schedule("30 2 * * *", NY);

  it("spring forward: the missing 02:30 fires once, at 03:30 EDT; every day fires exactly once", () => {
    const occ = occurrences(s, "2025-03-07T12:00:00Z", "2025-03-11T12:00:00Z");
    expect(occ.map((d) => local(d, NY))).toEqual(["2025-03-08 02:30", "2025-03-09 03:30", "2025-03-10 02:30", "2025-03-11 02:30"]);
    expect(occ).toEqual(["2025-03-08T07:30:00.000Z", "2025-03-09T07:30:00.000Z", "2025-03-10T06:30:00.000Z", "2025-03-11T06:30:00.000Z"]);
  });

  it("fall back: 02:30 exists once (EST) and fires once", () => {
    const occ = occurrences(s, "2025-10-31T12:00:00Z", "2025-11-03T12:00:00Z");
    expect(occ).toEqual(["2025-11-01T06:30:00.000Z", "2025-11-02T07:30:00.000Z", "2025-11-03T07:30:00.000Z"]);
    expect(occ.map((d) => local(d, NY))).toEqual(["2025-11-01 02:30", "2025-11-02 02:30", "2025-11-03 02:30"]);
  });

  it("fall back: the repeated 01:30 fires once, at its first occurrence", () => {
    const occ = occurrences(new Schedule("30 1 * * *", NY), "2025-11-01T12:00:00Z", "2025-11-03T12:00:00Z");
    expect(occ).toEqual(["2025-11-02T05:30:00.000Z", "2025-11-03T06:30:00.000Z"]);
  });

  it("previous() agrees with next() on both transition days (cron-parser's prev() does not)", () => {
    for (const [expr, from, to] of [
      ["30 2 * * *", "2025-03-05T00:00:00Z", "2025-03-14T00:00:00Z"],
      ["30 2 * * *", "2025-10-29T00:00:00Z", "2025-11-06T00:00:00Z"],
      ["30 1 * * *", "2025-10-29T00:00:00Z", "2025-11-06T00:00:00Z"],
      ["*/30 * * * *", "2025-11-02T03:00:00Z", "2025-11-02T09:00:00Z"],
    ] as const) {
      const sch = new Schedule(expr, NY);
      const occ = occurrences(sch, from, to);
      for (let i = 1; i < occ.length; i++) {
        // Exactly at an occurrence, and anywhere before the next one, previous() is that occurrence.
        expect(iso(sch.previous(new Date(occ[i]!)))).toBe(occ[i]);
        const mid = new Date((Date.parse(occ[i]!) + Date.parse(occ[i + 1] ?? occ[i]!)) / 2);
        expect(iso(sch.previous(mid))).toBe(occ[i]);
        expect(iso(sch.previous(new Date(Date.parse(occ[i]!) - 1)))).toBe(occ[i - 1]);
      }
    }
  });

  it("previous() on the spring-forward day finds that day's (shifted) run", () => {
    expect(iso(s.previous(new Date("2025-03-09T12:00:00Z")))).toBe("2025-03-09T07:30:00.000Z");
  });
});

describe("schedules at month ends", () => {
  it("the 31st skips shorter months", () => {
    const occ = occurrences(new Schedule("0 0 31 * *"), "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    expect(occ.map((d) => d.slice(0, 10))).toEqual(["2025-01-31", "2025-03-31", "2025-05-31", "2025-07-31", "2025-08-31", "2025-10-31", "2025-12-31"]);
  });

  it("the last day of the month (L) lands on Feb 28 and on Feb 29 in a leap year", () => {
    const occ = occurrences(new Schedule("0 12 L * *"), "2027-12-15T00:00:00Z", "2028-04-01T00:00:00Z");
    expect(occ.map((d) => d.slice(0, 10))).toEqual(["2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31"]);
    const occ2 = occurrences(new Schedule("0 12 L * *"), "2025-01-15T00:00:00Z", "2025-03-15T00:00:00Z");
    expect(occ2.map((d) => d.slice(0, 10))).toEqual(["2025-01-31", "2025-02-28"]);
  });

  it("Feb 29 fires only in leap years; previous() reaches back years", () => {
    const s = new Schedule("0 0 29 2 *");
    expect(iso(s.next(new Date("2025-01-01T00:00:00Z")))).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(s.previous(new Date("2027-06-01T00:00:00Z")))).toBe("2024-02-29T00:00:00.000Z");
  });

  it("the 31st in a zone: local midnight, across the DST change in March", () => {
    const s = new Schedule("0 0 31 * *", NY);
    expect(occurrences(s, "2025-01-01T00:00:00Z", "2025-04-01T00:00:00Z")).toEqual(["2025-01-31T05:00:00.000Z", "2025-03-31T04:00:00.000Z"]);
  });
});
