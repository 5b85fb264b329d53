// One scan: select checks, run them, build the report.
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { buildReport } from "./report.js";
import { runChecks, type RunOptions } from "./runner.js";
import type { Report } from "./types.js";

export async function scan(config: LoadedConfig, checks: readonly LoadedCheck[], opts: RunOptions = {}): Promise<Report> {
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
