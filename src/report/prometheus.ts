// Prometheus text exposition format 0.0.4 (node_exporter textfile collector, Pushgateway).
// Bounded cardinality: label values come only from the config (services, check ids, kinds,
// severities) and fixed enums (statuses, units), never from findings or summaries.
import { redact } from "../core/secrets.js";
import { undecidedPoints } from "./format.js";
import { CHECK_STATUSES, OVERALL_STATUSES } from "../engine/types.js";
import type { CheckReport, Report } from "../engine/types.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string>;

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

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, help: string, samples: Array<[Labels, number]>, type: "gauge" = "gauge"): void {
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const entries = Object.entries(labels);
      const l = entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}` : "";
      this.lines.push(`${name}${l} ${formatSampleValue(value)}`);
    }
  }

  toString(): string {
    return this.lines.join("\n") + "\n";
  }
}

function checkLabels(c: CheckReport): Labels {
  return { service: c.service, check: c.id };
}

export function renderPrometheus(report: Report): string {
  const e = new Exposition();
  const { points } = report;

  e.family("standby_readiness_score", "Readiness score, 0 to 100 (earned / possible points).", [[{}, report.score]]);
  e.family("standby_ready", "1 if the overall status is READY, else 0.", [[{}, report.status === "READY" ? 1 : 0]]);
  e.family(
    "standby_status",
    "Overall status, one-hot over READY, DEGRADED, UNKNOWN, NOT_READY.",
    OVERALL_STATUSES.map((s) => [{ status: s }, report.status === s ? 1 : 0]),
  );
  e.family("standby_min_score", "Configured minimum score (scoring.minScore).", [[{}, report.minScore]]);
  e.family("standby_points_earned", "Points earned by checks that ran.", [[{}, points.earned]]);
  e.family("standby_points_possible", "Points possible over checks that ran.", [[{}, points.possible]]);
  e.family("standby_points_excluded", "Number of skipped checks left out of the score.", [[{}, points.excluded]]);
  e.family("standby_points_undecided", "Points of checks that could not decide (unknown): lost in the score without evidence.", [[{}, undecidedPoints(report)]]);

  e.family(
    "standby_service_score",
    "Readiness score of one service, 0 to 100.",
    report.services.map((s) => [{ service: s.name }, s.score]),
  );
  e.family(
    "standby_service_status",
    "Status of one service, one-hot over the four overall statuses.",
    report.services.flatMap((s) => OVERALL_STATUSES.map((st) => [{ service: s.name, status: st }, s.status === st ? 1 : 0] as [Labels, number])),
  );

  e.family(
    "standby_check_status",
    "Status of one check, one-hot over pass, warn, fail, unknown, skipped.",
    report.checks.flatMap((c) =>
      CHECK_STATUSES.map(
        (st) =>
          [{ ...checkLabels(c), kind: c.kind, severity: c.severity, status: st }, c.status === st ? 1 : 0] as [
            Labels,
            number,
          ],
      ),
    ),
  );
  const measured = report.checks.filter((c) => c.measured && typeof c.measured.value === "number");
  e.family(
    "standby_check_measured_value",
    "The value a check measured (e.g. replication lag), in the unit label.",
    measured.map((c) => [{ ...checkLabels(c), kind: c.kind, unit: c.measured!.unit }, c.measured!.value]),
  );
  e.family(
    "standby_check_limit",
    "The limit the measured value is compared with, in the unit label.",
    report.checks
      .filter((c) => c.measured && typeof c.measured.limit === "number")
      .map((c) => [{ ...checkLabels(c), kind: c.kind, unit: c.measured!.unit }, c.measured!.limit!]),
  );
  e.family(
    "standby_check_warn_threshold",
    "The value at which the check starts to warn, in the unit label.",
    report.checks
      .filter((c) => c.measured && typeof c.measured.warnAt === "number")
      .map((c) => [{ ...checkLabels(c), kind: c.kind, unit: c.measured!.unit }, c.measured!.warnAt!]),
  );
  e.family(
    "standby_check_points_earned",
    "Points one check earned (all when it passed, half on warn, none on fail or unknown).",
    report.checks.map((c) => [checkLabels(c), c.points.earned]),
  );
  e.family(
    "standby_check_points_possible",
    "Points one check is worth (its severity's; 0 when skipped). possible - earned is what it cost the score.",
    report.checks.map((c) => [checkLabels(c), c.points.possible]),
  );
  e.family(
    "standby_check_findings",
    "Number of findings of one check.",
    report.checks.map((c) => [checkLabels(c), c.findings?.length ?? 0]),
  );
  e.family(
    "standby_check_duration_seconds",
    "How long one check took.",
    report.checks.map((c) => [checkLabels(c), (c.durationMs || 0) / 1000]),
  );

  e.family("standby_scan_duration_seconds", "How long the scan took.", [[{}, report.durationMs / 1000]]);
  const started = Date.parse(report.startedAt);
  e.family(
    "standby_scan_timestamp_seconds",
    "When the scan started, in seconds since the Unix epoch.",
    Number.isNaN(started) ? [] : [[{}, started / 1000]],
  );
  return e.toString();
}
