// Cron arithmetic for drill cadences: the shared schedule (src/schedule/cron.ts: cron-parser v5,
// with "latest occurrence" corrected forward by next() because prev() can skip or invent one
// around DST changes) plus what only drills need, the grace period.
import { cronProblem as scheduleProblem, Schedule, timezoneProblem } from "../../src/schedule/cron.js";

const MAX_STEPS = 10_000;

/** Null when the expression and time zone are usable, else a message. */
export function cronProblem(expr: string, tz: string): string | null {
  return scheduleProblem(expr, tz);
}

export function isTimeZone(tz: string): boolean {
  return timezoneProblem(tz) === null;
}

/** The first occurrence strictly after t. */
export function nextAfter(expr: string, tz: string, t: Date): Date {
  return new Schedule(expr, tz).next(t);
}

/** The latest occurrence strictly before t (null when there is none). Occurrences fall on whole seconds. */
export function latestBefore(expr: string, tz: string, t: Date): Date | null {
  return new Schedule(expr, tz).previous(new Date(t.getTime() - 1));
}

/** The latest occurrence o with o + grace <= t: the last drill whose grace period is over. */
export function latestElapsed(expr: string, tz: string, t: Date, graceMs: number): Date | null {
  let p = latestBefore(expr, tz, new Date(t.getTime() - graceMs + 1));
  // latestBefore(x) is < x, so p + grace < t + 1, i.e. p + grace <= t.
  for (let i = 0; p && i < MAX_STEPS && p.getTime() + graceMs > t.getTime(); i++) p = latestBefore(expr, tz, p);
  return p;
}

/** "2026-11-01 10:00 Europe/Berlin" */
export function formatInZone(d: Date, tz: string): string {
  const s = new Intl.DateTimeFormat("sv-SE", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
  return `${s} ${tz}`;
}
