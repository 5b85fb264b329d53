// The watch daemon's core, free of process concerns (signals, sockets) so it runs in-process in
// tests with an injected clock: schedules each check, runs it through the runner, keeps the
// latest merged report, appends history, notifies on service status changes, exposes metrics.
import { Slots } from "../engine/slots.js";
import type { LoadedCheck, LoadedConfig, WebhookSettings } from "../config/load.js";
import { redact } from "../core/secrets.js";
import { buildReport } from "../engine/report.js";
import { allowRunListeners, runOne, type RunOptions } from "../engine/runner.js";
import type { CheckReport, CheckStatus, OverallStatus, Report } from "../engine/types.js";
import { recordOf } from "../history/record.js";
import { fullyCovered, type HistorySession } from "../history/session.js";
import { annotateCheck } from "../history/state.js";
import { systemClock, type Clock } from "../schedule/clock.js";
import { Schedule } from "../schedule/cron.js";
import { Scheduler } from "../schedule/scheduler.js";
import { renderWatchMetrics } from "./metrics.js";

export type CheckRunner = (config: Pick<LoadedConfig, "objectives" | "baseDir">, check: LoadedCheck, opts: RunOptions) => Promise<CheckReport>;

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

interface PerCheck {
  check: LoadedCheck;
  runs: Record<CheckStatus, number>;
  skipped: number;
  lastRunAt: number | null;
  running: boolean;
}

export class WatchEngine {
  readonly startedAt: number;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly per = new Map<string, PerCheck>();
  private readonly order: string[];
  private readonly latest = new Map<string, CheckReport>();
  private readonly stopping = new AbortController();
  private readonly slots: Slots;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly lastServiceStatus = new Map<string, OverallStatus>();
  private readonly log: (line: string) => void;
  private readonly run: CheckRunner;
  private report: Report | null = null;
  readonly counters: WatchCounters;

  constructor(private readonly opts: WatchEngineOptions) {
    this.counters = opts.counters ?? newCounters();
    this.slots = new Slots(Math.max(1, opts.config.concurrency), this.stopping.signal);
    allowRunListeners(this.stopping.signal, Math.max(1, opts.config.concurrency));
    this.clock = opts.clock ?? systemClock;
    this.startedAt = opts.previous?.startedAt ?? this.clock.now();
    this.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.run = opts.runCheck ?? runOne;
    const checks = opts.checks ?? opts.config.checks;
    this.order = checks.map((c) => c.id);
    for (const c of checks) {
      this.per.set(c.id, { check: c, runs: { pass: 0, warn: 0, fail: 0, unknown: 0, skipped: 0 }, skipped: 0, lastRunAt: null, running: false });
    }
    if (opts.history) for (const [k, v] of opts.history.state.services) this.lastServiceStatus.set(k, v);
    if (opts.previous) this.carryOver(opts.previous);
    this.scheduler = new Scheduler(
      checks.map((c) => ({ id: c.id, schedule: new Schedule(c.schedule, c.timezone) })),
      {
        clock: this.clock,
        jitterMs: opts.jitterMs ?? opts.config.watch?.jitterMs ?? 1000,
        random: opts.random,
        run: (id) => this.runCheck(id),
        onSkip: (id, occurrence) => {
          const p = this.per.get(id)!;
          p.skipped += 1;
          this.log(`standby watch: ${id}: skipped the ${occurrence.toISOString()} run, the previous run is still going (overrun)`);
        },
        onError: (id, err) => {
          this.counters.errors += 1;
          this.log(redact(`standby watch: ${id}: ${err instanceof Error ? err.message : String(err)}`));
        },
      },
    );
  }

  start(): void {
    this.scheduler.start();
  }

  private get notifySignal(): AbortSignal {
    return this.opts.notifySignal ?? this.stopping.signal;
  }

  /**
   * A reload keeps what is still true: per-check counters go on (Prometheus counters must not
   * reset for a check that stays), a check's latest result stays only while its definition is
   * unchanged (a changed check is unknown until it runs again), service states keep notifications
   * to real changes.
   */
  private carryOver(prev: WatchEngine): void {
    for (const [id, p] of this.per) {
      const old = prev.per.get(id);
      if (!old) continue;
      p.runs = { ...old.runs };
      p.skipped = old.skipped;
      if (!sameDefinition(old.check, p.check) || !sameJudgement(prev.opts.config, this.opts.config)) continue;
      p.lastRunAt = old.lastRunAt;
      const latest = prev.latest.get(id);
      if (latest) this.latest.set(id, latest);
    }
    for (const [k, v] of prev.lastServiceStatus) this.lastServiceStatus.set(k, v);
    if (this.latest.size > 0) this.report = this.mergedReport(prev.report?.startedAt ? Date.parse(prev.report.startedAt) : this.clock.now(), 0);
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Stops scheduling, cancels running checks (their abort signal), waits for them and flushes history. */
  async stop(): Promise<void> {
    if (!this.stopping.signal.aborted) this.stopping.abort(new Error("standby watch is shutting down"));
    await this.scheduler.stop();
    await Promise.allSettled([...this.pending]);
    this.opts.history?.writer.sync();
  }

  latestReport(): Report | null {
    return this.report;
  }

  runningChecks(): string[] {
    return [...this.per.values()].filter((p) => p.running).map((p) => p.check.id);
  }

  stats(): { runs: number; skipped: number; running: number; checks: number; reported: number } {
    let runs = 0;
    let skipped = 0;
    for (const p of this.per.values()) {
      runs += Object.values(p.runs).reduce((a, b) => a + b, 0);
      skipped += p.skipped;
    }
    return { runs, skipped, running: this.runningChecks().length, checks: this.per.size, reported: this.latest.size };
  }

  async runCheck(id: string): Promise<void> {
    const p = this.per.get(id);
    if (!p || this.stopped) return;
    p.running = true;
    try {
      if (!(await this.slots.acquire())) return;
      // A run-scoped controller linked to shutdown: nothing accumulates on the long-lived signal.
      const ctrl = new AbortController();
      const onStop = (): void => ctrl.abort(this.stopping.signal.reason);
      this.stopping.signal.addEventListener("abort", onStop, { once: true });
      const started = this.clock.now();
      let result: CheckReport;
      try {
        result = await this.run(this.opts.config, p.check, { signal: ctrl.signal, now: () => new Date(this.clock.now()) });
      } finally {
        this.stopping.signal.removeEventListener("abort", onStop);
        // Settles the runner's AbortSignal.any() composite: on Node 20 a composite signal with a
        // listener whose sources never abort is never collected (~2 KB per run; the soak test
        // caught it). Aborting after the run lets it go, and stops any work the check left behind.
        if (!ctrl.signal.aborted) ctrl.abort(new Error("run finished"));
        this.slots.release();
      }
      if (this.stopped) return; // cancelled by shutdown: not a result, not history
      this.record(p, result, started);
    } finally {
      p.running = false;
    }
  }

  private record(p: PerCheck, raw: CheckReport, started: number): void {
    // History is stamped when the run finished: the record holds the merged state of that moment,
    // which may include runs that started later (by its start time it would sort behind them).
    const at = new Date(this.clock.now()).toISOString();
    const history = this.opts.history;
    const result = history ? annotateCheck(raw, history.state, at) : raw;
    this.latest.set(result.id, result);
    p.runs[result.status] += 1;
    p.lastRunAt = started;
    const config = this.opts.config;
    const report = this.mergedReport(started, result.durationMs);
    this.report = report;
    const covered = fullyCovered({ checks: [...this.per.values()].map((x) => x.check) }, new Set(this.latest.keys()));
    const complete = this.latest.size === this.per.size && this.per.size === config.checks.length;
    if (history) {
      const rec = recordOf({ ...report, startedAt: at }, [result], "watch", !complete, covered);
      if (!history.append(rec, this.log)) this.counters.historyErrors += 1;
    }
    this.notifyChanges(report, covered);
  }

  /** Each watched check's latest result as one report. */
  private mergedReport(started: number, durationMs: number): Report {
    const config = this.opts.config;
    return buildReport({
      startedAt: new Date(started),
      durationMs,
      minScore: config.minScore,
      services: config.services.map((s) => s.name),
      checks: this.order.map((id) => this.latest.get(id)).filter((c): c is CheckReport => c !== undefined),
      configFile: config.file,
    });
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
    const next = new Map(this.scheduler.nextRuns().map((n) => [n.id, n.fireAt?.getTime() ?? null]));
    return renderWatchMetrics({
      report: this.report,
      stopped: this.stopped,
      startedAt: this.startedAt,
      checks: [...this.per.values()].map((p) => ({
        id: p.check.id,
        service: p.check.service.name,
        runs: p.runs,
        skipped: p.skipped,
        running: p.running,
        lastRunAt: p.lastRunAt,
        nextRunAt: next.get(p.check.id) ?? null,
      })),
      reported: this.latest.size,
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
