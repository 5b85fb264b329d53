// Benchmark: config-drift over AWS Config, 5,000 resources per side, through the local AWS JSON 1.1
// server with 20 ms latency per request: fetch with the real SDK, pair, normalise, diff (streamed:
// each batch is paired and diffed while the next requests are in flight).
// The server runs in a child process, so the scanner's own CPU is measured apart (process.cpuUsage)
// and the server serialises each item once (it stands for AWS, whose CPU is not ours).
// Wall time is compared with the ideal for the configured concurrency, measured in the same run:
// ideal = requests x latency / requests in flight. Targets: ratio <= 1.3, peak RSS < 512 MB.
// The headline is the check's default (`concurrency: 4` per side, 8 in flight); 1 and 2 per side,
// the query mode and a zero-latency run (the scanner's CPU floor per pair) are printed beside it,
// and so is the SDK's own floor: the same BatchGetResourceConfig requests through the SDK client
// with the items thrown away (no parsing, pairing or diffing), which no scanner built on the SDK
// can beat.
// Run: npx tsc -p tsconfig.build.json && node build/bench/aws-config.js
import { type ChildProcess, fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import check from "../checks/config-drift/index.js";
import type { AwsDriftEvidence } from "../checks/config-drift/evidence.js";
import { makeContext } from "../src/engine/context.js";
import { makeClient } from "../src/probes/aws-config/client.js";
import { awsConnectionSchema } from "../src/probes/aws-config/options.js";
import { BATCH_KEYS, chunksOf, mapLimit } from "../src/probes/aws-config/read.js";
import type { CheckOutcome, ServiceInfo } from "../src/engine/types.js";
import { asg, USE1, USW2 } from "../test/helpers/aws-config-fixtures.js";
import { AwsConfigServer } from "../test/helpers/aws-config-server.js";

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 5000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
/** The awsConfig `concurrency` option's default: BatchGetResourceConfig requests in flight per side. */
const DEFAULT_PER_SIDE = 4;
const PER_SIDE = (process.env.BENCH_CONCURRENCY ?? `1,2,${DEFAULT_PER_SIDE}`).split(",").map(Number);
const RATIO_TARGET = 1.3;
const RSS_TARGET_MB = 512;

const name = (i: number, suffix: string) => `svc${String(i).padStart(5, "0")}-asg-${suffix}`;

if (process.argv[2] === "--server") {
  // The "AWS" side: 5,000 auto scaling groups per region, ~5% of the standby ones weaker.
  const server = new AwsConfigServer({ latencyMs: LATENCY_MS });
  server.recordRequests = false;
  server.cacheResponses = true;
  for (let i = 0; i < RESOURCES; i++) {
    server.put(asg(USE1, { name: name(i, "use1"), tags: { Service: "bench" } }));
    server.put(asg(USW2, { name: name(i, "usw2"), tags: { Service: "bench" }, maxSize: i % 20 === 7 ? 12 : 24 }));
  }
  await server.start();
  process.on("message", (m: { latency?: number; rss?: boolean }) => {
    if (m.latency !== undefined) {
      server.latencyMs = m.latency;
      process.send!({ ok: true });
    }
    if (m.rss) process.send!({ rssMb: process.resourceUsage().maxRSS / 1024 });
  });
  process.send!({ url: server.url });
} else {
  await main();
}

interface Run {
  ms: number;
  cpuMs: number;
  out: CheckOutcome<Partial<AwsDriftEvidence>>;
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= "AKIABENCHSTANDBY0001";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench-secret";
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  const child = fork(fileURLToPath(import.meta.url), ["--server"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = <T>(msg: object | null): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      child.once("message", (m) => resolve(m as T));
      child.once("error", reject);
      if (msg) child.send(msg);
    });
  const { url } = await ask<{ url: string }>(null);
  const setLatency = (latency: number) => ask({ latency });
  try {
    await bench(url, setLatency, child);
  } finally {
    child.kill();
  }
}

async function bench(url: string, setLatency: (ms: number) => Promise<unknown>, child: ChildProcess): Promise<void> {
  const service: ServiceInfo = {
    name: "bench",
    primary: { vars: { region: USE1.region, account: USE1.account, suffix: USE1.suffix } },
    standby: { vars: { region: USW2.region, account: USW2.account, suffix: USW2.suffix } },
  };
  const ASG = "AWS::AutoScaling::AutoScalingGroup";
  const ids = (n: number, suffix: string) => Array.from({ length: n }, (_, i) => name(i, suffix));
  // As a user writes it: no concurrency given means the option's default.
  const explicit = (n: number, perSide: number) => {
    const c = perSide === DEFAULT_PER_SIDE ? {} : { concurrency: perSide };
    return {
      primary: { awsConfig: { region: USE1.region, endpoint: url, resourceType: ASG, resourceId: ids(n, "use1"), ...c } },
      standby: { awsConfig: { region: USW2.region, endpoint: url, resourceType: ASG, resourceId: ids(n, "usw2"), ...c } },
    };
  };
  const query = {
    primary: { awsConfig: { region: USE1.region, endpoint: url, resourceType: ASG, query: { tag: { key: "Service", value: "bench" } } } },
    standby: { awsConfig: { region: USW2.region, endpoint: url, resourceType: ASG, query: { tag: { key: "Service", value: "bench" } } } },
  };

  const run = async (raw: unknown): Promise<Run> => {
    const options = check.options.parse(raw);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const ctx = makeContext({ signal: AbortSignal.timeout(120_000), timeoutMs: 120_000, service });
    const out = await check.run(options, ctx);
    const c = process.cpuUsage(c0);
    await ctx.scope.close();
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, out };
  };
  const requestsOf = (r: Run) => {
    const req = r.out.evidence?.requests as { primary: number; standby: number } | undefined;
    return (req?.primary ?? 0) + (req?.standby ?? 0);
  };

  // Warm-up: JIT, sockets, SDK initialisation, for both modes (the query path has its own code:
  // row parsing, pairing by key; and the fake AWS builds and caches its query results on the first
  // SelectResourceConfig, work the real one does not charge to the scanner).
  await setLatency(0);
  await run(explicit(300, DEFAULT_PER_SIDE));
  await run(explicit(RESOURCES, DEFAULT_PER_SIDE));
  await run(query);

  const lines = [
    `config-drift over AWS Config: ${RESOURCES} resources per side, ${LATENCY_MS} ms latency per request (load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`,
  ];
  // The scanner's own CPU floor, with no network wait to hide it in.
  const floor = await run(explicit(RESOURCES, DEFAULT_PER_SIDE));
  const perPairUs = (floor.cpuMs * 1000) / RESOURCES;
  lines.push(`  zero latency, explicit ids: wall ${floor.ms.toFixed(0)} ms, scanner CPU ${floor.cpuMs.toFixed(0)} ms = ${perPairUs.toFixed(0)} us per pair (SDK decode, parse, pair, normalise, diff)`);

  await setLatency(LATENCY_MS);
  let ok = true;
  const report = (label: string, inFlight: number, r: Run, headline: boolean) => {
    const requests = requestsOf(r);
    const ideal = (requests * LATENCY_MS) / inFlight;
    const ratio = r.ms / ideal;
    const pairs = r.out.evidence?.comparedPairs;
    const good = ratio <= RATIO_TARGET && r.out.status === "fail" && pairs === RESOURCES;
    if (headline) ok &&= good;
    // Below this ideal the scanner's CPU, not the network, bounds the wall time.
    const cpuBound = r.cpuMs > ideal ? `; CPU-bound: scanner CPU ${r.cpuMs.toFixed(0)} ms > ideal` : `; scanner CPU ${r.cpuMs.toFixed(0)} ms`;
    lines.push(
      `  ${headline ? "*" : " "} ${label}: ${requests} requests, ${inFlight} in flight: wall ${r.ms.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (target <= ${RATIO_TARGET})${cpuBound}`,
    );
    if (headline && inFlight === DEFAULT_PER_SIDE * 2) {
      lines.push(`    the scanner's wall time is ${(r.ms / sdk.ms).toFixed(2)}x the SDK alone's (what exceeds 1 is the parsing, pairing, normalising and diffing the fetch did not hide)`);
    }
    if (r.out.status !== "fail" || pairs !== RESOURCES) lines.push(`    unexpected result: ${r.out.summary}`);
  };
  // The SDK alone: fetch and decode every item, nothing else.
  const sdkOnly = async (perSide: number): Promise<{ ms: number; cpuMs: number; requests: number }> => {
    const ctx = makeContext({ signal: AbortSignal.timeout(120_000), timeoutMs: 120_000, service });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const counts = await Promise.all(
      (["primary", "standby"] as const).map(async (side) => {
        const src = explicit(RESOURCES, perSide)[side].awsConfig;
        const client = await makeClient(awsConnectionSchema.parse({ region: src.region, endpoint: url, concurrency: perSide }), side, ctx);
        try {
          await mapLimit(chunksOf(src.resourceId, BATCH_KEYS), perSide, async (ids) => {
            await client.send("BatchGetResourceConfig", { resourceKeys: ids.map((resourceId) => ({ resourceType: ASG, resourceId })) });
          });
          return client.requests;
        } finally {
          client.destroy();
        }
      }),
    );
    const c = process.cpuUsage(c0);
    await ctx.scope.close();
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, requests: counts[0]! + counts[1]! };
  };
  await sdkOnly(DEFAULT_PER_SIDE); // warm-up at the current latency
  const sdk = await sdkOnly(DEFAULT_PER_SIDE);
  const sdkIdeal = (sdk.requests * LATENCY_MS) / (DEFAULT_PER_SIDE * 2);
  lines.push(
    `    SDK alone (the same requests, items discarded), ${DEFAULT_PER_SIDE} per side: wall ${sdk.ms.toFixed(0)} ms, ideal ${sdkIdeal.toFixed(0)} ms, ratio ${(sdk.ms / sdkIdeal).toFixed(2)}; SDK CPU ${sdk.cpuMs.toFixed(0)} ms = ${((sdk.cpuMs * 1000) / (2 * RESOURCES)).toFixed(0)} us per item (HTTP, signing, JSON decode)`,
  );

  for (const perSide of PER_SIDE) {
    const label = `explicit ids, concurrency ${perSide} per side${perSide === DEFAULT_PER_SIDE ? " (default)" : ""}`;
    report(label, perSide * 2, await run(explicit(RESOURCES, perSide)), perSide === DEFAULT_PER_SIDE);
  }
  report("query (SelectResourceConfig pages of 100, one page stream per side)", 2, await run(query), true);

  const rssMb = process.resourceUsage().maxRSS / 1024;
  const serverRss = await new Promise<number>((resolve) => {
    child.once("message", (m) => resolve((m as { rssMb: number }).rssMb));
    child.send({ rss: true });
  });
  ok &&= rssMb < RSS_TARGET_MB;
  lines.push(
    `  peak RSS: scanner ${rssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB); fake AWS server process ${serverRss.toFixed(0)} MB`,
    `  ${ok ? "PASS" : "FAIL"} (* = judged: the default concurrency and the query mode)`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  if (!ok) process.exitCode = 1;
}
