// Runs jobs at their cron occurrences with an injected clock.
// - never two runs of one job at once: an occurrence that comes while the job still runs is
//   skipped and reported through onSkip;
// - each occurrence fires after a small random jitter (at most `jitterMs`, and at most a tenth of
//   the schedule's period), so many checks on the same schedule do not fire in the same second;
// - occurrences missed while the process was stalled (suspended laptop, blocked loop) are not
//   replayed: the next timer aims at the next occurrence after "now";
// - timers are capped at MAX_TIMER_MS and re-armed, so clock jumps and yearly schedules are safe.
import type { Clock, TimerHandle } from "./clock.js";
import type { Schedule } from "./cron.js";

export const MAX_TIMER_MS = 60 * 60_000;

export interface Job {
  id: string;
  schedule: Schedule;
}

export interface SchedulerOptions {
  clock: Clock;
  /** Upper bound of the per-occurrence jitter in ms (default 1000). */
  jitterMs?: number;
  random?: () => number;
  run(id: string, occurrence: Date): Promise<void>;
  onSkip?(id: string, occurrence: Date): void;
  onError?(id: string, err: unknown): void;
}

interface JobState {
  job: Job;
  /** The occurrence the timer aims at (before jitter). */
  occurrence: Date | null;
  fireAt: number;
  timer: TimerHandle | null;
  running: Promise<void> | null;
}

export interface SchedulerStats {
  started: number;
  finished: number;
  skipped: number;
  running: number;
}

export class Scheduler {
  private readonly jobs = new Map<string, JobState>();
  private stopped = true;
  readonly stats: SchedulerStats = { started: 0, finished: 0, skipped: 0, running: 0 };

  constructor(
    jobs: readonly Job[],
    private readonly opts: SchedulerOptions,
  ) {
    for (const job of jobs) this.jobs.set(job.id, { job, occurrence: null, fireAt: 0, timer: null, running: null });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const state of this.jobs.values()) this.arm(state, new Date(this.opts.clock.now()));
  }

  /** Stops firing; resolves once the runs in progress have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.jobs.values()) {
      if (state.timer !== null) this.opts.clock.clearTimer(state.timer);
      state.timer = null;
    }
    await Promise.allSettled([...this.jobs.values()].map((s) => s.running).filter((p): p is Promise<void> => p !== null));
  }

  isRunning(id: string): boolean {
    return this.jobs.get(id)?.running != null;
  }

  /** When each job fires next (after jitter), for status pages and tests. */
  nextRuns(): Array<{ id: string; occurrence: Date | null; fireAt: Date | null }> {
    return [...this.jobs.values()].map((s) => ({ id: s.job.id, occurrence: s.occurrence, fireAt: s.occurrence ? new Date(s.fireAt) : null }));
  }

  private jitterFor(state: JobState, occurrence: Date): number {
    const max = this.opts.jitterMs ?? 1000;
    if (max <= 0) return 0;
    let period: number;
    try {
      period = state.job.schedule.periodAround(occurrence);
    } catch {
      period = max * 10;
    }
    const cap = Math.min(max, Math.floor(period / 10));
    return Math.floor((this.opts.random ?? Math.random)() * Math.max(0, cap));
  }

  private arm(state: JobState, after: Date): void {
    if (this.stopped) return;
    let occurrence: Date;
    try {
      occurrence = state.job.schedule.next(after);
    } catch (err) {
      // A schedule with no future occurrence: report once and leave the job idle.
      state.occurrence = null;
      this.opts.onError?.(state.job.id, err);
      return;
    }
    state.occurrence = occurrence;
    state.fireAt = occurrence.getTime() + this.jitterFor(state, occurrence);
    this.setTimer(state);
  }

  private setTimer(state: JobState): void {
    const delay = Math.max(0, Math.min(MAX_TIMER_MS, state.fireAt - this.opts.clock.now()));
    state.timer = this.opts.clock.setTimer(() => this.onTimer(state), delay);
  }

  private onTimer(state: JobState): void {
    state.timer = null;
    if (this.stopped || !state.occurrence) return;
    const now = this.opts.clock.now();
    if (now < state.fireAt) {
      this.setTimer(state); // a capped timer: not there yet
      return;
    }
    const occurrence = state.occurrence;
    if (state.running) {
      this.stats.skipped += 1;
      this.safe(state.job.id, () => this.opts.onSkip?.(state.job.id, occurrence));
    } else {
      this.stats.started += 1;
      this.stats.running += 1;
      const p = this.invoke(state, occurrence).finally(() => {
        this.stats.running -= 1;
        this.stats.finished += 1;
        state.running = null;
      });
      state.running = p;
    }
    // Next occurrence after the one that fired, or after now when the process stalled past it.
    const base = Math.max(occurrence.getTime(), now - (state.fireAt - occurrence.getTime()));
    this.arm(state, new Date(base));
  }

  private async invoke(state: JobState, occurrence: Date): Promise<void> {
    try {
      await this.opts.run(state.job.id, occurrence);
    } catch (err) {
      this.safe(state.job.id, () => this.opts.onError?.(state.job.id, err));
    }
  }

  private safe(id: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.opts.onError && fn !== undefined) {
        try {
          this.opts.onError(id, err);
        } catch {
          /* a broken error handler must not stop the scheduler */
        }
      }
    }
  }
}
