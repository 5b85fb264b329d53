// autoscaling/v2 HorizontalPodAutoscaler: how far and on what the standby scales.
import type { RulePack } from "./types.js";

export const k8sHorizontalPodAutoscaler: RulePack = {
  resourceType: "autoscaling/v2 HorizontalPodAutoscaler",
  rules: [
    { path: "spec.maxReplicas", kind: "atLeast", reason: "the standby must be allowed to scale as far as the primary" },
    { path: "spec.minReplicas", kind: "atLeast", reason: "the standby must keep at least the primary's floor of pods warm" },
    { path: "spec.metrics", kind: "match", reason: "the standby must scale on the same signals and targets" },
    { path: "spec.behavior", kind: "match", reason: "scaling speed decides how fast the standby absorbs the failed-over load" },
    { path: "spec.scaleTargetRef", kind: "match", reason: "it must scale the same workload (name after side-var substitution)" },
  ],
};
