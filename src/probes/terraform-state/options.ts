// Options of a Terraform state source: where the state lives (exactly one of file, url, s3) and
// which resources of it to compare. Plain zod, no SDK: @aws-sdk/client-s3 loads only when an
// s3 side is read.
import { z } from "zod";
import { positiveDuration } from "../../core/duration.js";
import { fileOption, httpUrlOption } from "../../options/reach.js";
import { awsConnectionShape } from "../aws-config/options.js";
import { describeUrl } from "../http.js";

const nonEmpty = z.string().min(1);
const oneOrMore = z.union([nonEmpty, z.array(nonEmpty).min(1)]);

/** The AWS connection options that apply to S3 (the AWS Config source's, same credential rules). */
const { profile, roleArn, externalId, stsEndpoint, maxAttempts, requestTimeout } = awsConnectionShape;

export const s3StateSchema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
  key: nonEmpty.describe("Object key of the state, as the backend's `key` (with workspace_key_prefix/<workspace>/ for a non-default workspace)"),
  region: awsConnectionShape.region.describe("Region of the bucket"),
  profile,
  roleArn,
  externalId,
  endpoint: httpUrlOption().optional().describe("S3 endpoint (VPC endpoint, S3-compatible store, tests); path-style addressing when set"),
  stsEndpoint,
  maxAttempts,
  requestTimeout,
});

export const terraformStateSchema = z
  .strictObject({
    file: fileOption().optional().describe("State file (terraform.tfstate, or the JSON of `terraform show -json`), relative to the config file"),
    url: httpUrlOption().optional().describe("HTTP backend address (GET returns the state)"),
    headers: z.record(z.string(), z.string()).optional().describe("Request headers for url; use ${env:NAME} for tokens"),
    s3: s3StateSchema.optional().describe("State object in S3 (the s3 backend)"),
    address: oneOrMore.optional().describe("Resource address glob(s): `*` within one dot-separated part, `**` across parts (module.app.aws_lb.*)"),
    type: oneOrMore.optional().describe("Resource type(s): aws_autoscaling_group"),
    dataSources: z.boolean().default(false).describe("Also compare data sources (data.*); they are read, not managed"),
    maxAge: positiveDuration.optional().describe("Warn when the state was last written longer ago (S3 LastModified, HTTP Last-Modified or file mtime)"),
  })
  .superRefine((s, ctx) => {
    const where = (["file", "url", "s3"] as const).filter((k) => s[k] !== undefined);
    if (where.length !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of file, url or s3${where.length > 1 ? `, got ${where.join(" and ")}` : ""}` });
    }
    if (s.headers && s.url === undefined) ctx.addIssue({ code: "custom", path: ["headers"], message: "headers apply to url only" });
  });

export type TerraformStateSource = z.output<typeof terraformStateSchema>;
export type S3StateLocation = z.output<typeof s3StateSchema>;

export const terraformStateSourceSchema = z.strictObject({
  terraformState: terraformStateSchema.describe("Resources of a Terraform (or OpenTofu) state"),
});

/** How messages name a state: its file, its URL (no query), or s3://bucket/key. */
export function stateLocation(src: TerraformStateSource): string {
  if (src.s3) return `s3://${src.s3.bucket}/${src.s3.key}`;
  if (src.url !== undefined) return describeUrl(src.url);
  return src.file ?? "(no state)";
}
