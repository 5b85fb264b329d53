// apps/v1 Deployment: the pod template (k8s-pod-template.ts), capacity and rollout; readiness
// reads status.availableReplicas beside the configuration.
import { POD_TEMPLATE_KEYS, POD_TEMPLATE_RULES } from "./k8s-pod-template.js";
import type { RulePack } from "./types.js";

export const k8sDeployment: RulePack = {
  resourceType: "apps/v1 Deployment",
  keys: POD_TEMPLATE_KEYS,
  readiness: { desired: "spec.replicas", available: "status.availableReplicas" },
  rules: [
    { path: "spec.replicas", kind: "atLeast", reason: "the standby must run at least as many pods as the primary" },
    { path: "spec.selector", kind: "match", reason: "the selector decides which pods the Deployment manages" },
    { path: "spec.strategy", kind: "match", reason: "a different rollout strategy changes availability during deploys" },
    { path: "spec.minReadySeconds", kind: "match", reason: "decides when a new pod counts as available" },
    { path: "spec.paused", kind: "match", reason: "a paused standby rollout never picks up new versions" },
    { path: "spec.revisionHistoryLimit", kind: "info", reason: "rollback history only" },
    { path: "spec.progressDeadlineSeconds", kind: "info", reason: "when a stuck rollout is reported, not how pods run" },
    { path: "metadata.annotations.deployment*revision", kind: "ignore", reason: "deployment.kubernetes.io/revision counts the rollouts of each side" },
    ...POD_TEMPLATE_RULES,
  ],
};
