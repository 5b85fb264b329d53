// Pairs two states' selected instances by address (the primary's after side-var substitution,
// index keys included) and judges each pair with the resource type's Terraform pack through the
// same judge as AWS Config items and Kubernetes objects (../pack-judge.ts). Instances on one side only are missing or
// extra; sensitive values are compared as markers (sensitive.ts) and never shown.
import { verdict, type CheckOutcome, type Finding, type Side, type Undecided } from "../../../src/kit/index.js";
import type { StateInstance } from "../../../src/probes/terraform-state/index.js";
import type { DriftCounts } from "../diff.js";
import { FindingKeeper, PairedSummary, prefixFinding } from "../finding-keeper.js";
import { PackJudge, type PairedCompareOptions } from "../pack-judge.js";
import type { TerraformDriftEvidence } from "../evidence.js";
import { TERRAFORM_RULES } from "../rules/index.js";
import { hideMarkers, maskSensitive } from "./sensitive.js";

export type TerraformCompareOptions = PairedCompareOptions;

export interface SideInstances {
  instances: StateInstance[];
  /** Findings about the side itself (stale state), shown before the pairs'. */
  notes: Finding[];
}

const RELEASED: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const ORDER = (label: string) => ({ group: 0, pos: 0, label });

export class TerraformComparison {
  private readonly judges = new Map<string, PackJudge>();
  private readonly counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
  private readonly kept: FindingKeeper;
  private readonly undecided: string[] = [];
  private compared = 0;
  private comparedPairs = 0;
  private pairs = 0;

  constructor(private readonly opts: TerraformCompareOptions) {
    this.kept = new FindingKeeper(opts.maxFindings);
  }

  private judgeFor(type: string): PackJudge {
    let j = this.judges.get(type);
    if (!j) {
      const pack = this.opts.packs ? TERRAFORM_RULES.packs[type] : undefined;
      this.judges.set(type, (j = new PackJudge({ ...this.opts, pack, common: TERRAFORM_RULES.common })));
    }
    return j;
  }

  private push(f: Finding, label: string, seq: number): void {
    this.kept.push(hideMarkers(f), ORDER(label), seq);
  }

  /** Consumes the instances: each pair's attributes are released once it is judged. */
  compare(primary: SideInstances, standby: SideInstances): CheckOutcome<Omit<TerraformDriftEvidence, "states" | "sources">> {
    const sub = this.opts.substituter;
    const byAddress = new Map<string, StateInstance>();
    for (const s of standby.instances) byAddress.set(s.address, s);
    let seq = 0;
    for (const f of [...primary.notes, ...standby.notes]) this.push(f, "", seq++);
    for (const p of primary.instances) {
      const key = sub ? sub.apply(p.address) : p.address;
      const s = byAddress.get(key);
      if (s) byAddress.delete(key);
      this.judgePair(key, p, s);
    }
    for (const [key, s] of byAddress) this.judgePair(key, undefined, s);
    return this.finish(primary.instances.length, standby.instances.length);
  }

  private judgePair(key: string, p: StateInstance | undefined, s: StateInstance | undefined): void {
    this.pairs++;
    const label = key;
    const one = (p ?? s)!;
    if (p && s) {
      const sub = this.opts.substituter;
      // What either side marks sensitive is hidden on both: a state that lost the mark (an older
      // provider, a hand-edited state) must not print the other side's secret.
      const sensitive = s.sensitive.length === 0 ? p.sensitive : p.sensitive.length === 0 ? s.sensitive : [...p.sensitive, ...s.sensitive];
      let r: ReturnType<PackJudge["diffDocs"]>;
      try {
        const pd = maskSensitive(p.attributes, sensitive, sub ? sub.apply : null);
        const sd = maskSensitive(s.attributes, sensitive, null);
        r = this.judgeFor(p.type).diffDocs(pd, sd, this.opts.maxFindings);
      } catch (err) {
        // Attributes nested deeper than the stack: this pair cannot be compared, the rest can.
        if (!(err instanceof RangeError)) throw err;
        this.undecided.push(`${key} is nested too deeply to compare`);
        return;
      }
      // Compared: the attributes are garbage now, which keeps the collector's live heap shrinking.
      p.attributes = s.attributes = RELEASED;
      this.comparedPairs++;
      this.compared += r.compared;
      for (const k of Object.keys(this.counts) as Array<keyof DriftCounts>) this.counts[k] += r.counts[k];
      r.findings.forEach((f, i) => this.push(prefixFinding(f, label), key, i));
      return;
    }
    const side: Side = p ? "primary" : "standby";
    if (p) this.counts.missing++;
    else this.counts.extra++;
    const how = this.opts.substituter ? "paired by address after side-var substitution" : "paired by address";
    this.push(
      {
        message: p
          ? `${label} is missing on standby: no ${one.type} instance at this address (${how}${key !== p.address ? ` of ${p.address}` : ""})`
          : `${label} exists only on standby: no ${one.type} instance at this address on the primary (${how})`,
        path: label,
        change: p ? "missing" : "extra",
        [side]: { address: one.address, type: one.type },
        rule: "pairing",
        why: p ? "every primary resource needs its standby counterpart" : "a standby resource without a primary counterpart",
      },
      key,
      0,
    );
  }

  private finish(primaryResources: number, standbyResources: number): CheckOutcome<Omit<TerraformDriftEvidence, "states" | "sources">> {
    const { counts, comparedPairs, compared, undecided } = this;
    const findings = this.kept.take();
    const summary = new PairedSummary(counts, comparedPairs, "resource instance");
    const drifts = summary.drifts;
    const types = [...this.judges.keys()].sort();
    const evidence: Omit<TerraformDriftEvidence, "states" | "sources"> = {
      resourceTypes: types,
      pairs: this.pairs,
      comparedPairs,
      compared: comparedPairs > 0 ? compared : null,
      ...counts,
      primaryResources,
      standbyResources,
      packs: types.filter((t) => this.opts.packs && TERRAFORM_RULES.packs[t] !== undefined),
      substitutedVars: this.opts.substituter ? [...this.opts.substituter.names] : [],
      ...(drifts + counts.info + undecided.length > findings.length ? { findingsShown: findings.length } : {}),
    };
    const notComparable: Undecided[] = [];
    if (undecided.length > 0) notComparable.push({ reason: "error", message: `not comparable: ${undecided.join("; ")}` });
    else if (this.pairs === 0) notComparable.push({ reason: "error", message: "no resource matched the selection in either state: nothing to compare" });
    const out = verdict({ findings, undecided: notComparable, measured: null, evidence, passSummary: () => summary.pass(compared) });
    return out.status === "fail" ? { ...out, summary: summary.fail() } : out;
  }
}

