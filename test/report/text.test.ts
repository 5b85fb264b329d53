import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { renderText } from "../../src/report/text.js";
import { makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";

const ANSI = /\u001b\[/;

describe("text report", () => {
  it("has no escape codes without color, and status words stay visible", () => {
    const out = render(mixedReport(), "text", { color: false });
    expect(out).not.toMatch(ANSI);
    expect(out).not.toMatch(/\u001b/);
    for (const word of ["NOT_READY", "PASS", "WARN", "FAIL", "UNKNOWN(timeout)", "SKIP"]) expect(out).toContain(word);
  });

  it("uses ANSI colors when asked", () => {
    const out = render(mixedReport(), "text", { color: true });
    expect(out).toMatch(ANSI);
    expect(out).toContain("\u001b[31m"); // red for failures
    expect(out.replace(/\u001b\[[0-9;]*m/g, "")).toBe(render(mixedReport(), "text"));
  });

  it("shows the headline with score, points and min score", () => {
    const r = mixedReport();
    const out = render(r, "text");
    const head = out.split("\n").slice(0, 3).join("\n");
    expect(head).toContain("NOT_READY");
    expect(head).toContain(`score ${r.score}/100 (min 60)`);
    expect(head).toContain(`points: ${r.points.earned} earned of ${r.points.possible} possible, 1 excluded`);
    expect(out).toMatch(/NOT_READY\s+orders\s+score\s+11/);
    expect(out).toMatch(/UNKNOWN\s+search\s+score\s+67/);
  });

  it("lists checks worst first with measured value vs limit and indented findings", () => {
    const out = render(mixedReport(), "text");
    const order = ["orders-db-lag", "orders-app-config", "search-dns", "orders-tls", "search-split-brain", "orders-cache", "search-drill"];
    const section = out.slice(out.indexOf("Checks, worst first"), out.indexOf("Score breakdown"));
    const positions = order.map((id) => section.indexOf(` ${id} [`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(section).toContain("measured 6m52s (limit 5m, warn at 4m)");
    expect(section).toContain("measured 12d (limit 7d, warn at 14d)");
    expect(section).toContain("      - capacity.maxSize: weaker, primary 10, standby 4 [at-least]");
    expect(section).toContain("      - flags.newCheckout: missing on standby (primary true)");
  });

  it("shows the score breakdown sorted by cost", () => {
    const out = render(mixedReport(), "text");
    const breakdown = out.slice(out.indexOf("Score breakdown"));
    expect(breakdown).toContain("-10 orders-db-lag (critical, fail)");
    expect(breakdown).toContain("-5 orders-app-config (high, fail)");
    expect(breakdown).toContain("-5 search-dns (high, unknown: timeout)");
    expect(breakdown).toContain("-1 orders-tls (medium, warn)");
    expect(breakdown).toContain("excluded: search-drill (low, skipped)");
    expect(breakdown.indexOf("orders-db-lag")).toBeLessThan(breakdown.indexOf("orders-app-config"));
    expect(breakdown.indexOf("search-dns")).toBeLessThan(breakdown.indexOf("orders-tls"));
  });

  it("fits 80 columns for ordinary content", () => {
    const out = render(mixedReport(), "text");
    for (const l of out.split("\n")) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it("limits findings per check", () => {
    const out = render(mixedReport(), "text", { maxFindings: 2 });
    expect(out).toContain("… and 3 more (see --format json)");
  });

  it("prints the message beside drift-shaped findings when it says why, not when it restates path and values", () => {
    const finding = (message: string) => ({ path: "keys[kid=k1]", change: "missing" as const, primary: { kid: "k1" }, message, rule: "jwks-parity" });
    const out = renderText(
      makeReport([
        makeCheck({ id: "orders-tokens", kind: "jwt", service: "orders", severity: "high", status: "fail", findings: [finding("tokens signed with k1 would not verify after failover")] }),
        makeCheck({ id: "orders-config", service: "orders", severity: "high", status: "fail", findings: [finding("keys[kid=k1] is missing on standby (primary: RESTATED-BY-THE-DIFFER)")] }),
      ]),
      { color: false, width: 200 },
    );
    expect(out).toContain('- keys[kid=k1]: missing on standby (primary {"kid":"k1"}); tokens signed with k1 would not verify after failover [jwks-parity]');
    expect(out).not.toContain("RESTATED-BY-THE-DIFFER");
  });

  it("neutralises escape codes coming from findings", () => {
    const r = makeReport([
      makeCheck({ id: "x", service: "s", severity: "high", status: "fail", findings: [{ message: "evil \u001b[2J clear" }] }),
    ]);
    expect(render(r, "text")).not.toMatch(/\u001b/);
  });

  it("says so when nothing cost points", () => {
    const r = makeReport([makeCheck({ id: "ok", service: "s", severity: "high", status: "pass" })]);
    const out = render(r, "text");
    expect(out).toContain("READY");
    expect(out).toContain("no check cost any points");
  });

  it("ends every finding with its rule, the same way in text, markdown and junit", () => {
    const findings = [
      { message: "leaf expires in 4d23h", level: "warn" as const, rule: "expiry" },
      { message: "resolver raised the TTL", level: "warn" as const, rule: "resolver-ttl", why: "a resolver raising TTLs delays failover" },
      { message: "written by an older version", rule: "the reason, as older reports carried it" },
      { message: "no rule at all" },
    ];
    const r = makeReport([makeCheck({ id: "c", service: "s", severity: "high", status: "fail", findings })]);
    const text = renderText(r, { color: false, width: 200 });
    expect(text).toContain("      - leaf expires in 4d23h (warn) [expiry]\n");
    expect(text).toContain("      - resolver raised the TTL (warn) [resolver-ttl: a resolver raising TTLs delays failover]\n");
    expect(text).toContain("      - written by an older version [the reason, as older reports carried it]\n");
    expect(text).toContain("      - no rule at all\n");
    const md = render(r, "markdown");
    expect(md).toContain("- resolver raised the TTL _(warn)_ \\[resolver-ttl: a resolver raising TTLs delays failover\\]\n");
    expect(render(r, "junit")).toContain("- resolver raised the TTL (warn) [resolver-ttl: a resolver raising TTLs delays failover]\n");
  });
});
