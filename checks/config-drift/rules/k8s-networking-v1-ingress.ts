// networking.k8s.io/v1 Ingress: which hosts and paths the standby serves, and over TLS.
import type { RulePack } from "./types.js";

export const k8sIngress: RulePack = {
  resourceType: "networking.k8s.io/v1 Ingress",
  keys: { "spec.rules": "host" },
  rules: [
    { path: "spec.rules", kind: "match", reason: "the standby must route the same hosts and paths to the same services (after side-var substitution)" },
    { path: "spec.tls.hosts", kind: "match", reason: "the standby must serve TLS for the same hosts" },
    { path: "spec.tls.secretName", kind: "match", reason: "the certificate comes from this Secret (name after side-var substitution)" },
    { path: "spec.ingressClassName", kind: "match", reason: "another ingress controller (or none) would serve it" },
    { path: "spec.defaultBackend", kind: "match", reason: "requests no rule matches go there" },
    { path: "metadata.annotations", kind: "match", reason: "ingress controllers read their settings (redirects, timeouts, body size) from annotations" },
  ],
};
