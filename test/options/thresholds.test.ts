// Expiry thresholds, the one judgement tls-certificate, aws-credentials and jwt share: how far an
// expiry is from now decides fail / warn / nothing, with a `warn` shorter than `fail` widened.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { expiryLevel, expiryLimits, expiryOptions, type ExpiryLimits } from "../../src/options/thresholds.js";
import { decisionTable } from "../helpers/decision-table.js";

const DAY = 86_400_000;
const d = (n: number) => n * DAY;

decisionTable<{ warn: number; fail: number }, ExpiryLimits>("expiryLimits", expiryLimits, [
  { name: "warn above fail: as given", input: { warn: d(28), fail: d(14) }, expected: { warnMs: d(28), failMs: d(14) } },
  { name: "warn equal to fail: no warning band", input: { warn: d(14), fail: d(14) }, expected: { warnMs: d(14), failMs: d(14) } },
  { name: "warn below fail: widened to fail (it would warn after failing)", input: { warn: d(7), fail: d(14) }, expected: { warnMs: d(14), failMs: d(14) } },
  { name: "fail 0: fails only once expired", input: { warn: d(7), fail: 0 }, expected: { warnMs: d(7), failMs: 0 } },
]);

type Case = { remainingMs: number; warn: number; fail: number };
const level = ({ remainingMs, warn, fail }: Case) => expiryLevel(remainingMs, expiryLimits({ warn, fail }));
const std = { warn: d(28), fail: d(14) };

decisionTable<Case, "fail" | "warn" | null>("expiryLevel", level, [
  { name: "far beyond warn: nothing", input: { remainingMs: d(200), ...std }, expected: null },
  { name: "one ms beyond warn: nothing", input: { remainingMs: d(28) + 1, ...std }, expected: null },
  { name: "exactly at the warn limit: warn", input: { remainingMs: d(28), ...std }, expected: "warn" },
  { name: "between fail and warn: warn", input: { remainingMs: d(20), ...std }, expected: "warn" },
  { name: "one ms beyond fail: warn", input: { remainingMs: d(14) + 1, ...std }, expected: "warn" },
  { name: "exactly at the fail limit: fail", input: { remainingMs: d(14), ...std }, expected: "fail" },
  { name: "inside fail: fail", input: { remainingMs: d(5), ...std }, expected: "fail" },
  { name: "expiring this very moment: fail", input: { remainingMs: 0, ...std }, expected: "fail" },
  { name: "past expiry: fail", input: { remainingMs: -d(3), ...std }, expected: "fail" },
  { name: "warn below fail, between the two: fail (fail wins)", input: { remainingMs: d(10), warn: d(7), fail: d(14) }, expected: "fail" },
  { name: "warn below fail, beyond fail: nothing (no warning band left)", input: { remainingMs: d(14) + 1, warn: d(7), fail: d(14) }, expected: null },
  { name: "fail 0, not yet expired but inside warn: warn", input: { remainingMs: 1, warn: d(7), fail: 0 }, expected: "warn" },
  { name: "fail 0, exactly at expiry: fail", input: { remainingMs: 0, warn: d(7), fail: 0 }, expected: "fail" },
]);

describe("expiryOptions", () => {
  const schema = z.object(expiryOptions({ warn: "28d", fail: "14d" }, "the earliest certificate"));

  it("defaults to the kind's own warn and fail, parsed to milliseconds", () => {
    expect(schema.parse({})).toEqual({ warn: d(28), fail: d(14) });
    expect(schema.parse({ warn: "60d", fail: "1d" })).toEqual({ warn: d(60), fail: d(1) });
    // 0 means the same in every unit; only it may be written bare.
    expect(schema.parse({ fail: 0 })).toEqual({ warn: d(28), fail: 0 });
  });

  it("names the option and what was expected for each invalid value", () => {
    const r = schema.safeParse({ warn: "soon", fail: 86_400 });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    expect(issues).toEqual([
      { path: "warn", message: 'expected a duration like 90s, 5m, 2h or 14d, got "soon"' },
      { path: "fail", message: "a bare number is ambiguous: write 86400s, 86400m or 86400h" },
    ]);
  });

  it("describes both fields with what expires", () => {
    expect(schema.shape.warn.description).toBe("Warn when the earliest certificate expires within this");
    expect(schema.shape.fail.description).toBe("Fail when the earliest certificate expires within this");
  });
});
