// action.yml and the code agree: the inputs the code reads are the inputs action.yml declares
// (with the same defaults), the outputs it sets are the outputs declared, and runs points at
// the committed bundle.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { INPUT_DEFAULTS, getInput, inputEnvName } from "../../src/action/inputs.js";
import { OUTPUT_NAMES } from "../../src/action/run.js";
import { ROOT } from "./helpers.js";

interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const yml = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
const sources = readdirSync(join(ROOT, "src", "action"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(join(ROOT, "src", "action", f), "utf8"))
  .join("\n")
  // Code only: comment lines may mention inputs freely.
  .replace(/^\s*\/\/.*$/gm, "");

describe("action.yml", () => {
  it("runs the committed bundle on node24", () => {
    expect(yml.runs.using).toBe("node24");
    expect(yml.runs.main).toBe("dist/action.js");
    expect(existsSync(join(ROOT, yml.runs.main))).toBe(true);
    expect(yml.name).toBeTruthy();
    expect(yml.description).toBeTruthy();
  });

  it("declares every input the code reads, and the code reads every declared input", () => {
    const read = new Set([...sources.matchAll(/\bgetInput\(\s*"([^"]+)"/g)].map((m) => m[1]!));
    expect([...read].sort()).toEqual(Object.keys(yml.inputs).sort());
    expect(Object.keys(INPUT_DEFAULTS).sort()).toEqual(Object.keys(yml.inputs).sort());
    // No input is read around getInput(): the only INPUT_ string in the code is inputEnvName()'s.
    expect(sources.match(/["'`]INPUT_/g)?.length).toBe(1);
  });

  it("gives every input a description and the code's default", () => {
    for (const [name, input] of Object.entries(yml.inputs)) {
      expect(input.description, name).toBeTruthy();
      expect(input.required ?? false, name).toBe(false);
      expect(input.default ?? "", name).toBe(INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]);
    }
  });

  it("declares exactly the outputs the code sets", () => {
    expect([...OUTPUT_NAMES].sort()).toEqual(Object.keys(yml.outputs).sort());
    for (const [name, output] of Object.entries(yml.outputs)) expect(output.description, name).toBeTruthy();
  });

  it("names inputs the way the runner does (hyphens kept)", () => {
    expect(inputEnvName("min-score")).toBe("INPUT_MIN-SCORE");
    expect(inputEnvName("working-directory")).toBe("INPUT_WORKING-DIRECTORY");
    expect(inputEnvName("some input")).toBe("INPUT_SOME_INPUT");
    expect(getInput("min-score", { "INPUT_MIN-SCORE": " 90 " })).toBe("90");
    expect(getInput("config", { INPUT_CONFIG: "  " })).toBe("standby.yml");
  });
});

describe("example workflows", () => {
  type Step = { uses?: string; if?: string; with?: Record<string, unknown>; run?: string };
  type Job = { permissions?: Record<string, string>; steps: Step[]; if?: string };
  type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: unknown; jobs: Record<string, Job> };
  const load = (name: string) => parse(readFileSync(join(ROOT, "examples", "workflows", name), "utf8")) as Workflow;
  const usesAction = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.includes("/standby@"));

  it("nightly: odd-minute schedule, dispatch, concurrency, read-only but for the issue job, artifact always", () => {
    const w = load("nightly.yml");
    const cron = (w.on.schedule as { cron: string }[])[0]!.cron;
    expect(Number(cron.split(" ")[0])).not.toBe(0);
    expect(Number(cron.split(" ")[0]) % 5).not.toBe(0);
    expect(w.on).toHaveProperty("workflow_dispatch");
    expect(w.concurrency).toBeTruthy();
    expect(w.permissions).toEqual({ contents: "read" });
    const writers = Object.entries(w.jobs).filter(([, j]) => j.permissions);
    expect(writers.map(([, j]) => j.permissions)).toEqual([{ issues: "write" }]);
    expect(writers[0]![1].if).toContain("failure()");
    expect(writers[0]![1].steps.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
    const upload = Object.values(w.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    expect(usesAction(w)).toHaveLength(1);
    for (const key of Object.keys(usesAction(w)[0]!.with ?? {})) expect(Object.keys(yml.inputs)).toContain(key);
  });

  it("pull request: runs when standby.yml or infrastructure changes, read-only", () => {
    const w = load("pull-request.yml");
    const paths = (w.on.pull_request as { paths: string[] }).paths;
    expect(paths).toContain("standby.yml");
    expect(paths.some((p) => p.startsWith("infra/"))).toBe(true);
    expect(w.permissions).toEqual({ contents: "read" });
    expect(Object.values(w.jobs).every((j) => !j.permissions)).toBe(true);
    expect(usesAction(w)).toHaveLength(1);
    for (const key of Object.keys(usesAction(w)[0]!.with ?? {})) expect(Object.keys(yml.inputs)).toContain(key);
  });
});
