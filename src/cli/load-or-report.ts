// Loads the config for a command; invalid config prints every issue and means exit 2.
import { resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/errors.js";
import { loadConfigFile, type LoadedConfig } from "../config/load.js";

export function loadOrReport(configPath: string): LoadedConfig | null {
  try {
    return loadConfigFile(resolve(configPath), { displayName: configPath });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const n = err.issues.length;
    process.stderr.write(`standby: invalid config (${n} problem${n === 1 ? "" : "s"}):\n`);
    for (const issue of err.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
    return null;
  }
}
