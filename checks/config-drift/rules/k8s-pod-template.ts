// The pod template shared by the Deployment and StatefulSet packs (`spec.template`): what the
// standby's pods run, with what resources, environment and probes.
import type { PackRule } from "./types.js";

const CONTAINER_LISTS = ["spec.template.spec.containers", "spec.template.spec.initContainers"];

export const POD_TEMPLATE_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  CONTAINER_LISTS.flatMap((c) => [
    [c, "name"],
    [`${c}.env`, "name"],
    [`${c}.ports`, "containerPort"],
    [`${c}.volumeMounts`, "mountPath"],
  ]).concat([
    ["spec.template.spec.volumes", "name"],
    ["spec.template.spec.imagePullSecrets", "name"],
  ]),
);

const containerRules = (c: string): PackRule[] => [
  { path: `${c}.image`, kind: "match", reason: "the standby must run the same image (compared after side-var substitution: registries often differ per region)" },
  { path: `${c}.resources.requests`, kind: "atLeast", reason: "the standby's pods must be scheduled with at least the primary's CPU and memory" },
  { path: `${c}.resources.limits`, kind: "atLeast", reason: "a lower limit throttles or OOM-kills the standby under the primary's load" },
  { path: `${c}.env.value`, kind: "info", reason: "values often differ per cluster (endpoints); the names must match" },
  { path: `${c}.env.valueFrom`, kind: "info", reason: "sources often differ per cluster; the names must match" },
  { path: `${c}.env`, kind: "match", reason: "the standby's containers must get the same environment variables" },
  { path: `${c}.envFrom`, kind: "match", reason: "the same ConfigMaps and Secrets must feed the environment (names after side-var substitution)" },
  { path: `${c}.livenessProbe`, kind: "match", reason: "a different liveness probe restarts pods the primary keeps" },
  { path: `${c}.readinessProbe`, kind: "match", reason: "a different readiness probe sends or withholds traffic unlike the primary" },
  { path: `${c}.startupProbe`, kind: "match", reason: "a different startup probe kills slow-starting pods the primary keeps" },
  { path: `${c}.command`, kind: "match", reason: "the standby must start the same process" },
  { path: `${c}.args`, kind: "match", reason: "the standby must start the same process" },
  { path: `${c}.imagePullPolicy`, kind: "info", reason: "decides when images are pulled, not what runs" },
];

export const POD_TEMPLATE_RULES: readonly PackRule[] = [
  { path: "spec.template.metadata.annotations.*restartedAt", kind: "ignore", reason: "kubectl rollout restart stamps the time of the last restart" },
  { path: "spec.template.metadata.annotations", kind: "info", reason: "pod annotations are mostly tooling metadata" },
  { path: "spec.template.metadata.labels", kind: "match", reason: "selectors and services find the pods by these labels" },
  ...CONTAINER_LISTS.flatMap(containerRules),
  { path: "spec.template.spec.serviceAccountName", kind: "match", reason: "the pods' API and cloud permissions come from their service account" },
  { path: "spec.template.spec.volumes", kind: "match", reason: "the pods must mount the same volumes (ConfigMap and Secret names after side-var substitution)" },
  { path: "spec.template.spec.terminationGracePeriodSeconds", kind: "match", reason: "a shorter grace period cuts requests the primary drains" },
  { path: "spec.template.spec.nodeSelector", kind: "info", reason: "node labels often differ between clusters" },
  { path: "spec.template.spec.affinity", kind: "info", reason: "node and zone names often differ between clusters" },
  { path: "spec.template.spec.tolerations", kind: "info", reason: "node taints often differ between clusters" },
  { path: "spec.template.spec.topologySpreadConstraints", kind: "info", reason: "zones differ between clusters" },
];
