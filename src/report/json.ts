// The JSON report, schemaVersion 1, keys in the order DESIGN.md shows them (extra fields after).
import { redactDeep } from "../core/secrets.js";
import type { CheckReport, Report, ServiceReport } from "../engine/types.js";
import { undecidedPoints } from "./format.js";

/** The report as a plain object with the documented key order; every string (and key) redacted. */
export function toJsonReport(report: Report): Record<string, unknown> {
  const { schemaVersion, tool, startedAt, durationMs, status, score, points, services, checks, ...rest } = report;
  const ordered = {
    schemaVersion,
    tool: { name: tool.name, version: tool.version },
    startedAt,
    durationMs,
    status,
    score,
    points: { earned: points.earned, possible: points.possible, excluded: points.excluded, undecided: undecidedPoints(report) },
    services: services.map(orderService),
    checks: checks.map(orderCheck),
    ...rest,
  };
  return redactDeep(ordered);
}

function orderService(s: ServiceReport): Record<string, unknown> {
  const { name, status, score, ...rest } = s;
  return { name, status, score, ...rest };
}

function orderCheck(c: CheckReport): Record<string, unknown> {
  const { id, service, kind, severity, status, reason, summary, measured, findings, durationMs, ...rest } = c;
  return {
    id,
    service,
    kind,
    severity,
    status,
    reason: reason ?? null,
    summary,
    measured: measured ?? null,
    findings: findings ?? [],
    durationMs,
    ...rest,
  };
}

/** Pretty-printed JSON with a trailing newline. */
export function renderJson(report: Report): string {
  return JSON.stringify(toJsonReport(report), null, 2) + "\n";
}
