// The objects of `standby demo`'s two Kubernetes clusters (namespace shop), shaped like a real API
// server's (kubectl get -o json after kubectl apply: managedFields, the last-applied annotation,
// defaulted fields, status). The standby drifted: an older image and pods not available on the
// API, fewer and smaller workers, a batch job never deployed, a debug log level, another database
// password, a lower autoscaling ceiling. Registry hosts and URLs differ by region, as expected.
import type { KubeObject } from "../probes/kubernetes/types.js";

export type DemoSide = "primary" | "standby";

const NS = "shop";
const T = "2026-11-02T08:15:00Z";
const PART_OF = { "app.kubernetes.io/part-of": "orders" };

interface Workload {
  name: string;
  image: string;
  replicas: number;
  available: number;
  cpu: string;
  memory: string;
}

/** kubectl's client-side apply leaves the applied object in an annotation and its fields in managedFields. */
function applied(obj: Record<string, unknown>): Record<string, unknown> {
  return {
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(obj)}\n` },
    managedFields: [{ apiVersion: String(obj.apiVersion), fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {} } }, "f:spec": {} }, manager: "kubectl-client-side-apply", operation: "Update", time: T }],
  };
}

function deployment(w: Workload): KubeObject {
  const labels = { app: w.name, ...PART_OF };
  const container = {
    name: w.name,
    image: w.image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
    env: [{ name: "CONFIG_MAP", value: "orders-config" }],
    envFrom: [{ configMapRef: { name: "orders-config" } }, { secretRef: { name: "orders-db" } }],
    resources: { requests: { cpu: w.cpu, memory: w.memory }, limits: { memory: w.memory } },
    readinessProbe: { httpGet: { path: "/healthz", port: "http", scheme: "HTTP" }, failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
  const spec = { replicas: w.replicas, selector: { matchLabels: { app: w.name } }, template: { metadata: { labels }, spec: { containers: [container] } } };
  const meta = applied({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: w.name, namespace: NS, labels }, spec });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: w.name, namespace: NS, labels, generation: 7, ...meta, annotations: { "deployment.kubernetes.io/revision": "7", ...(meta.annotations as object) } },
    spec: {
      ...spec,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [container], dnsPolicy: "ClusterFirst", restartPolicy: "Always", schedulerName: "default-scheduler", securityContext: {}, terminationGracePeriodSeconds: 30 } },
    },
    status: {
      ...(w.available > 0 ? { availableReplicas: w.available, readyReplicas: w.available } : {}),
      observedGeneration: 7,
      replicas: w.replicas,
      updatedReplicas: w.replicas,
      conditions: [{ lastTransitionTime: T, lastUpdateTime: T, message: w.available >= w.replicas ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", reason: w.available >= w.replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", status: w.available >= w.replicas ? "True" : "False", type: "Available" }],
    },
  };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export function demoObjects(side: DemoSide): KubeObject[] {
  const region = side === "primary" ? "us-east-1" : "us-west-2";
  const registry = `registry.${region}.demo.test`;
  const p = side === "primary";
  const objects: KubeObject[] = [
    deployment({ name: "orders-api", image: `${registry}/orders-api:${p ? "2.8.0" : "2.7.3"}`, replicas: 6, available: p ? 6 : 2, cpu: "500m", memory: "512Mi" }),
    deployment({ name: "orders-worker", image: `${registry}/orders-worker:2.8.0`, replicas: p ? 4 : 2, available: p ? 4 : 2, cpu: p ? "1" : "250m", memory: "1Gi" }),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "orders-config", namespace: NS, labels: PART_OF, ...applied({ apiVersion: "v1", kind: "ConfigMap" }) },
      data: { API_URL: `https://api.${region}.demo.test`, LOG_LEVEL: p ? "info" : "debug", QUEUE_URL: `https://sqs.${region}.amazonaws.com/111111111111/orders` },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      // The last-applied annotation of a Secret holds its values in clear, as on a real cluster.
      metadata: { name: "orders-db", namespace: NS, labels: PART_OF, ...applied({ apiVersion: "v1", kind: "Secret", data: { DB_PASSWORD: b64(p ? "demo-primary-pw" : "demo-standby-pw") } }) },
      data: { DB_USER: b64("orders"), DB_PASSWORD: b64(p ? "demo-primary-pw" : "demo-standby-pw") },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "orders-api", namespace: NS, labels: PART_OF },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-api" }, minReplicas: 6, maxReplicas: p ? 30 : 12, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] },
      status: { currentReplicas: 6, desiredReplicas: 6 },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "orders", namespace: NS, labels: PART_OF, annotations: { "nginx.ingress.kubernetes.io/ssl-redirect": "true" } },
      spec: { ingressClassName: "nginx", rules: [{ host: "orders.demo.test", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "orders-api", port: { number: 80 } } } }] } }], tls: [{ hosts: ["orders.demo.test"], secretName: "orders-tls" }] },
      status: { loadBalancer: { ingress: [{ ip: p ? "198.51.100.10" : "203.0.113.10" }] } },
    },
  ];
  if (p) objects.push(deployment({ name: "orders-batch", image: `${registry}/orders-batch:2.8.0`, replicas: 1, available: 1, cpu: "250m", memory: "256Mi" }));
  return objects;
}
