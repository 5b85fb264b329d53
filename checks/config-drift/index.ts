// config-drift: would the standby behave like the primary? Compares the two sides' configuration
// documents after normalising the differences that are expected (side vars, ignored paths,
// list order) and reports each remaining difference as a finding. See README.md.
import { z } from "zod";
import { tolerance } from "../../src/core/duration.js";
import { defineCheck, type CheckContext, type CheckOutcome } from "../../src/engine/types.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { type AwsConfigSource, readSide, type SideRead } from "../../src/probes/aws-config/index.js";
import { AwsDriftComparison } from "./aws/compare.js";
import { pairBySchema, userRuleSchema } from "./aws/options.js";
import { DriftDiffer, type DriftCounts } from "./diff.js";
import { makeSubstituter } from "../../src/kit/side-vars.js";
import { Normaliser } from "./normalise.js";
import { loadSource, sourceSchema, type DocumentSource, type Side } from "./sources.js";

/** Findings kept in a result; counts and the summary always cover all drifts. */
export const MAX_FINDINGS = 200;

const check = defineCheck({
  meta: {
    kind: "config-drift",
    title: "Configuration drift between primary and standby",
    description: "Diffs primary and standby configuration (files, HTTP JSON or AWS Config items) after normalising expected differences",
    defaultSeverity: "high",
    docs: "checks/config-drift/README.md",
  },
  options: z
    .object({
    primary: sourceSchema.describe("Primary side's document: { file }, { url } or { awsConfig }"),
    standby: sourceSchema.describe("Standby side's document: { file }, { url } or { awsConfig }"),
    ignore: z.array(z.string().min(1)).default([]).describe("Dotted path globs to leave out: `*` one segment, `**` any depth"),
    keys: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe("Array path glob -> item key field; such arrays are matched by key, not by position"),
    atLeast: z.array(z.string().min(1)).default([]).describe("Numeric paths where the standby must be >= the primary"),
    tolerance: z.record(z.string().min(1), tolerance).default({}).describe('Numeric paths -> accepted difference: a number or "15%"'),
    substituteVars: z.boolean().default(true).describe("Replace primary side-var values inside primary strings by the standby's"),
    pairBy: pairBySchema.optional().describe('awsConfig queries: how resources pair up, "name" (default) or { tag: Name }'),
    rules: z
      .array(userRuleSchema)
      .default([])
      .describe("awsConfig: rules that replace the resource type's pack rules of the same path (or add new ones)"),
    packs: z.boolean().default(true).describe("awsConfig: apply the built-in rule pack of the resource type"),
  })
    .superRefine((o, zctx) => {
      const pa = "awsConfig" in o.primary;
      const sa = "awsConfig" in o.standby;
      if (pa !== sa) {
        zctx.addIssue({ code: "custom", path: [pa ? "standby" : "primary"], message: "expected { awsConfig: ... } on both sides or on neither" });
        return;
      }
      if (!pa) {
        for (const k of ["pairBy", "rules"] as const) {
          if (k === "rules" ? o.rules.length > 0 : o.pairBy !== undefined) zctx.addIssue({ code: "custom", path: [k], message: `${k} applies to awsConfig sources only` });
        }
        return;
      }
      const p = (o.primary as { awsConfig: AwsConfigSource }).awsConfig;
      const s = (o.standby as { awsConfig: AwsConfigSource }).awsConfig;
      if (p.resourceType !== s.resourceType) {
        zctx.addIssue({ code: "custom", path: ["standby", "awsConfig", "resourceType"], message: `expected the primary's resource type ${p.resourceType}, got ${s.resourceType}` });
      }
      if ((p.resourceId === undefined) !== (s.resourceId === undefined)) {
        zctx.addIssue({ code: "custom", path: ["standby", "awsConfig"], message: "expected resourceId on both sides or query on both sides" });
      } else if (p.resourceId !== undefined && s.resourceId !== undefined) {
        const n = (v: string | string[]) => (Array.isArray(v) ? v.length : 1);
        if (n(p.resourceId) !== n(s.resourceId)) {
          zctx.addIssue({ code: "custom", path: ["standby", "awsConfig", "resourceId"], message: `expected ${n(p.resourceId)} resource id(s) to pair by position with the primary's, got ${n(s.resourceId)}` });
        }
      }
    }),

  async run(options, ctx): Promise<CheckOutcome> {
    if ("awsConfig" in options.primary && "awsConfig" in options.standby) {
      return runAwsConfig(options.primary.awsConfig, options.standby.awsConfig, options, ctx);
    }
    const docs: Record<Side, unknown> = { primary: undefined, standby: undefined };
    const sides: Side[] = ["primary", "standby"];
    const loaded = await Promise.allSettled(sides.map((side) => loadSource(options[side] as DocumentSource, side, ctx)));
    const failed = sideFailures(loaded, sides);
    if (failed) return failed;
    for (let i = 0; i < sides.length; i++) docs[sides[i]!] = (loaded[i] as PromiseFulfilledResult<unknown>).value;

    const substituter = options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null;
    const normaliser = new Normaliser({ ignore: options.ignore, keys: options.keys });
    const p = normaliser.normalise(docs.primary, substituter);
    const s = normaliser.normalise(docs.standby, null);
    const differ = new DriftDiffer({ atLeast: options.atLeast, tolerance: options.tolerance });
    const { findings, counts } = differ.diff(
      { original: docs.primary, normalised: p.value },
      { original: docs.standby, normalised: s.value },
      MAX_FINDINGS,
    );

    const total = counts.changed + counts.missing + counts.extra + counts.weaker;
    const evidence: Record<string, unknown> = {
      compared: p.leaves,
      primaryValues: p.leaves,
      standbyValues: s.leaves,
      ...counts,
      substitutedVars: substituter ? [...substituter.names] : [],
    };
    if (total > findings.length) evidence.findingsShown = findings.length;
    if (total === 0) {
      return { status: "pass", summary: `no drift across ${p.leaves} compared value${p.leaves === 1 ? "" : "s"}`, findings: [], evidence };
    }
    return { status: "fail", summary: summarise(total, counts), findings, evidence };
  },
});

type Options = z.output<typeof check.options>;

/**
 * Both sides read from AWS Config, paired and judged with the resource type's rule pack while the
 * reads are still running: each batch is paired (and each complete pair diffed) as it arrives.
 */
async function runAwsConfig(primary: AwsConfigSource, standby: AwsConfigSource, options: Options, ctx: CheckContext): Promise<CheckOutcome> {
  const sides: Side[] = ["primary", "standby"];
  const ids = (src: AwsConfigSource) => (src.resourceId === undefined ? undefined : Array.isArray(src.resourceId) ? src.resourceId : [src.resourceId]);
  const pIds = ids(primary);
  const sIds = ids(standby);
  const comparison = new AwsDriftComparison({
    resourceType: primary.resourceType,
    pairBy: options.pairBy ?? "name",
    rules: options.rules.map((r) => ({ ...r, reason: r.reason ?? `rule from the check's options (${r.kind})` })),
    packs: options.packs,
    ignore: options.ignore,
    keys: options.keys,
    atLeast: options.atLeast,
    tolerance: options.tolerance,
    substituter: options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null,
    maxFindings: MAX_FINDINGS,
    ...(pIds && sIds ? { ids: { primary: pIds, standby: sIds } } : {}),
  });
  const read = (src: AwsConfigSource, side: Side) =>
    readSide(src, [src], side, ctx, (batch) => comparison.add(side, batch)).catch((err: unknown) => {
      // The result will be unknown: no more CPU for the other side's items.
      comparison.stop();
      throw err;
    });
  const loaded = await Promise.allSettled([read(primary, "primary"), read(standby, "standby")]);
  const failed = sideFailures(loaded, sides);
  if (failed) return failed;
  const [p, s] = loaded.map((r) => (r as PromiseFulfilledResult<SideRead>).value) as [SideRead, SideRead];
  return comparison.finish(p, s);
}

/** A side that could not be read makes the check unknown (never a pass); the first side's reason classifies it. */
function sideFailures(loaded: PromiseSettledResult<unknown>[], sides: Side[]): CheckOutcome | null {
  const failures: ProbeError[] = [];
  for (let i = 0; i < sides.length; i++) {
    const r = loaded[i]!;
    const side = sides[i]!;
    if (r.status === "fulfilled") continue;
    if (isProbeError(r.reason)) {
      const msg = r.reason.message.startsWith(side) ? r.reason.message : `${side}: ${r.reason.message}`;
      failures.push(new ProbeError(r.reason.reason, msg));
    } else throw r.reason; // a bug, not a probe failure: the runner turns it into unknown/error
  }
  if (failures.length === 0) return null;
  return { status: "unknown", reason: failures[0]!.reason, summary: failures.map((f) => f.message).join("; ") };
}

/** "4 drifts: 2 changed, 1 missing, 1 weaker" */
function summarise(total: number, counts: DriftCounts): string {
  const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return `${total} drift${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

export default check;
