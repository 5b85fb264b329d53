// Reading and judging Prometheus text exposition in tests: a strict parser for format 0.0.4, the
// naming conventions promtool does not lint (one label set per family, no `unit` label, base
// units, timestamps), and promtool itself (Debian package `prometheus`): present, or the tests
// that need it are skipped locally and fail under CI=true.
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { assertPresent, findBinary, IN_CI, skipMessage } from "./servers/common.js";

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = "(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

export interface Exposition {
  samples: Sample[];
  families: Map<string, Family>;
}

/** Parses the exposition strictly: HELP then TYPE then the family's samples, each family once. */
export function parseExposition(text: string): Exposition {
  expect(text.endsWith("\n"), "ends with a line feed").toBe(true);
  const samples: Sample[] = [];
  const families = new Map<string, Family>();
  let help: { name: string; text: string } | null = null;
  let current: Family | null = null;
  for (const line of text.slice(0, -1).split("\n")) {
    const h = HELP.exec(line);
    if (h) {
      expect(families.has(h[1]!), `family ${h[1]} appears twice`).toBe(false);
      help = { name: h[1]!, text: h[2]! };
      continue;
    }
    const t = TYPE.exec(line);
    if (t) {
      expect(help?.name, `TYPE ${t[1]} without a HELP line right before it`).toBe(t[1]);
      current = { name: t[1]!, type: t[2]!, help: help!.text, samples: [] };
      families.set(current.name, current);
      help = null;
      continue;
    }
    expect(line.startsWith("#"), `unexpected comment: ${line}`).toBe(false);
    const m = SAMPLE.exec(line);
    expect(m, `not a sample line: ${JSON.stringify(line)}`).not.toBeNull();
    expect(current?.name, `sample outside its family: ${line}`).toBe(m![1]);
    const labels: Record<string, string> = {};
    for (const l of (m![2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const sample = { name: m![1]!, labels, value: Number(m![3]) };
    samples.push(sample);
    current!.samples.push(sample);
  }
  return { samples, families };
}

/** Units that are not base units (prometheus.io: seconds, bytes, ratios), as name words. */
const NON_BASE = ["ms", "milliseconds", "microseconds", "nanoseconds", "minutes", "hours", "days", "weeks", "percent", "kilobytes", "megabytes", "gigabytes", "mb", "kb"];

/**
 * The conventions promtool does not check: one label set per family, no `unit` label, no
 * non-base unit in a name, `_total` exactly on counters, instants as `_timestamp_seconds`, no
 * series twice, a HELP text for every family, every name under `standby_`.
 */
export function conventionProblems(text: string): string[] {
  const { families } = parseExposition(text);
  const problems: string[] = [];
  for (const f of families.values()) {
    if (!f.name.startsWith("standby_")) problems.push(`${f.name}: not under standby_`);
    if (f.help.trim().length < 10) problems.push(`${f.name}: no useful HELP`);
    if (f.samples.length === 0) problems.push(`${f.name}: HELP and TYPE without samples`);
    const sets = new Set(f.samples.map((s) => Object.keys(s.labels).join(",")));
    if (sets.size > 1) problems.push(`${f.name}: ${sets.size} label sets (${[...sets].join(" | ")})`);
    for (const s of f.samples) if ("unit" in s.labels) problems.push(`${f.name}: unit label`);
    const words = f.name.split("_");
    for (const w of NON_BASE) if (words.includes(w)) problems.push(`${f.name}: non-base unit ${w}`);
    if ((f.type === "counter") !== f.name.endsWith("_total")) problems.push(`${f.name}: ${f.type} ${f.name.endsWith("_total") ? "ends" : "does not end"} in _total`);
    if (/(?:_time|_timestamp|_at)$/.test(f.name)) problems.push(`${f.name}: an instant must be _timestamp_seconds`);
    if (/expiry$|_value$|_threshold$/.test(f.name)) problems.push(`${f.name}: no unit in the name`);
    const series = f.samples.map((s) => JSON.stringify(s.labels));
    if (new Set(series).size !== series.length) problems.push(`${f.name}: a series appears twice`);
  }
  return problems;
}

export const PROMTOOL = findBinary(["/usr/bin/promtool", "promtool"]);
export const PROMETHEUS = findBinary(["/usr/bin/prometheus", "prometheus"]);

/** True (with the reason printed) when promtool is missing outside CI; under CI=true a missing promtool throws. */
export function promtoolSkip(): boolean {
  if (IN_CI) assertPresent("promtool (Debian package prometheus)", PROMTOOL ? null : "promtool");
  return skipMessage("promtool (Debian package prometheus)", PROMTOOL ? null : "promtool") !== null;
}

/** The same for the Prometheus server and promtool together. */
export function prometheusSkip(): boolean {
  const missing = [PROMTOOL ? null : "promtool", PROMETHEUS ? null : "prometheus"].filter(Boolean).join(", ") || null;
  if (IN_CI) assertPresent("the Prometheus server (Debian package prometheus)", missing);
  return skipMessage("the Prometheus server (Debian package prometheus)", missing) !== null;
}

/** `promtool check metrics` on the text: its exit code and everything it printed (lint problems included). */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  if (!PROMTOOL) throw new Error("promtool is not installed");
  const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** promtool must accept the text and print nothing (a lint problem is a failure). */
export function expectPromtoolClean(text: string): void {
  expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
}

/** One family per kind that a result of the kind with something measured always has. */
export const SIGNATURE_FAMILY: Record<string, string> = {
  "aws-credentials": "standby_aws_credentials_certificate_expiry_limit_seconds",
  "cache-age": "standby_cache_age_limit_seconds",
  "config-drift": "standby_config_drift_differences",
  "dns-failover": "standby_dns_failover_limit_seconds",
  "drill-recency": "standby_drill_last_timestamp_seconds",
  jwt: "standby_jwt_expiry_timestamp_seconds",
  "replication-lag": "standby_replication_lag_bytes",
  "split-brain": "standby_split_brain_writable_nodes",
  "tls-certificate": "standby_tls_certificate_expiry_timestamp_seconds",
};

/** Check id -> kind, from a config file's services. */
export function kindsOfConfig(yamlText: string, parse: (t: string) => unknown): Map<string, string> {
  const doc = parse(yamlText) as { services: Array<{ checks: Array<{ id: string; kind: string }> }> };
  return new Map(doc.services.flatMap((s) => s.checks.map((c) => [c.id, c.kind] as const)));
}
