// Benchmark: config-drift over AWS Config, 5,000 resources per side, through the local AWS JSON 1.1
// server with 20 ms latency per request (run in a worker thread, so its JSON work does not eat
// the scanner's CPU, as AWS's does not): fetch with the real SDK, pair, normalise, diff.
// Wall time is compared with the ideal for the configured concurrency, measured in the same run:
// ideal = requests x latency / concurrency. Targets: ratio <= 1.3, peak RSS < 512 MB.
// Run: npx tsc -p tsconfig.build.json && node build/bench/aws-config.js
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import check from "../checks/config-drift/index.js";
import { makeContext } from "../src/engine/context.js";
import type { CheckOutcome, ServiceInfo } from "../src/engine/types.js";
import { asg, USE1, USW2 } from "../test/helpers/aws-config-fixtures.js";
import { AwsConfigServer } from "../test/helpers/aws-config-server.js";

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 5000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
/** BatchGetResourceConfig requests in flight per side (the awsConfig `concurrency` option). */
const PER_SIDE = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RATIO_TARGET = 1.3;
const RSS_TARGET_MB = 512;

const name = (i: number, suffix: string) => `svc${String(i).padStart(5, "0")}-asg-${suffix}`;

if (!isMainThread) {
  // The "AWS" side: 5,000 auto scaling groups per region, ~5% of the standby ones weaker.
  const { resources, latency } = workerData as { resources: number; latency: number };
  const server = new AwsConfigServer({ latencyMs: latency });
  server.recordRequests = false;
  for (let i = 0; i < resources; i++) {
    server.put(asg(USE1, { name: name(i, "use1"), tags: { Service: "bench" } }));
    server.put(asg(USW2, { name: name(i, "usw2"), tags: { Service: "bench" }, maxSize: i % 20 === 7 ? 12 : 24 }));
  }
  await server.start();
  parentPort!.postMessage(server.url);
} else {
  await main();
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= "AKIABENCHSTANDBY0001";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench-secret";
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  const worker = new Worker(new URL(import.meta.url), { workerData: { resources: RESOURCES, latency: LATENCY_MS } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const service: ServiceInfo = {
    name: "bench",
    primary: { vars: { region: USE1.region, account: USE1.account, suffix: USE1.suffix } },
    standby: { vars: { region: USW2.region, account: USW2.account, suffix: USW2.suffix } },
  };
  const ASG = "AWS::AutoScaling::AutoScalingGroup";
  const ids = (n: number, suffix: string) => Array.from({ length: n }, (_, i) => name(i, suffix));
  const explicit = (n: number) => ({
    primary: { awsConfig: { region: USE1.region, endpoint: url, resourceType: ASG, resourceId: ids(n, "use1"), concurrency: PER_SIDE } },
    standby: { awsConfig: { region: USW2.region, endpoint: url, resourceType: ASG, resourceId: ids(n, "usw2"), concurrency: PER_SIDE } },
  });
  const query = {
    primary: { awsConfig: { region: USE1.region, endpoint: url, resourceType: ASG, query: { tag: { key: "Service", value: "bench" } } } },
    standby: { awsConfig: { region: USW2.region, endpoint: url, resourceType: ASG, query: { tag: { key: "Service", value: "bench" } } } },
  };

  const run = async (raw: unknown): Promise<{ ms: number; out: CheckOutcome }> => {
    const options = check.options.parse(raw);
    const t0 = performance.now();
    const out = await check.run(options, makeContext({ signal: AbortSignal.timeout(120_000), timeoutMs: 120_000, service }));
    return { ms: performance.now() - t0, out };
  };

  // Warm-up: JIT, sockets, SDK initialisation.
  await run(explicit(300));

  const lines = [`config-drift over AWS Config: ${RESOURCES} resources per side, ${LATENCY_MS} ms latency per request`];
  let ok = true;
  const report = (label: string, concurrency: number, r: { ms: number; out: CheckOutcome }) => {
    const req = r.out.evidence?.requests as { primary: number; standby: number } | undefined;
    const requests = (req?.primary ?? 0) + (req?.standby ?? 0);
    const ideal = (requests * LATENCY_MS) / concurrency;
    const ratio = r.ms / ideal;
    const pairs = r.out.evidence?.comparedPairs;
    const good = ratio <= RATIO_TARGET && r.out.status === "fail" && pairs === RESOURCES;
    ok &&= good;
    lines.push(
      `  ${label}: ${requests} requests, concurrency ${concurrency}: wall ${r.ms.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (target <= ${RATIO_TARGET})`,
      `    ${pairs} pairs compared, ${r.out.summary}`,
    );
  };
  report(`explicit ids (BatchGetResourceConfig x100 keys, ${PER_SIDE} per side in flight)`, PER_SIDE * 2, await run(explicit(RESOURCES)));
  report("query (SelectResourceConfig pages of 100, one page stream per side)", 2, await run(query));

  const rssMb = process.resourceUsage().maxRSS / 1024;
  ok &&= rssMb < RSS_TARGET_MB;
  lines.push(`  peak RSS: ${rssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB, server worker included)`, `  ${ok ? "PASS" : "FAIL"}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  await worker.terminate();
  if (!ok) process.exitCode = 1;
}
