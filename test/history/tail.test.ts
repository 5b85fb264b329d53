// The tail reader: lines across chunk boundaries (multi-byte characters split between chunks
// included), a range starting mid-line, a torn last line; the reorder window puts concurrent
// scans back in time order.
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HistoryRecord } from "../../src/history/record.js";
import { Reorder } from "../../src/history/reorder.js";
import { CHUNK_BYTES, lineStart, linesOf } from "../../src/history/tail.js";

describe("tail reader", () => {
  it("reads every line of a range as split() would, whatever the chunk boundaries", () => {
    const lines = Array.from({ length: 9000 }, (_, i) => `${i}:${"é€😀x".repeat(i % 97)}`);
    const text = lines.join("\n") + "\ntorn-" + "ü".repeat(10);
    const file = join(mkdtempSync(join(tmpdir(), "standby-tail-")), "t.txt");
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    expect(size).toBeGreaterThan(2 * CHUNK_BYTES);
    const fd = openSync(file, "r");
    try {
      const counter = { bytes: 0 };
      const got = [...linesOf(fd, 0, size, 1 << 20, counter)];
      expect(got.slice(0, -1)).toEqual(lines.map((text) => ({ text, complete: true })));
      expect(got.at(-1)).toEqual({ text: "torn-" + "ü".repeat(10), complete: false });
      expect(counter.bytes).toBe(size);

      // From the middle of a line: that line's rest is skipped.
      const mid = Buffer.byteLength(lines.slice(0, 5000).join("\n")) - 3;
      const start = lineStart(fd, mid, size, counter);
      const tail = [...linesOf(fd, start, size, 1 << 20, { bytes: 0 })];
      expect((tail[0] as { text: string }).text).toBe(lines[5000]);

      // A line over the limit is reported as too long, not buffered.
      const capped = [...linesOf(fd, 0, size, 200, { bytes: 0 })];
      expect(capped.filter((l) => "tooLong" in l).length).toBe(lines.filter((l) => Buffer.byteLength(l) > 200).length);
    } finally {
      closeSync(fd);
    }
  });

  it("the reorder window emits records in time order (then file order)", () => {
    const at = (m: number, id: string): HistoryRecord => ({ v: 1, at: new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString(), src: "scan", status: "READY", score: 100, svc: {}, checks: [{ id, svc: "s", st: "pass", fp: [], ms: 1 }] });
    const out: string[] = [];
    const r = new Reorder((x) => out.push(x.checks[0]!.id), 4);
    for (const [m, id] of [[3, "c"], [1, "a"], [2, "b1"], [2, "b2"], [5, "e"], [4, "d"], [0, "late"]] as const) r.push(at(m, id), 100);
    r.flush();
    // "late" is displaced by more than the window of 4: it comes out at once, after the ones already out.
    expect(out).toEqual(["a", "b1", "late", "b2", "c", "d", "e"]);
  });
});
