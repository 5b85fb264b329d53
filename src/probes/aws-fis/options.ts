// Options of an AWS FIS reader: how to reach FIS (the AWS Config connection's credentials,
// endpoints and retries) and which experiment templates count: by id or by template tags.
// Plain zod, no SDK: the SDK loads only when experiments are read.
import { z } from "zod";
import { awsConnectionShape } from "../aws-config/options.js";

const { region, profile, roleArn, externalId, endpoint, stsEndpoint, maxAttempts, requestTimeout } = awsConnectionShape;

/** FIS's ExperimentTemplateId: non-space characters, at most 64. */
const templateId = z.string().regex(/^\S{1,64}$/, "expected an FIS experiment template id like EXT1a2b3c4d5e6f7");

export const awsFisSchema = z
  .strictObject({
    region: region.describe("Region whose FIS experiments are read"),
    profile,
    roleArn,
    externalId,
    endpoint: endpoint.describe("FIS endpoint (VPC endpoint, tests); default: the region's"),
    stsEndpoint,
    maxAttempts,
    requestTimeout,
    experimentTemplateId: z
      .union([templateId, z.array(templateId).min(1).max(50)])
      .optional()
      .describe("The drill's experiment template id(s): an experiment of any of them counts"),
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .refine((t) => Object.keys(t).length > 0, "expected at least one tag")
      .optional()
      .describe("Select the templates carrying all of these tags (ListExperimentTemplates)"),
  })
  .refine((s) => (s.experimentTemplateId === undefined) !== (s.tags === undefined), {
    message: "expected exactly one of experimentTemplateId (the drill's template ids) or tags (select templates by tag)",
  });

export type AwsFisSource = z.output<typeof awsFisSchema>;
