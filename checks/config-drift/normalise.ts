// Normalisation before the diff, in the order DESIGN.md fixes: side-var substitution (primary
// only), `ignore` removal, `keys` matching. One walk per document; subtrees that nothing changes
// are returned as-is (copy-on-write), so the normalised document shares most of its memory
// with the original and costs about one traversal.
import { GlobSet, type GlobState, keyedSegment, positionalSegment } from "./paths.js";
import { setOwn } from "../../src/core/own-property.js";
import type { Substituter } from "../../src/kit/side-vars.js";

export interface NormaliseRules {
  ignore: readonly string[];
  /** Array match path glob -> key field. */
  keys: Readonly<Record<string, string>>;
}

export interface Normalised {
  value: unknown;
  /** Scalar values left after normalisation: the "compared values" of the summary. */
  leaves: number;
}

/** Keyed objects made from arrays -> synthetic segment -> the item's original array index. */
const keyedOrigins = new WeakMap<object, Map<string, number>>();

/** For mapping a finding back to the original (un-substituted) array item. */
export function keyedOrigin(container: object): Map<string, number> | undefined {
  return keyedOrigins.get(container);
}

/** Rules compiled once per check run (or once per benchmark), applied to many documents. */
export class Normaliser {
  private readonly ignore: GlobSet;
  private readonly keys: GlobSet;
  private readonly keyFields: string[];
  private leaves = 0;
  private sub: ((s: string) => string) | null = null;

  constructor(rules: NormaliseRules) {
    this.ignore = new GlobSet(rules.ignore);
    const keyPatterns = Object.keys(rules.keys);
    this.keys = new GlobSet(keyPatterns);
    this.keyFields = keyPatterns.map((p) => rules.keys[p]!);
  }

  normalise(doc: unknown, substituter: Substituter | null = null): Normalised {
    this.leaves = 0;
    this.sub = substituter ? substituter.apply : null;
    const value = this.walk(doc, this.ignore.start, this.keys.start);
    return { value, leaves: this.leaves };
  }

  private walk(v: unknown, ig: GlobState, ks: GlobState): unknown {
    if (typeof v === "string") {
      this.leaves++;
      return this.sub === null ? v : this.sub(v);
    }
    if (v === null || typeof v !== "object") {
      this.leaves++;
      return v;
    }
    if (Array.isArray(v)) {
      // Array positions are not path segments: items are matched with the array's own states.
      if (ks.accept >= 0) return this.keyed(v, this.keyFields[ks.accept]!, ig, ks);
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        const n = this.walk(item, ig, ks);
        if (n !== item && out === null) out = v.slice(0, i);
        if (out !== null) out.push(n);
      }
      return out ?? v;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const igNext = this.ignore.step(ig, key);
      if (igNext.accept >= 0) {
        if (out === null) out = copyKeys(obj, keys, i);
        continue;
      }
      const child = obj[key];
      const n = this.walk(child, igNext, this.keys.step(ks, key));
      if (n !== child && out === null) out = copyKeys(obj, keys, i);
      if (out !== null) setOwn(out, key, n);
    }
    return out ?? obj;
  }

  /** Array -> object keyed by `field=value`, so reordering is not drift and paths name items. */
  private keyed(items: unknown[], field: string, ig: GlobState, ks: GlobState): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // No items, no segments to map back: skip the origin map (and its WeakMap entry, which costs GC).
    if (items.length === 0) return out;
    const origin = new Map<string, number>();
    const seen = new Map<string, number>();
    for (let i = 0; i < items.length; i++) {
      const item = this.walk(items[i], ig, ks);
      const keyValue = item !== null && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>)[field] : undefined;
      let seg: string;
      if (keyValue === undefined) seg = positionalSegment(i);
      else {
        const base = keyedSegment(field, keyValue, 1);
        const count = (seen.get(base) ?? 0) + 1;
        seen.set(base, count);
        seg = count === 1 ? base : keyedSegment(field, keyValue, count);
      }
      out[seg] = item;
      origin.set(seg, i);
    }
    keyedOrigins.set(out, origin);
    return out;
  }
}

function copyKeys(obj: Record<string, unknown>, keys: string[], upTo: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let j = 0; j < upTo; j++) setOwn(out, keys[j]!, obj[keys[j]!]);
  return out;
}
