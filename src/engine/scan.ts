// One scan: select checks, run them, build the report.
import { buildReport } from "./report.js";
import { runChecks, type RunOptions } from "./runner.js";
import type { Report, RunnableCheck, RunSettings } from "./types.js";

export async function scan(config: RunSettings & { minScore: number; services: ReadonlyArray<{ name: string }>; file?: string }, checks: readonly RunnableCheck[], opts: RunOptions = {}): Promise<Report> {
  const startedAt = opts.now?.() ?? new Date();
  const t0 = performance.now();
  const results = await runChecks(config, checks, opts);
  return buildReport({
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    minScore: config.minScore,
    services: config.services.map((s) => s.name),
    checks: results,
    configFile: config.file,
  });
}
