// Options of the tls-certificate kind. A side is a live endpoint, PEM file(s) or a Kubernetes TLS
// Secret, told apart by key (host / pemFile / kubernetes); each is a strict object so a typo is a
// config error, not a silent default.
import { isIP } from "node:net";
import { z } from "zod";
import { duration } from "../../src/core/duration.js";
import { expiryOptions, fileOption } from "../../src/kit/index.js";
import { endpointReach, tagReachOf } from "../../src/options/reach.js";
import { kubeConnectionShape, OBJECT_NAME_RE } from "../../src/probes/kubernetes/options.js";
import { tagKubeConnection } from "../../src/probes/kubernetes/kube-reach.js";

const caFile = fileOption().optional().describe("PEM bundle of trust anchors replacing the system roots");

export const endpointSchema = tagReachOf(
  z.strictObject({
    host: z.string().min(1).describe("DNS name (or IP address) of the endpoint"),
    port: z.number().int().min(1).max(65535).default(443).describe("TCP port"),
    servername: z.string().min(1).optional().describe("SNI name and the name the certificate must cover; default host"),
    caFile,
    addresses: z
      .array(z.string().refine((a) => isIP(a) !== 0, "expected an IPv4 or IPv6 address"))
      .min(1)
      .optional()
      .describe("Connect to these addresses instead of resolving host (like curl --resolve)"),
  }),
  // Connected to: host on port, or each of addresses on port instead.
  endpointReach("host", "port", ["addresses"], 443),
);

export const pemSchema = z.strictObject({
  pemFile: fileOption().describe("PEM file with one or more certificates, leaf first"),
  name: z.string().min(1).optional().describe("DNS name (or IP) the leaf must cover; unchecked when absent"),
  caFile,
});

export const kubeSecretSchema = z.strictObject({
  kubernetes: tagKubeConnection(
    z.strictObject({
      ...kubeConnectionShape,
      secret: z.string().regex(OBJECT_NAME_RE, "expected a Secret name like web-tls").describe("Name of the kubernetes.io/tls Secret; its tls.crt (the whole chain, leaf first) is judged"),
    }),
  ).describe("A kubernetes.io/tls Secret read from the cluster of a kubeconfig context: { context, kubeconfig, namespace, secret }"),
  name: z.string().min(1).optional().describe("DNS name (or IP) the leaf must cover; unchecked when absent"),
  caFile,
});

export const sideSchema = z.union([endpointSchema, pemSchema, kubeSecretSchema]);
export type SideSpec = z.output<typeof sideSchema>;
export type EndpointSpec = z.output<typeof endpointSchema>;
export type PemSpec = z.output<typeof pemSchema>;
export type KubeSecretSpec = z.output<typeof kubeSecretSchema>;

export const optionsSchema = z.object({
  primary: sideSchema.describe("Primary side: { host, port, servername, caFile, addresses }, { pemFile, name, caFile } or { kubernetes: { context, kubeconfig, namespace, secret }, name, caFile }"),
  standby: sideSchema.describe("Standby side, same shapes as primary"),
  ...expiryOptions({ warn: "28d", fail: "14d" }, "the earliest certificate"),
  parityWarn: duration.prefault("30d").describe("Warn when the standby expires this much sooner than the primary"),
  parityWithin: duration
    .prefault("90d")
    .describe("...but only when the standby's earliest expiry is within this horizon (far-off expiries differ harmlessly)"),
  nameParity: z
    .enum(["fail", "warn", "off"])
    .default("fail")
    .describe("Level of the finding when the standby's certificate misses a name the primary's covers (after side-var substitution)"),
});
export type Options = z.output<typeof optionsSchema>;
