// Records come out of the file in the order they were appended, which is not quite time order:
// a scan records when it started but appends when it finished, so concurrent scans interleave.
// A small window (a min-heap on time, then file order) puts them back in time order without
// holding the whole history; a record displaced by more than the window is passed on as it is.
import type { HistoryRecord } from "./record.js";

interface Item {
  at: number;
  seq: number;
  bytes: number;
  rec: HistoryRecord;
}

function before(a: Item, b: Item): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class Reorder {
  private readonly heap: Item[] = [];
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly emit: (r: HistoryRecord) => void,
    private readonly maxItems = 1024,
    private readonly maxBytes = 4 << 20,
  ) {}

  push(rec: HistoryRecord, bytes: number): void {
    this.insert({ at: Date.parse(rec.at), seq: this.seq++, bytes, rec });
    this.bytes += bytes;
    while (this.heap.length > this.maxItems || (this.bytes > this.maxBytes && this.heap.length > 1)) this.emit(this.pop().rec);
  }

  flush(): void {
    while (this.heap.length > 0) this.emit(this.pop().rec);
  }

  private insert(item: Item): void {
    const h = this.heap;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Item {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    this.bytes -= top.bytes;
    return top;
  }
}
