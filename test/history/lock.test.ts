// The rotation lock: a lock left by a writer that is gone does not stop rotation; a live one
// delays it at most LOCK_WAIT_MS, after which the writer appends without rotating (never fails).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_WAIT_MS } from "../../src/history/lock.js";
import type { HistoryRecord } from "../../src/history/record.js";
import { HistoryWriter, readHistory } from "../../src/history/store.js";

const rec = (i: number): HistoryRecord => ({ v: 1, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), src: "scan", status: "READY", score: 100, svc: {}, checks: [{ id: "a", svc: "s", st: "pass", fp: [], ms: 1 }] });
const LEN = JSON.stringify(rec(0)).length + 1;

function full(): { file: string; w: HistoryWriter } {
  const file = join(mkdtempSync(join(tmpdir(), "standby-lock-")), "h.jsonl");
  const w = new HistoryWriter(file, 2.5 * LEN);
  w.append(rec(0));
  w.append(rec(1)); // the next append rotates
  return { file, w };
}

describe("rotation lock", () => {
  it("a lock whose process is gone is removed at once", () => {
    const { file, w } = full();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(`${file}.lock`, `${dead} ${hostname()} 2026-01-01T00:00:00.000Z\n`);
    const t = Date.now();
    expect(w.append(rec(2))).toEqual([]);
    expect(Date.now() - t).toBeLessThan(LOCK_WAIT_MS / 2);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("a lock older than the stale limit is removed, even of a live process", () => {
    const { file, w } = full();
    writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} 2026-01-01T00:00:00.000Z\n`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    expect(w.append(rec(2))).toEqual([]);
    expect(existsSync(`${file}.1`)).toBe(true);
  });

  it("a live lock: the writer waits, then appends without rotating and says so", () => {
    const { file, w } = full();
    writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} now\n`);
    const t = Date.now();
    expect(w.append(rec(2))).toEqual([`${file}: could not take ${file}.lock to rotate; appended without rotating`]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 50);
    expect(existsSync(`${file}.1`)).toBe(false);
    expect(readHistory(file).records).toHaveLength(3);
    expect(existsSync(`${file}.lock`)).toBe(true); // not ours to remove
  }, 10_000);
});
