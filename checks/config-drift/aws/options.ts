// The options of an AWS Config comparison (the check's, after parsing) and the shape of a pair.
import { z } from "zod";
import { tolerance } from "../../../src/core/duration.js";
import type { ConfigItem } from "../../../src/probes/aws-config/index.js";
import type { PairedCompareOptions } from "../pack-judge.js";
import type { Pair as KeyedPair } from "../key-pairer.js";

const nonEmpty = z.string().min(1);

export const pairBySchema = z
  .union([z.literal("name"), z.strictObject({ tag: nonEmpty })])
  .describe('How queried resources pair up: "name" (resource names equal after side-var substitution) or { tag: Name } (same tag value)');

export const userRuleSchema = z.strictObject({
  path: nonEmpty,
  kind: z.enum(["match", "atLeast", "sizeOrder", "info", "ignore"]),
  count: z.boolean().optional(),
  tolerance: tolerance.optional(),
  reason: z.string().optional(),
});

export type PairBy = "name" | { tag: string };

export interface AwsCompareOptions extends PairedCompareOptions {
  resourceType: string;
  pairBy: PairBy;
  /** Explicit mode: each side's ids, paired by position. Absent: queried items, paired by key. */
  ids?: { primary: readonly string[]; standby: readonly string[] };
}

export type Pair = KeyedPair<ConfigItem>;
