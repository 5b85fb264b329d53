// The live side of the TUI: runs checks (all at start, on their cron schedules, every --refresh,
// or on demand), streams each result into an immutable snapshot as it lands, keeps the history,
// and never blocks the caller: every run is fire-and-forget behind a concurrency limit.
import { Slots } from "../engine/slots.js";
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { buildReport } from "../engine/report.js";
import { allowRunListeners, runOne, type RunOptions } from "../engine/runner.js";
import type { CheckReport, Report } from "../engine/types.js";
import { fullyCovered } from "../history/session.js";
import { annotateCheck } from "../history/state.js";
import { systemClock, type Clock } from "../schedule/clock.js";
import { Schedule } from "../schedule/cron.js";
import { Scheduler } from "../schedule/scheduler.js";
import { TuiHistory } from "./history.js";
import type { CheckRow, Snapshot } from "./model.js";

export type CheckRunner = (config: Pick<LoadedConfig, "objectives" | "baseDir">, check: LoadedCheck, opts: RunOptions) => Promise<CheckReport>;

export interface LiveOptions {
  config: LoadedConfig;
  /** Checks to show and run (after --only); default all. */
  checks?: readonly LoadedCheck[];
  /** Re-run everything this often (ms); null: only on schedules and keys. */
  refreshMs?: number | null;
  /** History file; null turns history off (first-seen is then kept for this session only). */
  historyFile?: string | null;
  historyMaxBytes?: number;
  /** Run each check on its cron schedule too (default true). */
  schedules?: boolean;
  clock?: Clock;
  concurrency?: number;
  runCheck?: CheckRunner;
}

/** A group of runs started together (the start, R, --refresh): recorded as one scan when all finish. */
interface Batch {
  startedAt: Date;
  t0: number;
  ids: Set<string>;
  results: CheckReport[];
}

/** The fastest the screen redraws while results stream in (20 per second). */
const EMIT_INTERVAL_MS = 50;

export class LiveScan {
  private readonly config: LoadedConfig;
  private readonly checks: readonly LoadedCheck[];
  private readonly byId = new Map<string, LoadedCheck>();
  private readonly rows = new Map<string, CheckRow>();
  private readonly history: TuiHistory;
  private readonly clock: Clock;
  private readonly run: CheckRunner;
  private readonly slots: Slots;
  private readonly stopping = new AbortController();
  private readonly listeners = new Set<() => void>();
  private readonly pending = new Set<Promise<void>>();
  private readonly schedules = new Map<string, Schedule>();
  private scheduler: Scheduler | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private nextRefreshAt: number | null = null;
  private lastScanAt: string | null = null;
  private lastScanMs: number | null = null;
  private snapshot: Snapshot;
  private emitQueued = false;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmitAt = -Infinity;

  constructor(private readonly opts: LiveOptions) {
    this.config = opts.config;
    this.checks = opts.checks ?? opts.config.checks;
    this.clock = opts.clock ?? systemClock;
    this.run = opts.runCheck ?? runOne;
    const concurrency = Math.max(1, opts.concurrency ?? opts.config.concurrency ?? 16);
    this.slots = new Slots(concurrency, this.stopping.signal);
    allowRunListeners(this.stopping.signal, concurrency);
    this.history = new TuiHistory(opts.historyFile ?? null, opts.historyMaxBytes);
    for (const c of this.checks) {
      this.byId.set(c.id, c);
      this.rows.set(c.id, { id: c.id, service: c.service.name, kind: c.kind, title: c.definition.meta.title, severity: c.severity, result: null, running: false, queued: false, runs: 0, lastRunAt: null, nextRunAt: null });
      try {
        this.schedules.set(c.id, new Schedule(c.schedule, c.timezone));
      } catch {
        /* the loader validated it; a schedule that cannot parse just never fires */
      }
    }
    this.snapshot = this.build();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** Runs every check now, then on schedules and the refresh timer. */
  start(): void {
    this.runAll();
    if (this.opts.schedules !== false && this.schedules.size > 0) {
      this.scheduler = new Scheduler(
        [...this.schedules].map(([id, schedule]) => ({ id, schedule })),
        { clock: this.clock, jitterMs: this.config.watch?.jitterMs ?? 1000, run: (id) => this.runIds([id], false) },
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
    this.emit();
  }

  /** Re-runs every check that is not running already. Returns at once. */
  runAll(): void {
    void this.runIds(this.checks.map((c) => c.id), true);
  }

  /** Re-runs one check (ignored while it runs). Returns at once. */
  rerun(id: string): void {
    void this.runIds([id], false);
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Cancels running checks (their abort signal), stops timers; resolves within `graceMs`. */
  async stop(graceMs = 1500): Promise<void> {
    if (!this.stopping.signal.aborted) this.stopping.abort(new Error("standby tui is closing"));
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.emitQueued = false;
    const settled = Promise.allSettled([this.scheduler?.stop(), ...this.pending]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, graceMs).unref?.())]);
    this.history.sync();
  }

  private async runIds(ids: readonly string[], asBatch: boolean): Promise<void> {
    if (this.stopped) return;
    const todo = ids.filter((id) => this.byId.has(id) && !this.rows.get(id)!.running && !this.rows.get(id)!.queued);
    if (todo.length === 0) return;
    const batch: Batch | null = asBatch ? { startedAt: new Date(this.clock.now()), t0: performance.now(), ids: new Set(todo), results: [] } : null;
    for (const id of todo) this.patch(id, { queued: true });
    const runs = todo.map((id) => this.runOneTracked(id, batch));
    await Promise.allSettled(runs);
    if (batch && !this.stopped) this.finishBatch(batch);
  }

  private runOneTracked(id: string, batch: Batch | null): Promise<void> {
    const p = (async () => {
      try {
        if (!(await this.slots.acquire())) return;
        this.patch(id, { queued: false, running: true });
        const check = this.byId.get(id)!;
        const started = new Date(this.clock.now());
        let raw: CheckReport;
        try {
          raw = await this.run(this.config, check, { signal: this.stopping.signal, now: () => new Date(this.clock.now()) });
        } finally {
          this.slots.release();
        }
        if (this.stopped) return;
        const at = (batch?.startedAt ?? started).toISOString();
        const result = annotateCheck(raw, this.history.state, at);
        const row = this.rows.get(id)!;
        this.patch(id, { result, running: false, runs: row.runs + 1, lastRunAt: at });
        if (batch) batch.results.push(result);
        else this.recordSingle(result, at);
      } catch {
        // runOne never throws (crashes become unknown); a broken injected runner must not kill the UI.
      } finally {
        const row = this.rows.get(id);
        if (row?.running || row?.queued) this.patch(id, { running: false, queued: false });
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  private finishBatch(batch: Batch): void {
    if (batch.results.length === 0) return;
    const durationMs = Math.round(performance.now() - batch.t0);
    const all = batch.results.length === this.config.checks.length;
    const report = this.reportOf(batch.startedAt, durationMs);
    const covered = fullyCovered(this.config, new Set(batch.results.map((r) => r.id)));
    this.history.append(report, batch.results, "scan", !all, covered);
    this.lastScanAt = batch.startedAt.toISOString();
    this.lastScanMs = durationMs;
    this.emit();
  }

  private recordSingle(result: CheckReport, at: string): void {
    const report = this.reportOf(new Date(at), result.durationMs);
    const reported = new Set([...this.rows.values()].filter((r) => r.result).map((r) => r.id));
    const complete = reported.size === this.config.checks.length;
    this.history.append(report, [result], "watch", !complete, fullyCovered(this.config, reported));
    this.emit();
  }

  private reportOf(startedAt: Date, durationMs: number): Report {
    return buildReport({
      startedAt,
      durationMs,
      minScore: this.config.minScore,
      services: this.config.services.map((s) => s.name),
      checks: this.checks.map((c) => this.rows.get(c.id)!.result).filter((r): r is CheckReport => r !== null),
      configFile: this.config.file,
    });
  }

  private patch(id: string, change: Partial<CheckRow>): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.set(id, { ...row, ...change });
    this.emit();
  }

  /**
   * Coalesces bursts: one snapshot per microtask, and at most one per EMIT_INTERVAL_MS while
   * results stream in (a thousand checks finishing one by one would otherwise redraw the whole
   * screen a thousand times, and the redraws, not the checks, would set the pace). Wall time on
   * purpose: it paces the terminal, not the checks' clock.
   */
  private emit(): void {
    if (this.emitQueued) return;
    this.emitQueued = true;
    const fire = (): void => {
      this.emitTimer = null;
      this.emitQueued = false;
      if (this.stopped) return; // the screen is gone
      this.lastEmitAt = performance.now();
      this.snapshot = this.build();
      for (const fn of this.listeners) fn();
    };
    const wait = this.lastEmitAt + EMIT_INTERVAL_MS - performance.now();
    if (wait <= 0) queueMicrotask(fire);
    else this.emitTimer = setTimeout(fire, wait);
  }

  private build(): Snapshot {
    const now = new Date(this.clock.now());
    const nextRuns = new Map<string, number>();
    for (const n of this.scheduler?.nextRuns() ?? []) if (n.fireAt) nextRuns.set(n.id, n.fireAt.getTime());
    let next: { at: number; what: string } | null = null;
    const rows = this.checks.map((c) => {
      const row = this.rows.get(c.id)!;
      let at = nextRuns.get(c.id);
      if (at === undefined && this.opts.schedules !== false) {
        try {
          at = this.schedules.get(c.id)?.next(now).getTime();
        } catch {
          at = undefined;
        }
      }
      if (at !== undefined && (!next || at < next.at)) next = { at, what: c.id };
      return at === undefined ? row : { ...row, nextRunAt: new Date(at).toISOString() };
    });
    if (this.nextRefreshAt !== null && (!next || this.nextRefreshAt <= (next as { at: number }).at)) next = { at: this.nextRefreshAt, what: "all checks (--refresh)" };
    const anyResult = rows.some((r) => r.result);
    const problemSince: Record<string, string> = {};
    const readings: Record<string, Snapshot["readings"][string]> = {};
    for (const c of this.checks) {
      const since = this.history.problemSince(c.id);
      if (since) problemSince[c.id] = since;
      const r = this.history.readings.get(c.id);
      if (r) readings[c.id] = [...r];
    }
    const n = next as { at: number; what: string } | null;
    return {
      configFile: this.config.file,
      minScore: this.config.minScore,
      rows,
      report: anyResult ? this.reportOf(new Date(this.lastScanAt ?? now.toISOString()), this.lastScanMs ?? 0) : null,
      lastScanAt: this.lastScanAt,
      lastScanMs: this.lastScanMs,
      nextRun: n ? { at: new Date(n.at).toISOString(), what: n.what } : null,
      refreshMs: this.opts.refreshMs ?? null,
      trend: [...this.history.trend],
      readings,
      problemSince,
      notes: [...this.history.notes],
      historyFile: this.history.file,
    };
  }
}
