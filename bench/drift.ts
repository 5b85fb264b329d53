// Benchmark: config-drift normalise+diff against plain deep-diff of the same un-normalised
// pairs, measured in the same process on 10,000 pairs of ~8 KB documents.
// Targets: ratio <= 2.0, peak RSS < 512 MB. Run: npx tsc -p tsconfig.build.json && node build/bench/drift.js
import deepDiff from "deep-diff";
import { DriftDiffer } from "../checks/config-drift/diff.js";
import { MAX_FINDINGS } from "../checks/config-drift/index.js";
import { makeSubstituter } from "../src/kit/side-vars.js";
import { Normaliser, type NormaliseRules } from "../checks/config-drift/normalise.js";
import type { DiffRules } from "../checks/config-drift/diff.js";

const PAIRS = Number(process.env.BENCH_PAIRS ?? 10_000);
const BATCH = 250; // pairs are generated per batch so memory stays flat
const WARMUP = 1_000;
const RATIO_TARGET = 2.0;
const RSS_TARGET_MB = 512;

const PRIMARY = { region: "us-east-1", account: "111111111111", suffix: "use1" };
const STANDBY = { region: "us-west-2", account: "222222222222", suffix: "usw2" };

// The options a real check would carry for such a document.
const RULES: NormaliseRules & DiffRules = {
  ignore: ["metadata.generatedAt", "**.lastModified", "status.*"],
  keys: { tags: "Key", listeners: "port", "listeners.rules": "priority", "**.environment": "name" },
  atLeast: ["capacity.*", "database.storageGb"],
  tolerance: { "capacity.desired": "15%" },
};

/** Small deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Side = typeof PRIMARY;

function makeDoc(i: number, side: Side, rand: () => number): Record<string, unknown> {
  const { region, account, suffix } = side;
  const svc = `svc${i % 500}`;
  const arn = (kind: string, res: string) => `arn:aws:${kind}:${region}:${account}:${res}`;
  const tags = Array.from({ length: 16 }, (_, t) => ({ Key: `tag-${t}`, Value: t === 0 ? `${svc}-${suffix}` : `value-${t}-${i % 7}` }));
  const listeners = [443, 80, 8443].map((port) => ({
    port,
    protocol: port === 80 ? "HTTP" : "HTTPS",
    sslPolicy: port === 80 ? null : "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: port === 80 ? null : arn("acm", `certificate/${svc}-${port}-cert`),
    lastModified: `2026-11-${10 + (i % 18)}T0${port % 10}:00:00Z`,
    rules: Array.from({ length: 6 }, (_, r) => ({
      priority: (r + 1) * 10,
      conditions: [
        { field: "host-header", values: [`${svc}-${suffix}.example.com`] },
        { field: "path-pattern", values: [`/api/v${r}/*`] },
      ],
      actions: [{ type: "forward", targetGroupArn: arn("elasticloadbalancing", `targetgroup/${svc}-${suffix}-${r}/abc${r}`), weight: 100 }],
    })),
  }));
  const environment = Array.from({ length: 30 }, (_, e) => ({
    name: `ENV_VAR_${e}`,
    value: e % 4 === 0 ? `https://${svc}.${region}.internal/${e}` : `value-${e}-${i % 3}`,
  }));
  return {
    name: svc,
    arn: arn("ecs", `service/orders-${suffix}/${svc}`),
    region,
    capacity: { minSize: 2, maxSize: 10 + (i % 5), desired: 4 + (i % 3) },
    database: { engine: "postgres", version: "16.3", storageGb: 500, endpoint: `${svc}-${suffix}.cluster.${region}.rds.amazonaws.com`, password: "not-a-real-secret" },
    network: {
      vpc: `vpc-${suffix}`,
      subnets: [`subnet-${suffix}-a`, `subnet-${suffix}-b`, `subnet-${suffix}-c`],
      securityGroups: [`sg-${suffix}-app`, `sg-${suffix}-db`],
    },
    tags,
    listeners,
    container: { image: `${account}.dkr.ecr.${region}.amazonaws.com/${svc}:1.${i % 9}.0`, cpu: 512, memory: 1024, environment },
    healthCheck: { path: "/health", intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 2 },
    metadata: { generatedAt: `2026-11-25T02:${String(i % 60).padStart(2, "0")}:${Math.floor(rand() * 60)}Z`, owner: "team-orders" },
    status: { running: Math.floor(rand() * 10), pending: 0 },
  };
}

/** The standby twin: side vars swapped, lists reordered, volatile fields changed, and ~30% with real drift. */
function makePair(i: number, rand: () => number): [unknown, unknown] {
  const primary = makeDoc(i, PRIMARY, rand);
  const standby = makeDoc(i, STANDBY, rand) as Record<string, any>;
  standby.tags.reverse();
  standby.listeners.reverse();
  for (const l of standby.listeners) l.lastModified = "2026-11-25T00:00:00Z";
  const r = rand();
  if (r < 0.1) standby.listeners[0].protocol = "HTTP";
  else if (r < 0.2) standby.tags.pop();
  else if (r < 0.25) standby.capacity.maxSize -= 4;
  else if (r < 0.3) standby.container.environment[3].value = "drifted";
  return [primary, standby];
}

interface Totals {
  baselineMs: number;
  oursMs: number;
  perRunMs: number;
  rawChanges: number;
  drifts: number;
  bytes: number;
}

function runBatch(pairs: Array<[unknown, unknown]>, totals: Totals, order: number, measure: boolean): void {
  const normaliser = new Normaliser(RULES);
  const differ = new DriftDiffer(RULES);
  const sub = makeSubstituter(PRIMARY, STANDBY);
  const baseline = () => {
    const t = performance.now();
    let n = 0;
    for (const [p, s] of pairs) n += deepDiff.diff(p, s)?.length ?? 0;
    if (measure) {
      totals.baselineMs += performance.now() - t;
      totals.rawChanges += n;
    }
  };
  const ours = () => {
    const t = performance.now();
    let n = 0;
    for (const [p, s] of pairs) {
      const np = normaliser.normalise(p, sub);
      const ns = normaliser.normalise(s, null);
      const r = differ.diff({ original: p, normalised: np.value }, { original: s, normalised: ns.value }, MAX_FINDINGS);
      n += r.findings.length;
    }
    if (measure) {
      totals.oursMs += performance.now() - t;
      totals.drifts += n;
    }
  };
  // As one check run does it: rules compiled for every pair, transition caches cold.
  const perRun = () => {
    const t = performance.now();
    for (const [p, s] of pairs) {
      const nz = new Normaliser(RULES);
      const np = nz.normalise(p, makeSubstituter(PRIMARY, STANDBY));
      const ns = nz.normalise(s, null);
      new DriftDiffer(RULES).diff({ original: p, normalised: np.value }, { original: s, normalised: ns.value }, MAX_FINDINGS);
    }
    if (measure) totals.perRunMs += performance.now() - t;
  };
  // Alternate the order per batch so neither side always runs on a warmer heap.
  if (order % 2 === 0) {
    baseline();
    ours();
    perRun();
  } else {
    perRun();
    ours();
    baseline();
  }
}

function main(): void {
  const rand = rng(42);
  const totals: Totals = { baselineMs: 0, oursMs: 0, perRunMs: 0, rawChanges: 0, drifts: 0, bytes: 0 };

  for (let w = 0; w < WARMUP; w += BATCH) {
    const pairs = Array.from({ length: BATCH }, (_, k) => makePair(w + k, rand));
    runBatch(pairs, totals, w / BATCH, false);
  }

  let done = 0;
  for (let b = 0; done < PAIRS; b++) {
    const n = Math.min(BATCH, PAIRS - done);
    const pairs = Array.from({ length: n }, (_, k) => makePair(done + k, rand));
    if (b === 0) totals.bytes = JSON.stringify(pairs[0]![0]).length;
    runBatch(pairs, totals, b, true);
    done += n;
  }

  const us = (ms: number) => (ms * 1000) / PAIRS;
  const ratio = totals.oursMs / totals.baselineMs;
  const perRunRatio = totals.perRunMs / totals.baselineMs;
  // maxRSS is in kilobytes.
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const ok = ratio <= RATIO_TARGET && rssMb < RSS_TARGET_MB;
  const lines = [
    `config-drift benchmark: ${PAIRS} pairs, ~${(totals.bytes / 1024).toFixed(1)} KB per document (JSON)`,
    `  baseline deep-diff (un-normalised):      ${us(totals.baselineMs).toFixed(1)} µs/pair  (${totals.rawChanges} raw changes)`,
    `  normalise + diff (rules compiled once):  ${us(totals.oursMs).toFixed(1)} µs/pair  (${totals.drifts} drift findings)`,
    `  normalise + diff (compiled per pair):    ${us(totals.perRunMs).toFixed(1)} µs/pair`,
    `  ratio: ${ratio.toFixed(2)} (target <= ${RATIO_TARGET.toFixed(1)}); per-pair compile ratio ${perRunRatio.toFixed(2)}`,
    `  peak RSS: ${rssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB)`,
    `  ${ok ? "PASS" : "FAIL"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (!ok) process.exitCode = 1;
}

main();
