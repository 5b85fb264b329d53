// standby watch scraped for real: the daemon (the built CLI, as a process) watches a live
// environment with every kind the demo has; its /metrics passes `promtool check metrics` with no
// lint problem, and a real Prometheus server (Debian package prometheus) started on loopback with
// a temp config scrapes it every second and answers a PromQL query for the score through its HTTP
// API with the score of watch's /report.json. Skipped with the reason printed when the binaries
// are missing; under CI=true they must exist. Before that, the same daemon started on a history
// (--no-initial-run): its seeded results' /metrics pass promtool too, timed by the history.
// Every process and temp dir is removed afterwards.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { startDemo, type DemoEnv } from "../../src/demo/env.js";
import { BIN, runCli } from "../helpers/cli.js";
import { conventionProblems, expectPromtoolClean, kindsOfConfig, parseExposition, PROMETHEUS, prometheusSkip, promtoolSkip, SIGNATURE_FAMILY } from "../helpers/prometheus.js";
import { freePort, sleep, startProcess, tempDir, type Proc } from "../helpers/servers/common.js";

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms: number, log?: () => string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}${log ? `\n${log().slice(-3000)}` : ""}`);
    await sleep(200);
  }
}

const text = async (url: string): Promise<string> => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
};

const dir = tempDir("prom-watch");
let env: DemoEnv | null = null;
const procs: Proc[] = [];

/** The demo's config with `changes`, written beside it (its relative paths stay valid). */
function configWith(name: string, changes: Record<string, unknown>): string {
  const config = parseYaml(readFileSync(env!.configFile, "utf8")) as Record<string, unknown>;
  const file = join(env!.dir, name);
  writeFileSync(file, stringify({ ...config, ...changes }));
  return file;
}

/** Starts `standby watch` on loopback; resolves with its base URL. */
async function startWatch(config: string, extra: string[] = []): Promise<{ base: string; proc: Proc; log: () => string }> {
  const logFile = join(dir, `watch-${procs.length}.log`);
  const proc = startProcess(process.execPath, [BIN, "watch", "-c", config, "--listen", "127.0.0.1:0", ...extra], logFile, { cwd: env!.dir, env: { ...process.env, NO_COLOR: "1" } });
  procs.push(proc);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  const base = await until("watch's listening line", async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log())?.[1], 15_000, log);
  return { base, proc, log };
}

beforeAll(async () => {
  if (promtoolSkip()) return;
  env = await startDemo();
}, 120_000);

afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  await env?.stop();
  if (env) rmSync(env.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(promtoolSkip())("standby watch's /metrics from seeded results", () => {
  it("before any run: promtool finds no problem, each result is timed by the history, the kinds' families come from the measured values", async () => {
    const config = configWith("seed.yml", { defaults: { schedule: "17 2 * * *", timeout: "10s" }, history: { file: "seed-history.jsonl" } });
    const kinds = kindsOfConfig(readFileSync(config, "utf8"), parseYaml);
    const scan = await runCli(["scan", "-c", config, "-f", "prometheus", "--fail-on", "never"], { timeoutMs: 60_000 });
    expect(scan.code, scan.stderr).toBe(0);
    const scanned = parseExposition(scan.stdout).families;
    const record = JSON.parse(readFileSync(join(env!.dir, "seed-history.jsonl"), "utf8").trim().split("\n").at(-1)!) as { at: string };

    const { base, proc } = await startWatch(config, ["--no-initial-run"]);
    const metrics = await text(`${base}/metrics`);
    await proc.stop();
    expectPromtoolClean(metrics);
    expect(conventionProblems(metrics)).toEqual([]);
    const { families } = parseExposition(metrics);
    const checks = (state: string) => families.get("standby_watch_checks")!.samples.find((s) => s.labels.state === state)!.value;
    expect([checks("watched"), checks("reported"), checks("seeded")]).toEqual([kinds.size, kinds.size, kinds.size]);
    for (const s of families.get("standby_check_last_result_timestamp_seconds")!.samples) expect(s.value, s.labels.check).toBe(Date.parse(record.at) / 1000);
    // From the history's measured value: the scan's own value (from its evidence), to the unit's precision.
    const value = (fams: typeof families, name: string, check: string) => fams.get(name)?.samples.find((s) => s.labels.check === check)?.value;
    for (const [id, kind] of kinds) {
      const [name, within] =
        kind === "tls-certificate" ? ["standby_tls_certificate_expiry_timestamp_seconds", 0.06 * 86400] : kind === "jwt" ? ["standby_jwt_expiry_timestamp_seconds", 5] : kind === "drill-recency" ? ["standby_drill_last_timestamp_seconds", 5] : kind === "cache-age" ? ["standby_cache_age_seconds", 1] : kind === "replication-lag" ? ["standby_replication_lag_seconds", 1] : [null, 0];
      if (!name) continue;
      const seeded = value(families, name as string, id);
      expect(seeded, `${id}: ${name}`).toBeDefined();
      expect(Math.abs(seeded! - value(scanned, name as string, id)!), `${id}: ${name}`).toBeLessThanOrEqual(within as number);
    }
  }, 90_000);
});

describe.skipIf(promtoolSkip())("standby watch scraped by Prometheus", () => {
  let base = "";
  let kinds = new Map<string, string>();

  beforeAll(async () => {
    // The demo's config, every check every 2 seconds, no history.
    const file = configWith("watch.yml", { defaults: { schedule: "*/2 * * * * *", timeout: "10s", concurrency: 8 }, watch: { jitter: "100ms" }, history: { enabled: false } });
    kinds = kindsOfConfig(readFileSync(file, "utf8"), parseYaml);
    const started = await startWatch(file);
    base = started.base;
    const log = started.log;
    // Every check has reported once.
    await until(
      "every check's first result",
      async () => new RegExp(`^standby_watch_checks\\{state="reported"\\} ${kinds.size}$`, "m").test(await text(`${base}/metrics`)),
      30_000,
      log,
    );
  }, 120_000);

  it("/metrics: promtool finds no problem, the conventions hold, and every kind has its own families", async () => {
    const metrics = await text(`${base}/metrics`);
    expectPromtoolClean(metrics);
    expect(conventionProblems(metrics)).toEqual([]);
    const { families } = parseExposition(metrics);
    for (const [id, kind] of kinds) {
      const family = SIGNATURE_FAMILY[kind];
      if (family) expect(families.get(family)?.samples.some((s) => s.labels.check === id), `${id} (${kind}) in ${family}`).toBe(true);
    }
    // The report's families and the daemon's, each once.
    for (const f of ["standby_readiness_score", "standby_check_status", "standby_watch_up", "standby_watch_runs_total", "standby_watch_errors_total"]) expect(families.has(f), f).toBe(true);
    // Each result says when it was measured: the run's start, within the last few seconds.
    const at = families.get("standby_check_last_result_timestamp_seconds")!.samples;
    expect(at).toHaveLength(kinds.size);
    for (const s of at) expect(Math.abs(Date.now() / 1000 - s.value), s.labels.check).toBeLessThan(30);
  });

  it.skipIf(prometheusSkip())(
    "a real Prometheus server scrapes it and answers the score through its HTTP API",
    async () => {
      const port = await freePort();
      const promUrl = `http://127.0.0.1:${port}`;
      const configFile = join(dir, "prometheus.yml");
      writeFileSync(
        configFile,
        stringify({
          global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
          scrape_configs: [{ job_name: "standby", static_configs: [{ targets: [base.replace("http://", "")] }] }],
        }),
      );
      const log = join(dir, "prometheus.log");
      const prometheus = startProcess(PROMETHEUS!, [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${port}`], log);
      procs.push(prometheus);
      const promLog = () => (existsSync(log) ? readFileSync(log, "utf8") : "");

      interface Target {
        health: string;
        lastError: string;
        scrapeUrl: string;
      }
      const target = await until(
        "the target to be up",
        async () => {
          const r = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
          return r.data.activeTargets.find((t) => t.health === "up");
        },
        45_000,
        promLog,
      );
      expect(target.scrapeUrl).toBe(`${base}/metrics`);
      expect(target.lastError).toBe("");

      const query = async (q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
        const r = (await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
          status: string;
          data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        };
        expect(r.status).toBe("success");
        expect(r.data.resultType).toBe("vector");
        return r.data.result;
      };
      // The score Prometheus holds is the score watch reports (the demo's results are stable; a
      // run between the two reads is waited out).
      let last = { prometheus: NaN, report: NaN };
      await until(
        "Prometheus's standby_readiness_score to equal /report.json's score",
        async () => {
          const result = await query("standby_readiness_score");
          if (result.length !== 1) return false;
          const report = JSON.parse(await text(`${base}/report.json`)) as { score: number };
          last = { prometheus: Number(result[0]!.value[1]), report: report.score };
          return last.prometheus === last.report;
        },
        20_000,
        () => `${JSON.stringify(last)}\n${promLog()}`,
      );
      expect(last.prometheus).toBe(last.report);
      expect(Number.isFinite(last.report)).toBe(true);
      const [score] = await query("standby_readiness_score");
      expect(score!.metric).toEqual({ __name__: "standby_readiness_score", instance: base.replace("http://", ""), job: "standby" });

      // PromQL over the conventions: a check's status joins its kind on (service, check).
      const report = JSON.parse(await text(`${base}/report.json`)) as { checks: Array<{ id: string; kind: string; status: string }> };
      const failing = await query('(standby_check_status{status="fail"} == 1) * on (service, check) group_left (kind) standby_check_info');
      expect(failing.map((r) => [r.metric.check, r.metric.kind]).sort()).toEqual(report.checks.filter((c) => c.status === "fail").map((c) => [c.id, c.kind]).sort());
      const info = await query("count(standby_check_info)");
      expect(Number(info[0]!.value[1])).toBe(kinds.size);
    },
    90_000,
  );
});
