// The Kubernetes probe shared by config-drift's `kubernetes` source and tls-certificate's Secret
// sides: options, one side's cluster (kubeconfig + context through @kubernetes/client-node, loaded
// lazily on the first open; requests on node:https with the check's signal, a timeout and a byte
// cap), and the config-time context check. Importing this module never loads the client.
export { kubeConnectionShape, type KubeConnection } from "./options.js";
export type { KubeCluster, KubeObject } from "./types.js";
export { MAX_REPLY_BYTES, openCluster, PAGE_LIMIT, type OpenOptions } from "./cluster.js";
/** Wrap a source's finished object schema (after any .refine) so validate and untrusted mode see its context. */
export { tagKubeConnection } from "./kube-reach.js";
export { IN_CLUSTER_CONTEXT, kubeContextProblem } from "./kubeconfig-file.js";
export { describeTlsSecret, readTlsSecretChain, TLS_SECRET_TYPE } from "./tls-secret.js";
