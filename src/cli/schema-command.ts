import { configJsonSchema } from "../config/json-schema.js";
import { EXIT } from "../core/exit-codes.js";

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return EXIT.OK;
}
