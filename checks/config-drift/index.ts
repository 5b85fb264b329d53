// config-drift: would the standby behave like the primary? Compares the two sides' configuration
// documents after normalising the differences that are expected (side vars, ignored paths,
// list order) and reports each remaining difference as a finding. See README.md.
import { z } from "zod";
import { tolerance } from "../../src/core/duration.js";
import { defineCheck, makeSubstituter, readSides, verdict, type CheckContext, type CheckOutcome, type Side, type Undecided } from "../../src/kit/index.js";
import { type AwsConfigSource, readSide } from "../../src/probes/aws-config/index.js";
import { AwsDriftComparison } from "./aws/compare.js";
import { runTerraformState } from "./terraform/run.js";
import { pairBySchema, userRuleSchema } from "./aws/options.js";
import { DriftDiffer, type DriftCounts } from "./diff.js";
import type { ConfigDriftEvidence, DocumentDriftEvidence, SourceEvidence } from "./evidence.js";
import { Normaliser } from "./normalise.js";
import type { PairedCompareOptions } from "./pack-judge.js";
import { kindName, type KubernetesSource } from "./kubernetes/options.js";
import { runKubernetes } from "./kubernetes/run.js";
import { describeSource, loadSource, sourceSchema, sourceTarget, type DocumentSource } from "./sources.js";
import type { Finding } from "../../src/engine/types.js";

/** Findings kept in a result; counts and the summary always cover all drifts. */
export const MAX_FINDINGS = 200;

const check = defineCheck({
  meta: {
    kind: "config-drift",
    title: "Configuration drift between primary and standby",
    description: "Diffs primary and standby configuration (files, HTTP JSON, AWS Config items, Terraform states or Kubernetes objects) after normalising expected differences",
    defaultSeverity: "high",
    docs: "checks/config-drift/README.md",
  },
  options: z
    .object({
    primary: sourceSchema.describe("Primary side's document: { file }, { url }, { awsConfig }, { terraformState } or { kubernetes }"),
    standby: sourceSchema.describe("Standby side's document: { file }, { url }, { awsConfig }, { terraformState } or { kubernetes }"),
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
      .describe("awsConfig, terraformState and kubernetes: rules that replace the type's pack rules of the same path (or add new ones)"),
    packs: z.boolean().default(true).describe("awsConfig, terraformState and kubernetes: apply the built-in rule pack of the resource type or kind"),
  })
    .superRefine((o, zctx) => {
      const pk = "kubernetes" in o.primary;
      const sk = "kubernetes" in o.standby;
      if (pk !== sk) {
        zctx.addIssue({ code: "custom", path: [pk ? "standby" : "primary"], message: "expected { kubernetes: ... } on both sides or on neither" });
        return;
      }
      if (pk) {
        kubernetesPairing((o.primary as { kubernetes: KubernetesSource }).kubernetes, (o.standby as { kubernetes: KubernetesSource }).kubernetes, o.pairBy !== undefined, zctx);
        return;
      }
      const pt = "terraformState" in o.primary;
      if (pt !== "terraformState" in o.standby) {
        zctx.addIssue({ code: "custom", path: [pt ? "standby" : "primary"], message: "expected { terraformState: ... } on both sides or on neither" });
        return;
      }
      if (pt) {
        if (o.pairBy !== undefined) zctx.addIssue({ code: "custom", path: ["pairBy"], message: "pairBy applies to awsConfig sources only (states pair by address)" });
        return;
      }
      const pa = "awsConfig" in o.primary;
      const sa = "awsConfig" in o.standby;
      if (pa !== sa) {
        zctx.addIssue({ code: "custom", path: [pa ? "standby" : "primary"], message: "expected { awsConfig: ... } on both sides or on neither" });
        return;
      }
      if (!pa) {
        for (const k of ["pairBy", "rules"] as const) {
          if (k === "rules" ? o.rules.length > 0 : o.pairBy !== undefined) zctx.addIssue({ code: "custom", path: [k], message: `${k} applies to ${k === "rules" ? "awsConfig, terraformState and kubernetes" : "awsConfig"} sources only` });
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

  async run(options, ctx): Promise<CheckOutcome<ConfigDriftEvidence>> {
    const targets = { primary: sourceTarget(options.primary), standby: sourceTarget(options.standby) };
    const sources = { primary: describeSource(options.primary), standby: describeSource(options.standby) };
    if ("awsConfig" in options.primary && "awsConfig" in options.standby) {
      return runAwsConfig(options.primary.awsConfig, options.standby.awsConfig, targets, sources, options, ctx);
    }
    if ("kubernetes" in options.primary && "kubernetes" in options.standby) {
      return runKubernetes({ primary: options.primary.kubernetes, standby: options.standby.kubernetes }, targets, sources, pairedOptions(options, ctx), ctx);
    }
    if ("terraformState" in options.primary && "terraformState" in options.standby) {
      const states = { primary: options.primary.terraformState, standby: options.standby.terraformState };
      return runTerraformState(states, targets, sources, pairedOptions(options, ctx), ctx);
    }
    const docs = await readSides(ctx, targets, (side) => loadSource(options[side] as DocumentSource, side, ctx));
    if (docs.undecided.length > 0) return notCompared(docs.undecided, sources);

    const substituter = options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null;
    const normaliser = new Normaliser({ ignore: options.ignore, keys: options.keys });
    const p = normaliser.normalise(docs.primary, substituter);
    const s = normaliser.normalise(docs.standby, null);
    const differ = new DriftDiffer({ atLeast: options.atLeast, tolerance: options.tolerance, origins: true });
    const { findings, counts } = differ.diff({ original: docs.primary, normalised: p.value }, { original: docs.standby, normalised: s.value }, MAX_FINDINGS);
    for (const f of findings) if (f.at) f.at = fromSourceRoot(f.at, options);

    const total = counts.changed + counts.missing + counts.extra + counts.weaker;
    const evidence: DocumentDriftEvidence = {
      compared: p.leaves,
      primaryValues: p.leaves,
      standbyValues: s.leaves,
      ...counts,
      substitutedVars: substituter ? [...substituter.names] : [],
      ...(total > findings.length ? { findingsShown: findings.length } : {}),
      sources,
    };
    // Every document drift is a fail finding and the first is always kept, so verdict() fails
    // exactly when there is drift; its summary counts all drifts, not only the findings kept.
    const out = verdict({ findings, undecided: [], measured: null, evidence, passSummary: () => `no drift across ${p.leaves} compared value${p.leaves === 1 ? "" : "s"}` });
    return out.status === "fail" ? { ...out, summary: summarise(total, counts) } : out;
  },
});

type Options = z.output<typeof check.options>;

/** The check's options as a paired comparison (AWS Config items, Kubernetes objects) takes them. */
function pairedOptions(options: Options, ctx: CheckContext): PairedCompareOptions {
  return {
    rules: options.rules.map((r) => ({ ...r, reason: r.reason ?? "a rule from the check's options" })),
    packs: options.packs,
    ignore: options.ignore,
    keys: options.keys,
    atLeast: options.atLeast,
    tolerance: options.tolerance,
    substituter: options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null,
    maxFindings: MAX_FINDINGS,
  };
}

/** Both sides name the same kind, and both one object by name or both a selector; pairBy is AWS Config's. */
function kubernetesPairing(p: KubernetesSource, s: KubernetesSource, pairBy: boolean, zctx: z.RefinementCtx): void {
  if (p.apiVersion !== s.apiVersion || p.kind !== s.kind) {
    zctx.addIssue({ code: "custom", path: ["standby", "kubernetes", p.apiVersion !== s.apiVersion ? "apiVersion" : "kind"], message: `expected the primary's ${kindName(p)}, got ${kindName(s)}` });
  }
  if ((p.name === undefined) !== (s.name === undefined)) {
    zctx.addIssue({ code: "custom", path: ["standby", "kubernetes"], message: `expected ${p.name !== undefined ? "name" : "selector"} as on the primary: both sides name one object, or both select objects paired by name` });
  }
  if (pairBy) zctx.addIssue({ code: "custom", path: ["pairBy"], message: "pairBy applies to awsConfig sources only (Kubernetes objects pair by name)" });
}

/** A side that could not be read: unknown, and the evidence says nothing was compared. */
function notCompared(undecided: Undecided[], sources: Sources): CheckOutcome<ConfigDriftEvidence> {
  return verdict({ findings: [], undecided, measured: null, evidence: { compared: null, sources }, passSummary: () => "not compared" });
}

/** `at` from the root of each side's source document: a `pointer`'s tokens first. */
function fromSourceRoot(at: NonNullable<Finding["at"]>, options: Options): NonNullable<Finding["at"]> {
  const out: NonNullable<Finding["at"]> = {};
  for (const side of ["primary", "standby"] as const) {
    const path = at[side];
    if (!path) continue;
    const src = options[side];
    const ptr = "pointer" in src && src.pointer ? src.pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
    out[side] = [...ptr, ...path];
  }
  return out;
}

/**
 * Both sides read from AWS Config, paired and judged with the resource type's rule pack while the
 * reads are still running: each batch is paired (and each complete pair diffed) as it arrives.
 */
async function runAwsConfig(
  primary: AwsConfigSource,
  standby: AwsConfigSource,
  targets: Record<Side, string>,
  described: Sources,
  options: Options,
  ctx: CheckContext,
): Promise<CheckOutcome<ConfigDriftEvidence>> {
  const ids = (src: AwsConfigSource) => (src.resourceId === undefined ? undefined : Array.isArray(src.resourceId) ? src.resourceId : [src.resourceId]);
  const pIds = ids(primary);
  const sIds = ids(standby);
  const comparison = new AwsDriftComparison({
    ...pairedOptions(options, ctx),
    resourceType: primary.resourceType,
    pairBy: options.pairBy ?? "name",
    ...(pIds && sIds ? { ids: { primary: pIds, standby: sIds } } : {}),
  });
  const sources = { primary, standby };
  // The accounts each side's items came from, for the evidence (a handful at most in practice).
  const seen = { primary: new Set<string>(), standby: new Set<string>() };
  const read = await readSides(ctx, targets, (side) =>
    readSide(sources[side], [sources[side]], side, ctx, (batch) => {
      for (const item of batch.items) if (item.accountId && seen[side].size < MAX_ACCOUNTS_SHOWN) seen[side].add(item.accountId);
      comparison.add(side, batch);
    }).catch((err: unknown) => {
      // The result will be unknown: no more CPU for the other side's items.
      comparison.stop();
      throw err;
    }),
  );
  const withAccounts = (side: Side): SourceEvidence => {
    const d = described[side];
    if (!("awsConfig" in d)) return d;
    return { awsConfig: { ...d.awsConfig, accounts: [...new Set([...d.awsConfig.accounts, ...seen[side]])].sort() } };
  };
  const evidenceSources = { primary: withAccounts("primary"), standby: withAccounts("standby") };
  if (read.undecided.length > 0) return notCompared(read.undecided, evidenceSources);
  const out = comparison.finish(read.primary!, read.standby!);
  return { ...out, evidence: { ...out.evidence!, sources: evidenceSources } };
}


/** Accounts named per side in the evidence. */
const MAX_ACCOUNTS_SHOWN = 5;
type Sources = { primary: SourceEvidence; standby: SourceEvidence };

/** "4 drifts: 2 changed, 1 missing, 1 weaker" */
function summarise(total: number, counts: DriftCounts): string {
  const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return `${total} drift${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

export default check;
