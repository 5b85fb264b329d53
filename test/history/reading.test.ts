// A reading set aside (a check that failed on something else than what it measures) still goes
// into the history, and a seeded result gives it back as its reading, not as its measured value.
import { describe, expect, it } from "vitest";
import jwt from "../../checks/jwt/index.js";
import type { RunnableCheck } from "../../src/engine/types.js";
import { entryOf, isRecord, recordOf } from "../../src/history/record.js";
import { seededResult } from "../../src/history/seed.js";
import { makeCheck, makeReport } from "../fixtures/reports.js";

const lifetime = { value: 2_592_000, unit: "s", limit: 86_400, warnAt: 604_800 };

describe("history: measured and the reading set aside", () => {
  it("records the reading's value, marked as one", () => {
    const parity = makeCheck({ id: "tokens", service: "orders", kind: "jwt", severity: "high", status: "fail", reading: lifetime });
    expect(entryOf(parity)).toMatchObject({ v: 2_592_000, u: "s", ra: true });
    const expiring = makeCheck({ id: "tokens", service: "orders", kind: "jwt", severity: "high", status: "warn", measured: lifetime });
    const e = entryOf(expiring);
    expect([e.v, e.u, e.ra]).toEqual([2_592_000, "s", undefined]);
  });

  it("a seeded result shows it as its reading, never as its measured value", () => {
    const report = makeReport([makeCheck({ id: "tokens", service: "orders", kind: "jwt", severity: "high", status: "fail", reading: lifetime })]);
    const line = JSON.stringify(recordOf(report, report.checks, "scan", false));
    const record: unknown = JSON.parse(line);
    if (!isRecord(record)) throw new Error(`not a history record: ${line}`);
    const check: RunnableCheck = { id: "tokens", kind: "jwt", severity: "high", timeoutMs: 1000, options: {}, definition: jwt, service: { name: "orders", primary: { vars: {} }, standby: { vars: {} } } };
    const seeded = seededResult(check, { at: record.at, entry: record.checks[0]! }, null, Date.parse(record.at));
    expect(seeded.measured).toBeNull();
    expect(seeded.reading).toEqual({ value: 2_592_000, unit: "s" });
  });
});
