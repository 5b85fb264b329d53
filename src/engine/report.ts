// Assembles the report (DESIGN.md "JSON report") from check results.
import type { CheckReport, Report, ServiceReport } from "./types.js";
import { rollUpStatus, scoreOf, sumPoints } from "./score.js";
import { VERSION } from "../version.js";

export interface ReportInput {
  startedAt: Date;
  durationMs: number;
  minScore: number;
  services: readonly string[];
  checks: readonly CheckReport[];
  configFile?: string;
}

export function buildReport(input: ReportInput): Report {
  const points = sumPoints(input.checks);
  const score = scoreOf(points);
  const services: ServiceReport[] = [];
  for (const name of input.services) {
    const own = input.checks.filter((c) => c.service === name);
    if (own.length === 0) continue;
    const p = sumPoints(own);
    const s = scoreOf(p);
    services.push({ name, status: rollUpStatus(own, input.minScore), score: s, points: p });
  }
  return {
    schemaVersion: 1,
    tool: { name: "standby", version: VERSION },
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    status: rollUpStatus(input.checks, input.minScore),
    score,
    minScore: input.minScore,
    points,
    services,
    checks: [...input.checks],
    ...(input.configFile ? { config: { file: input.configFile } } : {}),
  };
}
