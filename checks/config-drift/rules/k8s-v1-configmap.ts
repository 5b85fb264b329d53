// v1 ConfigMap: configuration applications read.
import type { RulePack } from "./types.js";

export const k8sConfigMap: RulePack = {
  resourceType: "v1 ConfigMap",
  rules: [
    { path: "data", kind: "match", reason: "applications read their configuration from these values (compared after side-var substitution)" },
    { path: "binaryData", kind: "match", reason: "applications read these files" },
    { path: "immutable", kind: "info", reason: "protects against edits, does not change what is read" },
  ],
};
