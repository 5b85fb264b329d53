// Objects shaped like a real API server's (kubectl get -o json of objects created with kubectl
// apply): metadata with managedFields, the last-applied annotation, status, defaulted fields.
// The loopback server (src/demo/kube-api-server.ts) adds uid, resourceVersion, creationTimestamp.
import type { KubeObject } from "../../src/probes/kubernetes/types.js";

const T = "2026-01-05T09:30:00Z";

export interface DeploymentOpts {
  namespace?: string;
  replicas?: number;
  available?: number;
  image?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
}

function managed(manager: string, operation: "Update" | "Apply", fields: Record<string, unknown>, subresource?: string): Record<string, unknown> {
  return { apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: fields, manager, operation, ...(subresource ? { subresource } : {}), time: T };
}

export function realisticDeployment(name: string, opts: DeploymentOpts = {}): KubeObject {
  const labels = opts.labels ?? { app: name };
  const replicas = opts.replicas ?? 3;
  const available = opts.available ?? replicas;
  const container = {
    name,
    image: opts.image ?? `registry.example.com/${name}:1.4.2`,
    imagePullPolicy: "IfNotPresent",
    ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
    env: [{ name: "LOG_LEVEL", value: "info" }],
    resources: { requests: { cpu: opts.cpu ?? "250m", memory: opts.memory ?? "256Mi" }, limits: { memory: opts.memory ?? "256Mi" } },
    readinessProbe: { httpGet: { path: "/healthz", port: "http", scheme: "HTTP" }, failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
  const applied = { apiVersion: "apps/v1", kind: "Deployment", metadata: { annotations: {}, labels, name, namespace: opts.namespace ?? "shop" }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: container.image }] } } } };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: opts.namespace ?? "shop",
      labels,
      annotations: { "deployment.kubernetes.io/revision": "4", "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(applied)}\n` },
      generation: 4,
      managedFields: [
        managed("kubectl-client-side-apply", "Update", { "f:metadata": { "f:annotations": { ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {} }, "f:labels": { ".": {}, "f:app": {} } }, "f:spec": { "f:replicas": {}, "f:selector": {}, "f:template": {} } }),
        managed("kube-controller-manager", "Update", { "f:metadata": { "f:annotations": { "f:deployment.kubernetes.io/revision": {} } }, "f:status": { "f:availableReplicas": {}, "f:conditions": {}, "f:observedGeneration": {}, "f:readyReplicas": {}, "f:replicas": {}, "f:updatedReplicas": {} } }, "status"),
      ],
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" },
      template: {
        metadata: { creationTimestamp: null, labels },
        spec: { containers: [container], dnsPolicy: "ClusterFirst", restartPolicy: "Always", schedulerName: "default-scheduler", securityContext: {}, terminationGracePeriodSeconds: 30 },
      },
    },
    status: {
      availableReplicas: available,
      conditions: [
        { lastTransitionTime: T, lastUpdateTime: T, message: "Deployment has minimum availability.", reason: "MinimumReplicasAvailable", status: "True", type: "Available" },
        { lastTransitionTime: T, lastUpdateTime: T, message: `ReplicaSet "${name}-7c9f8d5b6d" has successfully progressed.`, reason: "NewReplicaSetAvailable", status: "True", type: "Progressing" },
      ],
      observedGeneration: 4,
      readyReplicas: available,
      replicas,
      updatedReplicas: replicas,
    },
  };
}

export function realisticConfigMap(name: string, data: Record<string, string>, namespace = "shop", labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels, managedFields: [{ apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": Object.fromEntries(Object.keys(data).map((k) => [`f:${k}`, {}])) }, manager: "kubectl-create", operation: "Update", time: T }] }, data };
}

/** A kubernetes.io/tls Secret as cert-manager writes it: tls.crt (the chain), tls.key, ca.crt. */
export function realisticTlsSecret(name: string, certPem: string, keyPem: string, namespace = "shop", type = "kubernetes.io/tls"): KubeObject {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    type,
    metadata: { name, namespace, annotations: { "cert-manager.io/certificate-name": name, "cert-manager.io/issuer-name": "letsencrypt" }, labels: { "controller.cert-manager.io/fao": "true" } },
    data: { "tls.crt": b64(certPem), "tls.key": b64(keyPem), "ca.crt": "" },
  };
}
