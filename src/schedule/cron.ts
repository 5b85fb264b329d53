// Cron schedules (cron-parser v5): 5 fields (minute precision) or 6 (seconds first), or an @alias,
// evaluated in an IANA time zone (UTC by default).
//
// DST: cron-parser's next() is the reference. A wall time that does not exist (02:30 on a
// spring-forward day) fires once, an hour later (03:30 local); a wall time that happens twice
// (01:30 on a fall-back day) fires once, at its first occurrence. previous() is derived from
// next() (cron-parser's prev() disagrees with next() around transitions), so `scan --due` and
// `watch` agree on which occurrences exist.
import { CronExpressionParser, type CronExpression } from "cron-parser";

export class ScheduleError extends Error {}

const ALIASES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly", "@minutely", "@secondly", "@weekdays", "@weekends"]);

/** A reason the expression is invalid, or null. Checks the field count (cron-parser fills in missing fields). */
export function cronProblem(expr: string, tz?: string): string | null {
  if (tz !== undefined) {
    const tzProblem = timezoneProblem(tz);
    if (tzProblem) return tzProblem;
  }
  const trimmed = expr.trim();
  if (trimmed.startsWith("@")) {
    if (!ALIASES.has(trimmed.toLowerCase())) return `unknown cron alias ${JSON.stringify(trimmed)}; known: ${[...ALIASES].join(", ")}`;
  } else {
    const fields = trimmed.split(/\s+/).filter(Boolean).length;
    if (fields !== 5 && fields !== 6) {
      return `expected a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields} in ${JSON.stringify(expr)}`;
    }
  }
  try {
    const e = CronExpressionParser.parse(trimmed, { tz, currentDate: new Date(0) });
    e.next();
    return null;
  } catch (err) {
    return `invalid cron expression ${JSON.stringify(expr)}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function timezoneProblem(tz: string): string | null {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return null;
  } catch {
    return `unknown time zone ${JSON.stringify(tz)} (expected an IANA name like Europe/Paris or America/New_York)`;
  }
}

export class Schedule {
  readonly expr: string;
  readonly tz: string | undefined;

  constructor(expr: string, tz?: string) {
    const problem = cronProblem(expr, tz);
    if (problem) throw new ScheduleError(problem);
    this.expr = expr.trim();
    this.tz = tz;
  }

  private parse(at: Date): CronExpression {
    return CronExpressionParser.parse(this.expr, { currentDate: at, tz: this.tz });
  }

  /** The first occurrence strictly after `after`. */
  next(after: Date): Date {
    return this.parse(after).next().toDate();
  }

  /** The last occurrence at or before `at` (consistent with next()); null when there is none. */
  previous(at: Date): Date | null {
    const e = this.parse(at);
    // Two steps back, then forward with next() (prev() skips or invents occurrences around DST).
    let start: Date;
    let best: Date | null;
    try {
      e.prev();
      start = e.prev().toDate();
      best = start;
    } catch {
      // Fewer than two occurrences before `at` within cron-parser's reach: search the last leap cycle forward.
      start = new Date(at.getTime() - 4 * 366 * 86_400_000);
      best = null;
    }
    let cursor = start;
    for (let i = 0; i < 10_000; i++) {
      const n = this.next(cursor);
      if (n.getTime() > at.getTime()) break;
      best = n;
      cursor = n;
    }
    return best;
  }

  /** Milliseconds between the two occurrences around `at` (the schedule's local period). */
  periodAround(at: Date): number {
    const n1 = this.next(at);
    return this.next(n1).getTime() - n1.getTime();
  }
}
