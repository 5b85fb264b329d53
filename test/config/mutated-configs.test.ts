// Bad input gets a clear error, whatever shape it takes: the quickstart and every full config in
// the README files, mutated (lines dropped, duplicated, re-indented, values and keys replaced by
// awkward YAML: anchors, aliases, collections as keys, "__proto__", huge numbers, refs to unset
// variables...). Each mutant either loads or fails with a ConfigError whose every issue has a line,
// a column and a message; nothing else is thrown and nothing is written to stderr as a warning.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { loadConfigText } from "../../src/config/load.js";
import { secrets } from "../../src/core/secrets.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MUTANTS_PER_SEED = 400;

/** The configs users start from: the quickstart and each README block holding a whole standby.yml. */
function seeds(): { name: string; text: string; baseDir: string }[] {
  const out = [{ name: "examples/quickstart/standby.yml", text: readFileSync(join(ROOT, "examples/quickstart/standby.yml"), "utf8"), baseDir: join(ROOT, "examples/quickstart") }];
  const readmes = ["README.md", ...readdirSync(join(ROOT, "checks")).map((k) => join("checks", k, "README.md"))];
  for (const readme of readmes) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, readme), "utf8");
    } catch {
      continue;
    }
    for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      const block = m[1]!;
      if (/^services:/m.test(block)) out.push({ name: readme, text: /^version: 1$/m.test(block) ? block : `version: 1\n${block}`, baseDir: ROOT });
      else if (block.startsWith("# fragment: goes under checks:\n")) out.push({ name: readme, text: wrapChecks(block.slice(block.indexOf("\n") + 1)), baseDir: ROOT });
    }
  }
  return out;
}

/** A README's list of checks as a whole config: one service around it. */
function wrapChecks(block: string): string {
  const lines = block.replace(/\n+$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const body = lines.map((l) => `      ${l.slice(indent)}`).join("\n");
  return `version: 1\nservices:\n  - name: orders\n    primary: { vars: { region: us-east-1, account: "111111111111", suffix: use1 } }\n    standby: { vars: { region: us-west-2, account: "222222222222", suffix: usw2 } }\n    checks:\n${body}\n`;
}

const AWKWARD = ["", "null", "~", "[]", "{}", "-1", "0", "1e999", '""', "'x'", "${env:STANDBY_UNSET_VAR}", "${file:/nonexistent/x}", "${env:}", "&a x", "*a", "*nope", "!!binary x", "- x", ": :", "5m", "99999999999999999999d", "[1, {a: [", "\t", '"\\u0000"', "__proto__", "constructor", "{a: 1}", "[x]", "true", "0x10", ".nan", "? x"];

/** Deterministic (mulberry32) so a failure reproduces; an LCG's low bits cycle too soon for `% n`. */
function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

function mutate(text: string, rnd: (n: number) => number): string {
  const lines = text.split("\n");
  for (let k = 0, n = 1 + rnd(3); k < n; k++) {
    const i = rnd(lines.length);
    const token = AWKWARD[rnd(AWKWARD.length)]!;
    switch (rnd(5)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines[i] = lines[i]!.replace(/:\s*(.*)$/, `: ${token}`);
        break;
      case 2:
        lines.splice(i, 0, lines[rnd(lines.length)]!);
        break;
      case 3:
        lines[i] = " ".repeat(rnd(4)) + lines[i]!;
        break;
      default:
        lines[i] = lines[i]!.replace(/^(\s*)(- )?(\w+):/, (_m, sp: string, dash: string | undefined) => `${sp}${dash ?? ""}${token || "x"}:`);
    }
  }
  return lines.join("\n");
}

describe("mutated configs: a clear error or a load, nothing else", () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  beforeAll(() => process.on("warning", onWarning));
  afterAll(() => {
    process.off("warning", onWarning);
    secrets.clear();
  });

  const all = seeds();
  it("finds the seed configs", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it("every seed loads as written (the configs in the manual are valid)", () => {
    const env = new Proxy({} as NodeJS.ProcessEnv, { get: (_t, k) => (typeof k === "string" && /^[A-Z][A-Z0-9_]*$/.test(k) ? `value-of-${k}` : undefined) });
    const bad: string[] = [];
    all.forEach((seed, i) => {
      try {
        loadConfigText(seed.text, { baseDir: seed.baseDir, displayName: "standby.yml", env });
      } catch (err) {
        bad.push(`${i} ${seed.name}: ${err instanceof ConfigError ? err.issues.map((x) => `${x.line}:${x.column} ${x.path}: ${x.message}`).join("; ") : String(err)}`);
      }
    });
    expect(bad).toEqual([]);
  });

  it.each(all.map((s, i) => [i, s.name] as const))("seed %i (%s)", (i) => {
    const seed = all[i]!;
    const rnd = rng(1000 + i);
    // Every variable a seed references is set, so mutants fail for their mutation, not the seed's env.
    const env = new Proxy({} as NodeJS.ProcessEnv, { get: (_t, k) => (typeof k === "string" && /^[A-Z][A-Z0-9_]*$/.test(k) && k !== "STANDBY_UNSET_VAR" ? `value-of-${k}` : undefined) });
    let loaded = 0;
    let rejected = 0;
    for (let m = 0; m < MUTANTS_PER_SEED; m++) {
      const text = mutate(seed.text, rnd);
      try {
        loadConfigText(text, { baseDir: seed.baseDir, displayName: "standby.yml", env });
        loaded++;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw new Error(`mutant ${m} of ${seed.name} threw ${String(err)}:\n${text}`);
        rejected++;
        for (const issue of err.issues) {
          expect(issue.line, text).toBeGreaterThanOrEqual(1);
          expect(issue.column, text).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(0);
          expect(issue.message).not.toMatch(/\bat \w+ \(|node_modules/); // no stack in a message
        }
      }
    }
    // The mutations really exercise both paths.
    expect(rejected).toBeGreaterThan(MUTANTS_PER_SEED / 10);
    expect(loaded + rejected).toBe(MUTANTS_PER_SEED);
    expect(warnings).toEqual([]);
  });
});
