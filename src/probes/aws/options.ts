// How one side reaches an AWS service: region, credentials (profile, role), endpoints, retries.
// Plain zod, no SDK: the SDK loads only when a side is read. Each service's options spread this.
import { z } from "zod";
import { positiveDuration } from "../../core/duration.js";
import { httpUrlOption } from "../../options/reach.js";

const nonEmpty = z.string().min(1);

export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The access fields, described for `service` ("AWS Config") whose `regionHolds` ("recorder holds this side"). */
export function awsAccessShape(service: string, regionHolds: string) {
  return {
    region: z.string().regex(REGION_RE, "expected an AWS region like us-east-1").describe(`Region whose ${regionHolds}`),
    profile: nonEmpty.optional().describe("Shared config/credentials profile (default: the SDK's default provider chain)"),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN like arn:aws:iam::111111111111:role/standby-reader")
      .optional()
      .describe("Role to assume for this side (sts:AssumeRole), from the profile's or the default credentials"),
    externalId: nonEmpty.optional().describe("ExternalId for the assume-role call"),
    endpoint: httpUrlOption().optional().describe(`${service} endpoint (VPC endpoint, tests); default: the region's`),
    stsEndpoint: httpUrlOption().optional().describe("STS endpoint for roleArn (VPC endpoint, tests); default: the region's"),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe("Attempts per request (adaptive retry shared by the scan's AWS checks: throttling and 5xx are retried)"),
    requestTimeout: positiveDuration.optional().describe("Per-request timeout; default: half the check's timeout (at least 1s)"),
  };
}

/** What the pool needs of a side's options (any service's). */
export interface AwsAccess {
  region: string;
  profile?: string | undefined;
  roleArn?: string | undefined;
  externalId?: string | undefined;
  endpoint?: string | undefined;
  stsEndpoint?: string | undefined;
  maxAttempts: number;
  requestTimeout?: number | undefined;
}
