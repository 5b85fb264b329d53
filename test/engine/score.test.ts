import { describe, expect, it } from "vitest";
import { checkPoints, exitCodeFor, rollUpStatus, scoreOf, sumPoints, worstFirst } from "../../src/engine/score.js";
import type { CheckStatus, Severity } from "../../src/engine/types.js";

const c = (severity: Severity, status: CheckStatus, id = `${severity}-${status}`) => ({ id, severity, status });

describe("score", () => {
  it("weights by severity: pass earns all, warn half, fail and unknown none, skipped excluded", () => {
    expect(checkPoints("critical", "pass")).toEqual({ earned: 10, possible: 10 });
    expect(checkPoints("high", "warn")).toEqual({ earned: 2.5, possible: 5 });
    expect(checkPoints("medium", "fail")).toEqual({ earned: 0, possible: 2 });
    expect(checkPoints("low", "unknown")).toEqual({ earned: 0, possible: 1 });
    expect(checkPoints("critical", "skipped")).toEqual({ earned: 0, possible: 0 });
    expect(checkPoints("info", "fail")).toEqual({ earned: 0, possible: 0 });
  });

  it("matches the DESIGN.md example: 18 of 25 points is 72", () => {
    const checks = [c("critical", "fail"), c("critical", "pass"), c("high", "pass"), c("medium", "pass"), c("low", "pass"), c("info", "warn"), c("high", "skipped")];
    const points = sumPoints(checks);
    expect(points).toEqual({ earned: 18, possible: 28, excluded: 1, undecided: 0 });
    expect(scoreOf({ earned: 18, possible: 25 })).toBe(72);
    expect(sumPoints([c("critical", "unknown"), c("low", "unknown"), c("high", "pass")]).undecided).toBe(11);
  });

  it("rounds and treats nothing-at-stake as 100", () => {
    expect(scoreOf({ earned: 2, possible: 3 })).toBe(67);
    expect(scoreOf({ earned: 0, possible: 0 })).toBe(100);
  });
});

// Table in the style of ESLint's RuleTester: each row a scan (checks and minScore) and the status
// it must roll up to, with the rule that decides it.
type Row = { name: string; checks: ReturnType<typeof c>[]; minScore: number; status: string };
const pass20 = Array.from({ length: 20 }, (_, i) => c("critical", "pass", `p${i}`));
const STATUS_TABLE: Row[] = [
  // NOT_READY: evidence of not ready
  { name: "a failed high check, whatever the score", checks: [c("high", "fail"), ...pass20], minScore: 80, status: "NOT_READY" },
  { name: "a failed critical check", checks: [c("critical", "fail"), c("low", "pass")], minScore: 0, status: "NOT_READY" },
  { name: "fails alone below minScore", checks: [c("medium", "fail"), c("low", "pass")], minScore: 80, status: "NOT_READY" },
  { name: "one high fail plus unknowns", checks: [c("high", "fail"), c("critical", "unknown"), c("medium", "unknown")], minScore: 0, status: "NOT_READY" },
  { name: "below minScore even if every unknown had passed", checks: [c("medium", "fail"), c("medium", "fail"), c("low", "unknown"), c("low", "pass")], minScore: 60, status: "NOT_READY" },
  // UNKNOWN: could not tell
  { name: "all checks unknown", checks: [c("critical", "unknown"), c("medium", "unknown"), c("low", "unknown")], minScore: 80, status: "UNKNOWN" },
  { name: "a single high unknown that sinks the score", checks: [c("high", "unknown", "h")], minScore: 80, status: "UNKNOWN" },
  { name: "an unknown critical check with a perfect rest", checks: [c("critical", "unknown"), c("medium", "pass")], minScore: 0, status: "UNKNOWN" },
  { name: "unknowns alone below minScore", checks: [c("medium", "unknown"), c("medium", "unknown"), c("low", "pass")], minScore: 80, status: "UNKNOWN" },
  { name: "fails within minScore, unknowns bring it below", checks: [c("low", "fail"), c("medium", "unknown"), c("critical", "pass")], minScore: 80, status: "UNKNOWN" },
  { name: "nothing ran", checks: [c("critical", "skipped")], minScore: 80, status: "UNKNOWN" },
  { name: "no checks at all", checks: [], minScore: 80, status: "UNKNOWN" },
  // DEGRADED
  { name: "a warning", checks: [c("critical", "warn")], minScore: 0, status: "DEGRADED" },
  { name: "a low check failing within minScore", checks: [c("low", "fail"), c("critical", "pass")], minScore: 80, status: "DEGRADED" },
  { name: "a medium unknown within minScore", checks: [c("medium", "unknown"), c("critical", "pass")], minScore: 80, status: "DEGRADED" },
  // READY
  { name: "every check that ran passed; skipped does not count", checks: [c("critical", "pass"), c("high", "skipped")], minScore: 80, status: "READY" },
  { name: "info checks earn nothing but still pass", checks: [c("info", "pass")], minScore: 80, status: "READY" },
];

describe("status roll-up", () => {
  for (const row of STATUS_TABLE) {
    it(`${row.status}: ${row.name}`, () => expect(rollUpStatus(row.checks, row.minScore)).toBe(row.status));
  }
});

describe("exit codes", () => {
  it("--fail-on decides", () => {
    expect(exitCodeFor("READY", "not-ready")).toBe(0);
    expect(exitCodeFor("DEGRADED", "not-ready")).toBe(0);
    expect(exitCodeFor("UNKNOWN", "not-ready")).toBe(1);
    expect(exitCodeFor("NOT_READY", "not-ready")).toBe(1);
    expect(exitCodeFor("DEGRADED", "degraded")).toBe(1);
    expect(exitCodeFor("NOT_READY", "never")).toBe(0);
  });
});

it("sorts worst first: status, then severity, then id", () => {
  const sorted = worstFirst([c("low", "pass", "a"), c("critical", "unknown", "b"), c("low", "fail", "c"), c("critical", "fail", "d"), c("high", "warn", "e")]);
  expect(sorted.map((x) => x.id)).toEqual(["d", "c", "b", "e", "a"]);
});
