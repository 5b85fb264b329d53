// v1 Service: where clients connect and which pods answer.
import type { RulePack } from "./types.js";

const ALLOCATED = "allocated by each cluster";

export const k8sService: RulePack = {
  resourceType: "v1 Service",
  keys: { "spec.ports": "port" },
  rules: [
    { path: "spec.ports.nodePort", kind: "ignore", reason: ALLOCATED },
    { path: "spec.ports", kind: "match", reason: "clients connect to these ports; a missing or different one breaks them after failover" },
    { path: "spec.type", kind: "match", reason: "decides whether the service is reachable from outside the cluster" },
    { path: "spec.selector", kind: "match", reason: "the service must route to the same pods" },
    { path: "spec.sessionAffinity", kind: "match", reason: "clients relying on sticky sessions break without it" },
    { path: "spec.externalTrafficPolicy", kind: "match", reason: "decides whether client addresses are kept and how traffic spreads over nodes" },
    { path: "spec.internalTrafficPolicy", kind: "match", reason: "decides whether in-cluster traffic stays on the node" },
    { path: "spec.clusterIP", kind: "ignore", reason: ALLOCATED },
    { path: "spec.clusterIPs", kind: "ignore", reason: ALLOCATED },
    { path: "spec.healthCheckNodePort", kind: "ignore", reason: ALLOCATED },
    { path: "spec.loadBalancerIP", kind: "ignore", reason: "addresses differ per region" },
    { path: "spec.ipFamilies", kind: "info", reason: "follows each cluster's network setup" },
    { path: "spec.ipFamilyPolicy", kind: "info", reason: "follows each cluster's network setup" },
  ],
};
