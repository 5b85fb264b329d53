// Cron arithmetic for drill cadences, on cron-parser v5. cron-parser's prev() can skip an
// occurrence that next() yields (a wall-clock time moved by a DST change), so every "latest
// occurrence before t" is corrected forward with next().
import { CronExpressionParser } from "cron-parser";

const MAX_STEPS = 10_000;

/** Null when the expression and time zone are usable, else a message. */
export function cronProblem(expr: string, tz: string): string | null {
  if (!isTimeZone(tz)) return `unknown time zone ${JSON.stringify(tz)} (expected an IANA name like Europe/Berlin or UTC)`;
  try {
    CronExpressionParser.parse(expr, { currentDate: new Date(0), tz }).next();
    return null;
  } catch (err) {
    return `invalid cron expression ${JSON.stringify(expr)}: ${(err as Error).message}`;
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The first occurrence strictly after t. */
export function nextAfter(expr: string, tz: string, t: Date): Date {
  return CronExpressionParser.parse(expr, { currentDate: t, tz }).next().toDate();
}

/** The latest occurrence strictly before t (null when there is none). */
export function latestBefore(expr: string, tz: string, t: Date): Date | null {
  let p: Date;
  try {
    p = CronExpressionParser.parse(expr, { currentDate: t, tz }).prev().toDate();
  } catch {
    return null;
  }
  const it = CronExpressionParser.parse(expr, { currentDate: p, tz });
  for (let i = 0; i < MAX_STEPS; i++) {
    const n = it.next().toDate();
    if (n.getTime() >= t.getTime()) break;
    p = n;
  }
  return p;
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
