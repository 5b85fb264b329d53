// `standby demo`'s two Kubernetes clusters: loopback API servers (kube-api-server.ts) holding the
// primary's objects and a drifted standby's (kube-demo-objects.ts), and a kubeconfig naming them as
// contexts prod-use1 and prod-usw2 (namespace shop), as examples/kubernetes-clusters/ expects.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { KubeApiServer } from "./kube-api-server.js";
import { demoObjects } from "./kube-demo-objects.js";

export const DEMO_CONTEXTS = { primary: "prod-use1", standby: "prod-usw2" } as const;

export interface DemoClusters {
  kubeconfig: string;
  servers: { primary: KubeApiServer; standby: KubeApiServer };
  stop(): Promise<void>;
}

/** `tls`: the certificate both servers present (for 127.0.0.1) and the CA the kubeconfig trusts. */
export async function startKubeClusters(dir: string, tls: { cert: string; key: string; ca: string }): Promise<DemoClusters> {
  // A token per run: the API servers answer only the demo's own kubeconfig.
  const tokens = { primary: randomBytes(12).toString("hex"), standby: randomBytes(12).toString("hex") };
  const servers = { primary: new KubeApiServer({ tls, token: tokens.primary }), standby: new KubeApiServer({ tls, token: tokens.standby }) };
  try {
    for (const side of ["primary", "standby"] as const) {
      for (const obj of demoObjects(side)) servers[side].put(obj);
      await servers[side].start();
    }
  } catch (err) {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    throw err;
  }
  const kubeconfig = KubeApiServer.writeKubeconfig(join(dir, "kubeconfig"), [
    { name: DEMO_CONTEXTS.primary, server: servers.primary, namespace: "shop", token: tokens.primary },
    { name: DEMO_CONTEXTS.standby, server: servers.standby, namespace: "shop", token: tokens.standby },
  ]);
  return { kubeconfig, servers, stop: async () => void (await Promise.all(Object.values(servers).map((s) => s.stop()))) };
}

const side = (context: string, kind: { apiVersion: string; kind: string }, pick: { name: string } | { selector: string }) => ({ kubernetes: { context, kubeconfig: "kubeconfig", ...kind, ...pick } });
const pair = (kind: { apiVersion: string; kind: string }, pick: { name: string } | { selector: string }) => ({ primary: side(DEMO_CONTEXTS.primary, kind, pick), standby: side(DEMO_CONTEXTS.standby, kind, pick) });

/** The demo's config-drift checks of the two clusters (the kubeconfig sits beside standby.yml). */
export function kubeDemoChecks(): Array<Record<string, unknown>> {
  return [
    { id: "orders-k8s-deployments", kind: "config-drift", severity: "high", description: "the orders Deployments of both clusters: images, capacity, readiness", ...pair({ apiVersion: "apps/v1", kind: "Deployment" }, { selector: "app.kubernetes.io/part-of=orders" }) },
    { id: "orders-k8s-config", kind: "config-drift", severity: "medium", ...pair({ apiVersion: "v1", kind: "ConfigMap" }, { name: "orders-config" }) },
    { id: "orders-k8s-db-secret", kind: "config-drift", severity: "high", description: "compared by hash, never shown", ...pair({ apiVersion: "v1", kind: "Secret" }, { name: "orders-db" }) },
    { id: "orders-k8s-hpa", kind: "config-drift", severity: "high", ...pair({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" }, { name: "orders-api" }) },
    { id: "orders-k8s-ingress", kind: "config-drift", severity: "medium", ...pair({ apiVersion: "networking.k8s.io/v1", kind: "Ingress" }, { name: "orders" }) },
  ];
}
