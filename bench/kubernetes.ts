// Benchmark: config-drift over two Kubernetes clusters, 2,000 Deployments per side selected by a
// label, through two loopback API servers (src/demo/kube-api-server.ts) with 20 ms latency per
// request: list (pages followed through `continue`), pair, normalise, diff, judge readiness
// (streamed: each page is paired and judged while the next one is in flight).
// The servers run in a child process, so the scanner's own CPU is measured apart and the servers'
// JSON encoding (the API server's CPU, not ours) does not slow the scanner down.
// Wall time is compared, in the same run, with
//   - the ideal for the requests the check sent: requests x latency / requests in flight (one
//     page stream per side: 2 in flight), and
//   - @kubernetes/client-node alone listing the same Deployments (AppsV1Api.listNamespacedDeployment,
//     the same selector and page size, both sides at once, objects thrown away): the best a user of
//     the client could do. Target: within 1.15x of it; peak RSS < 512 MB.
// Run: npx tsc -p tsconfig.build.json && node build/bench/kubernetes.js
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { forkServer, type ServerChild } from "./server-child.js";
import { stringify } from "yaml";
import check from "../checks/config-drift/index.js";
import type { KubeDriftEvidence } from "../checks/config-drift/evidence.js";
import { KubeApiServer } from "../src/demo/kube-api-server.js";
import { makeContext } from "../src/engine/context.js";
import type { CheckOutcome, ServiceInfo } from "../src/engine/types.js";
import { PAGE_LIMIT } from "../src/probes/kubernetes/cluster.js";
import { realisticDeployment } from "../test/helpers/kube-objects.js";

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 2000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const RATIO_TARGET = 1.15;
const RSS_TARGET_MB = 512;
const SELECTOR = "app.kubernetes.io/part-of=shop";
const name = (i: number, suffix: string) => `svc${String(i).padStart(4, "0")}-${suffix}`;

if (process.argv[2] === "--server") {
  // The "clusters": 2,000 Deployments each, ~5% of the standby's with fewer replicas.
  const servers = { primary: new KubeApiServer(), standby: new KubeApiServer() };
  for (let i = 0; i < OBJECTS; i++) {
    const labels = { "app.kubernetes.io/part-of": "shop", app: `svc${i}` };
    servers.primary.put(realisticDeployment(name(i, "use1"), { labels, image: `registry.us-east-1.example.com/svc${i}:1.4.2` }));
    servers.standby.put(realisticDeployment(name(i, "usw2"), { labels, image: `registry.us-west-2.example.com/svc${i}:1.4.2`, replicas: i % 20 === 7 ? 2 : 3 }));
  }
  for (const s of Object.values(servers)) {
    s.requests.push = () => 0; // no request log: 2,000-object benches run many rounds
    await s.start();
  }
  process.on("message", (m: { latency?: number; rss?: boolean }) => {
    if (m.latency !== undefined) {
      for (const s of Object.values(servers)) s.opts.latencyMs = m.latency;
      process.send!({ ok: true });
    }
    if (m.rss) process.send!({ rssMb: process.resourceUsage().maxRSS / 1024 });
  });
  process.send!({ primary: servers.primary.url, standby: servers.standby.url });
} else {
  await main();
}

interface Run {
  ms: number;
  cpuMs: number;
  out: CheckOutcome<Partial<KubeDriftEvidence>>;
}

async function main(): Promise<void> {
  const server = forkServer(import.meta.url);
  const { child, ask } = server;
  const urls = await ask<{ primary: string; standby: string }>(null);
  try {
    await bench(urls, (latency) => ask({ latency }), server);
  } finally {
    child.kill();
  }
}

function writeKubeconfig(dir: string, urls: { primary: string; standby: string }): string {
  // Plain HTTP on loopback (no TLS CPU on either side); the client wants skip-tls-verify to allow it.
  const ctx = (n: string, url: string) => ({ cluster: { name: `${n}-cluster`, cluster: { server: url, "insecure-skip-tls-verify": true } }, user: { name: `${n}-user`, user: {} }, context: { name: n, context: { cluster: `${n}-cluster`, user: `${n}-user`, namespace: "shop" } } });
  const all = [ctx("prod-use1", urls.primary), ctx("prod-usw2", urls.standby)];
  const path = join(dir, "kubeconfig");
  writeFileSync(path, stringify({ apiVersion: "v1", kind: "Config", clusters: all.map((c) => c.cluster), users: all.map((c) => c.user), contexts: all.map((c) => c.context), "current-context": "prod-use1" }));
  return path;
}

async function bench(urls: { primary: string; standby: string }, setLatency: (ms: number) => Promise<unknown>, server: ServerChild): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "standby-bench-kube-"));
  const kubeconfig = writeKubeconfig(dir, urls);
  const service: ServiceInfo = { name: "bench", primary: { vars: { region: "us-east-1", suffix: "use1" } }, standby: { vars: { region: "us-west-2", suffix: "usw2" } } };
  const options = check.options.parse({
    primary: { kubernetes: { context: "prod-use1", kubeconfig: "kubeconfig", apiVersion: "apps/v1", kind: "Deployment", selector: SELECTOR } },
    standby: { kubernetes: { context: "prod-usw2", kubeconfig: "kubeconfig", apiVersion: "apps/v1", kind: "Deployment", selector: SELECTOR } },
  });
  const run = async (): Promise<Run> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = await check.run(options, makeContext({ signal: AbortSignal.timeout(120_000), timeoutMs: 120_000, service, baseDir: dir }));
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, out: out as Run["out"] };
  };

  // The client alone: what a user of @kubernetes/client-node gets at best for the same lists.
  const k8s = await import("@kubernetes/client-node");
  const clientOnly = async (): Promise<{ ms: number; cpuMs: number; requests: number; objects: number }> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const sides = await Promise.all(
      ["prod-use1", "prod-usw2"].map(async (context) => {
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(kubeconfig);
        kc.setCurrentContext(context);
        const api = kc.makeApiClient(k8s.AppsV1Api);
        let requests = 0;
        let objects = 0;
        let token: string | undefined;
        do {
          const page = await api.listNamespacedDeployment({ namespace: "shop", labelSelector: SELECTOR, limit: PAGE_LIMIT, ...(token ? { _continue: token } : {}) });
          requests++;
          objects += page.items.length;
          token = page.metadata?._continue || undefined;
        } while (token);
        return { requests, objects };
      }),
    );
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, requests: sides[0]!.requests + sides[1]!.requests, objects: sides[0]!.objects + sides[1]!.objects };
  };

  // Warm-up: JIT, sockets, the client's own initialisation.
  await setLatency(0);
  await run();
  await clientOnly();
  const lines = [`config-drift over Kubernetes: ${OBJECTS} Deployments per side, ${LATENCY_MS} ms latency per request, pages of ${PAGE_LIMIT} (load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`];
  const floor = await run();
  lines.push(`  zero latency: wall ${floor.ms.toFixed(0)} ms, scanner CPU ${floor.cpuMs.toFixed(0)} ms = ${((floor.cpuMs * 1000) / OBJECTS).toFixed(0)} us per pair (HTTP, JSON decode, pair, normalise, diff, readiness)`);

  await setLatency(LATENCY_MS);
  await clientOnly();
  // Median of three of each, interleaved, so a noisy neighbour hits both alike.
  const runs: Run[] = [];
  const clients: Array<Awaited<ReturnType<typeof clientOnly>>> = [];
  for (let i = 0; i < 3; i++) {
    runs.push(await run());
    clients.push(await clientOnly());
  }
  const med = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[1]!;
  const r = med(runs, (x) => x.ms);
  const c = med(clients, (x) => x.ms);
  const ev = r.out.evidence ?? {};
  const requests = (ev.requests?.primary ?? 0) + (ev.requests?.standby ?? 0);
  const ideal = (requests * LATENCY_MS) / 2;
  const vsClient = r.ms / c.ms;
  const expectedWeaker = Math.floor((OBJECTS - 8) / 20) + 1;
  const correct = r.out.status === "fail" && ev.comparedPairs === OBJECTS && (ev.weaker ?? 0) >= expectedWeaker;
  lines.push(
    `  check: ${requests} requests (discovery included), 2 in flight: wall ${r.ms.toFixed(0)} ms, ideal ${ideal.toFixed(0)} ms, ratio ${(r.ms / ideal).toFixed(2)}; scanner CPU ${r.cpuMs.toFixed(0)} ms`,
    `  @kubernetes/client-node alone (AppsV1Api, same lists, objects discarded): ${c.requests} requests, wall ${c.ms.toFixed(0)} ms, CPU ${c.cpuMs.toFixed(0)} ms (${c.objects} objects)`,
    `  * the check's wall time is ${vsClient.toFixed(2)}x the client alone's (target <= ${RATIO_TARGET})`,
  );
  if (!correct) lines.push(`    unexpected result: ${r.out.summary}`);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const serverRss = await server.rssMb();
  const ok = vsClient <= RATIO_TARGET && rssMb < RSS_TARGET_MB && correct;
  lines.push(`  peak RSS: scanner ${rssMb.toFixed(0)} MB, the client-only runs included (target < ${RSS_TARGET_MB} MB); fake API servers' process ${serverRss.toFixed(0)} MB`, `  ${ok ? "PASS" : "FAIL"}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (!ok) process.exitCode = 1;
}
