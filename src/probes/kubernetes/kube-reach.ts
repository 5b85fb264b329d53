// A Kubernetes connection's reach: its `context`, in its `kubeconfig` or the default one. Tagged on
// the connection's object schema, so `standby validate` reports an unknown context or a missing
// kubeconfig at the option's line (input-files.ts), and untrusted-config mode refuses a context
// that reads files outside the workspace, runs an exec plugin or reaches a host not allowed
// (trust.ts), for every kind that uses the connection, with no code of its own.
import type { z } from "zod";
import { tagReachOf, type ReachAt } from "../../options/reach.js";

/** Tags a schema whose value holds `context` (and optionally `kubeconfig`): call it last (see tagReach). */
export function tagKubeConnection<T extends z.ZodType>(schema: T): T {
  return tagReachOf(schema, (value): ReachAt[] =>
    typeof value.context === "string"
      ? [{ path: ["context"], reach: { kind: "kube-context", ...(typeof value.kubeconfig === "string" ? { kubeconfig: value.kubeconfig } : {}) }, value: value.context }]
      : [],
  );
}
