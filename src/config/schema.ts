// The one zod schema of standby.yml. Each check's own options are declared by its kind.
import { z } from "zod";
import { SEVERITIES } from "../engine/types.js";
import { duration, positiveDuration } from "../core/duration.js";
import { tagReach } from "../options/reach.js";

/** Text that only names or describes (never contacted, even when it holds a URL). */
const label = () => tagReach(z.string(), { kind: "label" });

/** The schedule of a check that sets none (valid by construction: loading does not re-parse it). */
export const DEFAULT_SCHEDULE = "17 2 * * *";

const varValue = z.union([label(), z.number(), z.boolean()]).transform(String);

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
  timeout: positiveDuration.optional().describe("Per-check timeout; defaults.timeout otherwise"),
  schedule: z.string().optional().describe("Cron expression for watch mode and --due"),
  timezone: z.string().optional().describe("IANA time zone for the schedule"),
  description: label().optional(),
});
export const CHECK_BASE_KEYS = Object.keys(checkBaseSchema.shape);

export const serviceSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a name of letters, digits, '.', '_' or '-'"),
  description: label().optional(),
  primary: sideSchema.prefault({}),
  standby: sideSchema.prefault({}),
  checks: z.array(z.looseObject(checkBaseSchema.shape)).min(1, "expected at least one check"),
});

export const configSchema = z.strictObject({
  version: z.literal(1, "expected version: 1"),
  objectives: z
    .strictObject({
      rpo: positiveDuration.prefault("5m").describe("Recovery point objective: default limit for replication lag"),
      rto: positiveDuration.prefault("15m").describe("Recovery time objective: default budget for failover time"),
    })
    .prefault({}),
  scoring: z.strictObject({ minScore: z.number().min(0).max(100).default(80) }).prefault({}),
  defaults: z
    .strictObject({
      timeout: positiveDuration.prefault("10s"),
      schedule: z.string().default(DEFAULT_SCHEDULE),
      timezone: z.string().optional(),
      concurrency: z.number().int().min(1).max(256).default(16),
    })
    .prefault({}),
  services: z.array(serviceSchema).min(1, "expected at least one service"),
  history: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Append every scan to the history file (--no-history turns it off for one run)"),
      file: tagReach(z.string().min(1), { kind: "file", exists: "none" }).default(".standby/history.jsonl").describe("History file, relative to the directory of this config file"),
      maxSizeMb: z.number().positive().max(16, "at most 16 (MiB): a larger history slows every scan that reads it").default(10).describe("Rotate the history file to FILE.1 past this size (MiB)"),
    })
    .prefault({})
    .describe("Scan history: first-seen times, comparisons with the previous scan, `standby history`, `scan --due`"),
  watch: z
    .strictObject({
      listen: z.string().default("127.0.0.1:9464").describe("host:port for /metrics, /healthz and /report.json (loopback by default)"),
      jitter: duration.prefault("1s").describe("Upper bound of the random delay added to each scheduled run"),
    })
    .prefault({})
    .describe("`standby watch` settings"),
  notify: z
    .strictObject({
      webhook: z
        .strictObject({
          url: tagReach(z.string().regex(/^https?:\/\//i, "expected an http:// or https:// URL"), { kind: "url" }).describe("Webhook URL; may hold ${env:NAME}"),
          format: z.enum(["json", "slack"]).default("json"),
          timeout: positiveDuration.prefault("5s").describe("Timeout of one attempt"),
          retries: z.number().int().min(0).max(10).default(3).describe("Retries after a failed attempt, with exponential backoff"),
        })
        .optional(),
    })
    .prefault({})
    .describe("Notifications when a service's status changes"),
});

export type RawConfig = z.output<typeof configSchema>;
