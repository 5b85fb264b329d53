// The bundled Action (dist/action.js) under the runner's real contract.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTION, ROOT, apiConfig, lineOf, runAction, workspace, type ActionRun } from "./helpers.js";

const ACTION_YML = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { outputs: Record<string, unknown> };
const OUTPUTS = Object.keys(ACTION_YML.outputs).sort();

const annotations = (r: ActionRun, level?: string) =>
  r.commands.filter((c) => (level ? c.command === level : ["error", "warning", "notice"].includes(c.command)));

beforeAll(() => {
  if (!existsSync(ACTION)) throw new Error("dist/action.js is missing: run `npm run bundle`");
});

describe("quickstart (drifted on purpose)", () => {
  let r: ActionRun;
  let yml: string;
  beforeAll(async () => {
    const ws = workspace({ quickstart: true });
    yml = readFileSync(join(ws, "standby.yml"), "utf8");
    r = await runAction(ws, { config: "standby.yml", "fail-on": "not-ready", "report-path": "standby-report.json", "working-directory": "." });
  });

  it("fails the step with exit 1 and failure-reason not-ready", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({
      score: "22",
      status: "NOT_READY",
      failed: "2",
      unknown: "0",
      "report-path": "standby-report.json",
      "failure-reason": "not-ready",
    });
  });

  it("sets exactly the outputs action.yml declares, in the heredoc form", () => {
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
    expect(r.outputsRaw).toMatch(/^score<<ghadelimiter_[0-9a-f-]{36}\n22\nghadelimiter_[0-9a-f-]{36}\n/);
  });

  it("writes the JSON report (schemaVersion 1) at report-path", () => {
    const report = JSON.parse(readFileSync(join(r.workspace, "standby-report.json"), "utf8"));
    expect(report.schemaVersion).toBe(1);
    expect(report.status).toBe("NOT_READY");
    expect(report.score).toBe(22);
    expect(report.checks).toHaveLength(3);
  });

  it("writes a job summary: status, score, breakdown, checks worst first, findings in <details>", () => {
    const s = r.summary;
    expect(s).toContain("standby: NOT_READY — score 22/100");
    expect(s).toContain("### Score breakdown");
    expect(s).toMatch(/\| -5 \| <code>orders-app-config<\/code> \| high \|/);
    expect(s).toContain("| status | severity | check | service | summary | measured |");
    const table = s.slice(s.indexOf("### Checks"));
    expect(table.indexOf("orders-app-config")).toBeLessThan(table.indexOf("search-cluster-settings"));
    expect(table.indexOf("search-cluster-settings")).toBeLessThan(table.indexOf("orders-feature-flags"));
    expect(s).toContain("<details><summary>❌ <code>orders-app-config</code>");
    expect(s).toContain("| path | change | primary | standby |");
    expect(s).toContain("| <code>capacity.maxSize</code> | weaker | <code>24</code> | <code>8</code> |");
    expect(s).toContain("</details>");
    expect(s).toContain("Reports written: <code>standby-report.json</code>");
    expect(Buffer.byteLength(s)).toBeLessThan(1_000_000);
  });

  it("annotates each drift on its key in the compared file, worst first, within 10 errors", () => {
    const errors = annotations(r, "error");
    const app = readFileSync(join(r.workspace, "configs/standby/app.json"), "utf8");
    const primaryApp = readFileSync(join(r.workspace, "configs/primary/app.json"), "utf8");
    // 9 drifts of the high check (in path order), then the medium check's one: exactly GitHub's 10.
    expect(errors).toHaveLength(10);
    expect(errors[0]!.properties).toEqual({
      title: "standby: orders-app-config FAIL (high): capacity.maxSize weaker",
      file: "configs/standby/app.json",
      line: String(lineOf(app, '"maxSize"')),
      col: String(app.split("\n")[lineOf(app, '"maxSize"') - 1]!.indexOf('"maxSize"') + 1),
    });
    expect(errors[0]!.message).toContain("capacity.maxSize: weaker, primary 24, standby 8");
    expect(errors[0]!.message).toMatch(/capacity\.maxSize: weaker, primary 24, standby 8 \[at-least: [^\]]+\]/);
    // A missing listener is shown where it is: in the primary's file.
    const missing = errors.find((e) => e.properties.title!.includes("listeners[port=9090] missing"))!;
    expect(missing.properties).toMatchObject({ file: "configs/primary/app.json", line: String(lineOf(primaryApp, '"port": 9090')) });
    expect(errors[9]!.properties).toMatchObject({ title: "standby: search-cluster-settings FAIL (medium): engineVersion changed", file: "configs/standby/search.json" });
    // Properties are escaped on the wire (`:` in the title).
    expect(errors[0]!.raw).toContain("title=standby%3A orders-app-config FAIL (high)%3A capacity.maxSize weaker,file=configs/standby/app.json,line=");
    expect(annotations(r, "warning")).toEqual([]);
    expect(r.summary).not.toContain("not annotated");
    // Every finding was located: no annotation on standby.yml.
    expect(errors.map((e) => e.properties.file)).not.toContain("standby.yml");
    expect(yml).toContain("- id: orders-app-config");
  });

  it("prints the text report inside a group with workflow commands stopped", () => {
    const names = r.commands.map((c) => c.command);
    expect(names).toContain("group");
    expect(names).toContain("stop-commands");
    expect(r.stdout).toContain("Checks, worst first");
    expect(r.stdout).toMatch(/standby: NOT_READY, score 22\/100 \(min 80\)/);
  });
});

describe("exit semantics and inputs", () => {
  it("fail-on never: exit 0, failure-reason empty, status still NOT_READY", async () => {
    const r = await runAction(workspace({ quickstart: true }), { "fail-on": "never" });
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe("NOT_READY");
    expect(r.outputs["failure-reason"]).toBe("");
    expect(annotations(r, "error")).toHaveLength(10);
  });

  it("defaults apply when the runner passes no inputs at all", async () => {
    const r = await runAction(workspace({ quickstart: true }));
    expect(r.code).toBe(1);
    expect(r.outputs["report-path"]).toBe("standby-report.json");
    expect(existsSync(join(r.workspace, "standby-report.json"))).toBe(true);
  });

  it("a ready selection exits 0 with no annotations", async () => {
    const r = await runAction(workspace({ quickstart: true }), { only: "orders-feature-flags" });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ score: "100", status: "READY", failed: "0", unknown: "0", "failure-reason": "" });
    expect(annotations(r)).toEqual([]);
    expect(r.summary).toContain("standby: READY — score 100/100");
  });

  it("min-score overrides scoring.minScore and changes the status", async () => {
    // One medium pass, one medium fail: score 50. Below the config's 80 -> NOT_READY; with 40 -> DEGRADED.
    const only = "orders-feature-flags, search-cluster-settings";
    const base = await runAction(workspace({ quickstart: true }), { only });
    expect(base.outputs).toMatchObject({ score: "50", status: "NOT_READY", "failure-reason": "not-ready" });
    expect(base.code).toBe(1);

    const lowered = await runAction(workspace({ quickstart: true }), { only, "min-score": "40" });
    expect(lowered.outputs).toMatchObject({ score: "50", status: "DEGRADED", "failure-reason": "" });
    expect(lowered.code).toBe(0);
    expect(lowered.summary).toContain("min score 40");
    expect(lowered.summary).toContain("Min score 40 comes from the Action's `min-score` input (standby.yml says 80)");
    expect(JSON.parse(readFileSync(join(lowered.workspace, "standby-report.json"), "utf8")).minScore).toBe(40);

    const degraded = await runAction(workspace({ quickstart: true }), { only, "min-score": "40", "fail-on": "degraded" });
    expect(degraded.code).toBe(1);
    expect(degraded.outputs["failure-reason"]).toBe("not-ready");

    const raised = await runAction(workspace({ quickstart: true }), { only: "orders-feature-flags", "min-score": "100" });
    expect(raised.outputs.status).toBe("READY");
  });

  it("working-directory, report-path and format: paths relative to the workspace", async () => {
    const ws = workspace();
    const infra = join(ws, "infra", "dr");
    mkdirSync(join(infra, "configs"), { recursive: true });
    writeFileSync(join(infra, "configs", "a.json"), JSON.stringify({ size: 3, mode: "x" }));
    writeFileSync(join(infra, "configs", "b.json"), JSON.stringify({ size: 3, mode: "y" }));
    const config = apiConfig(`      - id: api-config
        kind: config-drift
        severity: high
        primary: { file: configs/a.json }
        standby: { file: configs/b.json }
`);
    writeFileSync(join(infra, "dr.yml"), config);
    const r = await runAction(ws, {
      "working-directory": "infra/dr",
      config: "dr.yml",
      "report-path": "out/readiness.json",
      format: "junit, markdown",
    });
    expect(r.code).toBe(1);
    expect(r.outputs["report-path"]).toBe("infra/dr/out/readiness.json");
    for (const f of ["readiness.json", "readiness.xml", "readiness.md"]) expect(existsSync(join(infra, "out", f))).toBe(true);
    expect(readFileSync(join(infra, "out", "readiness.xml"), "utf8")).toContain("<testsuite");
    // The drift is annotated on its key in the standby file, named from the workspace root.
    const [e] = annotations(r, "error");
    expect(e!.properties).toMatchObject({ file: "infra/dr/configs/b.json", line: "1", col: String(JSON.stringify({ size: 3, mode: "y" }).indexOf('"mode"') + 1) });
    expect(e!.message).toContain('mode: changed, primary "x", standby "y"');
    expect(config).toContain("- id: api-config");
  });

  it("invalid config: exit 2, failure-reason invalid-config, an annotation on each offending line", async () => {
    const ws = workspace();
    const config = apiConfig(`      - id: api-config
        kind: config-drift
        timeout: soon
        primary: { file: a.json }
        standby: { file: b.json }
      - id: other
        kind: config-drfit
`);
    writeFileSync(join(ws, "standby.yml"), config);
    const r = await runAction(ws);
    expect(r.code).toBe(2);
    expect(r.outputs).toEqual({ score: "", status: "", failed: "", unknown: "", "report-path": "", "failure-reason": "invalid-config" });
    const errors = annotations(r, "error");
    expect(errors).toHaveLength(2);
    expect(errors[0]!.properties).toMatchObject({ title: "standby: invalid config", file: "standby.yml", line: String(lineOf(config, "timeout: soon")) });
    expect(errors[0]!.message).toMatch(/^services\[0\]\.checks\[0\]\.timeout: .*duration/);
    expect(errors[1]!.properties).toMatchObject({ file: "standby.yml", line: String(lineOf(config, "kind: config-drfit")) });
    expect(errors[1]!.message).toContain("did you mean 'config-drift'");
    expect(r.summary).toContain("standby: invalid config");
    expect(existsSync(join(ws, "standby-report.json"))).toBe(false);
  });

  it("invalid config with more than 10 problems: 10 annotations, every problem in the summary", async () => {
    const ws = workspace();
    const checks = Array.from({ length: 12 }, (_, i) => `      - { id: c${i}, kind: config-drift, timeout: never-${i}, primary: { file: a.json }, standby: { file: b.json } }`);
    const config = apiConfig(`${checks.join("\n")}\n`);
    writeFileSync(join(ws, "standby.yml"), config);
    const r = await runAction(ws);
    expect(r.code).toBe(2);
    const errors = annotations(r, "error");
    expect(errors).toHaveLength(10);
    expect(errors.map((e) => e.properties.line)).toEqual(Array.from({ length: 10 }, (_, i) => String(lineOf(config, `id: c${i},`))));
    expect(r.stdout).toContain("2 more problem(s) not annotated");
    expect(r.summary).toContain("12 problems; no check ran");
    expect(r.summary).toContain("never-11");
  });

  it("a missing config file is invalid config (exit 2) that says where it looked and what to set", async () => {
    const r = await runAction(workspace(), { config: "nope.yml" });
    expect(r.code).toBe(2);
    expect(r.outputs["failure-reason"]).toBe("invalid-config");
    const e = annotations(r, "error")[0]!;
    expect(e.properties.title).toBe("standby: no config found");
    expect(e.message).toContain("no config found: input 'config' is nope.yml, and nope.yml does not exist (looked in .)");
    expect(e.message).toContain("set input 'config' to your standby.yml");
    const deeper = await runAction(workspace(), { config: "deploy/standby.yml" });
    expect(annotations(deeper, "error")[0]!.message).toContain("(looked in deploy, a directory that does not exist)");
  });

  it.each([
    [{ "fail-on": "sometimes" }, "input 'fail-on'"],
    [{ "min-score": "eighty" }, "input 'min-score'"],
    [{ "min-score": "101" }, "input 'min-score'"],
    [{ format: "pdf" }, "input 'format'"],
    [{ "working-directory": "missing-dir" }, "input 'working-directory'"],
    [{ only: "no-such-check" }, "input 'only'"],
  ])("invalid input %o: exit 2, invalid-config", async (inputs, message) => {
    const r = await runAction(workspace({ quickstart: true }), inputs);
    expect(r.code).toBe(2);
    expect(r.outputs["failure-reason"]).toBe("invalid-config");
    expect(annotations(r, "error")[0]!.message).toContain(message);
  });

  it("an internal error is exit 3, failure-reason internal-error", async () => {
    // The report path cannot even be looked at (a name longer than the file system allows).
    const ws = workspace({ quickstart: true });
    const r = await runAction(ws, { "report-path": `${"r".repeat(300)}.json` });
    expect(r.code).toBe(3);
    expect(r.outputs["failure-reason"]).toBe("internal-error");
    expect(annotations(r, "error").at(-1)!.properties.title).toBe("standby: internal error");
  });

  it("a report-path that is a directory is an input error (exit 2), said before the scan", async () => {
    const ws = workspace({ quickstart: true });
    mkdirSync(join(ws, "standby-report.json"));
    const r = await runAction(ws);
    expect(r.code).toBe(2);
    expect(r.outputs["failure-reason"]).toBe("invalid-config");
    expect(annotations(r, "error").at(-1)!.message).toBe("input 'report-path': standby-report.json is a directory");
  });
});

describe("annotations", () => {
  it("stay within 10 errors and 10 warnings, worst first", async () => {
    const ws = workspace();
    writeFileSync(join(ws, "a.json"), JSON.stringify({ v: 1 }));
    writeFileSync(join(ws, "b.json"), JSON.stringify({ v: 2 }));
    const checks: string[] = [];
    const sev = (i: number) => (i < 2 ? "critical" : i < 5 ? "high" : "low");
    for (let i = 0; i < 12; i++) {
      checks.push(`      - { id: drift-${String(i).padStart(2, "0")}, kind: config-drift, severity: ${sev(11 - i)}, primary: { file: a.json }, standby: { file: b.json } }`);
      checks.push(`      - { id: gone-${String(i).padStart(2, "0")}, kind: config-drift, severity: low, primary: { file: a.json }, standby: { file: missing-${i}.json } }`);
    }
    const config = apiConfig(`${checks.join("\n")}\n`);
    writeFileSync(join(ws, "standby.yml"), config);
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ failed: "12", unknown: "12" });
    const errors = annotations(r, "error");
    const warnings = annotations(r, "warning");
    expect(errors).toHaveLength(10);
    expect(warnings).toHaveLength(10);
    // Worst first: the critical ones (drift-10, drift-11) lead, then high, then low; each drift on b.json.
    expect(errors.slice(0, 2).map((e) => e.properties.title)).toEqual(["standby: drift-10 FAIL (critical): v changed", "standby: drift-11 FAIL (critical): v changed"]);
    expect(errors[0]!.properties).toMatchObject({ file: "b.json", line: "1", col: "2" });
    // Unknown checks have no finding to locate: on their line of standby.yml.
    expect(warnings[0]!.properties.title).toBe("standby: gone-00 UNKNOWN(unreadable-input) (low)");
    expect(warnings[0]!.properties).toMatchObject({ file: "standby.yml", line: String(lineOf(config, "id: gone-00,")) });
    expect(r.stdout).toContain("2 more error(s) and 2 more warning(s) not annotated");
    expect(r.summary).toContain("**2 more errors and 2 more warnings not annotated**");
  });

  it("keep the job summary under GitHub's 1 MiB limit, truncating with a note", async () => {
    const ws = workspace();
    const a: Record<string, string> = {};
    const b: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      a[`key${i}`] = "p".repeat(110) + i;
      b[`key${i}`] = "s".repeat(110) + i;
    }
    writeFileSync(join(ws, "a.json"), JSON.stringify(a));
    writeFileSync(join(ws, "b.json"), JSON.stringify(b));
    const checks = Array.from({ length: 20 }, (_, i) => `      - { id: big-${String(i).padStart(2, "0")}, kind: config-drift, severity: low, primary: { file: a.json }, standby: { file: b.json } }`);
    writeFileSync(join(ws, "standby.yml"), apiConfig(`${checks.join("\n")}\n`));
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    const size = Buffer.byteLength(r.summary, "utf8");
    expect(size).toBeLessThanOrEqual(1_000_000);
    expect(size).toBeGreaterThan(900_000);
    expect(r.summary).toMatch(/truncated: \d+ findings of \d+ checks? omitted/);
    expect(r.summary).toContain("Reports written: <code>standby-report.json</code>");
    expect(r.summary.match(/<details>/g)?.length).toBe(r.summary.match(/<\/details>/g)?.length);
  });

  it("untrusted text cannot inject workflow commands", async () => {
    const ws = workspace();
    writeFileSync(join(ws, "a.json"), JSON.stringify({ note: "safe" }));
    writeFileSync(join(ws, "b.json"), JSON.stringify({ note: "x\n::set-output name=status::READY\r\n::error::pwned %0A" }));
    writeFileSync(
      join(ws, "standby.yml"),
      apiConfig(`      - { id: inj, kind: config-drift, severity: high, primary: { file: a.json }, standby: { file: b.json } }\n`),
    );
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    expect(r.commands.map((c) => c.command).filter((c) => c === "set-output")).toEqual([]);
    const errors = annotations(r, "error");
    expect(errors).toHaveLength(1);
    // The value's newline travels escaped (%0A) inside the one annotation; a literal %0A is %250A.
    expect(errors[0]!.raw).not.toMatch(/\n/);
    expect(errors[0]!.raw).toContain("%25");
    expect(r.outputs.status).toBe("NOT_READY");
  });
});
