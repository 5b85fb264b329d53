// The rules in force for one resource type, compiled once per check run and applied to every
// pair: the check's own rules first, then the type's pack, then the common rules (identity and
// recording metadata). Count rules turn arrays into their length before the diff.
import type { Finding } from "../../../src/engine/types.js";
import type { ConfigItem } from "../../../src/probes/aws-config/index.js";
import { DriftDiffer, type DriftCounts, type DriftVerdict, type RawDriftView, type Tolerance } from "../diff.js";
import { Normaliser } from "../normalise.js";
import { GlobSet, type GlobState } from "../paths.js";
import { AWS_CONFIG_RULES, type PackRule, type RuleCatalogue } from "../rules/index.js";
import { compareInstanceClass } from "../size-order.js";
import type { AwsCompareOptions } from "./options.js";

/** The rules in force, first match wins: check rules, then the pack, then the common rules. */
export function effectiveRules(
  resourceType: string,
  user: readonly PackRule[],
  packs: boolean,
  catalogue: RuleCatalogue = AWS_CONFIG_RULES,
): { rules: PackRule[]; keys: Record<string, string> } {
  const pack = packs ? catalogue.packs[resourceType] : undefined;
  const userPaths = new Set(user.map((r) => r.path));
  const rules = [...user, ...(pack?.rules ?? []).filter((r) => !userPaths.has(r.path)), ...catalogue.common.filter((r) => !userPaths.has(r.path))];
  return { rules, keys: { ...(pack?.keys ?? {}) } };
}

/** What a judge needs of a comparison's options (any source). */
export type JudgeOptions = Pick<AwsCompareOptions, "resourceType" | "rules" | "packs" | "ignore" | "keys" | "atLeast" | "tolerance" | "substituter">;

/** The compiled rule set: built once per check run, applied to every pair. */
export class AwsJudge {
  readonly rules: PackRule[];
  private readonly normaliser: Normaliser;
  private readonly differ: DriftDiffer;
  private readonly lookup: GlobSet;
  private readonly counted: GlobSet;
  /** The count paths as a trie when none has a wildcard (the packs'): visits only those paths. */
  private readonly countTrie: CountNode | null;

  /** `catalogue`: the packs and common rules of the source (AWS Config items, Terraform state). */
  constructor(
    private readonly opts: JudgeOptions,
    catalogue: RuleCatalogue = AWS_CONFIG_RULES,
  ) {
    const { rules, keys: packKeys } = effectiveRules(opts.resourceType, opts.rules, opts.packs, catalogue);
    this.rules = rules;
    const ignore = [...opts.ignore, ...rules.filter((r) => r.kind === "ignore").map((r) => r.path)];
    const keys: Record<string, string> = { ...opts.keys };
    for (const [k, v] of Object.entries(packKeys)) if (!(k in keys)) keys[k] = v;
    const atLeast = [...opts.atLeast, ...rules.filter((r) => r.kind === "atLeast").map((r) => r.path)];
    const tolerance: Record<string, Tolerance> = { ...opts.tolerance };
    for (const r of rules) if (r.kind === "atLeast" && r.tolerance !== undefined && !(r.path in tolerance)) tolerance[r.path] = r.tolerance;
    this.normaliser = new Normaliser({ ignore, keys });
    this.differ = new DriftDiffer({ atLeast, tolerance, judge: (d) => this.verdict(d) });
    // A rule speaks for its path and everything below it.
    this.lookup = new GlobSet(rules.map((r) => `${r.path}.**`));
    this.counted = new GlobSet(rules.filter((r) => r.count).map((r) => r.path));
    this.countTrie = literalTrie(this.counted.patterns);
  }

  private verdict(d: RawDriftView): DriftVerdict | null {
    const idx = this.lookup.match(d.matchPath);
    if (idx < 0) return { change: d.change, ...(d.rule ? { rule: d.rule } : {}), ...(d.why ? { why: d.why } : {}) };
    const rule = this.rules[idx]!;
    const byCount = rule.count ? " (compared by count)" : "";
    // The finding's rule is the rule's kind (README "Rule packs"), its why the rule's reason.
    switch (rule.kind) {
      case "info":
        // Only the check's own atLeast makes an info path weaker: the user's option wins over the pack.
        if (d.change === "weaker") return { change: "weaker", rule: "at-least", why: `from the check's options (the pack only informs: ${rule.reason})` };
        return { change: d.change, level: "info", rule: "info", why: `${rule.reason}${byCount}` };
      case "sizeOrder": {
        if (d.change === "changed" && typeof d.lhs === "string" && typeof d.rhs === "string") {
          const cmp = compareInstanceClass(d.rhs, d.lhs);
          if (cmp === null) return { change: "changed", rule: "size-order", why: `${rule.reason} (${d.lhs} and ${d.rhs} are not sizes of one family, so they cannot be ordered)` };
          if (cmp >= 0) return null;
          return { change: "weaker", rule: "size-order", why: rule.reason };
        }
        return { change: d.change, rule: "size-order", why: rule.reason };
      }
      case "atLeast": {
        const tol = this.opts.tolerance[rule.path] ?? rule.tolerance;
        return { change: d.change, rule: "at-least", why: `${rule.reason}${byCount}${d.change === "weaker" && tol !== undefined ? ` (tolerance ${tol})` : ""}` };
      }
      default:
        return { change: d.change, rule: "match", why: `${rule.reason}${byCount}` };
    }
  }

  /** Count rules: arrays (and comma-separated strings) become their length before comparing. */
  prepare(doc: Record<string, unknown>): Record<string, unknown> {
    if (this.counted.empty) return doc;
    if (this.countTrie) return countLiteral(doc, this.countTrie) as Record<string, unknown>;
    return this.countWalk(doc, this.counted.start) as Record<string, unknown>;
  }

  private countWalk(v: unknown, st: GlobState): unknown {
    if (st.dead || v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const n = this.countWalk(v[i], st);
        if (n !== v[i] && out === null) out = v.slice(0, i);
        if (out !== null) out.push(n);
      }
      return out ?? v;
    }
    let out: Record<string, unknown> | null = null;
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const next = this.counted.step(st, key);
      const child = obj[key];
      let n: unknown;
      if (next.accept >= 0) n = Array.isArray(child) ? child.length : typeof child === "string" ? child.split(",").filter((s) => s.trim() !== "").length : child;
      else n = this.countWalk(child, next);
      if (n !== child) {
        if (out === null) out = { ...obj };
        out[key] = n;
      }
    }
    return out ?? obj;
  }

  diffPair(p: Pick<ConfigItem, "doc">, s: Pick<ConfigItem, "doc">, maxFindings: number): { findings: Finding[]; counts: DriftCounts; compared: number } {
    const po = this.prepare(p.doc);
    const so = this.prepare(s.doc);
    const np = this.normaliser.normalise(po, this.opts.substituter);
    const ns = this.normaliser.normalise(so, null);
    const r = this.differ.diff({ original: po, normalised: np.value }, { original: so, normalised: ns.value }, maxFindings);
    return { ...r, compared: np.leaves };
  }
}


interface CountNode {
  /** A count path ends here: the value becomes its count. */
  count: boolean;
  children: Map<string, CountNode>;
}

/** Segments as GlobSet reads them; null when a pattern has a wildcard (then GlobSet walks). */
function literalTrie(patterns: readonly string[]): CountNode | null {
  const root: CountNode = { count: false, children: new Map() };
  for (const pattern of patterns) {
    const segs = pattern
      .split(".")
      .filter((seg) => seg !== "")
      .map((seg) => seg.replace(/\[\*?\]$/, ""));
    if (segs.some((seg) => seg.includes("*"))) return null;
    // An empty pattern matches the document itself, which is never counted.
    if (segs.length === 0) continue;
    let node = root;
    for (const seg of segs) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { count: false, children: new Map() }));
      node = next;
    }
    node.count = true;
  }
  return root;
}

const countOf = (v: unknown): unknown =>
  Array.isArray(v) ? v.length : typeof v === "string" ? v.split(",").filter((s) => s.trim() !== "").length : v;

/**
 * countWalk over a literal trie: the same result (copy-on-write, key order kept; array items
 * take their array's node, as positions are not path segments) without stepping every key.
 */
function countLiteral(v: unknown, node: CountNode): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const n = countLiteral(v[i], node);
      if (n !== v[i] && out === null) out = v.slice(0, i);
      if (out !== null) out.push(n);
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const [key, next] of node.children) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const child = obj[key];
    const n = next.count ? countOf(child) : next.children.size > 0 ? countLiteral(child, next) : child;
    if (n !== child) {
      if (out === null) out = { ...obj };
      out[key] = n;
    }
  }
  return out ?? obj;
}
