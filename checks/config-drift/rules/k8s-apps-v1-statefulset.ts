// apps/v1 StatefulSet: the pod template (k8s-pod-template.ts), capacity, storage and update
// policy; readiness reads status.availableReplicas beside the configuration.
import { POD_TEMPLATE_KEYS, POD_TEMPLATE_RULES } from "./k8s-pod-template.js";
import type { RulePack } from "./types.js";

export const k8sStatefulSet: RulePack = {
  resourceType: "apps/v1 StatefulSet",
  keys: POD_TEMPLATE_KEYS,
  readiness: { desired: "spec.replicas", available: "status.availableReplicas" },
  rules: [
    { path: "spec.replicas", kind: "atLeast", reason: "the standby must run at least as many pods as the primary" },
    { path: "spec.selector", kind: "match", reason: "the selector decides which pods the StatefulSet manages" },
    { path: "spec.serviceName", kind: "match", reason: "the governing service gives the pods their stable DNS names" },
    { path: "spec.podManagementPolicy", kind: "match", reason: "ordered or parallel start changes how fast the standby comes up" },
    { path: "spec.updateStrategy", kind: "match", reason: "a different update strategy changes availability during deploys" },
    { path: "spec.minReadySeconds", kind: "match", reason: "decides when a new pod counts as available" },
    { path: "spec.persistentVolumeClaimRetentionPolicy", kind: "match", reason: "decides whether data survives scaling down or deletion" },
    { path: "spec.ordinals", kind: "match", reason: "pod names (and so their volumes) follow the ordinals" },
    { path: "spec.volumeClaimTemplates.spec.resources.requests.storage", kind: "atLeast", reason: "the standby's volumes must hold at least as much data" },
    { path: "spec.volumeClaimTemplates.spec.storageClassName", kind: "info", reason: "storage class names often differ between clusters" },
    { path: "spec.volumeClaimTemplates.status", kind: "ignore", reason: "claim templates carry an empty status" },
    { path: "spec.volumeClaimTemplates.metadata.creationTimestamp", kind: "ignore", reason: "claim templates carry an empty timestamp" },
    { path: "spec.revisionHistoryLimit", kind: "info", reason: "rollback history only" },
    ...POD_TEMPLATE_RULES,
  ],
};
