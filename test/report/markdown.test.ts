import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { bigReport, makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";

function checkRows(md: string): string[] {
  const section = md.slice(md.indexOf("### Checks"), md.indexOf("### Findings"));
  return section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| status") && !l.startsWith("| ---"));
}

/** Cells of a GFM table row, honouring \| escapes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("markdown report", () => {
  it("has a headline with status emoji and score, and the breakdown", () => {
    const md = render(mixedReport(), "markdown");
    expect(md.split("\n")[0]).toBe("## ❌ standby: NOT_READY — score 36/100");
    expect(md).toContain("**12** of **33** points earned");
    expect(md).toContain("### Score breakdown");
    expect(md).toContain("| -10 | <code>orders-db-lag</code> | critical | ❌ fail |");
    expect(md).toContain("| -5 | <code>search-dns</code> | high | ❔ unknown: timeout |");
  });

  it("lists table rows worst first with six cells each", () => {
    const rows = checkRows(render(mixedReport(), "markdown"));
    const ids = rows.map((r) => /<code>([^<]+)<\/code>/.exec(r)![1]);
    expect(ids).toEqual([
      "orders-db-lag",
      "orders-app-config",
      "search-dns",
      "orders-tls",
      "search-split-brain",
      "orders-cache",
      "search-drill",
    ]);
    for (const r of rows) expect(cells(r)).toHaveLength(6);
    expect(rows[0]).toContain("6m52s (limit 5m, warn at 4m)");
  });

  it("puts findings of fail/unknown/warn checks in details, drift as a table", () => {
    const md = render(mixedReport(), "markdown");
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
    expect(md).toContain("| path | change | primary | standby | why |");
    expect(md).toContain("| <code>capacity.maxSize</code> | weaker | <code>10</code> | <code>4</code> |");
    expect(md).toContain("- no answer from ns-1.example.net within 10s");
  });

  it("says why beside each drift: the rule's reason, and the message when it says more than path and values", () => {
    const jwtMessage = "standby JWKS lacks kid k1: tokens the primary signed with it would not verify after failover";
    const md = render(
      makeReport([
        makeCheck({
          id: "orders-asg",
          service: "orders",
          severity: "high",
          status: "fail",
          findings: [{ path: "configuration.maxSize", change: "weaker", primary: 24, standby: 12, message: "configuration.maxSize weaker: 24 -> 12", rule: "at-least", why: "capacity to take the primary's load" }],
        }),
        makeCheck({
          id: "orders-tokens",
          kind: "jwt",
          service: "orders",
          severity: "high",
          status: "fail",
          findings: [{ path: "keys[kid=k1]", change: "missing", primary: { kid: "k1" }, message: jwtMessage, rule: "jwks-parity" }],
        }),
      ]),
      "markdown",
    );
    const asg = cells(md.split("\n").find((l) => l.includes("configuration.maxSize"))!);
    // The differ's message only restates path and values: the why is the rule and its reason.
    expect(asg[4]).toBe("\\[at-least: capacity to take the primary's load\\]");
    const jwt = cells(md.split("\n").find((l) => l.includes("kid=k1"))!);
    expect(jwt[4]).toBe(`${jwtMessage} \\[jwks-parity\\]`);
  });

  it("escapes | backticks and HTML in cells", () => {
    const md = render(mixedReport(), "markdown");
    const row = md.split("\n").find((l) => l.includes("headers.x-note"))!;
    expect(row).toContain("\\|");
    expect(row).toContain("\\`tick\\`");
    expect(row).toContain("&lt;b&gt; &amp;");
    expect(row).not.toContain("<b>");
    expect(cells(row)).toHaveLength(5);
    const extra = md.split("\n").find((l) => l.includes("routes.debug"))!;
    expect(cells(extra)).toHaveLength(5);
    expect(extra).toContain("/debug\\|internal");
  });

  it("escapes user text in summaries: pipes, newlines, HTML, mentions", () => {
    const r = makeReport([
      makeCheck({
        id: "x",
        service: "s",
        severity: "high",
        status: "fail",
        summary: "a | b\n<script>alert(1)</script> ping @oncall",
      }),
    ]);
    const row = checkRows(render(r, "markdown"))[0]!;
    expect(cells(row)).toHaveLength(6);
    expect(row).toContain("a \\| b<br>&lt;script&gt;");
    expect(row).not.toContain("@oncall");
  });

  it("is untouched when it fits maxBytes", () => {
    const full = render(mixedReport(), "markdown");
    expect(render(mixedReport(), "markdown", { maxBytes: bytes(full) })).toBe(full);
    expect(full).not.toContain("truncated");
  });

  it("drops findings of the least severe checks first to fit maxBytes", () => {
    const report = bigReport(2000);
    const full = render(report, "markdown");
    const limit = 64 * 1024;
    expect(bytes(full)).toBeGreaterThan(limit);
    const md = render(report, "markdown", { maxBytes: limit });
    expect(bytes(md)).toBeLessThanOrEqual(limit);
    expect(bytes(md)).toBeGreaterThan(limit * 0.9);
    expect(md).toMatch(/… truncated: \d+ findings of 3 checks omitted; see the JSON report/);
    // Worst first: the critical check keeps findings, the warn and low ones lose theirs.
    expect(md).toContain("big-drift</code> (critical, fail)");
    expect(md).not.toContain("low.items");
    expect(md).not.toContain("medium.items");
    // The tables and the breakdown are kept whole, details stay balanced.
    expect(checkRows(md)).toHaveLength(3);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    const m = /truncated: (\d+) findings/.exec(md)!;
    const shown = (md.match(/items\\\[id=\d+\\\]\.value/g) ?? []).length; // escaped as items\[id=1\]
    expect(Number(m[1]) + shown).toBe(2100);
  });

  it("keeps the critical check's findings when the limit is generous", () => {
    const report = bigReport(100);
    const full = render(report, "markdown");
    const withoutLow = bytes(full) - 1000;
    const md = render(report, "markdown", { maxBytes: withoutLow });
    expect(bytes(md)).toBeLessThanOrEqual(withoutLow);
    expect(md).toContain("items\\[id=99\\]");
    expect(md).toMatch(/findings of 1 check omitted/);
    // low-drift (low, fail) loses findings before medium-warn (medium, warn), though it is listed first.
    expect(md).toContain("medium.items\\[id=49\\]");
    expect(md).not.toContain("low.items\\[id=49\\]");
    expect(md).toContain("<code>low-drift</code> (low, fail): 50 findings");
  });

  it("cuts even the tables when the limit is tiny, still within the limit", () => {
    for (const limit of [2000, 600, 40, 5]) {
      const md = render(bigReport(50), "markdown", { maxBytes: limit });
      expect(bytes(md)).toBeLessThanOrEqual(limit);
      if (limit >= 600) expect(md).toContain("see the JSON report");
    }
  });

  it("never splits a multi-byte character when cutting", () => {
    const r = makeReport(
      Array.from({ length: 40 }, (_, i) =>
        makeCheck({ id: `c${i}`, service: "s", severity: "low", status: "fail", summary: "été ✓ 日本語 ".repeat(10) }),
      ),
    );
    const md = render(r, "markdown", { maxBytes: 3000 });
    expect(bytes(md)).toBeLessThanOrEqual(3000);
    expect(md).not.toContain("\uFFFD");
  });
});
