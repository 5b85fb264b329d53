// Pairs the two sides' Kubernetes objects and judges each pair with the kind's rule pack
// (../pack-judge.ts) and readiness (readiness.ts). Objects named in the source pair directly;
// objects selected by labels pair by name after side-var substitution as pages arrive
// (../key-pairer.ts), and a judged pair is dropped at once: only findings are kept.
import { ProbeError, verdict, type CheckOutcome, type Finding, type Side, type Undecided } from "../../../src/kit/index.js";
import type { KubeObject } from "../../../src/probes/kubernetes/index.js";
import type { DriftCounts } from "../diff.js";
import type { KubeDriftEvidence } from "../evidence.js";
import { FindingKeeper, PairedSummary, prefixFinding } from "../finding-keeper.js";
import { KeyPairer, type Order, type Pair } from "../key-pairer.js";
import { PackJudge, type PairedCompareOptions } from "../pack-judge.js";
import { formatPath, GlobSet } from "../paths.js";
import { K8S_COMMON_RULES, PACKS } from "../rules/index.js";
import { KubePreparer } from "./prepare.js";
import { readinessFinding } from "./readiness.js";
import { SECRET_PATHS } from "./secret.js";

export interface KubeCompareOptions extends PairedCompareOptions {
  apiVersion: string;
  kind: string;
  /** Named objects pair directly; selected ones by name. */
  mode: "name" | "selector";
}

export interface SideCounts {
  objects: number;
  requests: number;
}

const nameOf = (o: KubeObject): string => o.metadata.name;
const qualified = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

export class KubeDriftComparison {
  readonly resourceType: string;
  private readonly judge: PackJudge;
  private readonly preparer: KubePreparer;
  private readonly readiness: { desired: string; available: string } | null;
  private readonly pairer: KeyPairer<KubeObject>;
  private readonly named: Partial<Record<Side, KubeObject | null>> = {};
  private readonly counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
  private readonly kept: FindingKeeper;
  private readonly pack: boolean;
  private pairs = 0;
  private compared = 0;
  private comparedPairs = 0;
  private stopped = false;
  /** Pairs whose readiness could not be judged: the check cannot pass. */
  private readonly notJudged: Undecided[] = [];

  constructor(private readonly opts: KubeCompareOptions) {
    this.resourceType = `${opts.apiVersion} ${opts.kind}`;
    const pack = opts.packs ? PACKS[this.resourceType] : undefined;
    this.pack = pack !== undefined;
    const secret = opts.apiVersion === "v1" && opts.kind === "Secret";
    this.judge = new PackJudge({ ...opts, pack, common: K8S_COMMON_RULES, quantities: true, ...(secret ? { secret: SECRET_PATHS } : {}) });
    const read = [...this.judge.rules.filter((r) => r.kind !== "ignore").map((r) => r.path), ...opts.atLeast, ...Object.keys(opts.tolerance)];
    this.preparer = new KubePreparer({ read, secret });
    this.readiness = pack?.readiness && !this.userIgnores(pack.readiness.available) ? pack.readiness : null;
    this.kept = new FindingKeeper(opts.maxFindings);
    this.pairer = new KeyPairer<KubeObject>({
      keyOf: nameOf,
      nameOf,
      how: "paired by name after side-var substitution",
      pairSingletons: false,
      substituter: opts.substituter,
      emit: (pair, order) => this.judgePair(pair, order),
    });
  }

  /** The check's ignore (or an ignore rule) removes the readiness path: readiness is not judged. */
  private userIgnores(path: string): boolean {
    const segs = path.split(".");
    const globs = new GlobSet([...this.opts.ignore, ...this.opts.rules.filter((r) => r.kind === "ignore").map((r) => r.path)]);
    for (let i = 1; i <= segs.length; i++) if (globs.match(segs.slice(0, i)) >= 0) return true;
    return false;
  }

  /** One page of selected objects. */
  add(side: Side, items: readonly KubeObject[]): void {
    if (!this.stopped) this.pairer.add(side, items);
  }

  /** The named object of one side (null: 404). Both known: the pair is judged. */
  setNamed(side: Side, obj: KubeObject | null): void {
    this.named[side] = obj;
    if (this.stopped || this.named.primary === undefined || this.named.standby === undefined) return;
    const p = this.named.primary;
    const s = this.named.standby;
    const label = s ? nameOf(s) : p ? (this.opts.substituter ? this.opts.substituter.apply(nameOf(p)) : nameOf(p)) : "";
    const pair: Pair<KubeObject> = { label, how: "named in the sources" };
    if (p) pair.primary = p;
    if (s) pair.standby = s;
    this.judgePair(pair, { group: 0, pos: 0, label });
  }

  /** A side failed: the result will be unknown, so stop spending CPU on the other side's objects. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The normaliser and the differ recurse: an object nested thousands deep (no real one is) would
   * end in a stack overflow. Caught where it happens, at no cost to ordinary objects, and refused
   * with a reason: the side's read fails, the check is unknown.
   */
  private diffDocs(label: string, p: KubeObject, s: KubeObject): ReturnType<PackJudge["diffDocs"]> {
    try {
      return this.judge.diffDocs(this.preparer.prepare(p), this.preparer.prepare(s), this.opts.maxFindings);
    } catch (err) {
      if (err instanceof RangeError) throw new ProbeError("invalid-response", `${this.resourceType} ${label} nests too deep to compare (no Kubernetes object is): not compared`);
      throw err;
    }
  }

  private judgePair(pair: Pair<KubeObject>, order: Order): void {
    this.pairs++;
    const label = formatPath([pair.label || "(unnamed)"]);
    const { primary: p, standby: s } = pair;
    const counts = this.counts;
    if (p && s) {
      const r = this.diffDocs(label, p, s);
      this.comparedPairs++;
      this.compared += r.compared;
      for (const k of Object.keys(counts) as Array<keyof DriftCounts>) counts[k] += r.counts[k];
      r.findings.forEach((f, i) => this.kept.push(prefixFinding(f, label), order, i));
      const ready = this.readiness ? readinessFinding(this.readiness, p, s) : null;
      if (ready && "notJudged" in ready) this.notJudged.push({ reason: "invalid-response", message: `${label}: ${ready.notJudged}` });
      else if (ready) {
        if (ready.change) counts[ready.change]++;
        this.kept.push(prefixFinding(ready, label), order, r.findings.length);
      }
      return;
    }
    const what = `${this.resourceType}`;
    if (!p && !s) {
      // No drift to report (both sides agree), and nothing to judge: most likely a wrong name or
      // namespace in the config, as a selector that matches nothing is.
      this.notJudged.push({ reason: "error", message: `${label}: ${what} found on neither side (${pair.how}; 404 on both): nothing to compare; check the name and namespace` });
      return;
    }
    const one = (p ?? s)!;
    const finding: Finding = p
      ? { message: `${label}: ${what} ${qualified(p)} is missing on standby (${pair.how})`, path: label, change: "missing", primary: qualified(p), rule: "pairing", why: "every primary object needs its standby counterpart" }
      : { message: `${label}: ${what} ${qualified(one)} exists only on standby (${pair.how})`, path: label, change: "extra", standby: qualified(one), rule: "pairing", why: "a standby object without a primary counterpart" };
    counts[finding.change as "missing" | "extra"]++;
    this.kept.push(finding, order, 0);
  }

  finish(reads: Record<Side, SideCounts>): CheckOutcome<KubeDriftEvidence> {
    if (this.opts.mode === "selector") this.pairer.finish();
    const counts = this.counts;
    const findings = this.kept.take();
    const { comparedPairs, compared } = this;
    const words = new PairedSummary(counts, comparedPairs, this.resourceType);
    const evidence: KubeDriftEvidence = {
      resourceType: this.resourceType,
      pairs: this.pairs,
      comparedPairs,
      compared: comparedPairs > 0 ? compared : null,
      ...counts,
      primaryObjects: reads.primary.objects,
      standbyObjects: reads.standby.objects,
      requests: { primary: reads.primary.requests, standby: reads.standby.requests },
      rules: { pack: this.pack ? this.resourceType : null, total: this.judge.rules.length },
      substitutedVars: this.opts.substituter ? [...this.opts.substituter.names] : [],
      ...(words.drifts + counts.info > findings.length ? { findingsShown: findings.length } : {}),
    };
    const notComparable: Undecided[] = this.pairs === 0 ? [{ reason: "error", message: `no ${this.resourceType} matched the selector on either side: nothing to compare` }] : [...this.notJudged.slice(0, 20)];
    const out = verdict({ findings, undecided: notComparable, measured: null, evidence, passSummary: () => words.pass(compared) });
    if (out.status !== "fail") return out;
    return { ...out, summary: words.fail() };
  }
}
