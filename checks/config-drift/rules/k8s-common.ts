// Fields every Kubernetes object has that say who and when, not how it is configured: identity,
// server bookkeeping and kubectl's copy of the last applied object. Removed before any comparison,
// whatever the kind. `status` is not a rule: it is kept only where a rule names a path under it
// (../kubernetes/prepare.ts), so a readiness rule can read it.
import type { PackRule } from "./types.js";

const SERVER = "set by each API server, different on each side by nature";

export const K8S_COMMON_RULES: readonly PackRule[] = [
  { path: "apiVersion", kind: "ignore", reason: "both sides have the same apiVersion by construction (list items carry none)" },
  { path: "kind", kind: "ignore", reason: "both sides have the same kind by construction (list items carry none)" },
  { path: "metadata.name", kind: "ignore", reason: "names are matched by the pairing rule, not compared" },
  { path: "metadata.namespace", kind: "ignore", reason: "each side's namespace is chosen by its source" },
  { path: "metadata.uid", kind: "ignore", reason: SERVER },
  { path: "metadata.resourceVersion", kind: "ignore", reason: SERVER },
  { path: "metadata.generation", kind: "ignore", reason: "counts the spec changes made on each side" },
  { path: "metadata.creationTimestamp", kind: "ignore", reason: SERVER },
  { path: "metadata.managedFields", kind: "ignore", reason: "which client last wrote which field, on each side" },
  { path: "metadata.selfLink", kind: "ignore", reason: SERVER },
  { path: "metadata.ownerReferences", kind: "ignore", reason: "owners are named by their per-side uid" },
  { path: "metadata.annotations.*last-applied-configuration", kind: "ignore", reason: "kubectl's copy of the object as last applied: the object itself is compared" },
  { path: "metadata.labels", kind: "info", reason: "labels on the object itself are bookkeeping; selectors read the pod template's" },
  { path: "metadata.annotations", kind: "info", reason: "annotations are mostly tooling metadata" },
  { path: "metadata.finalizers", kind: "info", reason: "cleanup hooks of controllers, which may differ per cluster" },
];
