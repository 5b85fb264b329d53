import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { CHECK_STATUSES, OVERALL_STATUSES } from "../../src/engine/types.js";
import { makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";
import { conventionProblems, parseExposition, type Sample } from "../helpers/prometheus.js";

function parse(text: string): Sample[] {
  return parseExposition(text).samples;
}

const of = (s: Sample[], name: string) => s.filter((x) => x.name === name);

describe("prometheus report", () => {
  const text = render(mixedReport(), "prometheus");
  const samples = parse(text);

  it("every line follows the exposition grammar, with HELP and TYPE, and the naming conventions", () => {
    expect(text).toContain("# TYPE standby_readiness_score gauge");
    expect(text).toContain("# HELP standby_readiness_score ");
    expect(samples.length).toBeGreaterThan(40);
    expect(conventionProblems(text)).toEqual([]);
  });

  it("exposes score, readiness and points", () => {
    expect(of(samples, "standby_readiness_score")[0]!.value).toBe(36);
    expect(of(samples, "standby_ready")[0]!.value).toBe(0);
    expect(of(samples, "standby_points_earned")[0]!.value).toBe(12);
    expect(of(samples, "standby_points_possible")[0]!.value).toBe(33);
    expect(of(samples, "standby_checks_excluded")[0]!.value).toBe(1);
    expect(of(samples, "standby_service_score").map((s) => [s.labels.service, s.value])).toEqual([
      ["orders", 11],
      ["search", 67],
    ]);
    expect(of(samples, "standby_scan_duration_seconds")[0]!.value).toBe(0.84);
    expect(of(samples, "standby_scan_timestamp_seconds")[0]!.value).toBe(Date.parse("2026-11-25T02:17:00.000Z") / 1000);
  });

  it("says what each check cost the score: points earned and possible per check", () => {
    const earned: Record<string, number> = Object.fromEntries(of(samples, "standby_check_points_earned").map((s) => [s.labels.check, s.value]));
    const possible: Record<string, number> = Object.fromEntries(of(samples, "standby_check_points_possible").map((s) => [s.labels.check, s.value]));
    const report = mixedReport();
    for (const c of report.checks) {
      expect(earned[c.id], c.id).toBe(c.points.earned);
      expect(possible[c.id], c.id).toBe(c.points.possible);
    }
    // The per-check series add up to the totals.
    expect(Object.values(earned).reduce((a, b) => a + b, 0)).toBe(of(samples, "standby_points_earned")[0]!.value);
    expect(Object.values(possible).reduce((a, b) => a + b, 0)).toBe(of(samples, "standby_points_possible")[0]!.value);
  });

  it("one-hot status series sum to 1 per subject", () => {
    const overall = of(samples, "standby_status");
    expect(overall.map((s) => s.labels.status)).toEqual([...OVERALL_STATUSES]);
    expect(overall.reduce((t, s) => t + s.value, 0)).toBe(1);
    expect(overall.find((s) => s.value === 1)!.labels.status).toBe("NOT_READY");

    for (const service of ["orders", "search"]) {
      const series = of(samples, "standby_service_status").filter((s) => s.labels.service === service);
      expect(series).toHaveLength(4);
      expect(series.reduce((t, s) => t + s.value, 0)).toBe(1);
    }
    const checks = of(samples, "standby_check_status");
    expect(checks).toHaveLength(7 * CHECK_STATUSES.length);
    const byCheck = new Map<string, number>();
    for (const s of checks) byCheck.set(s.labels.check!, (byCheck.get(s.labels.check!) ?? 0) + s.value);
    expect([...byCheck.values()]).toEqual(Array(7).fill(1));
    expect(checks.find((s) => s.labels.check === "search-dns" && s.value === 1)!.labels).toEqual({ service: "search", check: "search-dns", status: "unknown" });
    // Kind and severity once per check, in an info family (not on every status series).
    expect(of(samples, "standby_check_info").find((s) => s.labels.check === "search-dns")).toEqual({
      name: "standby_check_info",
      labels: { service: "search", check: "search-dns", kind: "dns-failover", severity: "high" },
      value: 1,
    });
  });

  it("measured values in base units, in the kind's own family or the generic one per unit, never a unit label", () => {
    // replication-lag has its own families (here from `measured`: this fixture carries no evidence).
    expect(of(samples, "standby_replication_lag_seconds")).toEqual([{ name: "standby_replication_lag_seconds", labels: { service: "orders", check: "orders-db-lag" }, value: 412 }]);
    expect(of(samples, "standby_replication_lag_limit_seconds")[0]!.value).toBe(300);
    expect(of(samples, "standby_replication_lag_warn_seconds")[0]!.value).toBe(240);
    // Kinds without their own families: converted to base units (days to seconds, % to a ratio).
    expect(of(samples, "standby_check_measured_seconds").map((s) => [s.labels.check, s.value])).toEqual([["orders-tls", 12 * 86400]]);
    expect(of(samples, "standby_check_limit_seconds").map((s) => [s.labels.check, s.value])).toEqual([["orders-tls", 7 * 86400]]);
    expect(of(samples, "standby_check_warn_seconds").map((s) => [s.labels.check, s.value])).toEqual([["orders-tls", 14 * 86400]]);
    expect(of(samples, "standby_check_measured_ratio").map((s) => [s.labels.check, s.value])).toEqual([["orders-cache", 0.97]]);
    expect(of(samples, "standby_check_limit_ratio").map((s) => [s.labels.check, s.value])).toEqual([["orders-cache", 0.8]]);
    expect(samples.some((s) => "unit" in s.labels)).toBe(false);
    expect(of(samples, "standby_check_findings").find((s) => s.labels.check === "orders-app-config")!.value).toBe(5);
    expect(of(samples, "standby_check_duration_seconds").find((s) => s.labels.check === "search-dns")!.value).toBe(10);
  });

  it("labels never come from findings or summaries (bounded cardinality)", () => {
    const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
    expect([...values].some((v) => v.includes("capacity") || v.includes("drifted") || v.includes("ns-1"))).toBe(false);
  });

  it("escapes label values: backslash, quote, newline", () => {
    const r = makeReport([
      makeCheck({ id: 'a\\b"c\nd', service: "svc\\x", kind: "custom", severity: "high", status: "pass", measured: { value: NaN, unit: "s" } }),
    ]);
    const out = render(r, "prometheus");
    const parsed = parse(out);
    expect(out).toContain('check="a\\\\b\\"c\\nd"');
    const status = of(parsed, "standby_check_status").find((s) => s.value === 1)!;
    expect(status.labels.check).toBe('a\\b"c\nd');
    expect(status.labels.service).toBe("svc\\x");
    expect(out).toMatch(/^standby_check_measured_seconds\{[^\n]*\} NaN$/m);
  });

  it("READY gives standby_ready 1", () => {
    const r = makeReport([makeCheck({ id: "ok", service: "s", severity: "critical", status: "pass" })]);
    const parsed = parse(render(r, "prometheus"));
    expect(of(parsed, "standby_ready")[0]!.value).toBe(1);
    expect(of(parsed, "standby_status").find((s) => s.value === 1)!.labels.status).toBe("READY");
  });
});
