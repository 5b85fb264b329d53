// Pairs the two sides' configuration items and judges each pair with the effective rules:
// the check's own `rules` first, then the resource type's pack, then the common rules (identity
// and recording metadata). Items that are deleted or not recorded are never compared as current.
// Streaming: batches from src/probes/aws-config arrive side by side; explicit ids pair by position
// as soon as both ids of a position are settled, queried items pair by key as soon as both twins
// have arrived. Only unmatched items are held; a judged pair is dropped at once.
import { z } from "zod";
import type { CheckOutcome, Finding } from "../../../src/engine/types.js";
import { type ConfigItem, displayName, identity, type ItemBatch, type Side, type SideRead } from "../../../src/probes/aws-config/index.js";
import { DriftDiffer, type DriftCounts, type DriftVerdict, type RawDriftView, type Tolerance } from "../diff.js";
import { Normaliser, type Substituter } from "../normalise.js";
import { formatPath, GlobSet, type GlobState } from "../paths.js";
import { COMMON_RULES, isGlobalResourceType, PACKS, type PackRule } from "../rules/index.js";
import { compareInstanceClass } from "../size-order.js";

const nonEmpty = z.string().min(1);

export const pairBySchema = z
  .union([z.literal("name"), z.strictObject({ tag: nonEmpty })])
  .describe('How queried resources pair up: "name" (resource names equal after side-var substitution) or { tag: Name } (same tag value)');

export const userRuleSchema = z.strictObject({
  path: nonEmpty,
  kind: z.enum(["match", "atLeast", "sizeOrder", "info", "ignore"]),
  count: z.boolean().optional(),
  tolerance: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/, "expected a percentage like 15% or a number")]).optional(),
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
  /** The count paths as a trie when none has a wildcard (the packs'): visits only those paths. */
  private readonly countTrie: CountNode | null;

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
    this.countTrie = literalTrie(this.counted.patterns);
  }

  private verdict(d: RawDriftView): DriftVerdict | null {
    const idx = this.lookup.match(d.matchPath);
    if (idx < 0) return d.rule ? { change: d.change, rule: d.rule } : { change: d.change };
    const rule = this.rules[idx]!;
    const byCount = rule.count ? " (compared by count)" : "";
    switch (rule.kind) {
      case "info":
        // Only the check's own atLeast makes an info path weaker: the user's option wins over the pack.
        if (d.change === "weaker") return { change: "weaker", rule: `atLeast from the check's options (the pack only informs: ${rule.reason})` };
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

  diffPair(p: ConfigItem, s: ConfigItem, maxFindings: number): { findings: Finding[]; counts: DriftCounts; compared: number } {
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

/** Where a finding sorts: explicit pairs by position, keyed pairs by label, unkeyed ones last. */
interface Order {
  group: number;
  pos: number;
  label: string;
}

interface Ranked {
  order: Order;
  seq: number;
  finding: Finding;
}

function compareRanked(a: Ranked, b: Ranked): number {
  return a.order.group - b.order.group || a.order.pos - b.order.pos || (a.order.label < b.order.label ? -1 : a.order.label > b.order.label ? 1 : 0) || a.seq - b.seq;
}

/**
 * Explicit ids: position k pairs primary ids[k] with standby ids[k]. A position is judged as soon
 * as both of its ids are settled (found or known absent); an item is held until every position
 * naming it was judged.
 */
/** One side's id in explicit mode: settled once its item arrived or its request came back without it. */
interface IdSlot {
  settled: boolean;
  item: ConfigItem | null;
  positions: number[];
  /** Positions naming this id not judged yet; the item is dropped at 0. */
  refs: number;
}

class PositionPairer {
  private readonly slots: Record<Side, Map<string, IdSlot>> = { primary: new Map(), standby: new Map() };
  /** Position k -> the slot of each side's id there: no map lookups to find a twin. */
  private readonly at: Record<Side, IdSlot[]> = { primary: [], standby: [] };
  private readonly done: Uint8Array;

  constructor(
    private readonly ids: { primary: readonly string[]; standby: readonly string[] },
    private readonly substituter: Substituter | null,
    private readonly emit: (pair: Pair, order: Order) => void,
  ) {
    this.done = new Uint8Array(ids.primary.length);
    for (const side of ["primary", "standby"] as const) {
      const slots = this.slots[side];
      const at = this.at[side];
      ids[side].forEach((id, k) => {
        let slot = slots.get(id);
        if (slot) slot.positions.push(k);
        else slots.set(id, (slot = { settled: false, item: null, positions: [k], refs: 0 }));
        slot.refs++;
        at.push(slot);
      });
    }
  }

  add(side: Side, batch: ItemBatch): void {
    // Items settle their own ids; the request's id list (last slice) settles the rest as absent.
    const slots = this.slots[side];
    for (const item of batch.items) this.settle(side, slots.get(item.resourceId), item);
    if (batch.ids) for (const id of batch.ids) this.settle(side, slots.get(id), null);
  }

  private settle(side: Side, slot: IdSlot | undefined, item: ConfigItem | null): void {
    if (!slot || slot.settled) return;
    slot.settled = true;
    slot.item = item;
    const other = this.at[side === "primary" ? "standby" : "primary"];
    for (const k of slot.positions) {
      if (!this.done[k] && other[k]!.settled) this.judge(k);
    }
  }

  private judge(k: number): void {
    this.done[k] = 1;
    const ps = this.at.primary[k]!;
    const ss = this.at.standby[k]!;
    const p = ps.item ?? undefined;
    const s = ss.item ?? undefined;
    // Forget an item once no position still needs it (its id stays settled).
    if (--ps.refs <= 0) ps.item = null;
    if (--ss.refs <= 0) ss.item = null;
    const pid = this.ids.primary[k]!;
    const sid = this.ids.standby[k]!;
    const pair: Pair = { label: s ? displayName(s) : sid, how: `explicit pair ${pid} / ${sid}` };
    if (p) pair.primary = p;
    if (s) pair.standby = s;
    if (!s && p) pair.label = this.substituter ? this.substituter.apply(displayName(p)) : displayName(p);
    this.emit(pair, { group: 0, pos: k, label: "" });
  }

  /** Positions never settled (cannot happen when both reads completed). */
  finish(): void {
    for (let k = 0; k < this.done.length; k++) if (!this.done[k]) this.judge(k);
  }
}

/**
 * Queried items pair by key (name after side-var substitution, or a tag value) as they arrive;
 * the n-th primary with a key pairs with the n-th standby with it (labels key, key#2...). Until
 * either side has shown a second item everything is held, because one resource on each side is
 * one comparison whatever its key.
 */
class KeyPairer {
  private readonly open = new Map<string, Pair>();
  private readonly seen: Record<Side, Map<string, number>> = { primary: new Map(), standby: new Map() };
  private readonly count: Record<Side, number> = { primary: 0, standby: 0 };
  private held: Array<[Side, ConfigItem]> | null = [];
  private readonly how: string;

  constructor(
    private readonly pairBy: PairBy,
    private readonly substituter: Substituter | null,
    private readonly emit: (pair: Pair, order: Order) => void,
  ) {
    this.how = pairBy === "name" ? "paired by name after side-var substitution" : `paired by tag ${pairBy.tag}`;
  }

  add(side: Side, batch: ItemBatch): void {
    for (const item of batch.items) {
      this.count[side]++;
      if (this.held !== null) {
        this.held.push([side, item]);
        if (this.count.primary < 2 && this.count.standby < 2) continue;
        const held = this.held;
        this.held = null;
        for (const [hs, hi] of held) this.place(hs, hi);
        continue;
      }
      this.place(side, item);
    }
  }

  private place(side: Side, item: ConfigItem): void {
    const raw = this.pairBy === "name" ? displayName(item) : item.tags[this.pairBy.tag];
    if (raw === undefined || raw === "") {
      this.emit({ label: displayName(item), [side]: item, how: `${this.how}; it has no tag ${(this.pairBy as { tag: string }).tag}` }, { group: 1, pos: 0, label: displayName(item) });
      return;
    }
    const key = side === "primary" && this.substituter ? this.substituter.apply(raw) : raw;
    const n = (this.seen[side].get(key) ?? 0) + 1;
    this.seen[side].set(key, n);
    const label = n === 1 ? key : `${key}#${n}`;
    const pair = this.open.get(label);
    if (pair && !pair[side]) {
      pair[side] = item;
      this.open.delete(label);
      this.emit(pair, { group: 0, pos: 0, label });
      return;
    }
    this.open.set(label, { label, how: this.how, [side]: item });
  }

  finish(): void {
    if (this.held !== null) {
      const held = this.held;
      this.held = null;
      const p = held.find(([s]) => s === "primary")?.[1];
      const s = held.find(([x]) => x === "standby")?.[1];
      if (p && s) {
        this.emit({ label: displayName(s), primary: p, standby: s, how: "the only resource on each side" }, { group: 0, pos: 0, label: displayName(s) });
        return;
      }
      for (const [hs, hi] of held) this.place(hs, hi);
    }
    for (const [label, pair] of this.open) this.emit(pair, { group: 0, pos: 0, label });
    this.open.clear();
  }
}

/**
 * One check run's comparison, fed batch by batch (add) while the sides are still being read, and
 * summed up once both reads completed (finish).
 */
export class AwsDriftComparison {
  private readonly judge: AwsJudge;
  private readonly pairer: PositionPairer | KeyPairer;
  private readonly counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
  private ranked: Ranked[] = [];
  private readonly undecided: string[] = [];
  private pairs = 0;
  private compared = 0;
  private comparedPairs = 0;
  private skippedGlobal = 0;
  private stopped = false;

  constructor(private readonly opts: AwsCompareOptions) {
    this.judge = new AwsJudge(opts);
    const emit = (pair: Pair, order: Order) => this.judgePair(pair, order);
    this.pairer = opts.ids ? new PositionPairer(opts.ids, opts.substituter, emit) : new KeyPairer(opts.pairBy, opts.substituter, emit);
  }

  add(side: Side, batch: ItemBatch): void {
    if (!this.stopped) this.pairer.add(side, batch);
  }

  /** A side failed: the result will be unknown, so stop spending CPU on the other side's items. */
  stop(): void {
    this.stopped = true;
  }

  private push(f: Finding, order: Order, seq: number): void {
    this.ranked.push({ order, seq, finding: f });
    // Keep memory bounded: only the first maxFindings (in report order) can be shown.
    if (this.ranked.length > 4 * this.opts.maxFindings + 64) this.trim();
  }

  private trim(): void {
    this.ranked.sort(compareRanked);
    if (this.ranked.length > this.opts.maxFindings) this.ranked.length = this.opts.maxFindings;
  }

  private judgePair(pair: Pair, order: Order): void {
    const opts = this.opts;
    const counts = this.counts;
    this.pairs++;
    const label = formatPath([pair.label]);
    const p = pair.primary;
    const s = pair.standby;
    const notRecorded = [p && p.status === "ResourceNotRecorded" ? `primary ${displayName(p)}` : null, s && s.status === "ResourceNotRecorded" ? `standby ${displayName(s)}` : null].filter(Boolean) as string[];
    if (notRecorded.length > 0) {
      this.undecided.push(...notRecorded.map((w) => `${w} is ResourceNotRecorded`));
      this.push(
        {
          message: `${label}: ${notRecorded.join(" and ")} ${notRecorded.length === 1 ? "is" : "are"} not recorded by AWS Config (ResourceNotRecorded): configuration unknown, not compared`,
          level: "warn",
          path: label,
          rule: "items AWS Config does not record have no current configuration",
          ...(p ? { primary: identity(p) } : {}),
          ...(s ? { standby: identity(s) } : {}),
        },
        order,
        0,
      );
      return;
    }
    const pLive = p && !DELETED.has(p.status) ? p : undefined;
    const sLive = s && !DELETED.has(s.status) ? s : undefined;
    if (pLive && sLive) {
      const r = this.judge.diffPair(pLive, sLive, opts.maxFindings);
      this.comparedPairs++;
      this.compared += r.compared;
      for (const k of Object.keys(counts) as Array<keyof DriftCounts>) counts[k] += r.counts[k];
      r.findings.forEach((f, i) => this.push(prefixFinding(f, label), order, i));
      return;
    }
    const one = pLive ?? sLive;
    if (one && isGlobal(one)) {
      this.skippedGlobal++;
      counts.info++;
      this.push(
        {
          message: `${label}: global resource ${one.resourceType} recorded on the ${pLive ? "primary" : "standby"} side only (AWS Config records global resources in one region); not compared`,
          level: "info",
          path: label,
          rule: "global resources (IAM) are recorded in one region only",
          ...(pLive ? { primary: identity(pLive) } : { standby: identity(sLive!) }),
        },
        order,
        0,
      );
      return;
    }
    if (!pLive && !sLive) {
      if (p || s) {
        counts.info++;
        this.push({ message: `${label}: deleted on both sides (${[p?.status, s?.status].filter(Boolean).join(", ")}); nothing to compare`, level: "info", path: label, rule: "deleted resources are not compared" }, order, 0);
      } else {
        counts.missing++;
        this.push({ message: `${label}: found on neither side (${pair.how})`, path: label, change: "missing", rule: "an explicitly named resource must exist on both sides" }, order, 0);
      }
      return;
    }
    if (pLive) {
      counts.missing++;
      const why = s ? `standby ${displayName(s)} is ${s.status} in AWS Config` : `no standby ${opts.resourceType} (${pair.how})`;
      this.push(
        {
          message: `${label}: ${opts.resourceType} ${displayName(pLive)} is missing on standby: ${why}`,
          path: label,
          change: "missing",
          primary: identity(pLive),
          ...(s ? { standby: identity(s) } : {}),
          rule: s ? "deleted resources are never compared as current" : "every primary resource needs its standby counterpart",
        },
        order,
        0,
      );
    } else {
      counts.extra++;
      const why = p ? `primary ${displayName(p)} is ${p.status} in AWS Config` : `no primary ${opts.resourceType} (${pair.how})`;
      this.push(
        {
          message: `${label}: ${opts.resourceType} ${displayName(sLive!)} exists only on standby: ${why}`,
          path: label,
          change: "extra",
          standby: identity(sLive!),
          ...(p ? { primary: identity(p) } : {}),
          rule: p ? "deleted resources are never compared as current" : "a standby resource without a primary counterpart",
        },
        order,
        0,
      );
    }
  }

  finish(primary: SideRead, standby: SideRead): CheckOutcome {
    this.pairer.finish();
    this.trim();
    const opts = this.opts;
    const counts = this.counts;
    const findings = this.ranked.map((r) => r.finding);
    this.ranked = [];
    const { comparedPairs, compared, skippedGlobal, undecided } = this;
    const drifts = counts.changed + counts.missing + counts.extra + counts.weaker;
    const total = findings.length;
    const evidence: Record<string, unknown> = {
      resourceType: opts.resourceType,
      pairs: this.pairs,
      comparedPairs,
      compared,
      ...counts,
      primaryResources: primary.items[0] ?? 0,
      standbyResources: standby.items[0] ?? 0,
      requests: { primary: primary.requests, standby: standby.requests },
      rules: { pack: opts.packs && PACKS[opts.resourceType] ? opts.resourceType : null, total: this.judge.rules.length },
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
    if (this.pairs === 0) {
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
