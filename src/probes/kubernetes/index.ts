// The Kubernetes probe shared by config-drift's `kubernetes` source and tls-certificate's Secret
// sides: options, one side's cluster (kubeconfig + context through @kubernetes/client-node, loaded
// lazily on the first open; requests on node:https with the check's signal, a timeout and a byte
// cap), and the config-time context check. Importing this module never loads the client.
export { kubeConnectionShape, type KubeConnection } from "./options.js";
export type { KubeCluster, KubeObject } from "./types.js";
export { openCluster } from "./cluster.js";
