import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { mixedReport } from "../fixtures/reports.js";

const TOP_KEYS = ["schemaVersion", "tool", "startedAt", "durationMs", "status", "score", "points", "services", "checks"];
const CHECK_KEYS = ["id", "service", "kind", "severity", "status", "reason", "summary", "measured", "findings", "durationMs"];

describe("json report", () => {
  it("round-trips with the DESIGN.md key order, extra fields after", () => {
    const report = mixedReport();
    const text = render(report, "json");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 1,');
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed).slice(0, TOP_KEYS.length)).toEqual(TOP_KEYS);
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining(["minScore", "config"]));
    expect(Object.keys(parsed.tool)).toEqual(["name", "version"]);
    expect(Object.keys(parsed.points)).toEqual(["earned", "possible", "excluded", "undecided"]);
    expect(Object.keys(parsed.services[0]).slice(0, 3)).toEqual(["name", "status", "score"]);
    for (const c of parsed.checks) expect(Object.keys(c).slice(0, CHECK_KEYS.length)).toEqual(CHECK_KEYS);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("keeps the documented values", () => {
    const parsed = JSON.parse(render(mixedReport(), "json"));
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.status).toBe("NOT_READY");
    const lag = parsed.checks.find((c: { id: string }) => c.id === "orders-db-lag");
    expect(lag.reason).toBeNull();
    expect(lag.measured).toEqual({ value: 412, unit: "s", limit: 300, warnAt: 240 });
    expect(parsed.checks.find((c: { id: string }) => c.id === "search-dns").reason).toBe("timeout");
  });

  it("fills reason/measured/findings when a producer left them out", () => {
    const report = mixedReport();
    const c = report.checks[0] as unknown as Record<string, unknown>;
    delete c.reason;
    delete c.measured;
    delete c.findings;
    const parsed = JSON.parse(render(report, "json"));
    expect(parsed.checks[0]).toMatchObject({ reason: null, measured: null, findings: [] });
  });

  it("survives circular and bigint evidence", () => {
    const report = mixedReport();
    const ev: Record<string, unknown> = { big: 10n };
    ev.self = ev;
    report.checks[0]!.evidence = ev;
    const parsed = JSON.parse(render(report, "json"));
    expect(parsed.checks[0].evidence).toEqual({ big: "10", self: "[Circular]" });
  });
});
