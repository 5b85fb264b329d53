// Pairs the two sides' configuration items and judges each pair with the effective rules:
// the check's own `rules` first, then the resource type's pack, then the common rules (identity
// and recording metadata). Items that are deleted or not recorded are never compared as current.
import type { CheckOutcome, Finding } from "../../../src/engine/types.js";
import { DriftDiffer, type DriftCounts, type DriftVerdict, type RawDriftView, type Tolerance } from "../diff.js";
import { Normaliser, type Substituter } from "../normalise.js";
import { formatPath, GlobSet, type GlobState } from "../paths.js";
import { COMMON_RULES, isGlobalResourceType, PACKS, type PackRule } from "../rules/index.js";
import { compareInstanceClass } from "../size-order.js";
import type { SideItems } from "./fetch.js";
import { type ConfigItem, displayName, identity } from "./items.js";

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
}

export interface Pair {
  label: string;
  primary?: ConfigItem;
  standby?: ConfigItem;
  /** How the pair was made, for findings about one-sided resources. */
  how: string;
}

const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

/** The rules in force, first match wins: check rules, then the pack, then the common rules. */
export function effectiveRules(resourceType: string, user: readonly PackRule[], packs: boolean): { rules: PackRule[]; keys: Record<string, string> } {
  const pack = packs ? PACKS[resourceType] : undefined;
  const userPaths = new Set(user.map((r) => r.path));
  const rules = [...user, ...(pack?.rules ?? []).filter((r) => !userPaths.has(r.path)), ...COMMON_RULES.filter((r) => !userPaths.has(r.path))];
  return { rules, keys: { ...(pack?.keys ?? {}) } };
}

/** The compiled rule set: built once per check run, applied to every pair. */
export class AwsJudge {
  readonly rules: PackRule[];
  private readonly normaliser: Normaliser;
  private readonly differ: DriftDiffer;
  private readonly lookup: GlobSet;
  private readonly counted: GlobSet;

  constructor(private readonly opts: AwsCompareOptions) {
    const { rules, keys: packKeys } = effectiveRules(opts.resourceType, opts.rules, opts.packs);
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
  }

  private verdict(d: RawDriftView): DriftVerdict | null {
    const idx = this.lookup.match(d.matchPath);
    if (idx < 0) return d.rule ? { change: d.change, rule: d.rule } : { change: d.change };
    const rule = this.rules[idx]!;
    const byCount = rule.count ? " (compared by count)" : "";
    switch (rule.kind) {
      case "info":
        return { change: d.change, level: "info", rule: `${rule.reason}${byCount}` };
      case "sizeOrder": {
        if (d.change === "changed" && typeof d.lhs === "string" && typeof d.rhs === "string") {
          const cmp = compareInstanceClass(d.rhs, d.lhs);
          if (cmp === null) return { change: "changed", rule: `${rule.reason} (${d.lhs} and ${d.rhs} are not sizes of one family, so they cannot be ordered)` };
          if (cmp >= 0) return null;
          return { change: "weaker", rule: rule.reason };
        }
        return { change: d.change, rule: rule.reason };
      }
      case "atLeast": {
        const tol = this.opts.tolerance[rule.path] ?? rule.tolerance;
        return { change: d.change, rule: d.change === "weaker" ? `${rule.reason}${byCount} (atLeast${tol !== undefined ? `, tolerance ${tol}` : ""})` : `${rule.reason}${byCount}` };
      }
      default:
        return { change: d.change, rule: `${rule.reason}${byCount}` };
    }
  }

  /** Count rules: arrays (and comma-separated strings) become their length before comparing. */
  prepare(doc: Record<string, unknown>): Record<string, unknown> {
    if (this.counted.empty) return doc;
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

  diffPair(p: ConfigItem, s: ConfigItem, maxFindings: number): { findings: Finding[]; counts: DriftCounts; compared: number } {
    const po = this.prepare(p.doc);
    const so = this.prepare(s.doc);
    const np = this.normaliser.normalise(po, this.opts.substituter);
    const ns = this.normaliser.normalise(so, null);
    const r = this.differ.diff({ original: po, normalised: np.value }, { original: so, normalised: ns.value }, maxFindings);
    return { ...r, compared: np.leaves };
  }
}

/** Explicit ids pair by position; queried items pair one-to-one when each side has one, else by pairBy. */
export function pairItems(primary: SideItems, standby: SideItems, pairBy: PairBy, substituter: Substituter | null): Pair[] {
  if (primary.ids && standby.ids) {
    const byId = (s: SideItems) => new Map(s.items.map((i) => [i.resourceId, i]));
    const pm = byId(primary);
    const sm = byId(standby);
    return primary.ids.map((pid, k) => {
      const sid = standby.ids![k]!;
      const pair: Pair = { label: sm.get(sid) ? displayName(sm.get(sid)!) : sid, how: `explicit pair ${pid} / ${sid}` };
      const p = pm.get(pid);
      const s = sm.get(sid);
      if (p) pair.primary = p;
      if (s) pair.standby = s;
      if (!s && p) pair.label = substituter ? substituter.apply(displayName(p)) : displayName(p);
      return pair;
    });
  }
  if (primary.items.length === 1 && standby.items.length === 1) {
    const p = primary.items[0]!;
    const s = standby.items[0]!;
    return [{ label: displayName(s), primary: p, standby: s, how: "the only resource on each side" }];
  }
  const keyOf = (item: ConfigItem, sub: Substituter | null): string | undefined => {
    const raw = pairBy === "name" ? displayName(item) : item.tags[pairBy.tag];
    if (raw === undefined || raw === "") return undefined;
    return sub ? sub.apply(raw) : raw;
  };
  const how = pairBy === "name" ? "paired by name after side-var substitution" : `paired by tag ${pairBy.tag}`;
  const pairs = new Map<string, Pair>();
  const unkeyed: Pair[] = [];
  const add = (item: ConfigItem, side: "primary" | "standby", sub: Substituter | null) => {
    const key = keyOf(item, sub);
    if (key === undefined) {
      unkeyed.push({ label: displayName(item), [side]: item, how: `${how}; it has no tag ${(pairBy as { tag: string }).tag}` });
      return;
    }
    // A repeated key pairs in order of appearance: key, key#2...
    let k = key;
    for (let n = 2; pairs.get(k)?.[side]; n++) k = `${key}#${n}`;
    const pair = pairs.get(k) ?? { label: k, how };
    pair[side] = item;
    pairs.set(k, pair);
  };
  for (const item of primary.items) add(item, "primary", substituter);
  for (const item of standby.items) add(item, "standby", null);
  return [...pairs.values(), ...unkeyed];
}

export function compareSides(primary: SideItems, standby: SideItems, opts: AwsCompareOptions): CheckOutcome {
  const judge = new AwsJudge(opts);
  const pairs = pairItems(primary, standby, opts.pairBy, opts.substituter);
  const counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
  const findings: Finding[] = [];
  const undecided: string[] = [];
  let compared = 0;
  let comparedPairs = 0;
  let skippedGlobal = 0;
  const room = () => Math.max(0, opts.maxFindings - findings.length);
  const push = (f: Finding) => {
    if (findings.length < opts.maxFindings) findings.push(f);
  };

  for (const pair of pairs) {
    const label = formatPath([pair.label]);
    const p = pair.primary;
    const s = pair.standby;
    const notRecorded = [p && p.status === "ResourceNotRecorded" ? `primary ${displayName(p)}` : null, s && s.status === "ResourceNotRecorded" ? `standby ${displayName(s)}` : null].filter(Boolean) as string[];
    if (notRecorded.length > 0) {
      undecided.push(...notRecorded.map((w) => `${w} is ResourceNotRecorded`));
      push({
        message: `${label}: ${notRecorded.join(" and ")} ${notRecorded.length === 1 ? "is" : "are"} not recorded by AWS Config (ResourceNotRecorded): configuration unknown, not compared`,
        level: "warn",
        path: label,
        rule: "items AWS Config does not record have no current configuration",
        ...(p ? { primary: identity(p) } : {}),
        ...(s ? { standby: identity(s) } : {}),
      });
      continue;
    }
    const pLive = p && !DELETED.has(p.status) ? p : undefined;
    const sLive = s && !DELETED.has(s.status) ? s : undefined;
    if (pLive && sLive) {
      const r = judge.diffPair(pLive, sLive, room());
      comparedPairs++;
      compared += r.compared;
      for (const k of Object.keys(counts) as Array<keyof DriftCounts>) counts[k] += r.counts[k];
      for (const f of r.findings) push(prefixFinding(f, label));
      continue;
    }
    const one = pLive ?? sLive;
    if (one && isGlobal(one)) {
      skippedGlobal++;
      counts.info++;
      push({
        message: `${label}: global resource ${one.resourceType} recorded on the ${pLive ? "primary" : "standby"} side only (AWS Config records global resources in one region); not compared`,
        level: "info",
        path: label,
        rule: "global resources (IAM) are recorded in one region only",
        ...(pLive ? { primary: identity(pLive) } : { standby: identity(sLive!) }),
      });
      continue;
    }
    if (!pLive && !sLive) {
      if (p || s) {
        counts.info++;
        push({ message: `${label}: deleted on both sides (${[p?.status, s?.status].filter(Boolean).join(", ")}); nothing to compare`, level: "info", path: label, rule: "deleted resources are not compared" });
      } else {
        counts.missing++;
        push({ message: `${label}: found on neither side (${pair.how})`, path: label, change: "missing", rule: "an explicitly named resource must exist on both sides" });
      }
      continue;
    }
    if (pLive) {
      counts.missing++;
      const why = s ? `standby ${displayName(s)} is ${s.status} in AWS Config` : `no standby ${opts.resourceType} (${pair.how})`;
      push({
        message: `${label}: ${opts.resourceType} ${displayName(pLive)} is missing on standby: ${why}`,
        path: label,
        change: "missing",
        primary: identity(pLive),
        ...(s ? { standby: identity(s) } : {}),
        rule: s ? "deleted resources are never compared as current" : "every primary resource needs its standby counterpart",
      });
    } else {
      counts.extra++;
      const why = p ? `primary ${displayName(p)} is ${p.status} in AWS Config` : `no primary ${opts.resourceType} (${pair.how})`;
      push({
        message: `${label}: ${opts.resourceType} ${displayName(sLive!)} exists only on standby: ${why}`,
        path: label,
        change: "extra",
        standby: identity(sLive!),
        ...(p ? { primary: identity(p) } : {}),
        rule: p ? "deleted resources are never compared as current" : "a standby resource without a primary counterpart",
      });
    }
  }

  const drifts = counts.changed + counts.missing + counts.extra + counts.weaker;
  const total = findings.length;
  const evidence: Record<string, unknown> = {
    resourceType: opts.resourceType,
    pairs: pairs.length,
    comparedPairs,
    compared,
    ...counts,
    primaryResources: primary.items.length,
    standbyResources: standby.items.length,
    requests: { primary: primary.requests, standby: standby.requests },
    rules: { pack: opts.packs && PACKS[opts.resourceType] ? opts.resourceType : null, total: judge.rules.length },
    recorder: { primary: primary.recorder, standby: standby.recorder },
    substitutedVars: opts.substituter ? [...opts.substituter.names] : [],
  };
  if (skippedGlobal > 0) evidence.globalOneSided = skippedGlobal;
  if (drifts + counts.info + undecided.length > total) evidence.findingsShown = total;
  const infoNote = counts.info > 0 ? `; ${counts.info} informational difference${counts.info === 1 ? "" : "s"}` : "";
  const across = `${comparedPairs} ${opts.resourceType} pair${comparedPairs === 1 ? "" : "s"}`;
  if (drifts > 0) {
    const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
    const undecidedNote = undecided.length > 0 ? `; ${undecided.length} not comparable` : "";
    return { status: "fail", summary: `${drifts} drift${drifts === 1 ? "" : "s"} across ${across}: ${parts.join(", ")}${infoNote}${undecidedNote}`, findings, evidence };
  }
  if (undecided.length > 0) {
    return { status: "unknown", reason: "error", summary: `not comparable: ${undecided.join("; ")} (AWS Config holds no current configuration)`, findings, evidence };
  }
  if (pairs.length === 0) {
    return { status: "unknown", reason: "error", summary: `no ${opts.resourceType} matched on either side: nothing to compare`, findings, evidence };
  }
  if (comparedPairs === 0 && skippedGlobal === 0) {
    return { status: "unknown", reason: "error", summary: `no ${opts.resourceType} pair could be compared${infoNote}`, findings, evidence };
  }
  if (comparedPairs === 0) {
    return { status: "pass", summary: `no drift: ${skippedGlobal} global ${opts.resourceType} recorded in one region only, shared by both sides${infoNote}`, findings, evidence };
  }
  return { status: "pass", summary: `no drift across ${compared} compared value${compared === 1 ? "" : "s"} in ${across}${infoNote}`, findings, evidence };
}

function isGlobal(item: ConfigItem): boolean {
  return item.awsRegion === "global" || isGlobalResourceType(item.resourceType);
}

/** `orders-asg-usw2.configuration.maxSize`, message likewise. */
function prefixFinding(f: Finding, label: string): Finding {
  const inner = f.path ?? "";
  const path = inner.startsWith("[") ? `${label}${inner}` : `${label}.${inner}`;
  const message = f.message.startsWith(inner) ? `${path}${f.message.slice(inner.length)}` : `${label}: ${f.message}`;
  return { ...f, path, message };
}
