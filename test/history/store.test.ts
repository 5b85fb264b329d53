import { appendFileSync, mkdtempSync, readFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { secrets } from "../../src/core/secrets.js";
import { buildReport } from "../../src/engine/report.js";
import type { CheckReport, CheckStatus, Finding } from "../../src/engine/types.js";
import { flappers } from "../../src/cli/history-command.js";
import { sparkline } from "../../src/report/format.js";
import { findingFingerprint, recordOf, type HistoryRecord } from "../../src/history/record.js";
import { annotateReport, HistoryState } from "../../src/history/state.js";
import { HistoryWriter, readHistory } from "../../src/history/store.js";

const dir = () => mkdtempSync(join(tmpdir(), "standby-history-"));

function check(id: string, status: CheckStatus, findings: Finding[] = [], extra: Partial<CheckReport> = {}): CheckReport {
  return { id, service: "orders", kind: "config-drift", title: "t", severity: "high", status, reason: status === "unknown" ? "timeout" : null, summary: status, measured: null, findings, durationMs: 3, points: { earned: 0, possible: 5 }, docs: "", ...extra };
}

function report(at: string, checks: CheckReport[]) {
  return buildReport({ startedAt: new Date(at), durationMs: 5, minScore: 80, services: ["orders"], checks });
}

const drift = (path: string, change: Finding["change"] = "changed"): Finding => ({ message: `${path} differs`, path, change, primary: 1, standby: 2 });

describe("history store", () => {
  it("appends one line per record and reads them back", () => {
    const file = join(dir(), "sub", "h.jsonl");
    const w = new HistoryWriter(file);
    for (let i = 0; i < 5; i++) w.append(recordOf(report(`2026-01-0${i + 1}T00:00:00Z`, [check("a", "pass")]), [check("a", "pass")], "scan", false));
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")).toHaveLength(6);
    const { records, notes } = readHistory(file);
    expect(records).toHaveLength(5);
    expect(notes).toEqual([]);
    expect(records[0]).toMatchObject({ v: 1, src: "scan", status: "READY", score: 100, svc: { orders: "READY" }, checks: [{ id: "a", svc: "orders", st: "pass", fp: [], ms: 3 }] });
  });

  it("records are compact and redacted: fingerprints, not findings; no secret values", () => {
    secrets.add("hunter2-secret-token");
    try {
      const c = check("a", "fail", [drift("db.password"), { message: "token hunter2-secret-token leaked" }], { measured: { value: 42, unit: "s" } });
      const rec = recordOf(report("2026-01-01T00:00:00Z", [c]), [c], "scan", false);
      const line = JSON.stringify(rec);
      expect(line).not.toContain("hunter2");
      expect(line).not.toContain("db.password");
      expect(rec.checks[0]).toMatchObject({ st: "fail", v: 42, fp: [expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/^[0-9a-f]{12}$/)] });
    } finally {
      secrets.clear();
    }
  });

  it("tolerates a torn last line, and the next append starts on a fresh line", () => {
    const file = join(dir(), "h.jsonl");
    const w = new HistoryWriter(file);
    const rec = (at: string) => recordOf(report(at, [check("a", "pass")]), [check("a", "pass")], "scan", false);
    w.append(rec("2026-01-01T00:00:00Z"));
    w.append(rec("2026-01-02T00:00:00Z"));
    const full = JSON.stringify(rec("2026-01-03T00:00:00Z"));
    appendFileSync(file, full.slice(0, 37)); // a writer killed mid-line
    let r = readHistory(file);
    expect(r.records).toHaveLength(2);
    expect(r.notes).toEqual([`${file}: skipped a torn last line (an interrupted write)`]);
    w.append(rec("2026-01-04T00:00:00Z"));
    r = readHistory(file);
    expect(r.records.map((x) => x.at)).toEqual(["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-04T00:00:00.000Z"]);
    expect(r.notes).toEqual([`${file}: skipped 1 unreadable line (interrupted writes or foreign data)`]);
  });

  it("a line that is JSON but not a record down to its check entries is skipped, and the state built from the rest works", () => {
    const file = join(dir(), "h.jsonl");
    const w = new HistoryWriter(file);
    const good = recordOf(report("2026-01-01T00:00:00Z", [check("a", "fail", [drift("x")])]), [check("a", "fail", [drift("x")])], "scan", false);
    w.append(good);
    const broken = [
      { ...good, checks: [null] },
      { ...good, checks: [{ ...good.checks[0], id: 7 }] },
      { ...good, checks: [{ ...good.checks[0], st: "exploded" }] },
      { ...good, checks: [{ ...good.checks[0], fp: null }] },
      { ...good, svc: { orders: 3 } },
    ];
    for (const b of broken) appendFileSync(file, `${JSON.stringify(b)}\n`);
    const r = readHistory(file);
    expect(r.records).toEqual([good]);
    expect(r.notes).toEqual([`${file}: skipped 5 unreadable lines (interrupted writes or foreign data)`]);
    // What scan does with it: the state and the annotation work (a malformed entry used to crash them).
    const annotated = annotateReport(report("2026-01-02T00:00:00Z", [check("a", "fail", [drift("x")])]), HistoryState.from(r.records));
    expect(annotated.checks[0]!.findings[0]!.firstSeen).toBe("2026-01-01T00:00:00.000Z");
    expect(flappers(r.records)).toEqual([{ id: "a", service: "orders", changes: 0, runs: 1, statuses: ["fail"] }]);
  });

  it("rotates past maxBytes to FILE.1 and reads both generations", () => {
    const file = join(dir(), "h.jsonl");
    const w = new HistoryWriter(file, 2000);
    for (let i = 0; i < 40; i++) {
      const c = check("a", "pass");
      w.append(recordOf(report(new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), [c]), [c], "scan", false));
    }
    expect(statSync(file).size).toBeLessThanOrEqual(2000);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(2000);
    const { records } = readHistory(file);
    expect(records.length).toBeGreaterThan(10);
    expect(records.length).toBeLessThan(40);
    expect(records[records.length - 1]!.at).toBe("2026-01-01T00:39:00.000Z");
    // ordered, contiguous tail
    const mins = records.map((r) => new Date(r.at).getUTCMinutes());
    expect(mins).toEqual(Array.from({ length: mins.length }, (_, i) => 40 - mins.length + i));
  });

  it("a missing file is an empty history", () => {
    expect(readHistory(join(dir(), "nope.jsonl"))).toEqual({ records: [], notes: [], stats: { totalBytes: 0, bytesRead: 0 } });
  });
});

describe("first seen and the comparison with the previous scan", () => {
  it("tracks new, resolved and persisting problems and when each was first seen", () => {
    const state = new HistoryState();
    const scans: Array<[string, CheckReport[]]> = [
      ["2026-01-01T00:00:00.000Z", [check("a", "fail", [drift("x"), drift("y")]), check("b", "pass")]],
      ["2026-01-02T00:00:00.000Z", [check("a", "unknown"), check("b", "pass")]], // undecided: streaks go on
      ["2026-01-03T00:00:00.000Z", [check("a", "fail", [drift("y"), drift("z")]), check("b", "unknown")]],
    ];
    let last;
    for (const [at, checks] of scans) {
      last = annotateReport(report(at, checks), state);
      state.apply(recordOf(last, last.checks, "scan", false));
    }
    const r = last!;
    expect(r.comparison!.previousAt).toBe("2026-01-02T00:00:00.000Z");
    const a = r.checks.find((c) => c.id === "a")!;
    expect(a.findings.map((f) => [f.path, f.firstSeen])).toEqual([
      ["y", "2026-01-01T00:00:00.000Z"],
      ["z", "2026-01-03T00:00:00.000Z"],
    ]);
    // Against a's previous run (unknown/timeout): its findings are all new to that run, the status problem resolved.
    const key = (i: { check: string; path?: string; fingerprint: string }) => `${i.check}:${i.path ?? i.fingerprint}`;
    expect(r.comparison!.new.map(key).sort()).toEqual(["a:y", "a:z", "b:status:unknown:timeout"]);
    expect(r.comparison!.resolved.map(key)).toEqual(["a:status:unknown:timeout"]);
    expect(r.comparison!.persisting).toEqual([]);

    const r4 = annotateReport(report("2026-01-04T00:00:00.000Z", [check("a", "fail", [drift("z")]), check("b", "pass")]), state);
    expect(r4.comparison!.persisting.map(key)).toEqual(["a:z"]);
    expect(r4.comparison!.persisting[0]).toMatchObject({ firstSeen: "2026-01-03T00:00:00.000Z", path: "z", change: "changed", fingerprint: findingFingerprint("a", drift("z")) });
    // Resolved findings are known by fingerprint only (the history keeps no paths or values).
    expect(r4.comparison!.resolved.map(key).sort()).toEqual([`a:${findingFingerprint("a", drift("y"))}`, "b:status:unknown:timeout"].sort());
    expect(r4.comparison!.resolved.find((i) => i.check === "a")).toMatchObject({ lastSeen: "2026-01-03T00:00:00.000Z", firstSeen: "2026-01-01T00:00:00.000Z" });
  });

  it("no history: first seen is now and there is no comparison", () => {
    const r = annotateReport(report("2026-01-01T00:00:00.000Z", [check("a", "fail", [drift("x")])]), new HistoryState());
    expect(r.comparison).toBeUndefined();
    expect(r.checks[0]!.findings[0]!.firstSeen).toBe("2026-01-01T00:00:00.000Z");
  });

  it("flapping: counts status changes per check; sparkline maps 0..100", () => {
    const recs: HistoryRecord[] = ["pass", "fail", "pass", "fail", "fail"].map((st, i) => {
      const c = check("f", st as CheckStatus);
      const s = check("s", "pass");
      return recordOf(report(`2026-01-0${i + 1}T00:00:00Z`, [c, s]), [c, s], "scan", false);
    });
    expect(flappers(recs).map((f) => [f.id, f.changes, f.runs])).toEqual([["f", 3, 5], ["s", 0, 5]]);
    expect(sparkline([0, 50, 100])).toBe("▁▅█");
  });
});
