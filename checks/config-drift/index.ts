// config-drift: would the standby behave like the primary? Compares the two sides' configuration
// documents after normalising the differences that are expected (side vars, ignored paths,
// list order) and reports each remaining difference as a finding. See README.md.
import { z } from "zod";
import { tolerance } from "../../src/config/duration.js";
import { defineCheck, type CheckOutcome } from "../../src/engine/types.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { DriftDiffer, type DriftCounts } from "./diff.js";
import { makeSubstituter, Normaliser } from "./normalise.js";
import { loadSource, sourceSchema, type Side } from "./sources.js";

/** Findings kept in a result; counts and the summary always cover all drifts. */
export const MAX_FINDINGS = 200;

export default defineCheck({
  meta: {
    kind: "config-drift",
    title: "Configuration drift between primary and standby",
    description: "Diffs primary and standby configuration (files or HTTP JSON) after normalising expected differences",
    defaultSeverity: "high",
    docs: "checks/config-drift/README.md",
  },
  options: z.object({
    primary: sourceSchema.describe("Primary side's document: { file } or { url }"),
    standby: sourceSchema.describe("Standby side's document: { file } or { url }"),
    ignore: z.array(z.string().min(1)).default([]).describe("Dotted path globs to leave out: `*` one segment, `**` any depth"),
    keys: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe("Array path glob -> item key field; such arrays are matched by key, not by position"),
    atLeast: z.array(z.string().min(1)).default([]).describe("Numeric paths where the standby must be >= the primary"),
    tolerance: z.record(z.string().min(1), tolerance).default({}).describe('Numeric paths -> accepted difference: a number or "15%"'),
    substituteVars: z.boolean().default(true).describe("Replace primary side-var values inside primary strings by the standby's"),
  }),

  async run(options, ctx): Promise<CheckOutcome> {
    const docs: Record<Side, unknown> = { primary: undefined, standby: undefined };
    const sides: Side[] = ["primary", "standby"];
    const loaded = await Promise.allSettled(sides.map((side) => loadSource(options[side], side, ctx)));
    const failures: ProbeError[] = [];
    for (let i = 0; i < sides.length; i++) {
      const r = loaded[i]!;
      const side = sides[i]!;
      if (r.status === "fulfilled") docs[side] = r.value;
      else if (isProbeError(r.reason)) {
        const msg = r.reason.message.startsWith(side) ? r.reason.message : `${side}: ${r.reason.message}`;
        failures.push(new ProbeError(r.reason.reason, msg));
      } else throw r.reason; // a bug, not a probe failure: the runner turns it into unknown/error
    }
    if (failures.length > 0) {
      // Not comparable, so never a pass; the first side's reason classifies the result.
      return { status: "unknown", reason: failures[0]!.reason, summary: failures.map((f) => f.message).join("; ") };
    }

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

/** "4 drifts: 2 changed, 1 missing, 1 weaker" */
function summarise(total: number, counts: DriftCounts): string {
  const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return `${total} drift${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
