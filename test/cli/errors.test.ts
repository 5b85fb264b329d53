// Errors that teach, as a user meets them: the built CLI on real files, each message quoted whole.
// Every one is exit 2 with no stack trace; the line and column are where the mistake is.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const tmp = realpathSync(mkdtempSync(join(tmpdir(), "standby-errors-")));
// The files the configs compare exist: validate reports missing input files too, and each test here quotes one mistake.
for (const f of ["primary.json", "standby.json"]) writeFileSync(join(tmp, f), "{}");

const GOOD = `version: 1
services:
  - name: orders
    checks:
      - id: app
        kind: config-drift
        primary: { file: primary.json }
        standby: { file: standby.json }
`;

/** `validate` on `text` written to its own file: the problems it prints, one per line. */
async function problems(name: string, text: string): Promise<string[]> {
  const file = join(tmp, name);
  writeFileSync(file, text);
  const r = await runCli(["validate", "-c", name], { cwd: tmp });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines[0]).toBe(`standby: invalid config (${lines.length - 1} problem${lines.length === 2 ? "" : "s"}):`);
  return lines.slice(1).map((l) => l.trim());
}

describe("config errors through the CLI", () => {
  it("a misspelt key under a side says what it meant, once, at the key", async () => {
    expect(await problems("fille.yml", GOOD.replace("standby: { file: standby.json }", "standby: { fille: standby.json }"))).toEqual([
      "fille.yml:8:20: services[0].checks[0].standby.fille: unknown key 'fille' (did you mean 'file'?)",
    ]);
    expect(await problems("nested.yml", GOOD.replace("    checks:", "    standby: { vras: { region: us-west-2 } }\n    checks:").replace("primary: { file: primary.json }", "primary: { file: primary.json, formt: json }"))).toEqual([
      "nested.yml:4:16: services[0].standby.vras: unknown key 'vras' (did you mean 'vars'?)",
      "nested.yml:8:40: services[0].checks[0].primary.formt: unknown key 'formt' (did you mean 'format'?)",
    ]);
  });

  it("one extra space is reported at its own line, against the key it should line up with", async () => {
    expect(await problems("indent.yml", GOOD.replace("        standby:", "         standby:"))).toEqual([
      "indent.yml:8:10: YAML: `standby:` is indented one space more than `primary:` on line 7: the keys of one mapping start in the same column",
    ]);
    expect(await problems("tab.yml", GOOD.replace("    checks:", "\tchecks:"))).toEqual(["tab.yml:4:1: YAML: a tab in the indentation: YAML indents with spaces only"]);
    expect(await problems("quote.yml", GOOD.replace("{ file: primary.json }", '{ file: "primary.json }'))).toEqual([
      'quote.yml:7:26: YAML: the " opened here is never closed: end the value with "',
    ]);
    expect(await problems("twice.yml", GOOD.replace("        standby:", "        kind: config-drift\n        standby:"))).toEqual([
      "twice.yml:8:9: YAML: `kind:` is set twice in this mapping (first on line 6): a key may appear once",
    ]);
  });

  it("a config without version says to add it", async () => {
    expect(await problems("noversion.yml", GOOD.replace("version: 1\n", ""))).toEqual([
      "noversion.yml:1:1: version: missing: add `version: 1` as the first line (comments may come before it)",
    ]);
  });

  it("durations must be more than 0 where 0 makes no sense, and carry their unit", async () => {
    const text = GOOD.replace("        primary:", "        timeout: 0s\n        primary:") + GOOD.split("\n").slice(4).join("\n").replace("id: app", "id: app2").replace("        primary:", "        timeout: 2\n        primary:");
    expect(await problems("durations.yml", text)).toEqual([
      "durations.yml:7:18: services[0].checks[0].timeout: must be greater than 0",
      "durations.yml:12:18: services[0].checks[1].timeout: a bare number is ambiguous: write 2s, 2m or 2h",
    ]);
  });
});

describe("standby schema", () => {
  it("tells an editor that a duration is a string with its unit, more than 0 for a timeout (0 bare where zero is allowed)", async () => {
    const r = await runCli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    type Alt = { type?: string; pattern?: string; const?: unknown };
    const accepts = (alts: Alt[], v: unknown) => alts.some((a) => ("const" in a ? a.const === v : typeof v === "string" && new RegExp(a.pattern!).test(v)));
    const timeout: Alt[] = schema.properties.defaults.properties.timeout.anyOf;
    expect([accepts(timeout, "10s"), accepts(timeout, "1h30m"), accepts(timeout, "0s"), accepts(timeout, 2), accepts(timeout, "2"), accepts(timeout, 0)]).toEqual([true, true, false, false, false, false]);
    const jitter: Alt[] = schema.properties.watch.properties.jitter.anyOf;
    expect([accepts(jitter, "1s"), accepts(jitter, "0s"), accepts(jitter, 0), accepts(jitter, 2)]).toEqual([true, true, true, false]);
  });
});

describe("no config found", () => {
  it("names the directory searched and the file tried, and suggests -c and standby demo (exit 2)", async () => {
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    for (const command of ["scan", "validate"]) {
      const r = await runCli([command], { cwd: empty });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        `standby: no config found: looked for standby.yml in ${empty} (the current directory)\n` +
          "  give the config file with -c FILE, or run `standby demo` to try a demo environment with its own config\n",
      );
    }
  });

  it("points at a standby.yaml beside the missing standby.yml, and names a mistyped -c and its directory", async () => {
    const dir = join(tmp, "yaml-spelling");
    mkdirSync(dir);
    writeFileSync(join(dir, "standby.yaml"), GOOD);
    const r = await runCli(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `standby: no config found: looked for standby.yml in ${dir} (the current directory)\n` +
        `  ${join(dir, "standby.yaml")} exists: give it with -c standby.yaml\n` +
        "  give the config file with -c FILE, or run `standby demo` to try a demo environment with its own config\n",
    );
    const typo = await runCli(["scan", "-c", "conf/standby.yml"], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      `standby: no config found: -c conf/standby.yml: looked for standby.yml in ${join(dir, "conf")}, a directory that does not exist\n` +
        "  check the path given to -c, or run `standby demo` to try a demo environment with its own config\n",
    );
  });
});

describe("a broken JSON source", () => {
  it("is unknown/invalid-response naming file, line and column, never the content", async () => {
    const dir = join(tmp, "json");
    mkdirSync(join(dir, "configs/standby"), { recursive: true });
    mkdirSync(join(dir, "configs/primary"), { recursive: true });
    writeFileSync(join(dir, "configs/primary/app.json"), '{\n  "db": { "password": "p" }\n}\n');
    writeFileSync(join(dir, "configs/standby/app.json"), '{\n  "db": {\n    "password": s3cret-CANARY\n  }\n}\n');
    writeFileSync(join(dir, "standby.yml"), GOOD.replace("primary.json", "configs/primary/app.json").replace("standby.json", "configs/standby/app.json"));
    const r = await runCli(["scan", "--no-history", "-f", "json", "--fail-on", "never"], { cwd: dir });
    expect(r.code).toBe(0);
    const check = JSON.parse(r.stdout).checks[0];
    expect(check).toMatchObject({
      status: "unknown",
      reason: "invalid-response",
      summary: "standby configs/standby/app.json:3:17: not valid JSON: expected a value, found a bare word (JSON strings need double quotes; true, false and null are lower case)",
    });
    expect(r.stdout).not.toContain("CANARY");
  });
});
