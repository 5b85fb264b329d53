// What a config reaches (commands, files, hosts): its top level's and each check's, found by the
// reach tags of the schemas (src/options/reach.ts) on the config as written, references resolved.
// Untrusted-config mode judges them (trust.ts); validate looks for the input files (input-files.ts).
import { getKind } from "../../checks/registry.js";
import { reachesOf, type ReachAt } from "../options/reach.js";
import { configSchema } from "./schema.js";

export function configReaches(resolved: unknown): ReachAt[] {
  const reaches = reachesOf(configSchema, resolved);
  const services = (resolved as { services?: unknown } | null)?.services;
  if (Array.isArray(services)) {
    services.forEach((svc, si) => {
      const checks = (svc as { checks?: unknown } | null)?.checks;
      if (!Array.isArray(checks)) return;
      checks.forEach((entry, ci) => {
        const kind = (entry as { kind?: unknown } | null)?.kind;
        const definition = typeof kind === "string" ? getKind(kind) : undefined;
        if (definition) reachesOf(definition.options, entry, ["services", si, "checks", ci], reaches);
      });
    });
  }
  return reaches;
}
