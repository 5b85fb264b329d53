// The options of an AWS Config comparison (the check's, after parsing) and the shape of a pair.
import { z } from "zod";
import { tolerance } from "../../../src/core/duration.js";
import type { ConfigItem } from "../../../src/probes/aws-config/index.js";
import type { Tolerance } from "../diff.js";
import type { Substituter } from "../../../src/kit/index.js";
import type { PackRule } from "../rules/index.js";
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

export interface AwsCompareOptions {
  resourceType: string;
  pairBy: PairBy;
  /** The check's own rules (replace pack/common rules of the same path). */
  rules: readonly PackRule[];
  packs: boolean;
  ignore: readonly string[];
  keys: Readonly<Record<string, string>>;
  atLeast: readonly string[];
  tolerance: Readonly<Record<string, Tolerance>>;
  substituter: Substituter | null;
  maxFindings: number;
  /** Explicit mode: each side's ids, paired by position. Absent: queried items, paired by key. */
  ids?: { primary: readonly string[]; standby: readonly string[] };
}

export type Pair = KeyedPair<ConfigItem>;
