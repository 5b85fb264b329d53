// The resources the loopback Kubernetes API server (kube-api-server.ts) serves, as discovery
// describes them: group, version, kind, plural, scope. Shaped on a real API server's
// /api/v1 and /apis/<group>/<version> APIResourceList documents (kubectl api-resources).

export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
}

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const SERVED_RESOURCES: readonly ServedResource[] = [
  { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"] },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true },
  { group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true, shortNames: ["svc"] },
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false, shortNames: ["ns"] },
  { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true, shortNames: ["deploy"] },
  { group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", singular: "statefulset", namespaced: true, shortNames: ["sts"] },
  { group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", namespaced: true, shortNames: ["hpa"] },
  { group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"] },
  { group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", singular: "ingress", namespaced: true, shortNames: ["ing"] },
];

/** "v1" for the core group, else "group/version". */
export const groupVersionOf = (r: Pick<ServedResource, "group" | "version">): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** "deployments.apps", "configmaps": how the API server names a resource in its messages. */
export const qualifiedResource = (r: Pick<ServedResource, "group" | "plural">): string => (r.group ? `${r.plural}.${r.group}` : r.plural);

export function resourceFor(apiVersion: string, kind: string): ServedResource | undefined {
  return SERVED_RESOURCES.find((r) => groupVersionOf(r) === apiVersion && r.kind === kind);
}

/** The APIResourceList of one group version (GET /api/v1, /apis/apps/v1). */
export function apiResourceList(groupVersion: string): unknown | null {
  const resources = SERVED_RESOURCES.filter((r) => groupVersionOf(r) === groupVersion);
  if (resources.length === 0) return null;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: resources.flatMap((r) => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        storageVersionHash: Buffer.from(`${groupVersionOf(r)}/${r.kind}`).toString("base64").slice(0, 11),
      },
      // Real lists carry the status subresource too; clients must skip names with a slash.
      ...(r.kind === "Deployment" || r.kind === "StatefulSet" || r.kind === "HorizontalPodAutoscaler"
        ? [{ name: `${r.plural}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] }]
        : []),
    ]),
  };
}

/** GET /apis: every named group with its served version. */
export function apiGroupList(): unknown {
  const groups = [...new Set(SERVED_RESOURCES.filter((r) => r.group).map((r) => groupVersionOf(r)))].map((gv) => {
    const [name, version] = gv.split("/") as [string, string];
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** GET /api. */
export function apiVersions(): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] };
}
