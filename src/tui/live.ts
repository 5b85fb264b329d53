// The live side of the TUI: the continuous runner (src/continuous/runner.ts, shared with watch)
// runs the checks (all at start, on their cron schedules, every --refresh, or on demand); this
// streams each result into an immutable snapshot as it lands and keeps the history. It never
// blocks the caller: every run is fire-and-forget behind the runner's concurrency limit.
import { ContinuousRunner, type Batch, type CheckRunner, type CheckSlot } from "../continuous/runner.js";
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import type { CheckReport, Report } from "../engine/types.js";
import { fullyCovered } from "../history/session.js";
import { annotateCheck } from "../history/state.js";
import type { Clock } from "../schedule/clock.js";
import { TuiHistory } from "./history.js";
import type { CheckRow, Snapshot } from "./model.js";

export type { CheckRunner } from "../continuous/runner.js";

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

/** The fastest the screen redraws while results stream in (20 per second). */
const EMIT_INTERVAL_MS = 50;

export class LiveScan {
  private readonly config: LoadedConfig;
  private readonly checks: readonly LoadedCheck[];
  private readonly history: TuiHistory;
  private readonly clock: Clock;
  private readonly runner: ContinuousRunner;
  private readonly listeners = new Set<() => void>();
  private lastScanAt: string | null = null;
  private lastScanMs: number | null = null;
  private snapshot: Snapshot;
  private emitQueued = false;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmitAt = -Infinity;

  constructor(private readonly opts: LiveOptions) {
    this.config = opts.config;
    this.history = new TuiHistory(opts.historyFile ?? null, opts.historyMaxBytes);
    this.runner = new ContinuousRunner({
      config: opts.config,
      checks: opts.checks,
      clock: opts.clock,
      concurrency: opts.concurrency,
      runCheck: opts.runCheck,
      schedules: opts.schedules,
      refreshMs: opts.refreshMs,
      initialRun: "now",
      onResult: (slot, raw, batch) => this.onResult(slot, raw, batch),
      onBatch: (batch) => this.finishBatch(batch),
      onChange: () => this.emit(),
    });
    this.checks = this.runner.checks;
    this.clock = this.runner.clock;
    this.snapshot = this.build();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** Runs every check now, then on schedules and the refresh timer. */
  start(): void {
    this.runner.start();
  }

  /** Re-runs every check that is not running already. Returns at once. */
  runAll(): void {
    this.runner.runAll();
  }

  /** Re-runs one check (ignored while it runs). Returns at once. */
  rerun(id: string): void {
    this.runner.rerun(id);
  }

  get stopped(): boolean {
    return this.runner.stopped;
  }

  /** Cancels running checks (their abort signal), stops timers; resolves within `graceMs`. */
  async stop(graceMs = 1500): Promise<void> {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.emitQueued = false;
    await this.runner.stop(graceMs);
    this.history.sync();
  }

  private onResult(slot: CheckSlot, raw: CheckReport, batch: Batch | null): CheckReport {
    const at = (batch?.startedAt ?? new Date(this.clock.now())).toISOString();
    const result: CheckReport = { ...annotateCheck(raw, this.history.state, at), measuredAt: at };
    if (!batch) {
      slot.result = result;
      this.recordSingle(result, at);
    }
    return result;
  }

  private finishBatch(batch: Batch): void {
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
    const reported = new Set(this.runner.all().filter((s) => s.result).map((s) => s.check.id));
    const complete = reported.size === this.config.checks.length;
    this.history.append(report, [result], "watch", !complete, fullyCovered(this.config, reported));
    this.emit();
  }

  private reportOf(startedAt: Date, durationMs: number): Report {
    return this.runner.mergedReport(startedAt.getTime(), durationMs);
  }

  private rowOf(s: CheckSlot): CheckRow {
    const c = s.check;
    const total = Object.values(s.runs).reduce((a, b) => a + b, 0);
    return {
      id: c.id,
      service: c.service.name,
      kind: c.kind,
      title: c.definition.meta.title,
      severity: c.severity,
      result: s.result,
      running: s.running,
      queued: s.queued,
      runs: total,
      lastRunAt: s.result?.measuredAt ?? null,
      nextRunAt: null,
    };
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
    for (const n of this.runner.nextRuns()) if (n.fireAt) nextRuns.set(n.id, n.fireAt.getTime());
    let next: { at: number; what: string } | null = null;
    const rows = this.runner.all().map((slot) => {
      const c = slot.check;
      const row = this.rowOf(slot);
      let at = nextRuns.get(c.id);
      if (at === undefined && this.opts.schedules !== false) at = this.runner.nextByScheduleOf(c.id);
      if (at !== undefined && (!next || at < next.at)) next = { at, what: c.id };
      return at === undefined ? row : { ...row, nextRunAt: new Date(at).toISOString() };
    });
    const refreshAt = this.runner.nextRefreshAt;
    if (refreshAt !== null && (!next || refreshAt <= (next as { at: number }).at)) next = { at: refreshAt, what: "all checks (--refresh)" };
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
