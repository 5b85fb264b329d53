// detailLines() as styled segments: colours come from the check's own measured.limit/warnAt (a
// user's `warn: 60d` shows on screen), and an unknown check says it was not compared, never
// "Drift: 0 findings".
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../src/engine/types.js";
import { detailLines, type Line } from "../../src/tui/detail.js";
import { makeCheck, timedOutDrift } from "../fixtures/reports.js";
import { NOW, rowsOf } from "./fixtures.js";

const text = (lines: Line[]): string => lines.map((l) => l.map((s) => s.text).join("")).join("\n");
/** The colour of the segment whose text contains `needle` (first match). */
const colorOf = (lines: Line[], needle: string): string | undefined => lines.flat().find((s) => s.text.includes(needle))?.color;
const detail = (c: CheckReport, width = 100): Line[] => detailLines({ row: rowsOf([c])[0]!, readings: [], problemSince: null, width, now: NOW });

function tls(measured: CheckReport["measured"], chainDays: number[]): CheckReport {
  const chain = chainDays.map((d, i) => ({ role: i === 0 ? "leaf" : "intermediate", subject: `CN=cert-${d}`, notAfter: new Date(NOW + d * 86_400_000).toISOString(), daysLeft: d }));
  return makeCheck({
    id: "api-tls",
    service: "api",
    kind: "tls-certificate",
    severity: "high",
    status: "warn",
    summary: "standby api:443: leaf expires in 45d",
    measured,
    evidence: { standby: { target: "api:443", addresses: [{ address: "127.0.0.1", verified: true, nameMatch: true, chain }], errors: [] } },
  });
}

describe("measured values are coloured by the check's own thresholds", () => {
  it("a certificate 45 days from expiry warns under the user's warn: 60d (not green by a built-in 28d)", () => {
    const lines = detail(tls({ value: 45, unit: "d", limit: 14, warnAt: 60 }, [45, 10, 400]));
    expect(text(lines)).toContain("Certificate chains (warn under 60d, fail under 14d)");
    expect(colorOf(lines, "45d left")).toBe("yellow");
    expect(colorOf(lines, "10d left")).toBe("red");
    expect(colorOf(lines, "400d left")).toBe("green");
    expect(colorOf(lines, "45d (limit 14d, warn at 60d)")).toBe("yellow"); // the measured line
  });

  it("the same days with a tighter warn: 7d are green, so nothing is a hard-coded default", () => {
    const lines = detail(tls({ value: 20, unit: "d", limit: 5, warnAt: 7 }, [20, 6]));
    expect(text(lines)).toContain("(warn under 7d, fail under 5d)");
    expect(colorOf(lines, "20d left")).toBe("green");
    expect(colorOf(lines, "6d left")).toBe("yellow");
  });

  it("higher-is-worse measures (lag) colour by limit and warnAt the other way round", () => {
    const lag = (value: number) =>
      detail(makeCheck({ id: "db-lag", service: "db", kind: "replication-lag", severity: "critical", status: "pass", summary: "lag", measured: { value, unit: "s", limit: 600, warnAt: 120 } }));
    expect(colorOf(lag(60), "█")).toBe("green");
    expect(colorOf(lag(200), "█")).toBe("yellow"); // a user's warnAt: 2m, far below 80%
    expect(colorOf(lag(700), "█")).toBe("red");
  });

  it("a kind without a view: its measured value still coloured generically", () => {
    const c = makeCheck({ id: "x", service: "s", kind: "future-kind", severity: "low", status: "warn", summary: "x", measured: { value: 9, unit: "ms", limit: 10, warnAt: 8 } });
    expect(colorOf(detail(c), "9ms (limit 10ms")).toBe("yellow");
  });
});

describe("an unknown check is not shown as compared", () => {
  const timedOut = timedOutDrift();

  it("a timed-out drift check says not compared, why, and never 'Drift: 0 findings'", () => {
    const out = text(detail(timedOut));
    expect(out).not.toMatch(/\b0 findings\b/);
    expect(out).not.toContain("Drift:");
    expect(out).toContain("Not compared (timeout)");
    expect(out).toContain("did not finish in time: standby http://127.0.0.1:9/app.json: timed out after 3s");
    expect(out).toContain("nothing was judged");
  });

  it("drift found before it stopped is shown as such, not as the whole comparison", () => {
    const partial = { ...timedOut, findings: [{ message: "a changed", path: "a", change: "changed" as const, primary: 1, standby: 2 }] };
    const out = text(detail(partial));
    expect(out).toContain("Not compared (timeout)");
    expect(out).toContain("Drift found before the check stopped: 1 finding");
    expect(out).not.toMatch(/^Drift: /m);
  });

  it("every reason is worded (unreadable-input, a mistyped file)", () => {
    const out = text(detail({ ...timedOut, reason: "unreadable-input", summary: "standby configs/standby/app.jsn: no such file" }));
    expect(out).toContain("Not compared (unreadable-input)");
    expect(out).toContain("a local input is missing or unreadable: standby configs/standby/app.jsn: no such file");
    const secret = text(detail({ ...timedOut, reason: "not-configured", summary: "secret ${env:ORDERS_TOKEN} is not set" }));
    expect(secret).toContain("Not compared (not-configured)");
    expect(secret).toContain("a secret it needs is not set: secret ${env:ORDERS_TOKEN} is not set");
  });
});
