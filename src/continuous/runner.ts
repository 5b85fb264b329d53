// The one continuous runner behind `watch` and `tui`: a slot per check with its latest result and
// when it was measured, cron schedules (jittered), an optional refresh timer and runs on demand,
// bounded concurrency, and the merged report of the latest results. What differs between the two
// (history records, notifications, metrics, the screen) is the owner's, through callbacks.
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { buildReport } from "../engine/report.js";
import { allowRunListeners, runOne, type RunOptions } from "../engine/runner.js";
import { Slots } from "../engine/slots.js";
import type { CheckReport, CheckStatus, Report } from "../engine/types.js";
import { systemClock, type Clock, type TimerHandle } from "../schedule/clock.js";
import { Schedule } from "../schedule/cron.js";
import { Scheduler } from "../schedule/scheduler.js";

export type CheckRunner = (config: Pick<LoadedConfig, "objectives" | "baseDir">, check: LoadedCheck, opts: RunOptions) => Promise<CheckReport>;

/** One check's place in the runner. */
export interface CheckSlot {
  readonly check: LoadedCheck;
  result: CheckReport | null;
  /** When `result` was measured (ms since the epoch): the run's start, or the history record's time. */
  measuredAt: number | null;
  /** The result came from the history at start, not from a run of this process. */
  seeded: boolean;
  running: boolean;
  queued: boolean;
  runs: Record<CheckStatus, number>;
  /** Scheduled runs skipped because the previous run was still going. */
  skipped: number;
  /** When the last finished run started (ms since the epoch). */
  lastRunAt: number | null;
}

/** Runs started together (the start, a refresh, R in the TUI): the owner may record them as one scan. */
export interface Batch {
  startedAt: Date;
  t0: number;
  ids: Set<string>;
  results: CheckReport[];
}

export interface ContinuousOptions {
  config: LoadedConfig;
  /** The checks to run (after --only / --shard); default all. */
  checks?: readonly LoadedCheck[];
  clock?: Clock;
  /** Upper bound of each scheduled run's jitter (ms); default watch.jitterMs or 1000. */
  jitterMs?: number;
  random?: () => number;
  concurrency?: number;
  runCheck?: CheckRunner;
  /** Run each check on its cron schedule (default true). */
  schedules?: boolean;
  /** Re-run every check this often (ms); null or 0: never. */
  refreshMs?: number | null;
  /**
   * At start, run every check once: "now" (all at once, through the slots), "jittered" (each
   * within `initialJitterMs`, so a restart does not hit every target in the same second) or "none".
   */
  initialRun?: "now" | "jittered" | "none";
  initialJitterMs?: number;
  /** Each finished run, before the merged report is rebuilt; `batch` when it belongs to one. */
  onResult?: (slot: CheckSlot, result: CheckReport, batch: Batch | null) => CheckReport | void;
  /** A batch whose runs all finished (not called after stop). */
  onBatch?: (batch: Batch) => void;
  /** Anything visible changed (a run queued, started or finished). */
  onChange?: () => void;
  onSkip?: (id: string, occurrence: Date) => void;
  onError?: (id: string, err: unknown) => void;
}

export class ContinuousRunner {
  readonly config: LoadedConfig;
  readonly checks: readonly LoadedCheck[];
  readonly clock: Clock;
  private readonly slots = new Map<string, CheckSlot>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly limiter: Slots;
  private readonly stopping = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly run: CheckRunner;
  private scheduler: Scheduler | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private initialTimers: TimerHandle[] = [];
  nextRefreshAt: number | null = null;

  constructor(private readonly opts: ContinuousOptions) {
    this.config = opts.config;
    this.checks = opts.checks ?? opts.config.checks;
    this.clock = opts.clock ?? systemClock;
    this.run = opts.runCheck ?? runOne;
    const concurrency = Math.max(1, opts.concurrency ?? opts.config.concurrency ?? 16);
    this.limiter = new Slots(concurrency, this.stopping.signal);
    allowRunListeners(this.stopping.signal, concurrency);
    for (const c of this.checks) {
      this.slots.set(c.id, { check: c, result: null, measuredAt: null, seeded: false, running: false, queued: false, runs: { pass: 0, warn: 0, fail: 0, unknown: 0, skipped: 0 }, skipped: 0, lastRunAt: null });
      try {
        this.schedules.set(c.id, new Schedule(c.schedule, c.timezone));
      } catch {
        /* the loader validated it; a schedule that cannot parse just never fires */
      }
    }
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Aborted when the runner stops: for work the owner ties to the runner's life. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  slot(id: string): CheckSlot | undefined {
    return this.slots.get(id);
  }

  /** The slots in config order. */
  all(): CheckSlot[] {
    return this.checks.map((c) => this.slots.get(c.id)!);
  }

  /** A result known before this process ran the check (the history, a reload): shown until a run replaces it. */
  seed(id: string, result: CheckReport, measuredAt: number, seeded = true): void {
    const s = this.slots.get(id);
    if (!s || s.result) return;
    s.result = result;
    s.measuredAt = measuredAt;
    s.seeded = seeded;
  }

  /** The check's schedule period around now (ms): a result older than this is stale. */
  periodOf(id: string): number | null {
    try {
      return this.schedules.get(id)?.periodAround(new Date(this.clock.now())) ?? null;
    } catch {
      return null;
    }
  }

  start(): void {
    const initial = this.opts.initialRun ?? "now";
    if (initial === "now") this.runAll();
    else if (initial === "jittered") this.startJittered();
    if (this.opts.schedules !== false && this.schedules.size > 0) {
      this.scheduler = new Scheduler(
        [...this.schedules].map(([id, schedule]) => ({ id, schedule })),
        {
          clock: this.clock,
          jitterMs: this.opts.jitterMs ?? this.config.watch?.jitterMs ?? 1000,
          random: this.opts.random,
          run: (id) => this.runIds([id], false),
          onSkip: (id, occurrence) => {
            const s = this.slots.get(id);
            if (s) s.skipped += 1;
            this.opts.onSkip?.(id, occurrence);
          },
          onError: (id, err) => this.opts.onError?.(id, err),
        },
      );
      this.scheduler.start();
    }
    const every = this.opts.refreshMs;
    if (every && every > 0) {
      this.nextRefreshAt = this.clock.now() + every;
      this.refreshTimer = setInterval(() => {
        this.nextRefreshAt = this.clock.now() + every;
        this.runAll();
      }, every);
      this.refreshTimer.unref?.();
    }
    this.opts.onChange?.();
  }

  /** Every check once, each after a random delay within initialJitterMs, as one batch. */
  private startJittered(): void {
    const max = Math.max(0, this.opts.initialJitterMs ?? 0);
    if (max === 0) return this.runAll();
    const random = this.opts.random ?? Math.random;
    const batch = this.newBatch(this.checks.map((c) => c.id));
    for (const id of batch.ids) this.patch(id, { queued: true });
    const runs: Array<Promise<void>> = [];
    let left = batch.ids.size;
    const done = (): void => {
      left -= 1;
      if (left === 0) void Promise.allSettled(runs).then(() => this.finishBatch(batch));
    };
    for (const id of batch.ids) {
      const timer = this.clock.setTimer(() => {
        this.patch(id, { queued: false });
        const p = this.track(id, batch);
        runs.push(p);
        void p.finally(done);
      }, Math.floor(random() * max));
      this.initialTimers.push(timer);
    }
  }

  /** Runs every check that is not running or queued already, as one batch. Returns at once. */
  runAll(): void {
    void this.runIds(this.checks.map((c) => c.id), true);
  }

  /** Runs one check now (ignored while it runs). Returns at once. */
  rerun(id: string): void {
    void this.runIds([id], false);
  }

  /** Runs these checks; resolves when they finished. */
  async runIds(ids: readonly string[], asBatch: boolean): Promise<void> {
    if (this.stopped) return;
    const todo = ids.filter((id) => {
      const s = this.slots.get(id);
      return s !== undefined && !s.running && !s.queued;
    });
    if (todo.length === 0) return;
    const batch = asBatch ? this.newBatch(todo) : null;
    for (const id of todo) this.patch(id, { queued: true });
    await Promise.allSettled(todo.map((id) => this.track(id, batch)));
    if (batch) this.finishBatch(batch);
  }

  private newBatch(ids: readonly string[]): Batch {
    return { startedAt: new Date(this.clock.now()), t0: performance.now(), ids: new Set(ids), results: [] };
  }

  private finishBatch(batch: Batch): void {
    if (!this.stopped && batch.results.length > 0) this.opts.onBatch?.(batch);
  }

  private track(id: string, batch: Batch | null): Promise<void> {
    const p = this.runTracked(id, batch);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  private async runTracked(id: string, batch: Batch | null): Promise<void> {
    const s = this.slots.get(id)!;
    try {
      if (!(await this.limiter.acquire())) return;
      this.patch(id, { queued: false, running: true });
      // A run-scoped controller linked to shutdown: nothing accumulates on the long-lived signal.
      const ctrl = new AbortController();
      const onStop = (): void => ctrl.abort(this.stopping.signal.reason);
      this.stopping.signal.addEventListener("abort", onStop, { once: true });
      const started = this.clock.now();
      let raw: CheckReport;
      try {
        raw = await this.run(this.config, s.check, { signal: ctrl.signal, now: () => new Date(this.clock.now()) });
      } finally {
        this.stopping.signal.removeEventListener("abort", onStop);
        if (!ctrl.signal.aborted) ctrl.abort(new Error("run finished"));
        this.limiter.release();
      }
      if (this.stopped) return; // cancelled by shutdown: not a result
      const result = this.opts.onResult?.(s, raw, batch) ?? raw;
      s.result = result;
      s.measuredAt = batch ? batch.startedAt.getTime() : started;
      s.seeded = false;
      s.runs[result.status] += 1;
      s.lastRunAt = started;
      batch?.results.push(result);
    } catch (err) {
      // runOne never throws (crashes become unknown); a broken injected runner must not stop the others.
      this.opts.onError?.(id, err);
    } finally {
      s.running = false;
      s.queued = false;
      this.opts.onChange?.();
    }
  }

  private patch(id: string, change: Partial<Pick<CheckSlot, "queued" | "running">>): void {
    const s = this.slots.get(id);
    if (!s) return;
    Object.assign(s, change);
    this.opts.onChange?.();
  }

  runningIds(): string[] {
    return this.all().filter((s) => s.running).map((s) => s.check.id);
  }

  /** When each check runs next by its schedule (after jitter). */
  nextRuns(): Array<{ id: string; fireAt: Date | null }> {
    return this.scheduler?.nextRuns().map((n) => ({ id: n.id, fireAt: n.fireAt })) ?? [];
  }

  /** The next scheduled time of a check, from its schedule alone (when the scheduler is off). */
  nextByScheduleOf(id: string): number | undefined {
    try {
      return this.schedules.get(id)?.next(new Date(this.clock.now())).getTime();
    } catch {
      return undefined;
    }
  }

  /** The latest result of every check that has one, as one report. */
  mergedReport(startedAt: number, durationMs: number): Report {
    return buildReport({
      startedAt: new Date(startedAt),
      durationMs,
      minScore: this.config.minScore,
      services: this.config.services.map((s) => s.name),
      checks: this.all().map((s) => s.result).filter((r): r is CheckReport => r !== null),
      configFile: this.config.file,
    });
  }

  /** Stops scheduling and timers, cancels running checks; resolves when they settled (or after `graceMs`). */
  async stop(graceMs?: number): Promise<void> {
    if (!this.stopping.signal.aborted) this.stopping.abort(new Error("standby is shutting down"));
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    for (const t of this.initialTimers) this.clock.clearTimer(t);
    this.initialTimers = [];
    const settled = Promise.allSettled([this.scheduler?.stop(), ...this.pending]);
    if (graceMs === undefined) await settled;
    else await Promise.race([settled, new Promise((r) => setTimeout(r, graceMs).unref?.())]);
  }
}
