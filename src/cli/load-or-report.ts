// Loads the config for a command; invalid config prints every issue and means exit 2.
// Commands that run checks load with refs "per-check": a secret that is not set makes only the
// checks that need it unknown/not-configured (a warning each on stderr); validate is strict.
import { resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/errors.js";
import { loadConfigFile, loadConfigFileAsync, type LoadedConfig, type LoadOptions } from "../config/load.js";
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

/** How a command reads the config: references (default per-check) and whether input files must exist. */
export type LoadMode = Pick<LoadOptions, "refs" | "inputFiles">;

/** A reference with no value that is no error: said once on stderr (the report says it per check). */
function warn(config: LoadedConfig, mode: LoadMode): LoadedConfig {
  if ((mode.refs ?? "per-check") === "per-check") for (const issue of config.unresolved ?? []) process.stderr.write(`standby: warning: ${formatIssue(issue)}\n`);
  return config;
}

export function loadOrReport(configPath: string, flags: UntrustedFlags = {}, mode: LoadMode = {}): LoadedConfig | null {
  const untrusted = settings(flags);
  if (untrusted === false) return null;
  try {
    return warn(loadConfigFile(resolve(configPath), { displayName: configPath, untrusted, refs: "per-check", ...mode }), mode);
  } catch (err) {
    return report(err);
  }
}

/** loadOrReport reading with fs/promises: for a process that keeps serving meanwhile (watch's reload). */
export async function loadOrReportAsync(configPath: string, flags: UntrustedFlags = {}, mode: LoadMode = {}): Promise<LoadedConfig | null> {
  const untrusted = settings(flags);
  if (untrusted === false) return null;
  try {
    return warn(await loadConfigFileAsync(resolve(configPath), { displayName: configPath, untrusted, refs: "per-check", ...mode }), mode);
  } catch (err) {
    return report(err);
  }
}
