// Each kind's own Prometheus families, from a report with every kind (evidence typed by each
// kind's interface): exact values in base units, fallbacks for reports without evidence, what a
// malformed evidence does (nothing), the result's timestamp, promtool, and the docs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kinds } from "../../checks/registry.js";
import { SecretRegistry } from "../../src/core/secrets.js";
import type { CheckReport } from "../../src/engine/types.js";
import { render } from "../../src/report/index.js";
import { REPORT_FAMILIES, renderPrometheus } from "../../src/report/prometheus.js";
import { familiesByKind, genericMeasuredFamilies, KINDS_WITH_FAMILIES } from "../../src/report/prometheus-kinds.js";
import { WATCH_FAMILIES } from "../../src/watch/metrics.js";
import { DRILL_LAST, everyKindReport, JWT_EXP_S, STARTED, TLS_EARLIEST } from "../fixtures/every-kind.js";
import { makeCheck, makeReport } from "../fixtures/reports.js";
import { conventionProblems, expectPromtoolClean, parseExposition, promtoolSkip, type Sample } from "../helpers/prometheus.js";
import { ROOT } from "../helpers/cli.js";

const T = Date.parse(STARTED) / 1000;
const DAY = 86400;

function values(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of parseExposition(text).samples) out.set(s.name, [...(out.get(s.name) ?? []), s]);
  return out;
}
/** name -> check -> value */
function byCheck(text: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, samples] of values(text)) out[name] = Object.fromEntries(samples.map((s) => [s.labels.check ?? "", s.value]));
  return out;
}

/** Kinds that export nothing of their own (their status, points and findings say it all). */
const NO_OWN_FAMILIES = ["shared-fate"];

describe("every kind's own families", () => {
  const text = render(everyKindReport(), "prometheus");
  const v = byCheck(text);

  it("follow the conventions, promtool included", { skip: promtoolSkip() }, () => {
    expect(conventionProblems(text)).toEqual([]);
    expectPromtoolClean(text);
  });

  it("every registered kind has families of its own, or is known to need none", () => {
    for (const kind of kinds()) expect(KINDS_WITH_FAMILIES.has(kind) || NO_OWN_FAMILIES.includes(kind), `${kind}: give it families in src/report/prometheus-kinds.ts or list it here`).toBe(true);
  });

  it("tls-certificate: the earliest notAfter of both sides' chains as a timestamp, thresholds in seconds", () => {
    expect(v.standby_tls_certificate_expiry_timestamp_seconds).toEqual({ "orders-tls": TLS_EARLIEST / 1000 });
    expect(v.standby_tls_certificate_expiry_limit_seconds).toEqual({ "orders-tls": 7 * DAY });
    expect(v.standby_tls_certificate_expiry_warn_seconds).toEqual({ "orders-tls": 14 * DAY });
  });

  it("jwt: the earliest exp (a milliseconds exp read as the check reads it)", () => {
    expect(v.standby_jwt_expiry_timestamp_seconds).toEqual({ "orders-tokens": JWT_EXP_S });
    expect(v.standby_jwt_expiry_limit_seconds).toEqual({ "orders-tokens": DAY });
    expect(v.standby_jwt_expiry_warn_seconds).toEqual({ "orders-tokens": 2 * DAY });
  });

  it("aws-credentials: the earliest in-use certificate's expiry from the days left", () => {
    expect(v.standby_aws_credentials_certificate_expiry_timestamp_seconds!["orders-acm"]).toBeCloseTo(T + 45.3 * DAY, 3);
    expect(v.standby_aws_credentials_certificate_expiry_limit_seconds).toEqual({ "orders-acm": 14 * DAY });
    expect(v.standby_aws_credentials_certificate_expiry_warn_seconds).toEqual({ "orders-acm": 30 * DAY });
  });

  it("replication-lag: time lag in seconds (to the ms), byte lag in bytes, and their limits", () => {
    expect(v.standby_replication_lag_seconds).toEqual({ "orders-db-lag": 412.25 });
    expect(v.standby_replication_lag_limit_seconds).toEqual({ "orders-db-lag": 300 });
    expect(v.standby_replication_lag_warn_seconds).toEqual({ "orders-db-lag": 240 });
    expect(v.standby_replication_lag_bytes).toEqual({ "orders-db-lag": 16_777_216 });
    expect(v.standby_replication_lag_limit_bytes).toEqual({ "orders-db-lag": 67_108_864 });
  });

  it("dns-failover: the estimate in seconds and its budget", () => {
    expect(v.standby_dns_failover_seconds).toEqual({ "orders-dns": 180.5 });
    expect(v.standby_dns_failover_limit_seconds).toEqual({ "orders-dns": 900 });
    expect(v.standby_dns_failover_warn_seconds).toEqual({ "orders-dns": 720 });
  });

  it("cache-age: the judged age, the budget, and Redis warmth as a ratio", () => {
    expect(v.standby_cache_age_seconds).toEqual({ "catalog-cache-age": 95 });
    expect(v.standby_cache_age_limit_seconds).toEqual({ "catalog-cache-age": 300, "catalog-warmth": 300 });
    expect(v.standby_cache_age_warn_seconds).toEqual({ "catalog-cache-age": 240, "catalog-warmth": 240 });
    expect(v.standby_cache_warmth_ratio).toEqual({ "catalog-warmth": 0.9 });
    expect(v.standby_cache_warmth_limit_ratio).toEqual({ "catalog-warmth": 0.8 });
  });

  it("drill-recency: the last drill, the oldest that still covers the enforced slot, the next slot", () => {
    expect(v.standby_drill_last_timestamp_seconds).toEqual({ "orders-drill": DRILL_LAST / 1000 });
    expect(v.standby_drill_required_timestamp_seconds).toEqual({ "orders-drill": Date.parse("2026-10-01T10:00:00.000Z") / 1000 - 7 * DAY });
    expect(v.standby_drill_next_slot_timestamp_seconds).toEqual({ "orders-drill": Date.parse("2027-01-01T10:00:00.000Z") / 1000 });
  });

  it("split-brain and config-drift", () => {
    expect(v.standby_split_brain_writable_nodes).toEqual({ "orders-split-brain": 1 });
    expect(v.standby_config_drift_compared_values).toEqual({ "orders-app-config": 42 });
    const diffs = values(text).get("standby_config_drift_differences")!;
    expect(diffs.map((s) => [s.labels.change, s.value])).toEqual([
      ["changed", 2],
      ["missing", 1],
      ["extra", 1],
      ["weaker", 1],
    ]);
    expect(Object.keys(diffs[0]!.labels)).toEqual(["service", "check", "change"]);
  });

  it("kinds without their own families: one generic family per base unit, converted", () => {
    expect(v.standby_check_measured_seconds).toEqual({ "search-queue": 0.25 });
    expect(v.standby_check_limit_seconds).toEqual({ "search-queue": 1 });
    expect(v.standby_check_warn_seconds).toEqual({ "search-queue": 0.2 });
    expect(v.standby_check_measured_bytes).toEqual({ "search-disk": 2 * 1024 ** 3 });
    expect(v.standby_check_limit_bytes).toEqual({ "search-disk": 1024 ** 3 });
    // A unit with no base unit: the dimensionless family.
    expect(v.standby_check_measured).toEqual({ "search-replicas": 3 });
    expect(v.standby_check_limit).toEqual({ "search-replicas": 2 });
    // Kinds with families of their own never appear in the generic ones.
    for (const f of genericMeasuredFamilies()) for (const check of Object.keys(v[f.def.name] ?? {})) expect(check).toMatch(/^search-/);
  });

  it("every check says when its result was measured (the scan's start by default)", () => {
    const at = v.standby_check_last_result_timestamp_seconds!;
    expect(Object.keys(at)).toHaveLength(everyKindReport().checks.length);
    for (const t of Object.values(at)) expect(t).toBe(T);
  });
});

describe("reading results defensively", () => {
  const one = (c: CheckReport, opts = {}) => byCheck(renderPrometheus(makeReport([c], { startedAt: STARTED }), opts));

  it("without evidence (an older history, a hand-made report): from `measured`, timed by the result", () => {
    const tls = one(makeCheck({ id: "t", service: "s", kind: "tls-certificate", severity: "high", status: "pass", measured: { value: 12.5, unit: "d", limit: 7, warnAt: 14 } }));
    expect(tls.standby_tls_certificate_expiry_timestamp_seconds).toEqual({ t: T + 12.5 * DAY });
    expect(tls.standby_tls_certificate_expiry_limit_seconds).toEqual({ t: 7 * DAY });
    const jwt = one(makeCheck({ id: "j", service: "s", kind: "jwt", severity: "high", status: "pass", measured: { value: 3600, unit: "s", limit: 60, warnAt: 120 } }));
    expect(jwt.standby_jwt_expiry_timestamp_seconds).toEqual({ j: T + 3600 });
    const drill = one(makeCheck({ id: "d", service: "s", kind: "drill-recency", severity: "low", status: "pass", measured: { value: 86400, unit: "s" } }));
    expect(drill.standby_drill_last_timestamp_seconds).toEqual({ d: T - DAY });
    expect(drill.standby_drill_required_timestamp_seconds).toBeUndefined();
  });

  it("a check that failed on something else has no measured value: the families read the reading set aside", () => {
    const aws = one(makeCheck({ id: "a", service: "s", kind: "aws-credentials", severity: "high", status: "fail", reading: { value: 45.5, unit: "d", limit: 14, warnAt: 30 } }));
    expect(aws.standby_aws_credentials_certificate_expiry_timestamp_seconds).toEqual({ a: T + 45.5 * DAY });
    expect(aws.standby_aws_credentials_certificate_expiry_limit_seconds).toEqual({ a: 14 * DAY });
    const cache = one(makeCheck({ id: "c", service: "s", kind: "cache-age", severity: "medium", status: "fail", reading: { value: 40, unit: "s", limit: 300, warnAt: 240 } }));
    expect(cache.standby_cache_age_seconds).toEqual({ c: 40 });
  });

  it("evidence of the wrong shape is no sample, never a crash", () => {
    const bad = one(
      makeCheck({
        id: "x",
        service: "s",
        kind: "replication-lag",
        severity: "high",
        status: "unknown",
        evidence: { lagMs: "412", bytesBehind: null, limitMs: Infinity, primary: [1], thresholds: "x" },
      }),
    );
    for (const name of ["standby_replication_lag_seconds", "standby_replication_lag_bytes", "standby_replication_lag_limit_seconds"]) expect(bad[name], name).toBeUndefined();
    const tls = one(makeCheck({ id: "t", service: "s", kind: "tls-certificate", severity: "high", status: "unknown", evidence: { primary: { addresses: [{ chain: [{ notAfter: "never" }, 7] }] }, standby: "x" } }));
    expect(tls.standby_tls_certificate_expiry_timestamp_seconds).toBeUndefined();
    // Still the check's status, info and result time.
    expect(tls.standby_check_status).toBeDefined();
  });

  it("no DNS estimate without the record's TTL (measured is null), the budget still", () => {
    const dns = one(makeCheck({ id: "n", service: "s", kind: "dns-failover", severity: "high", status: "fail", evidence: { breakdown: { estimateMs: 90_000, limitMs: 900_000, warnAtMs: 720_000 } } }));
    expect(dns.standby_dns_failover_seconds).toBeUndefined();
    expect(dns.standby_dns_failover_limit_seconds).toEqual({ n: 900 });
  });

  it("the result time: a result's own measuredAt, else the caller's (watch: the run's start), else the scan's start", () => {
    const c = makeCheck({ id: "a", service: "s", severity: "low", status: "pass" });
    expect(one(c).standby_check_last_result_timestamp_seconds).toEqual({ a: T });
    expect(one(c, { measuredAt: () => 1_700_000_000_500 }).standby_check_last_result_timestamp_seconds).toEqual({ a: 1_700_000_000.5 });
    const own: CheckReport = { ...c, measuredAt: "2026-11-24T02:17:00.000Z" };
    expect(one(own, { measuredAt: () => 1 }).standby_check_last_result_timestamp_seconds).toEqual({ a: T - DAY });
    // And the timestamps derived from it follow. A seeded result (watch at start: the history's measured value and time, no evidence).
    const tls = makeCheck({ id: "t", service: "s", kind: "tls-certificate", severity: "high", status: "pass", measured: { value: 1, unit: "d" }, measuredAt: "2026-11-24T02:17:00.000Z", seeded: true });
    expect(one(tls).standby_tls_certificate_expiry_timestamp_seconds).toEqual({ t: T });
  });
});

const ALL_FAMILIES = [
  ...Object.values(REPORT_FAMILIES),
  ...Object.values(familiesByKind()).flat(),
  ...genericMeasuredFamilies().map((f) => f.def),
  ...Object.values(WATCH_FAMILIES),
];

describe("every family", () => {
  it("is a report word: a secret equal to a family name never rewrites the scrape", () => {
    const names = ALL_FAMILIES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      const reg = new SecretRegistry();
      reg.add(name);
      expect(reg.redactDocument(name), `${name}: add it to METRIC_FAMILIES in src/core/secrets.ts`).toBe(name);
    }
  });

  it("is in the README's table with its labels, and each kind's families in its checks/<kind>/README.md", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const f of ALL_FAMILIES) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${f.name}\``));
      expect(row, `README.md: no table row for ${f.name}`).toBeDefined();
      const labels = f.labels.length ? f.labels.join(", ") : "";
      expect(row!.split("|")[2]!.trim().replace(/`/g, ""), `${f.name} labels`).toBe(labels);
      expect(row!.split("|")[3]!.trim(), `${f.name} type`).toBe(f.type);
    }
    for (const [kind, defs] of Object.entries(familiesByKind())) {
      const doc = readFileSync(join(ROOT, "checks", kind, "README.md"), "utf8");
      for (const d of defs) expect(doc, `checks/${kind}/README.md names ${d.name}`).toContain(d.name);
    }
  });
});
