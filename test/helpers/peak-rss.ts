// Runs the built CLI in a child process and reports its peak RSS, read by the child itself at
// exit (process.resourceUsage().maxRSS through a preloaded module), so no sample is missed. A
// child that dies before exiting normally (a V8 fatal out-of-memory) reports no peak: null.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, ROOT, type CliResult } from "./cli.js";

const PRELOAD = pathToFileURL(join(import.meta.dirname, "report-max-rss.mjs")).href;

export interface MeasuredRun extends CliResult {
  /** Peak resident set size in MiB; null when the child did not exit normally. */
  peakRssMiB: number | null;
  wallMs: number;
}

export function runCliMeasured(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<MeasuredRun> {
  const file = join(mkdtempSync(join(tmpdir(), "standby-rss-")), "maxrss");
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env = { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...opts.env, STANDBY_TEST_MAXRSS_FILE: file };
    const child = spawn(process.execPath, ["--import", PRELOAD, BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const peakRssMiB = existsSync(file) ? Math.round(Number(readFileSync(file, "utf8")) / 1024) : null;
      resolve({ code, stdout, stderr, peakRssMiB, wallMs: performance.now() - t0 });
    });
  });
}
