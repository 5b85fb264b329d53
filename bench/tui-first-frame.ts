// TUI time to first frame: `standby tui` on the quickstart started in a pseudo-terminal (util-linux
// `script`), timed from spawn to the first screen that shows every check's row, against bare
// `node -e 0` started the same way (same pty, same shell, same `stty`) in the same run. Also, for
// context, the time to the app's own first frame (Ink's, which replaces the first frame drawn
// from the config: from then on keys act) and until every check has its result.
// Target: the first frame within 300 ms.
// Run: npm run build && node build/bench/tui-first-frame.js [config]
import { spawn, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "standby.js");
const config = resolve(process.argv[2] ?? join(root, "examples", "quickstart", "standby.yml"));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_MS = 300;
const TIMEOUT_MS = 10_000;

interface Sample {
  /** Spawn to the first frame with every check row (or to exit, for the baseline). */
  firstMs: number;
  /** Spawn to Ink's first frame (TUI only). */
  appMs: number | null;
  /** Spawn to the first frame where every check has a result (TUI only). */
  resultsMs: number | null;
}

/** Ink opens a synchronized update (DEC mode 2026) around every frame it writes; the first frame does not. */
const INK_FRAME = "\u001b[?2026h";

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
// Escape sequences (CSI, OSC, single-character) out: what remains is the text on the screen.
const strip = (s: string): string => s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, "");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

/** The check ids of the config, from one scan's JSON report (this also warms the file cache). */
function checkIds(): string[] {
  const r = spawnSync(process.execPath, [bin, "scan", "-c", config, "-f", "json", "--no-history"], { encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`standby scan exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { checks: { id: string }[] };
  return report.checks.map((c) => c.id);
}

/**
 * Runs `argv` in a fresh 80x24 pty. With `ids`, resolves at the first frame showing all of them,
 * waits for the results, then presses q; without, resolves when the process exits.
 */
function inPty(argv: string[], ids: string[] | null): Promise<Sample> {
  return new Promise((resolvePromise, reject) => {
    const cmd = `stty cols 80 rows 24 2>/dev/null; exec ${argv.map(quote).join(" ")}`;
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", TERM: "xterm-256color" };
    delete env.CI;
    const t0 = performance.now();
    const child = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"], env });
    let out = "";
    let firstMs: number | null = null;
    let resultsMs: number | null = null;
    let appMs: number | null = null;
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no ${firstMs === null ? "first frame" : "results"} within ${TIMEOUT_MS} ms; the screen was:\n${strip(out).slice(-2000)}`));
    }, TIMEOUT_MS);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d: Buffer) => {
      if (!ids) return;
      out += d.toString("utf8");
      const t = performance.now() - t0;
      const screen = strip(out);
      if (firstMs === null && ids.every((id) => screen.includes(id))) firstMs = t;
      if (appMs === null && out.includes(INK_FRAME)) appMs = t;
      // Every check has its result once the header says when the (first) scan was.
      if (firstMs !== null && resultsMs === null && /last \d\d:\d\d:\d\d/.test(screen)) {
        resultsMs = t;
        child.stdin.write("q");
      }
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      const t = performance.now() - t0;
      if (ids && firstMs === null) return reject(new Error(`exited ${code} before the first frame: ${err}${strip(out).slice(-2000)}`));
      if (code !== 0) return reject(new Error(`${argv.join(" ")} exited ${code}: ${err}`));
      resolvePromise({ firstMs: firstMs ?? t, appMs, resultsMs });
    });
  });
}

if (spawnSync("script", ["--version"]).status !== 0) {
  console.log("tui first-frame benchmark: skipped, needs `script` (util-linux) for a pseudo-terminal");
  process.exit(0);
}

const ids = checkIds();
const cases: Record<string, { argv: string[]; ids: string[] | null }> = {
  "node -e 0": { argv: [process.execPath, "-e", "0"], ids: null },
  "standby tui first frame": { argv: [process.execPath, bin, "tui", "-c", config, "--no-history"], ids },
};
const first: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const results: number[] = [];
const app: number[] = [];
for (const c of Object.values(cases)) await inPty(c.argv, c.ids); // warm the file cache
// Interleave the cases so that machine noise hits both alike.
for (let i = 0; i < RUNS; i++) {
  for (const [name, c] of Object.entries(cases)) {
    const s = await inPty(c.argv, c.ids);
    first[name]!.push(s.firstMs);
    if (s.resultsMs !== null) results.push(s.resultsMs);
    if (s.appMs !== null) app.push(s.appMs);
  }
}

const base = median(first["node -e 0"]!);
const tui = median(first["standby tui first frame"]!);
console.log(`tui first-frame benchmark: ${ids.length} checks of ${config}, 80x24 pty, ${RUNS} interleaved runs (median, p90)`);
for (const [name, xs] of Object.entries(first)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  p90 ${pct(xs, 0.9).toFixed(1).padStart(7)} ms   ratio ${(m / base).toFixed(2)}x`);
}
for (const [name, xs] of [["standby tui app frame (Ink)", app], ["standby tui all results", results]] as const) {
  if (xs.length) console.log(`  ${name.padEnd(30)} ${median(xs).toFixed(1).padStart(7)} ms  p90 ${pct(xs, 0.9).toFixed(1).padStart(7)} ms   ratio ${(median(xs) / base).toFixed(2)}x`);
}
console.log(`first frame ${tui.toFixed(1)} ms, ${(tui / base).toFixed(2)}x node (target <= ${TARGET_MS} ms): ${tui <= TARGET_MS ? "OK" : "OVER TARGET"}`);
