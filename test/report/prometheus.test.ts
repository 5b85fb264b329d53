import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { CHECK_STATUSES, OVERALL_STATUSES } from "../../src/engine/types.js";
import { makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";

// Text exposition format 0.0.4.
const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = "(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  expect(text.endsWith("\n")).toBe(true);
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP")) {
      expect(line).toMatch(HELP);
      continue;
    }
    if (line.startsWith("# TYPE")) {
      const m = TYPE.exec(line);
      expect(m, line).not.toBeNull();
      expect(typed.has(m![1]!), `duplicate TYPE ${m![1]}`).toBe(false);
      typed.add(m![1]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    expect(m, `not a sample line: ${JSON.stringify(line)}`).not.toBeNull();
    expect(typed.has(m![1]!), `sample before TYPE: ${line}`).toBe(true);
    const labels: Record<string, string> = {};
    for (const l of (m![2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    samples.push({ name: m![1]!, labels, value: Number(m![3]) });
  }
  return samples;
}

const of = (s: Sample[], name: string) => s.filter((x) => x.name === name);

describe("prometheus report", () => {
  const text = render(mixedReport(), "prometheus");
  const samples = parse(text);

  it("every line follows the exposition grammar, with HELP and TYPE", () => {
    expect(text).toContain("# TYPE standby_readiness_score gauge");
    expect(text).toContain("# HELP standby_readiness_score ");
    expect(samples.length).toBeGreaterThan(40);
  });

  it("exposes score, readiness and points", () => {
    expect(of(samples, "standby_readiness_score")[0]!.value).toBe(36);
    expect(of(samples, "standby_ready")[0]!.value).toBe(0);
    expect(of(samples, "standby_points_earned")[0]!.value).toBe(12);
    expect(of(samples, "standby_points_possible")[0]!.value).toBe(33);
    expect(of(samples, "standby_points_excluded")[0]!.value).toBe(1);
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
    expect(checks.find((s) => s.labels.check === "search-dns" && s.value === 1)!.labels).toEqual({
      service: "search",
      check: "search-dns",
      kind: "dns-failover",
      severity: "high",
      status: "unknown",
    });
  });

  it("measured values and limits only where measured", () => {
    const measured = of(samples, "standby_check_measured_value");
    expect(measured.map((s) => s.labels.check)).toEqual(["orders-db-lag", "orders-tls", "orders-cache"]);
    expect(measured[0]).toEqual({
      name: "standby_check_measured_value",
      labels: { service: "orders", check: "orders-db-lag", kind: "replication-lag", unit: "s" },
      value: 412,
    });
    expect(of(samples, "standby_check_limit").find((s) => s.labels.check === "orders-db-lag")!.value).toBe(300);
    expect(of(samples, "standby_check_findings").find((s) => s.labels.check === "orders-app-config")!.value).toBe(5);
    expect(of(samples, "standby_check_duration_seconds").find((s) => s.labels.check === "search-dns")!.value).toBe(10);
  });

  it("labels never come from findings or summaries (bounded cardinality)", () => {
    const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
    expect([...values].some((v) => v.includes("capacity") || v.includes("drifted") || v.includes("ns-1"))).toBe(false);
  });

  it("escapes label values: backslash, quote, newline", () => {
    const r = makeReport([
      makeCheck({ id: 'a\\b"c\nd', service: "svc\\x", severity: "high", status: "pass", measured: { value: NaN, unit: "s" } }),
    ]);
    const out = render(r, "prometheus");
    const parsed = parse(out);
    expect(out).toContain('check="a\\\\b\\"c\\nd"');
    const status = of(parsed, "standby_check_status").find((s) => s.value === 1)!;
    expect(status.labels.check).toBe('a\\b"c\nd');
    expect(status.labels.service).toBe("svc\\x");
    expect(out).toMatch(/^standby_check_measured_value\{[^\n]*\} NaN$/m);
  });

  it("READY gives standby_ready 1", () => {
    const r = makeReport([makeCheck({ id: "ok", service: "s", severity: "critical", status: "pass" })]);
    const parsed = parse(render(r, "prometheus"));
    expect(of(parsed, "standby_ready")[0]!.value).toBe(1);
    expect(of(parsed, "standby_status").find((s) => s.value === 1)!.labels.status).toBe("READY");
  });
});
