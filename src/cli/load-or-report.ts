// Loads the config for a command; invalid config prints every issue and means exit 2.
import { resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/errors.js";
import { loadConfigFile, loadConfigFileAsync, type LoadedConfig } from "../config/load.js";
import type { UntrustedSettings } from "../config/trust.js";
import { untrustedSettings, type UntrustedFlags } from "./untrusted-flags.js";

function report(err: unknown): null {
  if (!(err instanceof ConfigError)) throw err;
  const n = err.issues.length;
  process.stderr.write(`standby: invalid config (${n} problem${n === 1 ? "" : "s"}):\n`);
  for (const issue of err.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
  return null;
}

/** Untrusted-config settings from the flags; false after printing a usage error. */
function settings(flags: UntrustedFlags): UntrustedSettings | undefined | false {
  const s = untrustedSettings(flags);
  if (s && "error" in s) {
    process.stderr.write(`standby: ${s.error}\n`);
    return false;
  }
  return s;
}

export function loadOrReport(configPath: string, flags: UntrustedFlags = {}): LoadedConfig | null {
  const untrusted = settings(flags);
  if (untrusted === false) return null;
  try {
    return loadConfigFile(resolve(configPath), { displayName: configPath, untrusted });
  } catch (err) {
    return report(err);
  }
}

/** loadOrReport reading with fs/promises: for a process that keeps serving meanwhile (watch's reload). */
export async function loadOrReportAsync(configPath: string, flags: UntrustedFlags = {}): Promise<LoadedConfig | null> {
  const untrusted = settings(flags);
  if (untrusted === false) return null;
  try {
    return await loadConfigFileAsync(resolve(configPath), { displayName: configPath, untrusted });
  } catch (err) {
    return report(err);
  }
}
