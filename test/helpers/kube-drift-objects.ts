// More objects shaped like a real API server's (beside kube-objects.ts's Deployment, ConfigMap and
// TLS Secret), for config-drift's packs: an opaque Secret applied with kubectl (so its last-applied
// annotation holds the values in clear, as on a real cluster), a Service with allocated fields, an
// Ingress, an HPA, a PDB and a StatefulSet with its defaulted fields and status.
import type { KubeObject } from "../../src/probes/kubernetes/types.js";
import { realisticDeployment, type DeploymentOpts } from "./kube-objects.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

export function opaqueSecret(name: string, values: Record<string, string>, namespace = "shop"): KubeObject {
  const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)]));
  const applied = { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name, namespace, annotations: {} }, data };
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name,
      namespace,
      labels: { app: "orders" },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(applied)}\n` },
      managedFields: [{ apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": Object.fromEntries(Object.keys(values).map((k) => [`f:${k}`, {}])), "f:type": {} }, manager: "kubectl-client-side-apply", operation: "Update", time: "2026-01-05T09:30:00Z" }],
    },
    data,
  };
}

export function service(name: string, opts: { clusterIP?: string; nodePort?: number; ports?: Array<{ name: string; port: number; targetPort: number | string }> } = {}): KubeObject {
  const ports = (opts.ports ?? [{ name: "http", port: 80, targetPort: "http" }]).map((p) => ({ ...p, protocol: "TCP", nodePort: opts.nodePort ?? 31080 }));
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: "shop", labels: { app: name } },
    spec: {
      type: "LoadBalancer",
      selector: { app: name },
      ports,
      clusterIP: opts.clusterIP ?? "10.96.12.7",
      clusterIPs: [opts.clusterIP ?? "10.96.12.7"],
      externalTrafficPolicy: "Cluster",
      internalTrafficPolicy: "Cluster",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      sessionAffinity: "None",
      allocateLoadBalancerNodePorts: true,
    },
    status: { loadBalancer: { ingress: [{ hostname: `${name}-1234.elb.amazonaws.com` }] } },
  };
}

export function ingress(name: string, hosts: string[], secretName = `${name}-tls`): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace: "shop", annotations: { "nginx.ingress.kubernetes.io/ssl-redirect": "true" } },
    spec: {
      ingressClassName: "nginx",
      rules: hosts.map((host) => ({ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { number: 80 } } } }] } })),
      tls: [{ hosts, secretName }],
    },
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  };
}

export function hpa(name: string, opts: { min?: number; max?: number; cpu?: number } = {}): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name, namespace: "shop" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: opts.min ?? 3,
      maxReplicas: opts.max ?? 30,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: opts.cpu ?? 70 } } }],
    },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 41, averageValue: "103m" } } }] },
  };
}

export function pdb(name: string, minAvailable: number | string = 2): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: "shop" },
    spec: { minAvailable, selector: { matchLabels: { app: name } } },
    status: { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 },
  };
}

export function statefulSet(name: string, opts: DeploymentOpts & { storage?: string } = {}): KubeObject {
  const d = realisticDeployment(name, opts);
  const spec = d.spec as Record<string, unknown>;
  const { strategy: _s, progressDeadlineSeconds: _p, ...rest } = spec;
  return {
    ...d,
    kind: "StatefulSet",
    metadata: { ...d.metadata, annotations: {} },
    spec: {
      ...rest,
      serviceName: name,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      volumeClaimTemplates: [
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: "data", creationTimestamp: null },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: opts.storage ?? "100Gi" } }, volumeMode: "Filesystem" },
          status: { phase: "Pending" },
        },
      ],
    },
  };
}
