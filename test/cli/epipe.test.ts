// `standby schema | head -1`: when the reader closes the pipe early, every command ends quietly
// with code 0 (no "Unhandled 'error' event" trace). Real pipes, the built CLI (npm run build).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI with stdout on a pipe whose reading end is closed before the CLI writes anything. */
function closedEarly(args: string[]): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.destroy();
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

function shell(script: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", () => resolve({ stdout, stderr }));
  });
}

const QUICKSTART = "examples/quickstart/standby.yml";

describe("a reader that closes stdout early", () => {
  it("schema | head -1 (a real head, the schema is larger than the pipe's buffer): exit 0, nothing on stderr", async () => {
    const r = await shell(`"${process.execPath}" "${BIN}" schema | head -1; echo "exit \${PIPESTATUS[0]}" >&2`);
    expect(r.stdout).toBe("{\n");
    expect(r.stderr).toBe("exit 0\n");
  });

  // The pipe closed before the first write: every command meets EPIPE on its first line.
  it.each([
    ["schema", ["schema"]],
    ["list-checks", ["list-checks", "--format", "json"]],
    ["validate", ["validate", "-c", QUICKSTART]],
    ["scan -f json", ["scan", "-f", "json", "-c", QUICKSTART, "--no-history"]],
    ["scan (text)", ["scan", "-c", QUICKSTART, "--no-history"]],
    ["tui without a terminal (the text report)", ["tui", "-c", QUICKSTART, "--no-history"]],
  ])("%s: exit 0, no trace on stderr", async (_name, args) => {
    const r = await closedEarly(args);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|internal error|\n\s+at /);
    expect(r.code).toBe(0);
  });
});
