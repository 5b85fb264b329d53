// JSON Schema of standby.yml for editor completion: the config schema with each kind's options.
import { z } from "zod";
import { allKinds } from "../../checks/registry.js";
import { checkBaseSchema, configSchema, serviceSchema } from "./schema.js";

export function configJsonSchema(): unknown {
  const variants = allKinds().map((def) =>
    z.strictObject({ ...checkBaseSchema.shape, ...def.options.shape, kind: z.literal(def.meta.kind).describe(def.meta.description) }),
  );
  const check = variants.length === 1 ? variants[0]! : z.discriminatedUnion("kind", variants as unknown as [z.ZodObject, z.ZodObject]);
  const full = configSchema.extend({ services: z.array(serviceSchema.extend({ checks: z.array(check).min(1) })).min(1) });
  return {
    ...z.toJSONSchema(full, { io: "input", unrepresentable: "any", target: "draft-2020-12" }),
    $id: "https://standby.dev/schema/standby.schema.json",
    title: "standby.yml",
  };
}
