// Annotations a reviewer acts on, through the bundled Action as the runner runs it: each drift on
// the line and column of its key in the compared file (the standby's; the primary's for a missing
// value), the expected value of a side-var substitution, at most 10 per level with the rest
// counted in the job summary, and a summary that names the sources and stays under 1 MiB.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineOf, runAction, workspace, type ActionRun } from "./helpers.js";

const errors = (r: ActionRun) => r.commands.filter((c) => c.command === "error");
const warnings = (r: ActionRun) => r.commands.filter((c) => c.command === "warning");

/** 1-based column of `needle` on its (first) line. */
function colOf(text: string, needle: string): number {
  return text.split("\n")[lineOf(text, needle) - 1]!.indexOf(needle) + 1;
}

function write(ws: string, name: string, text: string): string {
  mkdirSync(join(ws, name, ".."), { recursive: true });
  writeFileSync(join(ws, name), text);
  return text;
}

/** One service `ledger-api` failing over from euw1 to euc1, with `checks` (YAML lines, indented six spaces). */
function config(checks: string): string {
  return `version: 1
services:
  - name: ledger-api
    primary: { vars: { region: euw1 } }
    standby: { vars: { region: euc1 } }
    checks:
${checks}`;
}

describe("drift annotations on the drifted key", () => {
  let r: ActionRun;
  let yml: string;
  let pJson: string;
  let sJson: string;
  let pYaml: string;
  let sYaml: string;
  beforeAll(async () => {
    const ws = workspace();
    pJson = write(
      ws,
      "configs/primary/app.json",
      `{
  "name": "ledger-api",
  "upstreams": [
    { "name": "ledger", "url": "https://ledger.euw1.internal" },
    { "name": "audit", "url": "https://audit.euw1.internal" }
  ],
  "pool": { "size": 20 },
  "metrics": { "port": 9090 }
}
`,
    );
    // ledger is the second item here: its key resolves through `name`, not the position.
    sJson = write(
      ws,
      "configs/standby/app.json",
      `{
  "name": "ledger-api",
  "upstreams": [
    { "name": "audit", "url": "https://audit.euc1.internal" },
    {
      "name": "ledger",
      "url": "https://ledger.euw1.internal"
    }
  ],
  "pool": {
    "size": 12
  }
}
`,
    );
    pYaml = write(
      ws,
      "deploy/primary.yaml",
      `# the primary's deployment
spec:
  replicas: 6
  template:
    containers:
      - name: api
        image: ledger:2.4.1
        env:
          LOG_LEVEL: info
`,
    );
    sYaml = write(
      ws,
      "deploy/standby.yaml",
      `# the standby's deployment
spec:
  replicas: 6
  template:
    containers:
      - name: api
        image: ledger:2.3.0
        env:
          LOG_LEVEL: info
          DEBUG: "true"
`,
    );
    yml = write(
      ws,
      "standby.yml",
      config(`      - id: ledger-app
        kind: config-drift
        severity: high
        primary: { file: configs/primary/app.json }
        standby: { file: configs/standby/app.json }
        keys: { upstreams: name }
      - id: ledger-deploy
        kind: config-drift
        severity: medium
        primary: { file: deploy/primary.yaml }
        standby: { file: deploy/standby.yaml }
        keys: { spec.template.containers: name }
`),
    );
    r = await runAction(ws);
  });

  it("a changed value in a JSON file: the line and column of its key in the standby file, through the keyed item", () => {
    const e = errors(r).find((c) => c.properties.title!.includes("upstreams[name=ledger].url"))!;
    const urlLine = lineOf(sJson, '"url": "https://ledger.euw1.internal"');
    expect(e.properties).toEqual({
      title: "standby: ledger-app FAIL (high): upstreams[name=ledger].url changed",
      file: "configs/standby/app.json",
      line: String(urlLine),
      col: String(colOf(sJson, '"url": "https://ledger.euw1.internal"')),
    });
    expect(urlLine).toBe(7);
    // The value the standby should hold after side-var substitution, beside what it holds.
    expect(e.message).toContain(
      'upstreams[name=ledger].url: changed, standby holds "https://ledger.euw1.internal"; it should hold "https://ledger.euc1.internal" (the primary\'s "https://ledger.euw1.internal" with this side\'s vars)',
    );
    expect(e.message).toContain(`primary: configs/primary/app.json:${lineOf(pJson, '"name": "ledger"')}:`);
  });

  it("a missing value is annotated on the primary file, where it is", () => {
    const e = errors(r).find((c) => c.properties.title!.includes("metrics missing"))!;
    expect(e.properties).toMatchObject({ file: "configs/primary/app.json", line: String(lineOf(pJson, '"metrics"')), col: "3" });
    expect(e.message).toContain("metrics: missing on standby (primary {\"port\":9090})");
  });

  it("a weaker-looking number in a nested JSON object: the key's own line", () => {
    const e = errors(r).find((c) => c.properties.title!.includes("pool.size"))!;
    expect(e.properties).toMatchObject({ file: "configs/standby/app.json", line: String(lineOf(sJson, '"size": 12')), col: "5" });
  });

  it("YAML: a changed value under a keyed list item and an extra key, on their lines in the standby file", () => {
    const image = errors(r).find((c) => c.properties.title!.includes("image changed"))!;
    expect(image.properties).toMatchObject({ file: "deploy/standby.yaml", line: String(lineOf(sYaml, "image: ledger:2.3.0")), col: "9" });
    expect(image.properties.line).toBe("7");
    expect(image.message).toContain(`primary: deploy/primary.yaml:${lineOf(pYaml, "image: ledger:2.4.1")}:9`);
    const extra = errors(r).find((c) => c.properties.title!.includes("DEBUG extra"))!;
    expect(extra.properties).toMatchObject({ file: "deploy/standby.yaml", line: String(lineOf(sYaml, 'DEBUG: "true"')), col: "11" });
  });

  it("orders them worst first (the high check's findings before the medium one's) and puts none on standby.yml", () => {
    const titles = errors(r).map((e) => e.properties.title!);
    // audit's url is no drift: the primary's with this side's vars is what the standby holds.
    expect(titles).toHaveLength(5);
    expect(titles.slice(0, 3).every((t) => t.startsWith("standby: ledger-app "))).toBe(true);
    expect(titles.slice(3).every((t) => t.startsWith("standby: ledger-deploy "))).toBe(true);
    expect(errors(r).map((e) => e.properties.file)).not.toContain("standby.yml");
    expect(yml).toContain("ledger-deploy");
  });

  it("the job summary names the files each check compared, relative to the workspace", () => {
    expect(r.summary).toContain("### Sources compared");
    expect(r.summary).toContain("| <code>ledger-app</code> | <code>configs/primary/app.json</code> | <code>configs/standby/app.json</code> |");
    expect(r.summary).toContain("| <code>ledger-deploy</code> | <code>deploy/primary.yaml</code> | <code>deploy/standby.yaml</code> |");
  });
});

describe("findings that cannot be located stay on the check's line", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url!.startsWith("/primary") ? { mode: "x", size: 1 } : { mode: "y", size: 1 }));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it("a URL source: one annotation on standby.yml quoting the finding; the summary names the URL without userinfo or query", async () => {
    const ws = workspace();
    const withSecrets = base.replace("http://", "http://reader:PASS-CANARY-31@");
    const yml = write(
      ws,
      "standby.yml",
      config(`      - id: remote
        kind: config-drift
        primary: { url: "${base}/primary/config" }
        standby: { url: "${withSecrets}/standby/config?sig=QUERY-CANARY-31" }
`),
    );
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.properties).toMatchObject({ title: "standby: remote FAIL (high)", file: "standby.yml", line: String(lineOf(yml, "- id: remote")) });
    expect(errors(r)[0]!.message).toContain('- mode: changed, primary "x", standby "y"');
    expect(r.summary).toContain(`| <code>remote</code> | <code>${base}/primary/config</code> | <code>${base}/standby/config</code> |`);
    expect(r.summary + r.stdout).not.toMatch(/PASS-CANARY|QUERY-CANARY|reader:/);
  });

  it("a file outside the workspace falls back to the check's line", async () => {
    const outside = workspace();
    write(outside, "p.json", JSON.stringify({ a: 1 }));
    write(outside, "s.json", JSON.stringify({ a: 2 }));
    const ws = workspace();
    const yml = write(
      ws,
      "standby.yml",
      config(`      - id: elsewhere
        kind: config-drift
        primary: { file: ${join(outside, "p.json")} }
        standby: { file: ${join(outside, "s.json")} }
`),
    );
    const r = await runAction(ws);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.properties).toMatchObject({ file: "standby.yml", line: String(lineOf(yml, "- id: elsewhere")) });
    expect(errors(r)[0]!.message).toContain("- a: changed, primary 1, standby 2");
  });

  it("a pointer: the key is found under the pointer's path", async () => {
    const ws = workspace();
    write(ws, "p.yaml", "kind: Deployment\nspec:\n  replicas: 3\n");
    const s = write(ws, "s.yaml", "kind: Deployment\nspec:\n\n  replicas: 2\n");
    write(
      ws,
      "standby.yml",
      config(`      - id: ptr
        kind: config-drift
        primary: { file: p.yaml, pointer: /spec }
        standby: { file: s.yaml, pointer: /spec }
`),
    );
    const r = await runAction(ws);
    expect(errors(r).map((e) => e.properties)).toEqual([{ title: "standby: ptr FAIL (high): replicas changed", file: "s.yaml", line: String(lineOf(s, "replicas: 2")), col: "3" }]);
    expect(r.summary).toContain("| <code>ptr</code> | <code>p.yaml at /spec</code> | <code>s.yaml at /spec</code> |");
  });
});

describe("GitHub's limits", () => {
  it("30 failing checks: 10 error annotations, worst first, and the summary says 20 more", async () => {
    const ws = workspace();
    write(ws, "a.json", JSON.stringify({ v: 1 }));
    write(ws, "b.json", JSON.stringify({ v: 2 }));
    const sev = (i: number) => (i >= 27 ? "critical" : "low");
    const checks = Array.from(
      { length: 30 },
      (_, i) => `      - { id: c${String(i).padStart(2, "0")}, kind: config-drift, severity: ${sev(i)}, primary: { file: a.json }, standby: { file: b.json } }`,
    );
    write(ws, "standby.yml", config(`${checks.join("\n")}\n`));
    const r = await runAction(ws);
    expect(r.code).toBe(1);
    expect(r.outputs.failed).toBe("30");
    expect(errors(r)).toHaveLength(10);
    expect(warnings(r)).toHaveLength(0);
    // The three critical checks first, then the low ones by id.
    expect(errors(r).map((e) => e.properties.title!.split(" ")[1])).toEqual(["c27", "c28", "c29", "c00", "c01", "c02", "c03", "c04", "c05", "c06"]);
    expect(r.summary).toContain("**20 more errors not annotated** (GitHub shows at most 10 error and 10 warning annotations per step)");
    expect(r.summary).toContain("the JSON report <code>standby-report.json</code>");
    expect(r.stdout).toContain("20 more error(s) and 0 more warning(s) not annotated");
  });

  it("a summary for 100,000 findings stays under 1 MiB and says what was cut", async () => {
    const ws = workspace();
    // 200 drifted keys per check (what a result keeps), 500 checks: 100,000 findings.
    const keys = (v: string) => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key${String(i).padStart(3, "0")}`, `${v}-${i}`]));
    write(ws, "a.json", JSON.stringify(keys("primary"), null, 1));
    write(ws, "b.json", JSON.stringify(keys("standby"), null, 1));
    const checks = Array.from(
      { length: 500 },
      (_, i) => `      - { id: big-${String(i).padStart(3, "0")}, kind: config-drift, severity: low, primary: { file: a.json }, standby: { file: b.json } }`,
    );
    write(ws, "standby.yml", config(`${checks.join("\n")}\n`));
    const r = await runAction(ws, {}, {}, process.execPath, 120_000);
    expect(r.code).toBe(1);
    const size = Buffer.byteLength(r.summary, "utf8");
    expect(size).toBeLessThan(1_000_000);
    expect(size).toBeGreaterThan(500_000);
    const cut = /truncated: ([\d,]+) findings of (\d+) checks omitted/.exec(r.summary);
    expect(cut).not.toBeNull();
    const shown = (r.summary.match(/^\| <code>key\d{3}<\/code> \|/gm) ?? []).length;
    expect(shown + Number(cut![1]!.replace(/,/g, ""))).toBe(100_000);
    expect(r.summary).toContain("**99990 more errors not annotated**");
    expect(r.summary).toContain("Reports written: <code>standby-report.json</code>");
  }, 150_000);
});
