// Options of an AWS FIS reader: how to reach FIS (region, credentials, endpoints, retries: the
// same access options as every AWS source) and which experiment templates count: by id or by
// template tags. Plain zod, no SDK: the SDK loads only when experiments are read.
import { z } from "zod";
import { awsAccessShape } from "../aws/options.js";

/** FIS's ExperimentTemplateId: non-space characters, at most 64. */
const templateId = z.string().regex(/^\S{1,64}$/, "expected an FIS experiment template id like EXT1a2b3c4d5e6f7");

export const awsFisSchema = z
  .strictObject({
    ...awsAccessShape("FIS", "FIS experiments are read"),
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
