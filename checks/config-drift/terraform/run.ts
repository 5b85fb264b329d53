// config-drift between two Terraform states: read both sides (file, HTTP backend, S3), select
// their instances, compare (compare.ts) and add what was read of each state to the evidence.
// A state older than its maxAge is a warning: it describes the infrastructure as it was then.
import { formatDuration } from "../../../src/core/duration.js";
import { readSides, verdict, type CheckContext, type CheckOutcome, type Finding, type Side } from "../../../src/kit/index.js";
import { readState, stateLocation, type StateRead, type TerraformStateSource } from "../../../src/probes/terraform-state/index.js";
import type { ConfigDriftEvidence, SourceEvidence, TerraformStateEvidence } from "../evidence.js";
import { selectInstances } from "./select.js";
import { TerraformComparison, type SideInstances, type TerraformCompareOptions } from "./compare.js";

export type TerraformRunOptions = TerraformCompareOptions;

interface SideRead {
  read: StateRead;
  side: SideInstances;
}

export async function runTerraformState(
  sources: Record<Side, TerraformStateSource>,
  targets: Record<Side, string>,
  described: { primary: SourceEvidence; standby: SourceEvidence },
  options: TerraformRunOptions,
  ctx: CheckContext,
): Promise<CheckOutcome<ConfigDriftEvidence>> {
  const read = await readSides(ctx, targets, async (side): Promise<SideRead> => {
    const src = sources[side];
    const r = await readState(src, side, ctx);
    const instances = selectInstances(r.state, src, stateLocation(src));
    return { read: r, side: { instances, notes: ageNotes(side, src, r, ctx.now()) } };
  });
  if (read.undecided.length > 0) {
    return verdict<ConfigDriftEvidence>({ findings: [], undecided: read.undecided, measured: null, evidence: { compared: null, sources: described }, passSummary: () => "not compared" });
  }
  const p = read.primary!;
  const s = read.standby!;
  const same = sameState(p.read, s.read) ?? sameLocation(sources);
  if (same) p.side.notes.push(same);
  for (const [side, r, other] of [["primary", p, s], ["standby", s, p]] as const) {
    const note = emptySelection(side, sources[side], r, other.side.instances.length);
    if (note) r.side.notes.push(note);
  }
  const out = new TerraformComparison(options).compare(p.side, s.side);
  const states = { primary: stateEvidence(p), standby: stateEvidence(s) };
  return { ...out, evidence: { ...out.evidence!, states, sources: described } };
}

function stateEvidence(r: SideRead): TerraformStateEvidence {
  const st = r.read.state;
  return {
    format: st.format,
    terraformVersion: st.terraformVersion,
    lineage: st.lineage,
    serial: st.serial,
    bytes: r.read.bytes,
    instances: st.instances.length,
    selected: r.side.instances.length,
    modified: r.read.modified ? { at: r.read.modified.at.toISOString(), from: r.read.modified.from } : null,
  };
}

const FUTURE_SLACK_MS = 5 * 60_000;

/** maxAge: a warning when the state is older, or when its store does not say when it was written. */
function ageNotes(side: Side, src: TerraformStateSource, r: StateRead, now: Date): Finding[] {
  if (src.maxAge === undefined) return [];
  const where = `${side} state ${stateLocation(src)}`;
  if (!r.modified) {
    return [{ message: `${where}: its age is unknown (the backend sent no Last-Modified), so maxAge ${formatDuration(src.maxAge)} cannot be checked`, level: "warn", rule: "state-age", why: "a stale state compares yesterday's infrastructure" }];
  }
  const age = now.getTime() - r.modified.at.getTime();
  // A time ahead of ours (a skewed backend clock, a touched file) would make any state look fresh.
  if (age < -FUTURE_SLACK_MS) {
    return [{ message: `${where}: its ${r.modified.from} ${r.modified.at.toISOString()} is ${formatDuration(-age)} in the future, so maxAge ${formatDuration(src.maxAge)} cannot be checked`, level: "warn", rule: "state-age", why: "a stale state compares yesterday's infrastructure" }];
  }
  if (age <= src.maxAge) return [];
  return [
    {
      message: `${where} was last written ${formatDuration(age)} ago (${r.modified.from} ${r.modified.at.toISOString()}), more than maxAge ${formatDuration(src.maxAge)}`,
      level: "warn",
      rule: "state-age",
      why: "a stale state compares yesterday's infrastructure: run terraform apply or refresh on that side",
    },
  ];
}

/**
 * One side's selection matched nothing while the other's matched: every pair is then missing or
 * extra (never a pass), and this says why, since a typo in an address glob looks just like that.
 */
function emptySelection(side: Side, src: TerraformStateSource, r: SideRead, otherSelected: number): Finding | null {
  if (r.side.instances.length > 0 || otherSelected === 0) return null;
  const by = [src.address !== undefined ? `address ${[src.address].flat().join(", ")}` : "", src.type !== undefined ? `type ${[src.type].flat().join(", ")}` : ""].filter(Boolean).join(" and ");
  return {
    message: `${side} state ${stateLocation(src)}: the selection${by ? ` (${by})` : ""} matched none of its ${r.read.state.instances.length} resource instances: check the selection`,
    level: "warn",
    rule: "selection",
    why: "a side that selects nothing cannot be compared; a typo in the selection reads as every resource missing",
  };
}

/** Both sides name one location (a copied file, url or key): show -json carries no lineage to tell. */
function sameLocation(sources: Record<Side, TerraformStateSource>): Finding | null {
  const where = stateLocation(sources.primary);
  const region = (src: TerraformStateSource) => src.s3?.region ?? "";
  if (where !== stateLocation(sources.standby) || region(sources.primary) !== region(sources.standby)) return null;
  return {
    message: `primary and standby read the same state (${where}): check that each side names its own state`,
    level: "warn",
    rule: "same-state",
    why: "comparing a state with itself finds no drift whatever the standby looks like",
  };
}

/** Both sides read one and the same state (a copied path or key): every comparison would pass. */
function sameState(p: StateRead, s: StateRead): Finding | null {
  if (p.state.lineage === null || p.state.lineage !== s.state.lineage || p.state.serial !== s.state.serial) return null;
  return {
    message: `primary and standby read the same state (lineage ${p.state.lineage}, serial ${p.state.serial}): check that each side names its own state`,
    level: "warn",
    rule: "same-state",
    why: "comparing a state with itself finds no drift whatever the standby looks like",
  };
}
