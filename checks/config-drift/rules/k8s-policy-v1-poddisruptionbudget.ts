// policy/v1 PodDisruptionBudget: how many pods voluntary disruptions (drains, upgrades) may take.
import type { RulePack } from "./types.js";

export const k8sPodDisruptionBudget: RulePack = {
  resourceType: "policy/v1 PodDisruptionBudget",
  rules: [
    { path: "spec.minAvailable", kind: "match", reason: "a different budget lets a drain take down more (or block on fewer) pods" },
    { path: "spec.maxUnavailable", kind: "match", reason: "a different budget lets a drain take down more (or block on fewer) pods" },
    { path: "spec.selector", kind: "match", reason: "the budget must protect the same pods" },
    { path: "spec.unhealthyPodEvictionPolicy", kind: "match", reason: "decides whether unhealthy pods can be evicted past the budget" },
  ],
};
