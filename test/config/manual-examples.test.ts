// Every yaml example in the manuals (README.md, checks/*/README.md) is either a whole config that
// loads through the real loader (it starts with `version: 1`), or says on its first line what it
// is: `# fragment: goes under checks:` (check entries), `# fragment: goes at the top level`
// (sections of standby.yml), or `# file: PATH` (another file, such as a GitHub workflow).
// Fragments are loaded inside a minimal config, so a copied fragment is valid where it goes.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isScalar, parseDocument, visit } from "yaml";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { loadConfigText } from "../../src/config/load.js";
import { secrets } from "../../src/core/secrets.js";
import { ROOT } from "../helpers/cli.js";

interface Example {
  manual: string;
  /** Line of the opening fence. */
  line: number;
  text: string;
}

const MANUALS = ["README.md", ...readdirSync(join(ROOT, "checks"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `checks/${d.name}/README.md`)];

function examplesOf(manual: string): Example[] {
  const lines = readFileSync(join(ROOT, manual), "utf8").split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    out.push({ manual, line: i + 1, text: `${lines.slice(i + 1, end).join("\n")}\n` });
    i = end;
  }
  return out;
}

const EXAMPLES = MANUALS.flatMap(examplesOf);

type Label = { what: "whole" } | { what: "checks" } | { what: "top-level" } | { what: "file"; path: string } | { what: "unlabelled"; first: string };

function labelOf(text: string): Label {
  const first = text.split("\n").find((l) => l.trim() !== "")!.trim();
  if (first === "version: 1") return { what: "whole" };
  if (first === "# fragment: goes under checks:") return { what: "checks" };
  if (first === "# fragment: goes at the top level") return { what: "top-level" };
  const file = /^# file: (\S+)/.exec(first);
  if (file && !/standby\.ya?ml$/.test(file[1]!)) return { what: "file", path: file[1]! };
  return { what: "unlabelled", first };
}

/** A value of the right shape for each ${env:NAME} an example reads (loading checks URLs). */
function envFor(text: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [, name] of text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    env[name!] = !name!.endsWith("_URL")
      ? "example-secret-value"
      : /REDIS/.test(name!)
        ? "redis://cache.example.com:6379"
        : /WEBHOOK/.test(name!)
          ? "https://hooks.example.com/T0/B0/x"
          : "postgres://monitor@db1.example.com:5432/orders";
  }
  return env;
}

const MINIMAL_SERVICE = `services:
  - name: example
    checks:
      - { id: example-drill, kind: drill-recency, cadence: "@daily", lastDrill: { file: drills/example.json, pointer: /completedAt } }
`;

/** The config a user gets by pasting the example where its label says it goes. */
function asConfig(example: Example, label: Label): string {
  if (label.what === "whole") return example.text;
  if (label.what === "top-level") return `version: 1\n${example.text}${MINIMAL_SERVICE}`;
  const lines = example.text.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "" && !l.trim().startsWith("#")).map((l) => /^ */.exec(l)![0].length));
  const shifted = lines.map((l) => (l.trim() === "" ? l : " ".repeat(6) + l.slice(Math.min(indent, /^ */.exec(l)![0].length)))).join("\n");
  return `version: 1\nservices:\n  - name: example\n    primary: { vars: { region: us-east-1, suffix: use1 } }\n    standby: { vars: { region: us-west-2, suffix: usw2 } }\n    checks:\n${shifted}`;
}

function problemsOf(text: string, example: Example): string[] {
  secrets.clear(); // each load on its own: one example's URL must not redact another's words
  try {
    loadConfigText(text, { baseDir: join(ROOT, example.manual, ".."), displayName: `${example.manual} example at line ${example.line}`, env: envFor(text) });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map(formatIssue);
  }
}

afterEach(() => secrets.clear());

describe("the manuals' yaml examples", () => {
  it("are found in every manual", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(MANUALS.length);
    for (const manual of MANUALS) expect(EXAMPLES.some((e) => e.manual === manual), manual).toBe(true);
  });

  it("are each a whole config or labelled on their first line", () => {
    const unlabelled = EXAMPLES.map((e) => ({ e, label: labelOf(e.text) }))
      .filter(({ label }) => label.what === "unlabelled")
      .map(({ e, label }) => `${e.manual}:${e.line}: starts with "${(label as { first: string }).first}"`);
    expect(unlabelled).toEqual([]);
  });

  for (const example of EXAMPLES) {
    const label = labelOf(example.text);
    if (label.what === "unlabelled") continue;
    it(`${example.manual}:${example.line} (${label.what === "file" ? label.path : label.what}) ${label.what === "file" ? "parses as YAML" : "loads"}`, () => {
      if (label.what === "file") {
        expect(parseDocument(example.text).errors.map((e) => e.message)).toEqual([]);
        return;
      }
      expect(problemsOf(asConfig(example, label), example)).toEqual([]);
    });
  }

  // Every key of every example misspelt in turn (two letters swapped): where the loader calls it
  // unknown, that is the one problem, and it names the key meant, at any depth and in every kind.
  it("misspelt keys get a did-you-mean everywhere, and only that", () => {
    const unhelpful: string[] = [];
    let suggested = 0;
    for (const example of EXAMPLES) {
      const label = labelOf(example.text);
      if (label.what === "file" || label.what === "unlabelled") continue;
      const text = asConfig(example, label);
      const keys: Array<{ key: string; start: number }> = [];
      visit(parseDocument(text), {
        Pair(_, pair) {
          if (isScalar(pair.key) && typeof pair.key.value === "string" && /^[a-z][A-Za-z]{3,}$/.test(pair.key.value)) keys.push({ key: pair.key.value, start: pair.key.range![0] });
        },
      });
      for (const { key, start } of keys) {
        const typo = key.slice(0, 1) + key.slice(2, 3) + key.slice(1, 2) + key.slice(3);
        if (typo === key) continue;
        const problems = problemsOf(text.slice(0, start) + typo + text.slice(start + key.length), example);
        if (!problems.some((p) => p.includes(`unknown key '${typo}'`))) continue; // a record's own key (vars, headers, tolerance)
        if (problems.length === 1 && problems[0]!.endsWith(`unknown key '${typo}' (did you mean '${key}'?)`)) suggested++;
        else unhelpful.push(`${example.manual}:${example.line} ${key} -> ${typo}:\n    ${problems.join("\n    ")}`);
      }
    }
    expect(unhelpful).toEqual([]);
    expect(suggested).toBeGreaterThan(100);
  });
});
