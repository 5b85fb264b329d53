import { loadOrReport } from "./load-or-report.js";

export async function validateCommand(flags: { config: string }): Promise<number> {
  const config = loadOrReport(flags.config);
  if (!config) return 2;
  const kinds = new Set(config.checks.map((c) => c.kind));
  process.stdout.write(
    `${flags.config}: valid (${config.services.length} service${config.services.length === 1 ? "" : "s"}, ${config.checks.length} check${config.checks.length === 1 ? "" : "s"} of ${kinds.size} kind${kinds.size === 1 ? "" : "s"})\n`,
  );
  return 0;
}
