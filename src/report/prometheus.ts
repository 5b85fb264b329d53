// Prometheus text exposition format 0.0.4 (node_exporter textfile collector, Pushgateway, and
// standby watch's /metrics), named by prometheus.io's conventions: the unit in the name and in
// base units (seconds, bytes, ratios), instants as `_timestamp_seconds`, counters as `_total`,
// HELP and TYPE for every family, and one label set per family (every sample of a family has the
// same label names). Bounded cardinality: label values come only from the config (services,
// check ids, kinds, severities) and fixed enums (statuses, change kinds), never from findings or
// summaries. Each kind's own values (checks/<kind>/evidence.ts) get their own families; the
// generic `standby_check_measured_*` families are only for kinds without their own.
import { redact } from "../core/secrets.js";
import { undecidedPoints } from "./format.js";
import { kindFamilies, genericMeasuredFamilies, type CheckSample } from "./prometheus-kinds.js";
import { CHECK_STATUSES, OVERALL_STATUSES } from "../engine/types.js";
import type { CheckReport, Report } from "../engine/types.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "gauge" | "counter";

/** One metric family: its name, type, help and the label names every one of its samples carries, in order. */
export interface FamilyDef<L extends string = string> {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly L[];
}

export type Sample<L extends string = string> = readonly [labels: Readonly<Record<L, string>>, value: number];

/** Label value escaping per the exposition format: backslash, double quote, line feed. */
export function escapeLabelValue(v: string): string {
  return redact(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escaping: backslash and line feed. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/**
 * An exposition being written: each family once, HELP and TYPE before its samples, every sample
 * with exactly the family's labels in the family's order (so a family cannot mix label sets). A
 * family without samples is left out.
 */
export class Exposition {
  private readonly lines: string[] = [];
  private readonly names = new Set<string>();

  add<L extends string>(def: FamilyDef<L>, samples: ReadonlyArray<Sample<L>>): void {
    if (this.names.has(def.name)) throw new Error(`metric family ${def.name} written twice`);
    this.names.add(def.name);
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${def.name} ${escapeHelp(def.help)}`, `# TYPE ${def.name} ${def.type}`);
    for (const [labels, value] of samples) {
      const l = def.labels.length ? `{${def.labels.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(",")}}` : "";
      this.lines.push(`${def.name}${l} ${formatSampleValue(value)}`);
    }
  }

  /** Families written so far (those left out for want of samples included). */
  families(): string[] {
    return [...this.names];
  }

  toString(): string {
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }
}

const family = <const L extends string>(name: string, type: MetricType, help: string, labels: readonly L[]): FamilyDef<L> => ({ name, type, help, labels });

const CHECK = ["service", "check"] as const;

/** The report's families that every report has (kinds' own families: prometheus-kinds.ts). */
export const REPORT_FAMILIES = {
  score: family("standby_readiness_score", "gauge", "Readiness score, 0 to 100 (earned / possible points).", []),
  ready: family("standby_ready", "gauge", "1 if the overall status is READY, else 0.", []),
  status: family("standby_status", "gauge", "Overall status, one-hot over READY, DEGRADED, UNKNOWN, NOT_READY.", ["status"]),
  minScore: family("standby_min_score", "gauge", "Configured minimum score (scoring.minScore).", []),
  earned: family("standby_points_earned", "gauge", "Points earned by checks that ran.", []),
  possible: family("standby_points_possible", "gauge", "Points possible over checks that ran.", []),
  undecided: family("standby_points_undecided", "gauge", "Points of checks that could not decide (unknown): lost in the score without evidence.", []),
  excluded: family("standby_checks_excluded", "gauge", "Checks left out of the score (skipped).", []),
  serviceScore: family("standby_service_score", "gauge", "Readiness score of one service, 0 to 100.", ["service"]),
  serviceStatus: family("standby_service_status", "gauge", "Status of one service, one-hot over the four overall statuses.", ["service", "status"]),
  checkInfo: family("standby_check_info", "gauge", "One check's kind and severity (always 1): join on service and check.", ["service", "check", "kind", "severity"]),
  checkStatus: family("standby_check_status", "gauge", "Status of one check, one-hot over pass, warn, fail, unknown, skipped.", ["service", "check", "status"]),
  checkResultTime: family(
    "standby_check_last_result_timestamp_seconds",
    "gauge",
    "When the check's result was measured, seconds since the Unix epoch (time() minus this is the result's age).",
    CHECK,
  ),
  checkEarned: family("standby_check_points_earned", "gauge", "Points one check earned (all when it passed, half on warn, none on fail or unknown).", CHECK),
  checkPossible: family("standby_check_points_possible", "gauge", "Points one check is worth (its severity's; 0 when skipped). possible - earned is what it cost the score.", CHECK),
  checkFindings: family("standby_check_findings", "gauge", "Number of findings of one check.", CHECK),
  checkDuration: family("standby_check_duration_seconds", "gauge", "How long one check took.", CHECK),
  scanDuration: family("standby_scan_duration_seconds", "gauge", "How long the scan took (watch: the latest run).", []),
  scanTime: family("standby_scan_timestamp_seconds", "gauge", "When the scan started (watch: the latest run), seconds since the Unix epoch.", []),
} as const;

export interface PrometheusOptions {
  /**
   * When a check's result was measured, ms since the epoch, for a result without its own
   * `measuredAt` (ISO; set by the continuous runner), which wins. Default: the report's start.
   */
  measuredAt?: (check: CheckReport) => number | null | undefined;
}

/** When a check's result was measured, ms since the epoch; NaN when nothing says. */
export function resultTime(report: Report, c: CheckReport, opts: PrometheusOptions = {}): number {
  // From a file (merge) or an older history it may be anything: only a valid instant counts.
  const own: unknown = c.measuredAt;
  if (typeof own === "string" && Number.isFinite(Date.parse(own))) return Date.parse(own);
  const given = opts.measuredAt?.(c);
  if (typeof given === "number" && Number.isFinite(given)) return given;
  return Date.parse(report.startedAt);
}

/** Writes the report's families into `e` (watch adds its own after them). */
export function writeReport(e: Exposition, report: Report, opts: PrometheusOptions = {}): void {
  const F = REPORT_FAMILIES;
  const { points } = report;
  const checkLabels = (c: CheckReport) => ({ service: c.service, check: c.id });

  e.add(F.score, [[{}, report.score]]);
  e.add(F.ready, [[{}, report.status === "READY" ? 1 : 0]]);
  e.add(F.status, OVERALL_STATUSES.map((s) => [{ status: s }, report.status === s ? 1 : 0]));
  e.add(F.minScore, [[{}, report.minScore]]);
  e.add(F.earned, [[{}, points.earned]]);
  e.add(F.possible, [[{}, points.possible]]);
  e.add(F.undecided, [[{}, undecidedPoints(report)]]);
  e.add(F.excluded, [[{}, points.excluded]]);

  e.add(F.serviceScore, report.services.map((s) => [{ service: s.name }, s.score]));
  e.add(F.serviceStatus, report.services.flatMap((s) => OVERALL_STATUSES.map((st) => [{ service: s.name, status: st }, s.status === st ? 1 : 0] as const)));

  e.add(F.checkInfo, report.checks.map((c) => [{ ...checkLabels(c), kind: c.kind, severity: c.severity }, 1]));
  e.add(F.checkStatus, report.checks.flatMap((c) => CHECK_STATUSES.map((st) => [{ ...checkLabels(c), status: st }, c.status === st ? 1 : 0] as const)));
  const times = report.checks.map((c) => [c, resultTime(report, c, opts)] as const);
  e.add(F.checkResultTime, times.filter(([, t]) => Number.isFinite(t)).map(([c, t]) => [checkLabels(c), t / 1000]));
  e.add(F.checkEarned, report.checks.map((c) => [checkLabels(c), c.points.earned]));
  e.add(F.checkPossible, report.checks.map((c) => [checkLabels(c), c.points.possible]));
  e.add(F.checkFindings, report.checks.map((c) => [checkLabels(c), c.findings?.length ?? 0]));
  e.add(F.checkDuration, report.checks.map((c) => [checkLabels(c), (c.durationMs || 0) / 1000]));

  // Each kind's own families, then the generic ones for kinds without their own.
  const subjects: CheckSample[] = times.map(([c, t]) => ({ check: c, at: Number.isFinite(t) ? t : null }));
  for (const fam of [...kindFamilies(), ...genericMeasuredFamilies()]) e.add(fam.def, subjects.flatMap((s) => fam.samples(s)));

  e.add(F.scanDuration, [[{}, report.durationMs / 1000]]);
  const started = Date.parse(report.startedAt);
  e.add(F.scanTime, Number.isNaN(started) ? [] : [[{}, started / 1000]]);
}

export function renderPrometheus(report: Report, opts: PrometheusOptions = {}): string {
  const e = new Exposition();
  writeReport(e, report, opts);
  return e.toString();
}
