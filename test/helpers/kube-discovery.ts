// A loopback server that answers the Kubernetes API's discovery documents (and 404s every object)
// for the kinds the examples use, so `kubectl apply --dry-run=client` can map kinds to resources
// without a cluster. Shaped on the real /api, /apis and /apis/<group>/<version> replies.
import { createServer, type Server } from "node:http";

interface Resource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const GROUPS: Record<string, Resource[]> = {
  v1: [
    { name: "configmaps", kind: "ConfigMap", namespaced: true },
    { name: "secrets", kind: "Secret", namespaced: true },
    { name: "services", kind: "Service", namespaced: true },
    { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
    { name: "namespaces", kind: "Namespace", namespaced: false },
  ],
  "apps/v1": [{ name: "deployments", kind: "Deployment", namespaced: true }],
  "batch/v1": [
    { name: "jobs", kind: "Job", namespaced: true },
    { name: "cronjobs", kind: "CronJob", namespaced: true },
  ],
};

const VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];

function resourceList(groupVersion: string): unknown {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: GROUPS[groupVersion]!.map((r) => ({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS })),
  };
}

export interface KubeDiscovery {
  url: string;
  close(): Promise<void>;
}

export async function startKubeDiscovery(): Promise<KubeDiscovery> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] });
    if (path === "/api/v1") return json(200, resourceList("v1"));
    if (path === "/apis") {
      const groups = Object.keys(GROUPS).filter((g) => g.includes("/")).map((gv) => {
        const [name, version] = gv.split("/") as [string, string];
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return json(200, { kind: "APIGroupList", apiVersion: "v1", groups });
    }
    const m = /^\/apis\/([^/]+\/[^/]+)$/.exec(path);
    if (m && GROUPS[m[1]!]) return json(200, resourceList(m[1]!));
    if (path === "/version") return json(200, { major: "1", minor: "31", gitVersion: "v1.31.0" });
    // Every object: not found (client dry-run then shows what it would create).
    return json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${path} not found` });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
