// v1 Secret: compared by a keyed hash of each value (../kubernetes/secret.ts), never shown.
import type { RulePack } from "./types.js";

export const k8sSecret: RulePack = {
  resourceType: "v1 Secret",
  rules: [
    { path: "type", kind: "match", reason: "the type decides how the secret is consumed (TLS, registry credentials, opaque)" },
    { path: "data", kind: "match", reason: "the standby must hold the same keys and values (compared by hash, never shown)" },
    { path: "stringData", kind: "match", reason: "the standby must hold the same keys and values (compared by hash, never shown)" },
    { path: "immutable", kind: "info", reason: "protects against edits, does not change what is read" },
  ],
};
