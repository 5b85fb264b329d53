import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secrets } from "../../src/core/secrets.js";
import { FORMATS, render } from "../../src/report/index.js";
import { makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";
import type { Report } from "../../src/engine/types.js";

const CANARY = "CANARY-7f3a9c1e-d2b4";
// Characters every format escapes: a secret must be redacted before escaping, or it survives as `a\|b`, `a&amp;b`.
const TRICKY = 'CANARY-p|a`s<s>&w"o\\rd';
const LONG = "CANARY-" + "z".repeat(150);

function canaryReport(): Report {
  const base = mixedReport();
  const leaky = makeCheck({
    id: "leaky",
    service: "orders",
    severity: "critical",
    status: "fail",
    summary: `connect failed with ${CANARY} and ${TRICKY} via postgres://app:hunter2pw@db.internal/orders`,
    measured: { value: 1, unit: "s", limit: 0 },
    findings: [
      { message: `token ${CANARY} rejected; ${TRICKY}` },
      { message: "drifted secret", path: "db.password", change: "changed", primary: CANARY, standby: TRICKY },
      { message: "long", path: "db.token", change: "changed", primary: LONG, standby: { nested: [CANARY] } },
      { message: "missing", path: "db.key", change: "missing", primary: TRICKY, rule: `rule ${CANARY}`, accepted: CANARY },
    ],
    evidence: { raw: `${CANARY} ${TRICKY}`, [CANARY]: 1 },
  });
  const warn = makeCheck({
    id: "leaky-warn",
    service: "search",
    severity: "low",
    status: "warn",
    summary: `password=${CANARY}`,
    findings: [{ message: `warn ${TRICKY}` }],
  });
  const unknown = makeCheck({
    id: "leaky-unknown",
    service: "search",
    severity: "high",
    status: "unknown",
    reason: "not-authorized",
    summary: `401 for ${CANARY}`,
    findings: [{ message: LONG }],
  });
  return makeReport([...base.checks, leaky, warn, unknown], { minScore: 60 });
}

function leaks(out: string): string[] {
  const found: string[] = [];
  if (out.includes("CANARY-7f3a")) found.push("canary");
  if (out.includes("p|a") || out.includes("p\\|a") || out.includes("s&lt;s") || out.includes("s<s>")) found.push("tricky");
  if (out.includes("zzzzz")) found.push("long");
  if (out.includes("hunter2")) found.push("url password");
  return found;
}

describe("secrets never leak", () => {
  beforeEach(() => {
    secrets.add(CANARY);
    secrets.add(TRICKY);
    secrets.add(LONG);
  });
  afterEach(() => secrets.clear());

  for (const format of FORMATS) {
    it(`${format}: no canary in summary, finding message, finding value, evidence`, () => {
      const report = canaryReport();
      for (const opts of [{}, { color: true }, { maxBytes: 4000 }]) {
        const out = render(report, format, opts);
        expect(out.length).toBeGreaterThan(100);
        expect(leaks(out)).toEqual([]);
        if (format !== "prometheus") expect(out).toMatch(/\*\*\*|\\\*\\\*\\\*/);
      }
    });
  }

  it("the JSON report stays valid after redaction", () => {
    const parsed = JSON.parse(render(canaryReport(), "json"));
    const leaky = parsed.checks.find((c: { id: string }) => c.id === "leaky");
    expect(leaky.findings[1].primary).toBe("***");
    expect(leaky.findings[1].standby).toBe("***");
    expect(leaky.evidence).toEqual({ raw: "*** ***", "***": 1 });
  });

  it("the canary really is in the report (the test would catch a leak)", () => {
    secrets.clear();
    const out = render(canaryReport(), "json");
    // (URL passwords are redacted by pattern, registered or not.)
    expect(leaks(out)).toEqual(["canary", "tricky", "long"]);
  });

  it("redacted password=*** values do not swallow the syntax around them", () => {
    const r = makeReport([
      makeCheck({
        id: "kw",
        service: "s",
        severity: "high",
        status: "fail",
        summary: "login password=hunter2",
        findings: [
          { message: "pwd=abc;", path: "dsn", change: "changed", primary: "password=hunter2", standby: "passwd=x" },
          { message: "url postgres://u:hunter2@h/db" },
        ],
      }),
    ]);
    const json = render(r, "json");
    const parsed = JSON.parse(json);
    expect(parsed.checks[0].summary).toBe("login password=***");
    expect(parsed.checks[0].findings[0].primary).toBe("password=***");
    const xml = render(r, "junit");
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml.match(/<\/failure>/g)).toHaveLength(1);
    expect(xml).toContain('primary "password=***", standby "passwd=***"');
    const md = render(r, "markdown");
    expect(md).toContain("<code>\"password=\\*\\*\\*\"</code>");
    expect((md.match(/<code>/g) ?? []).length).toBe((md.match(/<\/code>/g) ?? []).length);
    const text = render(r, "text");
    expect(text).toContain('primary "password=***", standby "passwd=***"');
    for (const out of [json, xml, md, text]) expect(out).not.toContain("hunter2");
  });

  it("markdown stays within maxBytes with redaction", () => {
    const r = makeReport([
      makeCheck({
        id: "many",
        service: "s",
        severity: "high",
        status: "fail",
        findings: Array.from({ length: 500 }, (_, i) => ({ message: `m${i} postgres://u:p@h ${CANARY}` })),
      }),
    ]);
    const out = render(r, "markdown", { maxBytes: 5000 });
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(5000);
    expect(leaks(out)).toEqual([]);
  });
});

describe("redactDeep (check outcomes, JSON reports, history records)", () => {
  beforeEach(() => secrets.add(CANARY));
  afterEach(() => secrets.clear());

  it("redacts keys and values, keeps an own __proto__ key, writes Dates as JSON does, cuts cycles", async () => {
    const { redactDeep } = await import("../../src/core/secrets.js");
    const doc = JSON.parse(`{"__proto__": {"polluted": "${CANARY}"}, "ok": 1}`) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const out = redactDeep({ doc, at: new Date("2026-11-26T02:00:00Z"), [`key-${CANARY}`]: CANARY, big: 12n, cyclic });
    expect(Object.keys(out.doc)).toEqual(["__proto__", "ok"]);
    expect(Object.getPrototypeOf(out.doc)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(
      '{"doc":{"__proto__":{"polluted":"***"},"ok":1},"at":"2026-11-26T02:00:00.000Z","key-***":"***","big":"12","cyclic":{"name":"loop","self":"[Circular]"}}',
    );
  });
});
