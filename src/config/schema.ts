// The one zod schema of standby.yml. Each check's own options are declared by its kind.
import { z } from "zod";
import { SEVERITIES } from "../engine/types.js";
import { duration } from "./duration.js";

const varValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const sideSchema = z.strictObject({
  vars: z.record(z.string(), varValue).prefault({}).describe("Named values of this side, used to template targets and normalise expected differences"),
});

/** Keys every check has; everything else belongs to the kind's options. */
export const checkBaseSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "expected an id of letters, digits, '.', '_', ':' or '-'")
    .describe("Unique id of the check across the config"),
  kind: z.string().describe("Check kind: see `standby list-checks`"),
  severity: z.enum(SEVERITIES).optional().describe("Defaults to the kind's default severity"),
  timeout: duration.optional().describe("Per-check timeout; defaults.timeout otherwise"),
  schedule: z.string().optional().describe("Cron expression for watch mode and --due"),
  timezone: z.string().optional().describe("IANA time zone for the schedule"),
  description: z.string().optional(),
});
export const CHECK_BASE_KEYS = Object.keys(checkBaseSchema.shape);

export const serviceSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a name of letters, digits, '.', '_' or '-'"),
  description: z.string().optional(),
  primary: sideSchema.prefault({}),
  standby: sideSchema.prefault({}),
  checks: z.array(z.looseObject(checkBaseSchema.shape)).min(1, "expected at least one check"),
});

export const configSchema = z.strictObject({
  version: z.literal(1, "expected version: 1"),
  objectives: z
    .strictObject({
      rpo: duration.prefault("5m").describe("Recovery point objective: default limit for replication lag"),
      rto: duration.prefault("15m").describe("Recovery time objective: default budget for failover time"),
    })
    .prefault({}),
  scoring: z.strictObject({ minScore: z.number().min(0).max(100).default(80) }).prefault({}),
  defaults: z
    .strictObject({
      timeout: duration.prefault("10s"),
      schedule: z.string().default("17 2 * * *"),
      timezone: z.string().optional(),
      concurrency: z.number().int().min(1).max(256).default(16),
    })
    .prefault({}),
  services: z.array(serviceSchema).min(1, "expected at least one service"),
});

export type RawConfig = z.output<typeof configSchema>;
