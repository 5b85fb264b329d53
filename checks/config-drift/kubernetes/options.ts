// The `kubernetes` source of config-drift: one side's objects of one kind, by name or by label
// selector, read through the Kubernetes probe (src/probes/kubernetes/). Plain zod, no client.
import { z } from "zod";
import { tagKubeConnection } from "../../../src/probes/kubernetes/kube-reach.js";
import { kubeConnectionShape } from "../../../src/probes/kubernetes/options.js";

// Tagged with its kube-context reach: `standby validate` reports an unknown context or a missing
// kubeconfig at the option's line, and untrusted-config mode applies its limits.
export const kubernetesSelectionSchema = tagKubeConnection(
  z
    .strictObject({
      ...kubeConnectionShape,
      apiVersion: z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/, 'expected an apiVersion like "apps/v1" or "v1"').describe('The kind\'s apiVersion: "apps/v1", "v1", "networking.k8s.io/v1"'),
      kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "expected a kind like Deployment (as in the object's `kind`)").describe("Deployment, StatefulSet, ConfigMap..."),
      name: z.string().min(1).optional().describe("One object by name (a 404 is a missing object)"),
      selector: z.string().min(1).optional().describe("Label selector: every object matching it, paired by name (`app=orders,tier in (web,api)`)"),
    })
    .superRefine((o, zctx) => {
      if ((o.name === undefined) === (o.selector === undefined)) {
        zctx.addIssue({ code: "custom", path: [], message: "expected exactly one of name (one object) or selector (objects paired by name)" });
      }
    }),
);

export const kubernetesSourceSchema = z.strictObject({
  kubernetes: kubernetesSelectionSchema.describe("Objects of one kind from a cluster: { context, kubeconfig?, namespace?, apiVersion, kind, name | selector }"),
});

export type KubernetesSource = z.output<typeof kubernetesSelectionSchema>;

/** `apps/v1 Deployment`: how findings, packs and the evidence name a kind. */
export const kindName = (src: Pick<KubernetesSource, "apiVersion" | "kind">): string => `${src.apiVersion} ${src.kind}`;
