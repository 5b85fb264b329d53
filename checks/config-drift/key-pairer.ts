// Pairs queried resources (AWS Config items, Kubernetes objects) by key while the sides are still
// being read: a pair is handed on (emit) as soon as both twins have arrived; only unmatched items
// are held.
import type { Side, Substituter } from "../../src/kit/index.js";

/** Where a finding sorts: explicit pairs by position, keyed pairs by label, unkeyed ones last. */
export interface Order {
  group: number;
  pos: number;
  label: string;
}

export interface Pair<T> {
  label: string;
  primary?: T;
  standby?: T;
  /** How the pair was made, for findings about one-sided resources. */
  how: string;
}

export interface KeyPairerOptions<T> {
  /** The item's pairing key before substitution; undefined or "" when it has none. */
  keyOf: (item: T) => string | undefined;
  /** How an item is named in findings. */
  nameOf: (item: T) => string;
  /** How pairs are made, for findings about one-sided items ("paired by name after side-var substitution"). */
  how: string;
  /** Said of an item without a key ("it has no tag Name"). */
  noKey?: string;
  /**
   * One item on each side is one comparison whatever its key (AWS Config queries: a rename is
   * drift, not two resources). Off where the key is the identity (Kubernetes names).
   */
  pairSingletons: boolean;
  substituter: Substituter | null;
  emit: (pair: Pair<T>, order: Order) => void;
}

/**
 * The n-th primary with a key (the primary's after side-var substitution) pairs with the n-th
 * standby with it (labels key, key#2...). With pairSingletons, until either side has shown a
 * second item everything is held.
 */
export class KeyPairer<T> {
  private readonly open = new Map<string, Pair<T>>();
  private readonly seen: Record<Side, Map<string, number>> = { primary: new Map(), standby: new Map() };
  private readonly count: Record<Side, number> = { primary: 0, standby: 0 };
  private held: Array<[Side, T]> | null;

  constructor(private readonly opts: KeyPairerOptions<T>) {
    this.held = opts.pairSingletons ? [] : null;
  }

  add(side: Side, items: readonly T[]): void {
    for (const item of items) {
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

  private place(side: Side, item: T): void {
    const { keyOf, nameOf, substituter, emit, how } = this.opts;
    const raw = keyOf(item);
    if (raw === undefined || raw === "") {
      emit({ label: nameOf(item), [side]: item, how: `${how}; ${this.opts.noKey ?? "it has no key"}` }, { group: 1, pos: 0, label: nameOf(item) });
      return;
    }
    const key = side === "primary" && substituter ? substituter.apply(raw) : raw;
    const n = (this.seen[side].get(key) ?? 0) + 1;
    this.seen[side].set(key, n);
    const label = n === 1 ? key : `${key}#${n}`;
    const pair = this.open.get(label);
    if (pair && !pair[side]) {
      pair[side] = item;
      this.open.delete(label);
      emit(pair, { group: 0, pos: 0, label });
      return;
    }
    this.open.set(label, { label, how, [side]: item });
  }

  finish(): void {
    if (this.held !== null) {
      const held = this.held;
      this.held = null;
      const p = held.find(([s]) => s === "primary")?.[1];
      const s = held.find(([x]) => x === "standby")?.[1];
      if (p !== undefined && s !== undefined) {
        const label = this.opts.nameOf(s);
        this.opts.emit({ label, primary: p, standby: s, how: "the only resource on each side" }, { group: 0, pos: 0, label });
        return;
      }
      for (const [hs, hi] of held) this.place(hs, hi);
    }
    for (const [label, pair] of this.open) this.opts.emit(pair, { group: 0, pos: 0, label });
    this.open.clear();
  }
}
