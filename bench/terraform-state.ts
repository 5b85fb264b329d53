// Benchmark: config-drift between two Terraform states of ~50 MB and 20,000 resource instances
// each (modules, count and for_each, sensitive attributes; ~5% of the standby's instances drift):
// read, parse, select, pair and diff through the check, against reading and JSON.parse of the
// same two files, each measured in its own child process of the same run (peak RSS is per
// process). Targets: check time <= 3x parsing alone, check peak RSS < 512 MB.
// Run: npx tsc -p tsconfig.build.json && node build/bench/terraform-state.js
// At the 256 MiB cap: BENCH_TF_MB=235 BENCH_TF_RESOURCES=100000 (two 247 MB states; measured
// 5.2 s vs 3.5 s for JSON.parse, ratio 1.48, peak RSS 1388 MB vs 1078 MB).
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import check from "../checks/config-drift/index.js";
import type { TerraformDriftEvidence } from "../checks/config-drift/evidence.js";
import { makeContext } from "../src/engine/context.js";
import { asgAttrs, attr, dbAttrs, instance, lambdaAttrs, lbAttrs, resource, state, USE1, USW2, type Region, type V4Resource } from "../test/helpers/terraform-state-fixtures.js";

const RESOURCES = Number(process.env.BENCH_TF_RESOURCES ?? 20_000);
const TARGET_MB = Number(process.env.BENCH_TF_MB ?? 50);
const RUNS = 3;
const RATIO_TARGET = 3;
const RSS_TARGET_MB = 512;
const SERVICE = { name: "bench", primary: { vars: { region: USE1.region, suffix: USE1.suffix, account: USE1.account } }, standby: { vars: { region: USW2.region, suffix: USW2.suffix, account: USW2.account } } };

/** One region's state: RESOURCES instances in 4 types across modules, padded to ~TARGET_MB. */
function buildState(r: Region, standby: boolean): string {
  const pad = "x".repeat(Math.max(0, Math.floor((TARGET_MB * 1024 * 1024) / RESOURCES) - 1500));
  const resources: V4Resource[] = [];
  const perResource = 4; // instances per resource (count or for_each)
  for (let i = 0; i < RESOURCES / perResource; i++) {
    const module = `module.svc${i % 50}`;
    const drift = standby && i % 20 === 7;
    const kind = i % 4;
    const insts = Array.from({ length: perResource }, (_, k) => {
      const common = { description: `${pad}${i}`, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: `arn:aws:s3:::bucket-${r.suffix}-${i}/*` }] }) };
      if (kind === 0) return instance(asgAttrs(r, { ...common, name: `web-${i}-${k}-${r.suffix}`, ...(drift ? { max_size: 6 } : {}) }), { key: k });
      if (kind === 1) return instance(dbAttrs(r, { ...common, identifier: `db-${i}-${k}-${r.suffix}`, password: `pw-${i}`, ...(drift ? { instance_class: "db.r6g.medium" } : {}) }), { key: `db-${k}`, sensitive: [[attr("password")]] });
      if (kind === 2) return instance(lbAttrs(r, `lb${k}`, { ...common, ...(drift ? { idle_timeout: 30 } : {}) }), { key: `lb${k}-${r.region}` });
      return instance(lambdaAttrs(r, k, { ...common, ...(drift ? { memory_size: 512 } : {}) }), { key: k });
    });
    const type = ["aws_autoscaling_group", "aws_db_instance", "aws_lb", "aws_lambda_function"][kind]!;
    resources.push(resource(type, `r${i}`, insts, { module }));
  }
  return JSON.stringify(state(resources, { lineage: `bench-${r.suffix}`, serial: 1000 }), null, 2);
}

interface Sample {
  ms: number;
  rssMb: number;
  detail?: string;
}

async function childMain(mode: string, dir: string): Promise<void> {
  const t0 = performance.now();
  let detail = "";
  if (mode === "parse") {
    let n = 0;
    for (const f of ["primary.tfstate", "standby.tfstate"]) n += (JSON.parse(readFileSync(join(dir, f), "utf8")) as { resources: unknown[] }).resources.length;
    detail = `${n} resources`;
  } else {
    const options = check.options.parse({ primary: { terraformState: { file: "primary.tfstate" } }, standby: { terraformState: { file: "standby.tfstate" } } });
    const ctx = makeContext({ signal: new AbortController().signal, service: SERVICE, baseDir: dir, timeoutMs: 600_000 });
    const out = await check.run(options, ctx);
    const ev = out.evidence as TerraformDriftEvidence;
    detail = `${out.status}: ${ev.comparedPairs} pairs, ${ev.compared} values compared, ${ev.weaker + ev.changed} drifts`;
  }
  const ms = performance.now() - t0;
  process.send!({ ms, rssMb: process.resourceUsage().maxRSS / 1024, detail } satisfies Sample);
}

function inChild(mode: string, dir: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", mode, dir], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (m) => resolve(m as Sample));
    child.once("error", reject);
    child.once("exit", (code) => code !== 0 && reject(new Error(`${mode} child exited with ${code}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (process.argv[2] === "--child") {
  await childMain(process.argv[3]!, process.argv[4]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), "standby-bench-tf-"));
  try {
    writeFileSync(join(dir, "primary.tfstate"), buildState(USE1, false));
    writeFileSync(join(dir, "standby.tfstate"), buildState(USW2, true));
    const mb = (f: string) => (statSync(join(dir, f)).size / 1024 / 1024).toFixed(1);
    console.log(`terraform-state: 2 states of ${RESOURCES} instances, ${mb("primary.tfstate")} MB and ${mb("standby.tfstate")} MB`);
    const parse: Sample[] = [];
    const run: Sample[] = [];
    // Interleaved, so a noisy neighbour slows both alike.
    for (let i = 0; i < RUNS; i++) {
      parse.push(await inChild("parse", dir));
      run.push(await inChild("check", dir));
    }
    const p = median(parse.map((s) => s.ms));
    const c = median(run.map((s) => s.ms));
    const pr = Math.max(...parse.map((s) => s.rssMb));
    const cr = Math.max(...run.map((s) => s.rssMb));
    const ratio = c / p;
    console.log(`  read + JSON.parse alone: ${p.toFixed(0)} ms (median of ${RUNS}), peak RSS ${pr.toFixed(0)} MB (${parse[0]!.detail})`);
    console.log(`  config-drift check:      ${c.toFixed(0)} ms (median of ${RUNS}), peak RSS ${cr.toFixed(0)} MB (${run[0]!.detail})`);
    console.log(`  ratio ${ratio.toFixed(2)} (target <= ${RATIO_TARGET}); RSS ${cr.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB): ${ratio <= RATIO_TARGET && cr < RSS_TARGET_MB ? "OK" : "OVER TARGET"}`);
  } finally {
    if (!process.env.BENCH_TF_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}
