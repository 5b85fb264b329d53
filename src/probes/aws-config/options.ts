// Options of an AWS Config reader: how to reach one side's AWS Config (connection) and which
// resources to read (selection). Plain zod, no SDK: the SDK loads only when a side is read.
import { z } from "zod";
import { awsAccessShape } from "../aws/options.js";

const nonEmpty = z.string().min(1);

/** How one side's AWS Config is reached: region, credentials, endpoints, retries, parallelism. */
export const awsConnectionShape = {
  ...awsAccessShape("AWS Config", "AWS Config recorder holds this side"),
  aggregator: z
    .union([nonEmpty, z.strictObject({ name: nonEmpty, region: nonEmpty.optional() })])
    .optional()
    .describe("Configuration aggregator name (or { name, region }): read through SelectAggregateResourceConfig, filtered to this side's region"),
  accountId: z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id").optional().describe("With an aggregator: only this account's resources"),
  concurrency: z.number().int().min(1).max(32).default(4).describe("Parallel BatchGetResourceConfig requests for this side"),
  checkRecorder: z.boolean().default(true).describe("Also ask DescribeConfigurationRecorderStatus, so a stopped recorder's stale items are never compared"),
};

export const awsConnectionSchema = z.strictObject(awsConnectionShape);
export type AwsConnection = z.output<typeof awsConnectionSchema>;

/**
 * Values that read.ts pastes into AWS Config advanced queries as '...' literals. AWS Config's query
 * language documents no escape for a quote inside a literal, so a quote would end the literal early:
 * a broken query, or worse a different one. They are refused here, at load, where the error has a
 * file position. resourceType, region and accountId cannot hold a quote (their patterns above and
 * below); the tag and explicit ids read through an aggregator are checked explicitly.
 */
export const QUOTE_IN_QUERY = "AWS Config's query language has no escape for a quote inside a '...' literal";
const hasQuote = (s: string): boolean => s.includes("'");
const tagPart = (what: "key" | "value") =>
  (what === "key" ? nonEmpty : z.string()).refine(
    (s) => !hasQuote(s),
    `a tag ${what} must not contain a single quote ('): the tag is matched with an AWS Config advanced query (tags.tag = 'key=value') and ${QUOTE_IN_QUERY}`,
  );

export const awsConfigQuerySchema = z
  .strictObject({
    tag: z.strictObject({ key: tagPart("key"), value: tagPart("value") }).optional().describe("Only resources carrying this tag"),
    where: nonEmpty
      .optional()
      .describe("Extra AWS Config advanced-query condition, ANDed: \"configuration.engine = 'aurora-postgresql'\""),
  })
  .describe("Select resources of `resourceType` by tag and/or condition (SelectResourceConfig)");
export type AwsConfigQuery = z.output<typeof awsConfigQuerySchema>;

export const resourceTypeSchema = z.string().regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/, "expected a resource type like AWS::RDS::DBCluster");

/** Which resources of one type to read: explicit ids (BatchGetResourceConfig) or a query. */
export interface Selection {
  resourceType: string;
  resourceId?: string | string[] | undefined;
  query?: AwsConfigQuery | undefined;
}

/** A whole source: connection plus one selection (config-drift's `awsConfig`). */
export const awsConfigSchema = z
  .strictObject({
    ...awsConnectionShape,
    resourceType: resourceTypeSchema,
    resourceId: z
      .union([nonEmpty, z.array(nonEmpty).min(1).max(10_000)])
      .optional()
      .describe("Explicit resource id(s) (BatchGetResourceConfig); lists pair by position with the other side's"),
    query: awsConfigQuerySchema.optional(),
  })
  .refine((s) => (s.resourceId === undefined) !== (s.query === undefined), {
    message: "expected exactly one of resourceId (explicit resources) or query (select by tag/condition)",
  })
  .superRefine((s, ctx) => {
    // Through an aggregator, explicit ids are read with `resourceId IN ('a', 'b')` queries
    // (read.ts aggregateByIds); without one, BatchGetResourceConfig takes any id as JSON.
    if (!s.aggregator || s.resourceId === undefined) return;
    const list = typeof s.resourceId !== "string";
    const ids = typeof s.resourceId === "string" ? [s.resourceId] : s.resourceId;
    ids.forEach((id, i) => {
      if (!hasQuote(id)) return;
      ctx.addIssue({
        code: "custom",
        path: list ? ["resourceId", i] : ["resourceId"],
        message: `a resource id read through an aggregator must not contain a single quote ('): the ids go into an AWS Config advanced query (resourceId IN ('...')) and ${QUOTE_IN_QUERY}; without aggregator, ids are read with BatchGetResourceConfig, which takes any id`,
      });
    });
  });

export type AwsConfigSource = z.output<typeof awsConfigSchema>;

export const awsConfigSourceSchema = z.strictObject({
  awsConfig: awsConfigSchema.describe("Configuration items read from AWS Config"),
});

/** Explicit ids of a selection as a list, or undefined for a query. */
export function selectionIds(sel: Selection): string[] | undefined {
  return sel.resourceId === undefined ? undefined : Array.isArray(sel.resourceId) ? sel.resourceId : [sel.resourceId];
}
