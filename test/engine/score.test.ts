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
    expect(points).toEqual({ earned: 18, possible: 28, excluded: 1 });
    expect(scoreOf({ earned: 18, possible: 25, excluded: 0 })).toBe(72);
  });

  it("rounds and treats nothing-at-stake as 100", () => {
    expect(scoreOf({ earned: 2, possible: 3, excluded: 0 })).toBe(67);
    expect(scoreOf({ earned: 0, possible: 0, excluded: 2 })).toBe(100);
  });
});

describe("status roll-up", () => {
  it("a failed critical or high check is NOT_READY whatever the score", () => {
    expect(rollUpStatus([c("high", "fail"), ...Array(20).fill(c("critical", "pass"))], 97, 80)).toBe("NOT_READY");
  });
  it("a score below minScore is NOT_READY even without blocking failures", () => {
    expect(rollUpStatus([c("medium", "fail"), c("low", "pass")], 33, 80)).toBe("NOT_READY");
  });
  it("an unknown critical check is UNKNOWN, never READY", () => {
    expect(rollUpStatus([c("critical", "unknown"), c("medium", "pass")], 100, 0)).toBe("UNKNOWN");
  });
  it("NOT_READY wins over UNKNOWN", () => {
    expect(rollUpStatus([c("critical", "unknown"), c("high", "fail")], 0, 0)).toBe("NOT_READY");
  });
  it("warn, or a low check failing, is DEGRADED", () => {
    expect(rollUpStatus([c("critical", "warn")], 50, 0)).toBe("DEGRADED");
    expect(rollUpStatus([c("low", "fail"), c("critical", "pass")], 91, 80)).toBe("DEGRADED");
    expect(rollUpStatus([c("medium", "unknown"), c("critical", "pass")], 83, 80)).toBe("DEGRADED");
  });
  it("READY when every check that ran passed; skipped does not count", () => {
    expect(rollUpStatus([c("critical", "pass"), c("high", "skipped")], 100, 80)).toBe("READY");
  });
  it("a scan in which nothing ran proves nothing", () => {
    expect(rollUpStatus([c("critical", "skipped")], 100, 80)).toBe("UNKNOWN");
    expect(rollUpStatus([], 100, 80)).toBe("UNKNOWN");
  });
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
