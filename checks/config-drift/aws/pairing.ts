// Pairing while the sides are still being read. Explicit ids pair by position as soon as both ids
// of a position are settled; queried items pair by key (../key-pairer.ts, keyPairer below) as soon
// as both twins have arrived. Only unmatched items are held; a pair is handed on (emit) at once.
import type { Side, Substituter } from "../../../src/kit/index.js";
import { displayName, type ConfigItem, type ItemBatch } from "../../../src/probes/aws-config/index.js";
import { KeyPairer, type Order } from "../key-pairer.js";
import type { Pair, PairBy } from "./options.js";

export type { Order };

/** One side's id in explicit mode: settled once its item arrived or its request came back without it. */
interface IdSlot {
  settled: boolean;
  item: ConfigItem | null;
  positions: number[];
  /** Positions naming this id not judged yet; the item is dropped at 0. */
  refs: number;
}

/**
 * Explicit ids: position k pairs primary ids[k] with standby ids[k]. A position is judged as soon
 * as both of its ids are settled (found or known absent); an item is held until every position
 * naming it was judged.
 */
export class PositionPairer {
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

/** Queried items: by name (resourceName, else resourceId) after side-var substitution, or by a tag's value. */
export function keyPairer(pairBy: PairBy, substituter: Substituter | null, emit: (pair: Pair, order: Order) => void): KeyPairer<ConfigItem> {
  return new KeyPairer<ConfigItem>({
    keyOf: (item) => (pairBy === "name" ? displayName(item) : item.tags[pairBy.tag]),
    nameOf: displayName,
    how: pairBy === "name" ? "paired by name after side-var substitution" : `paired by tag ${pairBy.tag}`,
    ...(pairBy === "name" ? {} : { noKey: `it has no tag ${pairBy.tag}` }),
    pairSingletons: true,
    substituter,
    emit,
  });
}
