// Runs dist/action.js the way the GitHub runner does: a node child process with INPUT_* env
// vars, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE as the working directory.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const ACTION = join(ROOT, "dist", "action.js");
export const QUICKSTART = join(ROOT, "examples", "quickstart");

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
  raw: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed $GITHUB_OUTPUT (heredoc form). */
  outputs: Record<string, string>;
  outputsRaw: string;
  summary: string;
  commands: WorkflowCommand[];
  workspace: string;
}

const API_SERVICE_HEAD = "version: 1\nservices:\n  - name: api\n    primary: { vars: {} }\n    standby: { vars: {} }\n    checks:\n";

/** A standby.yml with one service, `api`, whose `checks:` list is `checks` (YAML lines, indented six spaces). */
export function apiConfig(checks: string): string {
  return API_SERVICE_HEAD + checks;
}

/** A fresh workspace holding a copy of the quickstart (or nothing). */
export function workspace(opts: { quickstart?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "standby-action-ws-"));
  if (opts.quickstart) cpSync(QUICKSTART, dir, { recursive: true });
  return dir;
}

/** `node`: the Node.js binary that runs the bundle (the runner's is node24; tests default to their own). */
/** `timeoutMs`: the child is killed after it (a hung Action fails the test instead of hanging it). */
export function runAction(
  ws: string,
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
  node = process.execPath,
  timeoutMs = 25_000,
): Promise<ActionRun> {
  const runnerDir = mkdtempSync(join(tmpdir(), "standby-action-runner-"));
  const outputFile = join(runnerDir, "output");
  const summaryFile = join(runnerDir, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  // A clean environment: only what the runner provides (no INPUT_* leaking from the test host).
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...extraEnv,
  };
  // The runner's naming: upper case, spaces to underscores, hyphens kept.
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(node, [ACTION], { cwd: ws, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const outputsRaw = existsSync(outputFile) ? readFileSync(outputFile, "utf8") : "";
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(outputsRaw),
        outputsRaw,
        summary: readFileSync(summaryFile, "utf8"),
        commands: parseCommands(stdout),
        workspace: ws,
      });
    });
  });
}

/** `name<<DELIM\nvalue\nDELIM\n` blocks, and the legacy `name=value` lines. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const m = /^([^=<]+)<<(.+)$/.exec(line);
    if (m) {
      const [, name, delim] = m;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delim) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`);
      if (name! in out) throw new Error(`output ${name} set twice`);
      out[name!] = value.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`malformed GITHUB_OUTPUT line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
}

/**
 * Workflow commands as the runner reads them, honouring ::stop-commands::TOKEN ... ::TOKEN::
 * (lines in between are plain log text, not commands).
 */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  let stopToken: string | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    if (stopToken !== null) {
      if (raw === `::${stopToken}::`) stopToken = null;
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(raw);
    if (!m) continue;
    const [, command, props, message] = m;
    const properties: Record<string, string> = {};
    for (const p of (props ?? "").split(",").filter(Boolean)) {
      const eq = p.indexOf("=");
      properties[p.slice(0, eq)] = unescapeProperty(p.slice(eq + 1));
    }
    if (command === "stop-commands") stopToken = message!;
    out.push({ command: command!, properties, message: unescapeData(message!), raw });
  }
  return out;
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found`);
  return i + 1;
}
