// An unknown check never reads as compared in any renderer: it says "not compared", the reason in
// words and its summary, and no count of findings stands in for a comparison that did not happen.
import { describe, expect, it } from "vitest";
import { render, type Format } from "../../src/report/index.js";
import { makeCheck, makeReport, timedOutDrift } from "../fixtures/reports.js";

const timedOut = timedOutDrift();
const report = makeReport([timedOut, makeCheck({ id: "orders-flags", service: "orders", severity: "low", status: "pass" })]);
const SAYS = "not compared (timeout: did not finish in time): standby http://127.0.0.1:9/app.json: timed out after 3s";

describe("an unknown check in the renderers", () => {
  it("text says it was not compared, why, and its summary", () => {
    const out = render(report, "text");
    expect(out.replace(/\n\s+/g, " ")).toContain(SAYS);
    expect(out).not.toMatch(/\b0 findings\b/);
  });

  it("markdown's checks table says the same in the summary cell", () => {
    const md = render(report, "markdown");
    const row = md.split("\n").find((l) => l.startsWith("| ❔ unknown: timeout |"));
    expect(row).toContain("not compared (timeout: did not finish in time): standby http://127.0.0.1:9/app.json: timed out after 3s");
    expect(md).not.toMatch(/\b0 findings\b/);
  });

  it("no format claims zero findings for it", () => {
    for (const format of ["text", "markdown", "junit"] satisfies Format[]) expect(render(report, format)).not.toMatch(/\b0 findings?\b/);
  });
});
