// `standby validate`: the config is loadable, and the local files its checks read exist. Strict by
// default (every ${env:}/${file:} must resolve, as a scan with all secrets would need); --offline
// reads none, for a job without secrets (a fork's pull request): references are checked for their
// form (and, in untrusted-config mode, the policy), not for their values.
import { loadOrReport } from "./load-or-report.js";
import type { UntrustedFlags } from "./untrusted-flags.js";
import { EXIT } from "../core/exit-codes.js";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export async function validateCommand(flags: { config: string; offline?: boolean } & UntrustedFlags): Promise<number> {
  const config = loadOrReport(flags.config, flags, { refs: flags.offline ? "offline" : "strict", inputFiles: true });
  if (!config) return EXIT.INVALID;
  const kinds = new Set(config.checks.map((c) => c.kind));
  const refs = config.unresolved?.length ?? 0;
  const offline = flags.offline ? `; offline: ${plural(refs, "value")} holding \${env:}/\${file:} not read, so not checked` : "";
  process.stdout.write(`${flags.config}: valid (${plural(config.services.length, "service")}, ${plural(config.checks.length, "check")} of ${plural(kinds.size, "kind")})${offline}\n`);
  return EXIT.OK;
}
