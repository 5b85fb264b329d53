// --untrusted-config, --allowed-env and --allowed-hosts: the CLI's way into untrusted-config mode
// (src/config/trust.ts), with the current directory as the workspace files are confined to.
import { InvalidArgumentError } from "commander";
import { parseHostPattern } from "../config/hosts.js";
import type { UntrustedSettings } from "../config/trust.js";

export interface UntrustedFlags {
  untrustedConfig?: boolean;
  allowedEnv?: string[];
  allowedHosts?: string[];
}

/** Commander's collector for a repeatable option holding names separated by commas or spaces. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[\s,]+/).filter(Boolean)];
}

/** collectList for --allowed-hosts: each entry must be a host, *.domain or address, maybe with :port. */
export function collectHosts(value: string, previous: string[] = []): string[] {
  const list = collectList(value, previous);
  for (const h of list) {
    const p = parseHostPattern(h);
    if (typeof p === "string") throw new InvalidArgumentError(p);
  }
  return list;
}

/** The settings, undefined when the mode is off, or a usage error. */
export function untrustedSettings(flags: UntrustedFlags, cwd = process.cwd()): UntrustedSettings | { error: string } | undefined {
  if (!flags.untrustedConfig) {
    const stray = flags.allowedEnv ? "--allowed-env" : flags.allowedHosts ? "--allowed-hosts" : null;
    return stray ? { error: `${stray} applies in untrusted-config mode only: add --untrusted-config` } : undefined;
  }
  return { workspace: cwd, allowedEnv: flags.allowedEnv ?? [], allowedHosts: flags.allowedHosts };
}
