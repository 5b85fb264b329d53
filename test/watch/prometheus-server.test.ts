// standby watch scraped for real: the daemon (the built CLI, as a process) watches a live
// environment with every kind the demo has; its /metrics passes `promtool check metrics` with no
// lint problem, and a real Prometheus server (Debian package prometheus) started on loopback with
// a temp config scrapes it every second and answers a PromQL query for the score through its HTTP
// API with the score of watch's /report.json. Skipped with the reason printed when the binaries
// are missing; under CI=true they must exist. Every process and temp dir is removed afterwards.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { startDemo, type DemoEnv } from "../../src/demo/env.js";
import { BIN } from "../helpers/cli.js";
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

describe.skipIf(promtoolSkip())("standby watch scraped by Prometheus", () => {
  const dir = tempDir("prom-watch");
  let env: DemoEnv | null = null;
  let watch: Proc | null = null;
  let prometheus: Proc | null = null;
  let base = "";
  let kinds = new Map<string, string>();

  beforeAll(async () => {
    env = await startDemo();
    // The demo's config, every check every 2 seconds, no history.
    const config = parseYaml(readFileSync(env.configFile, "utf8")) as Record<string, Record<string, unknown>>;
    config.defaults = { ...config.defaults, schedule: "*/2 * * * * *" };
    config.watch = { jitter: "100ms" };
    config.history = { enabled: false };
    const file = join(env.dir, "watch.yml");
    writeFileSync(file, stringify(config));
    kinds = kindsOfConfig(readFileSync(file, "utf8"), parseYaml);

    const log = join(dir, "watch.log");
    watch = startProcess(process.execPath, [BIN, "watch", "-c", file, "--listen", "127.0.0.1:0"], log, { cwd: env.dir, env: { ...process.env, NO_COLOR: "1" } });
    base = await until("watch's listening line", async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(log, "utf8"))?.[1], 15_000, () => readFileSync(log, "utf8"));
    // Every check has reported once.
    await until(
      "every check's first result",
      async () => new RegExp(`^standby_watch_checks\\{state="reported"\\} ${kinds.size}$`, "m").test(await text(`${base}/metrics`)),
      30_000,
      () => readFileSync(log, "utf8"),
    );
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await watch?.stop();
    await env?.stop();
    if (env) rmSync(env.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

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
      prometheus = startProcess(PROMETHEUS!, [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${port}`], log);
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
