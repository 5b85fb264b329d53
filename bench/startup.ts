// Startup cost: `standby --version` and `standby scan` on the quickstart against bare `node -e 0`,
// measured in the same run (machines here are noisy; ratios, not absolute times, are the result).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "standby.js");
const quickstart = join(root, "examples", "quickstart", "standby.yml");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const cases: Record<string, string[]> = {
  "node -e 0": ["-e", "0"],
  "standby --version": [bin, "--version"],
  "standby scan quickstart": [bin, "scan", "--config", quickstart],
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) time(args); // warm the file cache
// Interleave the cases so that machine noise hits all of them alike.
for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) samples[name]!.push(time(args));

const base = median(samples["node -e 0"]!);
console.log(`startup benchmark (${RUNS} interleaved runs, median)`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(26)} ${m.toFixed(1).padStart(7)} ms   ratio ${(m / base).toFixed(2)}x`);
}
const scanRatio = median(samples["standby scan quickstart"]!) / base;
console.log(`scan/node ratio ${scanRatio.toFixed(2)} (target <= 4.0): ${scanRatio <= 4 ? "OK" : "OVER TARGET"}`);
