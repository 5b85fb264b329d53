// standby watch's /metrics: the latest merged report's families (exactly what `scan -f
// prometheus` writes for it) followed by the daemon's own `standby_watch_*` families, under the
// same rules (src/report/prometheus.ts): base units in the name, `_total` counters, HELP and TYPE,
// one label set per family. Labels come from config ids only.
import { CHECK_STATUSES, type CheckStatus, type Report } from "../engine/types.js";
import { Exposition, writeReport, type FamilyDef, type MetricType } from "../report/prometheus.js";

/** What the daemon knows about one watched check. */
export interface WatchedCheck {
  id: string;
  service: string;
  runs: Readonly<Record<CheckStatus, number>>;
  /** Scheduled runs skipped because the previous one was still going. */
  skipped: number;
  running: boolean;
  /** When the check last started a run that finished, ms since the epoch. */
  lastRunAt: number | null;
  /** When its latest result was measured (the run's start, or the history record's time), ms since the epoch. */
  measuredAt: number | null;
  /** When it runs next (with jitter), ms since the epoch. */
  nextRunAt: number | null;
}

export interface WatchMetricsInput {
  report: Report | null;
  stopped: boolean;
  /** ms since the epoch */
  startedAt: number;
  checks: readonly WatchedCheck[];
  /** Checks with a result. */
  reported: number;
  /** Checks whose result comes from the history (not yet run by this process). */
  seeded: number;
  counters: { notificationsSent: number; notificationsFailed: number; historyErrors: number; errors: number };
  reloads?: { lastSuccessful: boolean; lastSuccessAt: number; failures: number } | undefined;
}

const family = <const L extends string>(name: string, type: MetricType, help: string, labels: readonly L[]): FamilyDef<L> => ({ name, type, help, labels });

export const WATCH_FAMILIES = {
  up: family("standby_watch_up", "gauge", "1 while standby watch is running.", []),
  startTime: family("standby_watch_start_time_seconds", "gauge", "When standby watch started, seconds since the Unix epoch.", []),
  checks: family("standby_watch_checks", "gauge", "Checks watched, how many have a result, and how many of those come from the history (seeded at start, not run yet).", ["state"]),
  runs: family("standby_watch_runs_total", "counter", "Finished check runs, by result status.", ["check", "status"]),
  skipped: family("standby_watch_skipped_overruns_total", "counter", "Scheduled runs skipped because the check's previous run was still going.", ["check"]),
  running: family("standby_watch_check_running", "gauge", "1 while the check runs.", ["check"]),
  lastRun: family("standby_watch_check_last_run_timestamp_seconds", "gauge", "When the check last started a run that finished, seconds since the Unix epoch.", ["service", "check"]),
  nextRun: family("standby_watch_check_next_run_timestamp_seconds", "gauge", "When the check runs next (with jitter), seconds since the Unix epoch.", ["check"]),
  notifications: family("standby_watch_notifications_total", "counter", "Webhook notifications, by result.", ["result"]),
  historyErrors: family("standby_watch_history_write_errors_total", "counter", "History records that could not be appended.", []),
  errors: family("standby_watch_errors_total", "counter", "Exceptions that escaped a check run (logged; the daemon goes on).", []),
  reloadOk: family(
    "standby_watch_config_last_reload_successful",
    "gauge",
    "1 when the last config reload (SIGHUP) loaded a valid config; the previous config keeps running otherwise.",
    [],
  ),
  reloadTime: family("standby_watch_config_last_reload_success_timestamp_seconds", "gauge", "When the running config was loaded, seconds since the Unix epoch.", []),
  reloadFailures: family("standby_watch_config_reload_failures_total", "counter", "Config reloads refused because the new config was invalid.", []),
} as const;

export function renderWatchMetrics(w: WatchMetricsInput): string {
  const e = new Exposition();
  if (w.report) {
    // A result's own measuredAt comes first; the slot's time covers a result without one.
    const measuredAt = new Map(w.checks.map((c) => [c.id, c.measuredAt]));
    writeReport(e, w.report, { measuredAt: (c) => measuredAt.get(c.id) });
  }
  const F = WATCH_FAMILIES;
  e.add(F.up, [[{}, w.stopped ? 0 : 1]]);
  e.add(F.startTime, [[{}, w.startedAt / 1000]]);
  e.add(F.checks, [
    [{ state: "watched" }, w.checks.length],
    [{ state: "reported" }, w.reported],
    [{ state: "seeded" }, w.seeded],
  ]);
  e.add(F.runs, w.checks.flatMap((c) => CHECK_STATUSES.map((status) => [{ check: c.id, status }, c.runs[status]] as const)));
  e.add(F.skipped, w.checks.map((c) => [{ check: c.id }, c.skipped]));
  e.add(F.running, w.checks.map((c) => [{ check: c.id }, c.running ? 1 : 0]));
  e.add(F.lastRun, w.checks.flatMap((c) => (c.lastRunAt === null ? [] : [[{ service: c.service, check: c.id }, c.lastRunAt / 1000] as const])));
  e.add(F.nextRun, w.checks.flatMap((c) => (c.nextRunAt === null ? [] : [[{ check: c.id }, c.nextRunAt / 1000] as const])));
  e.add(F.notifications, [
    [{ result: "sent" }, w.counters.notificationsSent],
    [{ result: "failed" }, w.counters.notificationsFailed],
  ]);
  e.add(F.historyErrors, [[{}, w.counters.historyErrors]]);
  e.add(F.errors, [[{}, w.counters.errors]]);
  if (w.reloads) {
    e.add(F.reloadOk, [[{}, w.reloads.lastSuccessful ? 1 : 0]]);
    e.add(F.reloadTime, [[{}, w.reloads.lastSuccessAt / 1000]]);
    e.add(F.reloadFailures, [[{}, w.reloads.failures]]);
  }
  return e.toString();
}
