// How one side's Kubernetes cluster is reached: a kubeconfig context (and file), a namespace.
// Plain zod, no client: @kubernetes/client-node loads only when a side is read (client.ts).
import { z } from "zod";
import { fileOption } from "../../options/reach.js";

/** A namespace is a DNS label (RFC 1123), as the API server requires. */
export const NAMESPACE_RE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What any kind's object name may hold, loosely (RBAC names have ':' and '@'); never a path ('..', 'a/b'). */
export const OBJECT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$/;

/** Spread into a source's strictObject; wrap the finished object in tagKubeConnection() (kube-reach.ts) so validate checks the context. */
export const kubeConnectionShape = {
  context: z.string().min(1).describe("kubeconfig context"),
  kubeconfig: fileOption().optional().describe("kubeconfig file; default KUBECONFIG / ~/.kube/config / in-cluster"),
  namespace: z
    .string()
    .regex(NAMESPACE_RE, "expected a namespace name: lowercase letters, digits and '-', at most 63 characters")
    .optional()
    .describe("namespace; default the context's namespace, else default"),
};

export type KubeConnection = { context: string; kubeconfig?: string | undefined; namespace?: string | undefined };
