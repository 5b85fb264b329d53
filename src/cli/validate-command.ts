import { loadOrReport } from "./load-or-report.js";
import type { UntrustedFlags } from "./untrusted-flags.js";
import { EXIT } from "../core/exit-codes.js";

export async function validateCommand(flags: { config: string } & UntrustedFlags): Promise<number> {
  const config = loadOrReport(flags.config, flags);
  if (!config) return EXIT.INVALID;
  const kinds = new Set(config.checks.map((c) => c.kind));
  process.stdout.write(
    `${flags.config}: valid (${config.services.length} service${config.services.length === 1 ? "" : "s"}, ${config.checks.length} check${config.checks.length === 1 ? "" : "s"} of ${kinds.size} kind${kinds.size === 1 ? "" : "s"})\n`,
  );
  return EXIT.OK;
}
