import { describe, expect, it } from "vitest";
import { render } from "../../src/report/index.js";
import { makeCheck, makeReport, mixedReport } from "../fixtures/reports.js";

/** A tiny well-formedness check: legal characters, balanced tags, escaped text and attributes. */
function assertWellFormed(xml: string): void {
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const body = xml.replace(/^<\?xml[^?]*\?>\n/, "");
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\d+);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/g;
  let pos = 0;
  for (const m of body.matchAll(token)) {
    expect(m.index, `unparsed XML at ${pos}: ${body.slice(pos, pos + 40)}`).toBe(pos);
    pos = m.index! + m[0].length;
    if (m[5] !== undefined) {
      // Text: every & starts an entity, no stray >.
      expect(m[5]).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
  }
  expect(pos).toBe(body.length);
  expect(stack).toEqual([]);
}

function attr(tag: string, name: string): string {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)![1]!;
}

describe("junit report", () => {
  const xml = render(mixedReport(), "junit");

  it("is well-formed XML", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    assertWellFormed(xml);
  });

  it("has one testsuite per service with correct counts", () => {
    const root = /<testsuites[^>]*>/.exec(xml)![0];
    expect([attr(root, "tests"), attr(root, "failures"), attr(root, "errors"), attr(root, "skipped")]).toEqual(["7", "2", "1", "1"]);
    const suites = [...xml.matchAll(/<testsuite [^>]*>/g)].map((m) => m[0]);
    expect(suites.map((s) => attr(s, "name"))).toEqual(["orders", "search"]);
    const orders = suites[0]!;
    expect([attr(orders, "tests"), attr(orders, "failures"), attr(orders, "errors"), attr(orders, "skipped")]).toEqual(["4", "2", "0", "0"]);
    expect(attr(orders, "time")).toBe("0.063");
    const search = suites[1]!;
    expect([attr(search, "tests"), attr(search, "failures"), attr(search, "errors"), attr(search, "skipped")]).toEqual(["3", "0", "1", "1"]);
    expect(xml.match(/<testcase /g)).toHaveLength(7);
  });

  it("maps statuses to failure, error, skipped and system-out", () => {
    expect(xml).toContain('<testcase classname="standby.orders" name="orders-db-lag" time="0.031">');
    expect(xml).toMatch(/name="orders-db-lag"[^>]*>\s*<failure message="\[critical\] standby replays[^"]*" type="fail">/);
    expect(xml).toMatch(/name="search-dns"[^>]*>\s*<error message="[^"]*" type="timeout">/);
    expect(xml).toMatch(/name="search-drill"[^>]*>\s*<skipped[^>]*\/>/);
    expect(xml).toMatch(/name="orders-tls"[^>]*>\s*<system-out>WARN \(medium\)/);
    expect(xml).toContain('<testcase classname="standby.orders" name="orders-cache" time="0.012"/>');
    // findings text inside the failure
    expect(xml).toContain("- capacity.maxSize: weaker, primary 10, standby 4 [at-least]");
    // what each non-passing check cost the score
    expect(xml).toMatch(/name="orders-db-lag"[^>]*>\s*<failure[^>]*>[^<]*points: cost 10 of 10 \(score 0\/10\)/);
    expect(xml).toMatch(/name="orders-tls"[^>]*>\s*<system-out>[^<]*points: cost 1 of 2 \(score 1\/2\)/);
  });

  it("escapes <&\" and removes control characters", () => {
    const r = makeReport([
      makeCheck({
        id: 'weird<&">id',
        service: "svc&co",
        severity: "high",
        status: "fail",
        summary: 'summary <b> & "quoted" \u0001bell\u0007 \'single\'\nline2',
        findings: [{ message: "finding <x> & y \u001b[31m ]]> \ud800 lone" }],
      }),
    ]);
    const out = render(r, "junit");
    assertWellFormed(out);
    expect(out).toContain('name="weird&lt;&amp;&quot;&gt;id"');
    expect(out).toContain('classname="standby.svc&amp;co"');
    expect(out).toContain('message="[high] summary &lt;b&gt; &amp; &quot;quoted&quot; bell &apos;single&apos;&#10;line2"');
    expect(out).toContain("finding &lt;x&gt; &amp; y [31m ]]&gt;  lone");
    expect(out).not.toMatch(/\ud800/);
  });
});
