// Loads the config for a command; invalid config prints every issue and means exit 2.
// Commands that run checks load with refs "per-check": a secret that is not set makes only the
// checks that need it unknown/not-configured (a warning each on stderr); validate is strict.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError, formatIssue } from "../config/errors.js";
import { loadConfigFile, loadConfigFileAsync, type LoadedConfig, type LoadOptions } from "../config/load.js";
import type { UntrustedSettings } from "../config/trust.js";
import { untrustedSettings, type UntrustedFlags } from "./untrusted-flags.js";
import { redact } from "../core/secrets.js";
import { DEFAULT_CONFIG } from "./defaults.js";

function report(err: unknown): null {
  if (!(err instanceof ConfigError)) throw err;
  const n = err.issues.length;
  process.stderr.write(`standby: invalid config (${n} problem${n === 1 ? "" : "s"}):\n`);
  for (const issue of err.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
  return null;
}

/**
 * Nothing at the config path: where standby looked and what to do (a first run without a config
 * lands here), rather than "standby.yml:1:1: file not found". True after printing it.
 */
function noConfig(configPath: string): boolean {
  const abs = resolve(configPath);
  try {
    statSync(abs);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return false; // unreadable: the loader says why
  }
  const dir = dirname(abs);
  const name = basename(abs);
  const explicit = configPath !== DEFAULT_CONFIG;
  const where = !existsSync(dir) ? `${dir}, a directory that does not exist` : explicit ? dir : `${dir} (the current directory)`;
  process.stderr.write(redact(`standby: no config found: ${explicit ? `-c ${configPath}: ` : ""}looked for ${name} in ${where}\n`));
  // standby.yaml beside a missing standby.yml is the likeliest reason of all.
  const near = existsSync(dir) ? readdirSync(dir).filter((f) => f !== name && /^\.?standby\.ya?ml$/i.test(f)) : [];
  for (const f of near) process.stderr.write(redact(`  ${join(dir, f)} exists: give it with -c ${join(dirname(configPath), f)}\n`));
  process.stderr.write(`  ${explicit ? "check the path given to -c" : "give the config file with -c FILE"}, or run \`standby demo\` to try a demo environment with its own config\n`);
  return true;
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
  if (untrusted === false || noConfig(configPath)) return null;
  try {
    return warn(loadConfigFile(resolve(configPath), { displayName: configPath, untrusted, refs: "per-check", ...mode }), mode);
  } catch (err) {
    return report(err);
  }
}

/** loadOrReport reading with fs/promises: for a process that keeps serving meanwhile (watch's reload). */
export async function loadOrReportAsync(configPath: string, flags: UntrustedFlags = {}, mode: LoadMode = {}): Promise<LoadedConfig | null> {
  const untrusted = settings(flags);
  if (untrusted === false || noConfig(configPath)) return null;
  try {
    return warn(await loadConfigFileAsync(resolve(configPath), { displayName: configPath, untrusted, refs: "per-check", ...mode }), mode);
  } catch (err) {
    return report(err);
  }
}
