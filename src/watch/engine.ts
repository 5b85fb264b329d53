// The watch daemon's core, free of process concerns (signals, sockets) so it runs in-process in
// tests with an injected clock. The continuous runner (src/continuous/runner.ts) schedules and runs
// the checks and keeps their latest results; this adds what a daemon needs on top: results seeded
// from the history at start, history records, notifications on service status changes, metrics.
import { ContinuousRunner, type CheckRunner, type CheckSlot } from "../continuous/runner.js";
import type { LoadedCheck, LoadedConfig, WebhookSettings } from "../config/load.js";
import { redact } from "../core/secrets.js";
import type { CheckReport, OverallStatus, Report } from "../engine/types.js";
import { recordOf } from "../history/record.js";
import { seededResult } from "../history/seed.js";
import { fullyCovered, type HistorySession } from "../history/session.js";
import { annotateCheck } from "../history/state.js";
import type { Clock } from "../schedule/clock.js";
import { renderWatchMetrics } from "./metrics.js";

export type { CheckRunner } from "../continuous/runner.js";

/** At most this long between start and a check's initial run (the jitter spreads a restart's load). */
export const INITIAL_RUN_JITTER_MS = 5_000;

export interface WatchEngineOptions {
  config: LoadedConfig;
  /** The checks to watch (after --only / --shard); default all. */
  checks?: readonly LoadedCheck[];
  clock?: Clock;
  jitterMs?: number;
  random?: () => number;
  history?: HistorySession | null;
  webhook?: WebhookSettings;
  /** Sends one notification; default: sendWebhook (lazy-loaded). */
  notifier?: (hook: WebhookSettings, payload: unknown, signal: AbortSignal) => Promise<boolean>;
  log?: (line: string) => void;
  runCheck?: CheckRunner;
  /** Run every check once at start, jittered (default true; `--no-initial-run` turns it off). */
  initialRun?: boolean;
  /** The engine this one replaces (config reload): its results, counters and service states carry over. */
  previous?: WatchEngine;
  /** Config reloads, owned by the process and shown in /metrics. */
  reloads?: ReloadState;
  /**
   * Aborts webhook notifications: the process's shutdown, not this engine's stop, so a reload
   * does not cancel an alert in flight. Default: this engine's stop.
   */
  notifySignal?: AbortSignal;
  /** Daemon counters shared across reloads (the process owns them). Default: this engine's own. */
  counters?: WatchCounters;
}

export interface WatchCounters {
  notificationsSent: number;
  notificationsFailed: number;
  historyErrors: number;
  errors: number;
}

export function newCounters(): WatchCounters {
  return { notificationsSent: 0, notificationsFailed: 0, historyErrors: 0, errors: 0 };
}

export interface ReloadState {
  /** Whether the last reload (SIGHUP) loaded a valid config; true before any. */
  lastSuccessful: boolean;
  /** When the running config was loaded (start or last successful reload), ms since the epoch. */
  lastSuccessAt: number;
  failures: number;
}

export class WatchEngine {
  readonly startedAt: number;
  private readonly clock: Clock;
  private readonly runner: ContinuousRunner;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly lastServiceStatus = new Map<string, OverallStatus>();
  private readonly log: (line: string) => void;
  private report: Report | null = null;
  readonly counters: WatchCounters;

  constructor(private readonly opts: WatchEngineOptions) {
    this.counters = opts.counters ?? newCounters();
    this.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    // A reload carries results over instead of re-running everything; a start runs each check once.
    const initialRun = opts.previous || opts.initialRun === false ? "none" : "jittered";
    const jitterMs = opts.jitterMs ?? opts.config.watch?.jitterMs ?? 1000;
    this.runner = new ContinuousRunner({
      config: opts.config,
      checks: opts.checks,
      clock: opts.clock,
      jitterMs,
      random: opts.random,
      runCheck: opts.runCheck,
      initialRun,
      initialJitterMs: Math.min(INITIAL_RUN_JITTER_MS, jitterMs),
      onResult: (slot, raw) => this.record(slot, raw),
      onSkip: (id, occurrence) => this.log(`standby watch: ${id}: skipped the ${occurrence.toISOString()} run, the previous run is still going (overrun)`),
      onError: (id, err) => {
        this.counters.errors += 1;
        this.log(redact(`standby watch: ${id}: ${err instanceof Error ? err.message : String(err)}`));
      },
    });
    this.clock = this.runner.clock;
    this.startedAt = opts.previous?.startedAt ?? this.clock.now();
    if (opts.history) for (const [k, v] of opts.history.state.services) this.lastServiceStatus.set(k, v);
    if (opts.previous) this.carryOver(opts.previous);
    else if (opts.history) this.seedFromHistory(opts.history);
  }

  start(): void {
    this.runner.start();
  }

  private get notifySignal(): AbortSignal {
    return this.opts.notifySignal ?? this.runner.signal;
  }

  /**
   * Each check's last result in the history stands until the initial run replaces it, so
   * /metrics and /report.json have the score from the first second after a restart.
   */
  private seedFromHistory(history: HistorySession): void {
    const now = this.clock.now();
    for (const slot of this.runner.all()) {
      const last = history.state.lastRun.get(slot.check.id);
      if (!last) continue;
      this.runner.seed(slot.check.id, seededResult(slot.check, last, this.runner.periodOf(slot.check.id), now), Date.parse(last.at));
    }
    this.rebuildReport(history.state.lastAt ? Date.parse(history.state.lastAt) : now, 0);
  }

  /**
   * A reload keeps what is still true: per-check counters go on (Prometheus counters must not
   * reset for a check that stays), a check's latest result stays only while its definition is
   * unchanged (a changed check is unknown until it runs again), service states keep notifications
   * to real changes.
   */
  private carryOver(prev: WatchEngine): void {
    for (const p of this.runner.all()) {
      const old = prev.runner.slot(p.check.id);
      if (!old) continue;
      p.runs = { ...old.runs };
      p.skipped = old.skipped;
      if (!sameDefinition(old.check, p.check) || !sameJudgement(prev.opts.config, this.opts.config)) continue;
      p.lastRunAt = old.lastRunAt;
      if (old.result && old.measuredAt !== null) this.runner.seed(p.check.id, old.result, old.measuredAt, old.seeded);
    }
    for (const [k, v] of prev.lastServiceStatus) this.lastServiceStatus.set(k, v);
    if (this.runner.all().some((s) => s.result)) this.rebuildReport(prev.report?.startedAt ? Date.parse(prev.report.startedAt) : this.clock.now(), 0);
  }

  get stopped(): boolean {
    return this.runner.stopped;
  }

  /** Stops scheduling, cancels running checks (their abort signal), waits for them and flushes history. */
  async stop(): Promise<void> {
    await this.runner.stop();
    await Promise.allSettled([...this.pending]);
    this.opts.history?.writer.sync();
  }

  latestReport(): Report | null {
    return this.report;
  }

  runningChecks(): string[] {
    return this.runner.runningIds();
  }

  stats(): { runs: number; skipped: number; running: number; checks: number; reported: number; seeded: number } {
    let runs = 0;
    let skipped = 0;
    let reported = 0;
    let seeded = 0;
    for (const p of this.runner.all()) {
      runs += Object.values(p.runs).reduce((a, b) => a + b, 0);
      skipped += p.skipped;
      if (p.result) reported += 1;
      if (p.result && p.seeded) seeded += 1;
    }
    return { runs, skipped, running: this.runner.runningIds().length, checks: this.runner.all().length, reported, seeded };
  }

  /** Runs one check now; resolves when it finished. */
  async runCheck(id: string): Promise<void> {
    await this.runner.runIds([id], false);
  }

  private record(slot: CheckSlot, raw: CheckReport): CheckReport {
    // History is stamped when the run finished: the record holds the merged state of that moment,
    // which may include runs that started later (by its start time it would sort behind them).
    const now = this.clock.now();
    const at = new Date(now).toISOString();
    const started = raw.durationMs >= 0 ? now - raw.durationMs : now;
    const history = this.opts.history;
    const result: CheckReport = { ...(history ? annotateCheck(raw, history.state, at) : raw), measuredAt: new Date(started).toISOString() };
    // The slot takes the result after this returns; the report must already count it.
    slot.result = result;
    slot.seeded = false;
    const report = this.rebuildReport(started, result.durationMs);
    const slots = this.runner.all();
    const live = new Set(slots.filter((s) => s.result && !s.seeded).map((s) => s.check.id));
    const covered = fullyCovered({ checks: slots.map((x) => x.check) }, live);
    const complete = live.size === slots.length && slots.length === this.opts.config.checks.length;
    if (history) {
      const rec = recordOf({ ...report, startedAt: at }, [result], "watch", !complete, covered);
      if (!history.append(rec, this.log)) this.counters.historyErrors += 1;
    }
    this.notifyChanges(report, covered);
    return result;
  }

  /** Each watched check's latest result as one report. */
  private rebuildReport(started: number, durationMs: number): Report {
    this.report = this.runner.mergedReport(started, durationMs);
    return this.report;
  }

  private notifyChanges(report: Report, covered: ReadonlySet<string>): void {
    const changes: Array<{ service: string; from: OverallStatus; to: OverallStatus; score: number }> = [];
    for (const s of report.services) {
      if (!covered.has(s.name)) continue;
      const from = this.lastServiceStatus.get(s.name);
      this.lastServiceStatus.set(s.name, s.status);
      if (from !== undefined && from !== s.status) changes.push({ service: s.name, from, to: s.status, score: s.score });
    }
    const hook = this.opts.webhook;
    if (!hook || changes.length === 0) return;
    const send = async (): Promise<void> => {
      const mod = await import("../history/notify.js");
      const payload = mod.webhookPayload(hook.format, changes, report);
      const ok = this.opts.notifier
        ? await this.opts.notifier(hook, payload, this.notifySignal)
        : await mod.sendWebhook(hook, payload, { signal: this.notifySignal, log: this.log });
      if (ok) this.counters.notificationsSent += 1;
      else this.counters.notificationsFailed += 1;
    };
    const p = send().catch((err) => {
      this.counters.notificationsFailed += 1;
      this.log(redact(`standby: notify: ${err instanceof Error ? err.message : String(err)}`));
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** /metrics: the report's own exposition plus the daemon's families (src/watch/metrics.ts). Labels come from config ids only. */
  metrics(): string {
    const next = new Map(this.runner.nextRuns().map((n) => [n.id, n.fireAt?.getTime() ?? null]));
    const stats = this.stats();
    return renderWatchMetrics({
      report: this.report,
      stopped: this.stopped,
      startedAt: this.startedAt,
      checks: this.runner.all().map((p) => ({
        id: p.check.id,
        service: p.check.service.name,
        runs: p.runs,
        skipped: p.skipped,
        running: p.running,
        lastRunAt: p.lastRunAt,
        measuredAt: p.measuredAt,
        nextRunAt: next.get(p.check.id) ?? null,
      })),
      reported: stats.reported,
      seeded: stats.seeded,
      counters: this.counters,
      reloads: this.opts.reloads,
    });
  }
}

/** Same check as far as its result goes: kind, service (with its vars), severity, timeout and options. */
function sameDefinition(a: LoadedCheck, b: LoadedCheck): boolean {
  return (
    a.kind === b.kind &&
    a.severity === b.severity &&
    a.timeoutMs === b.timeoutMs &&
    JSON.stringify(a.options) === JSON.stringify(b.options) &&
    JSON.stringify(a.service) === JSON.stringify(b.service)
  );
}

/** What every check is judged against besides its own options: the RPO/RTO limits and the base directory of relative paths. */
function sameJudgement(a: LoadedConfig, b: LoadedConfig): boolean {
  return a.objectives.rpo === b.objectives.rpo && a.objectives.rto === b.objectives.rto && a.baseDir === b.baseDir;
}
