// Locating a value in a JSON or YAML file (real files in a temp workspace), and the annotation
// plan built on it: which findings get their own annotation, at which level, in which order.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkAnnotations, findingLine, type Locate } from "../../src/action/annotations.js";
import { FileLocator, LOCATE_MAX_BYTES } from "../../src/action/locate.js";
import type { Finding } from "../../src/engine/types.js";
import { makeCheck, makeReport } from "../fixtures/reports.js";

let ws: string;
let outside: string;
let loc: FileLocator;

function write(name: string, text: string): string {
  const path = join(ws, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), "standby-locate-"));
  outside = mkdtempSync(join(tmpdir(), "standby-locate-out-"));
  loc = new FileLocator(ws);
});

describe("FileLocator", () => {
  it("JSON: a key's line and column, through arrays by index; the last of duplicate keys (as JSON.parse)", () => {
    const f = write("a.json", '{\n  "a": [\n    {"x": 1},\n    {"x": 2, "y": {"z": 3}}\n  ],\n  "d": 1,\n  "d": 2\n}\n');
    expect(loc.locate(f, "json", ["a", 1, "y", "z"])).toEqual({ file: "a.json", line: 4, column: 20 });
    expect(loc.locate(f, "json", ["a", 1])).toEqual({ file: "a.json", line: 4, column: 5 });
    expect(loc.locate(f, "json", ["d"])).toEqual({ file: "a.json", line: 7, column: 3 });
    // A pointer's tokens are strings: "1" indexes an array.
    expect(loc.locate(f, "json", ["a", "1", "x"])).toEqual({ file: "a.json", line: 4, column: 6 });
  });

  it("YAML: keys, list items, numeric keys and aliases (the anchor's node)", () => {
    const f = write(
      "b.yaml",
      ["base: &b", "  timeout: 5s", "svc:", "  - name: a", "    cfg: *b", "  - name: b", "    8080: http", ""].join("\n"),
    );
    expect(loc.locate(f, "yaml", ["svc", 1, "name"])).toEqual({ file: "b.yaml", line: 6, column: 5 });
    expect(loc.locate(f, "yaml", ["svc", 1, "8080"])).toEqual({ file: "b.yaml", line: 7, column: 5 });
    expect(loc.locate(f, "yaml", ["svc", 0, "cfg", "timeout"])).toEqual({ file: "b.yaml", line: 2, column: 3 });
  });

  it("nothing to locate: a missing key, an index out of range, a scalar in the way, the document itself", () => {
    const f = write("c.json", '{"a": {"b": 1}, "l": [1]}');
    expect(loc.locate(f, "json", ["a", "nope"])).toBeNull();
    expect(loc.locate(f, "json", ["l", 3])).toBeNull();
    expect(loc.locate(f, "json", ["a", "b", "c"])).toBeNull();
    expect(loc.locate(f, "json", [])).toBeNull();
  });

  it("refuses files outside the workspace, also through a symbolic link, unparsable files and files over the limit", () => {
    writeFileSync(join(outside, "o.json"), '{"a": 1}');
    expect(loc.locate(join(outside, "o.json"), "json", ["a"])).toBeNull();
    symlinkSync(join(outside, "o.json"), join(ws, "link.json"));
    expect(loc.locate(join(ws, "link.json"), "json", ["a"])).toBeNull();
    expect(loc.locate(write("bad.json", '{"a": '), "json", ["a"])).toBeNull();
    expect(loc.locate(join(ws, "absent.json"), "json", ["a"])).toBeNull();
    const big = write("big.json", `{"a": "${"x".repeat(LOCATE_MAX_BYTES)}"}`);
    expect(loc.locate(big, "json", ["a"])).toBeNull();
  });

  it("a link inside the workspace is annotated on the real file", () => {
    mkdirSync(join(ws, "shared"));
    writeFileSync(join(ws, "shared", "real.yaml"), "k: v\n");
    symlinkSync(join(ws, "shared", "real.yaml"), join(ws, "alias.yaml"));
    expect(loc.locate(join(ws, "alias.yaml"), "yaml", ["k"])).toEqual({ file: "shared/real.yaml", line: 1, column: 1 });
  });
});

describe("the annotation plan", () => {
  const drift = (path: string, change: Finding["change"], extra: Partial<Finding> = {}): Finding => ({
    message: `${path} ${change}`,
    path,
    change,
    primary: 1,
    standby: 2,
    at: { primary: [path], standby: [path] },
    ...extra,
  });
  /** Locates a finding's first `at` segment as a key of p.json (primary) or s.json (standby). */
  const locate: Locate = (_check, f, side) => loc.locate(join(ws, side === "primary" ? "p.json" : "s.json"), "json", f.at?.[side] ?? []);

  beforeAll(() => {
    write("p.json", '{\n"a": 1,\n"b": 1,\n"c": 1,\n"gone": 1\n}\n');
    write("s.json", '{\n"a": 2,\n"b": 2,\n"c": 2,\n"new": 2\n}\n');
  });

  it("a warn-level finding of a failing check is a warning; accepted and informational findings get none of their own", () => {
    const check = makeCheck({
      id: "d",
      service: "s",
      severity: "high",
      status: "fail",
      location: { file: "standby.yml", line: 9, column: 9 },
      findings: [drift("a", "changed"), drift("b", "changed", { level: "warn" }), drift("c", "changed", { accepted: "known" })],
    });
    const plan = checkAnnotations(makeReport([check]), "standby.yml", locate);
    expect(plan.annotations.map((a) => [a.level, a.properties.file, a.properties.line])).toEqual([
      ["error", "s.json", 2],
      ["warning", "s.json", 3],
    ]);
  });

  it("missing on the primary file, extra on the standby's; an unlocated finding keeps the check's own annotation", () => {
    const check = makeCheck({
      id: "d",
      service: "s",
      severity: "high",
      status: "fail",
      location: { file: "standby.yml", line: 9, column: 9 },
      findings: [drift("gone", "missing", { at: { primary: ["gone"] } }), drift("new", "extra", { at: { standby: ["new"] } }), drift("nowhere", "changed")],
    });
    const plan = checkAnnotations(makeReport([check]), "standby.yml", locate);
    expect(plan.annotations.map((a) => [a.properties.file, a.properties.line])).toEqual([
      ["standby.yml", 9],
      ["p.json", 5],
      ["s.json", 5],
    ]);
    expect(plan.annotations[0]!.message).toContain("- nowhere: changed, primary 1, standby 2");
    expect(plan.annotations[0]!.message).toContain("2 more findings annotated on the drifted lines");
  });

  it("orders by severity, then status, and caps each level at 10, counting the rest", () => {
    const checks = [
      makeCheck({ id: "low-fail", service: "s", severity: "low", status: "fail", findings: Array.from({ length: 12 }, () => drift("a", "changed")) }),
      makeCheck({ id: "crit-warn", service: "s", severity: "critical", status: "warn" }),
      makeCheck({ id: "crit-unknown", service: "s", severity: "critical", status: "unknown" }),
      makeCheck({ id: "high-fail", service: "s", severity: "high", status: "fail" }),
    ];
    const plan = checkAnnotations(makeReport(checks), "standby.yml", locate);
    expect(plan.annotations.filter((a) => a.level === "warning").map((a) => a.properties.title)).toEqual([
      "standby: crit-unknown UNKNOWN(error) (critical)",
      "standby: crit-warn WARN (critical)",
    ]);
    const errs = plan.annotations.filter((a) => a.level === "error");
    expect(errs).toHaveLength(10);
    expect(errs[0]!.properties.title).toBe("standby: high-fail FAIL (high)");
    expect(plan.omitted).toEqual({ error: 3, warning: 0 });
  });

  it("a changed value shows what the standby should hold when side-var substitution produced it", () => {
    const f = drift("url", "changed", { primary: "https://l.euw1", standby: "https://l.euw1", expected: "https://l.euc1" });
    expect(findingLine(f)).toBe('url: changed, standby holds "https://l.euw1"; it should hold "https://l.euc1" (the primary\'s "https://l.euw1" with this side\'s vars)');
    expect(findingLine(drift("n", "changed"))).toBe("n: changed, primary 1, standby 2");
  });
});
