// The TUI's adapter over src/history: one read of the JSONL file gives the state (first-seen
// times, as `scan` uses them) *and* the records (score trend, recent readings per check), which
// HistorySession does not expose. Appends go through the same HistoryWriter and HistoryState.
import type { CheckReport } from "../engine/types.js";
import { recordOf, type HistoryRecord } from "../history/record.js";
import { HistoryState } from "../history/state.js";
import { DEFAULT_MAX_BYTES, HistoryWriter, readHistory } from "../history/store.js";
import type { Reading } from "./model.js";

export const MAX_READINGS = 50;
export const MAX_TREND = 120;

export class TuiHistory {
  readonly state: HistoryState;
  readonly notes: string[] = [];
  readonly trend: number[] = [];
  readonly readings = new Map<string, Reading[]>();
  private readonly writer: HistoryWriter | null;
  private failedOnce = false;

  /** file null: history off; first-seen times are still kept in memory for this session. */
  constructor(
    readonly file: string | null,
    maxBytes = DEFAULT_MAX_BYTES,
  ) {
    let records: HistoryRecord[] = [];
    if (file) {
      try {
        const read = readHistory(file);
        records = read.records;
        this.notes.push(...read.notes.map((n) => `history: ${n}`));
      } catch (err) {
        this.notes.push(`history: cannot read ${file}: ${(err as Error).message}`);
      }
    }
    this.writer = file ? new HistoryWriter(file, maxBytes) : null;
    this.state = HistoryState.from(records);
    for (const r of records) this.fold(r);
  }

  private fold(r: HistoryRecord): void {
    if (!r.partial) {
      this.trend.push(r.score);
      if (this.trend.length > MAX_TREND) this.trend.splice(0, this.trend.length - MAX_TREND);
    }
    for (const e of r.checks) {
      let list = this.readings.get(e.id);
      if (!list) this.readings.set(e.id, (list = []));
      list.push({ at: r.at, status: e.st, ...(e.v !== undefined ? { value: e.v } : {}) });
      if (list.length > MAX_READINGS) list.splice(0, list.length - MAX_READINGS);
    }
  }

  /** Appends (when history is on) and folds the record in. Never throws: a full disk is a note. */
  append(report: Parameters<typeof recordOf>[0], checks: readonly CheckReport[], src: "scan" | "watch", partial: boolean, services?: ReadonlySet<string>): void {
    const rec = recordOf(report, checks, src, partial, services);
    if (this.writer) {
      try {
        this.writer.append(rec);
      } catch (err) {
        if (!this.failedOnce) this.notes.push(`history: cannot append to ${this.file}: ${(err as Error).message}`);
        this.failedOnce = true;
      }
    }
    this.state.apply(rec);
    this.fold(rec);
  }

  /** Since when the check's current problem persists: the earliest first-seen of its current streak. */
  problemSince(id: string): string | null {
    const seen = this.state.firstSeen.get(id);
    if (!seen || seen.size === 0) return null;
    let min: string | null = null;
    for (const at of seen.values()) if (min === null || Date.parse(at) < Date.parse(min)) min = at;
    return min;
  }

  sync(): void {
    this.writer?.sync();
  }
}
