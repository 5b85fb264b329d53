// standby watch as a real process: started, scraped over HTTP, sent SIGTERM, restarted; with a
// check that hangs (an HTTP source that never answers) on a schedule faster than its timeout.
import { type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { startWatch, type Daemon } from "../helpers/watch-daemon.js";
import { ONE_DRIFT_EVERY_SECOND } from "./configs.js";

let hang: Server;
let dir = "";
const children: ChildProcess[] = [];

beforeAll(async () => {
  hang = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
  const port = (hang.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), "standby-watch-"));
  cpSync(join(ROOT, "examples/quickstart/configs"), join(dir, "configs"), { recursive: true });
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
scoring: { minScore: 0 }
defaults: { timeout: 2s, schedule: "* * * * * *" }
watch: { jitter: 50ms }
services:
  - name: orders
    checks:
      - id: fast-drift
        kind: config-drift
        severity: medium
        primary: { file: configs/primary/search.json }
        standby: { file: configs/standby/search.json }
      - id: hangs
        kind: config-drift
        severity: low
        timeout: 1500ms
        primary: { url: "http://127.0.0.1:${port}/config" }
        standby: { file: configs/standby/flags.yaml }
`,
  );
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  hang.closeAllConnections();
  hang.close();
});

const startDaemon = (cwd = dir): Promise<Daemon> => startWatch(join(cwd, "standby.yml"), { cwd, children });

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const metric = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);

describe("standby watch (real process)", () => {
  it("serves metrics and the latest report, skips overruns, stops cleanly on SIGTERM, and continues its history after a restart", async () => {
    const historyFile = join(dir, ".standby/history.jsonl");
    const d1 = await startDaemon();
    expect(d1.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // loopback

    const health = await fetch(`${d1.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", checks: 2 });

    // The hanging check times out (1.5 s) on an every-second schedule: a timeout, then skipped overruns.
    const metrics = await until("a timeout and a skipped overrun", async () => {
      const text = await (await fetch(`${d1.base}/metrics`)).text();
      return metric(text, /standby_watch_skipped_overruns_total\{check="hangs"\} (\d+)/) >= 1 && metric(text, /standby_watch_runs_total\{check="hangs",status="unknown"\} (\d+)/) >= 1 ? text : undefined;
    });
    expect(metric(metrics, /standby_watch_runs_total\{check="fast-drift",status="fail"\} (\d+)/)).toBeGreaterThanOrEqual(2);
    expect(metrics).toContain("standby_watch_up 1");
    expect(metrics).toMatch(/standby_check_status\{service="orders",check="hangs",status="unknown"\} 1/);
    expect(metrics).toMatch(/standby_check_info\{service="orders",check="hangs",kind="config-drift",severity="low"\} 1/);
    expect(metrics).toMatch(/standby_watch_check_last_run_timestamp_seconds\{service="orders",check="fast-drift"\} \d+/);
    expect(metrics).toMatch(/standby_readiness_score \d+/);
    // Bounded cardinality: only config ids and fixed enums as label values.
    const labelValues = new Set([...metrics.matchAll(/check="([^"]+)"/g)].map((m) => m[1]));
    expect([...labelValues].sort()).toEqual(["fast-drift", "hangs"]);

    const rep = (await (await fetch(`${d1.base}/report.json`)).json()) as { schemaVersion: number; checks: Array<{ id: string; status: string }> };
    expect(rep.schemaVersion).toBe(1);
    expect(rep.checks.map((c: { id: string }) => c.id)).toEqual(["fast-drift", "hangs"]);
    expect(rep.checks[1]).toMatchObject({ status: "unknown", reason: "timeout" });
    expect((await fetch(`${d1.base}/nope`)).status).toBe(404);
    expect((await fetch(`${d1.base}/metrics`, { method: "POST" })).status).toBe(405);

    d1.child.kill("SIGTERM");
    const code1 = await Promise.race([d1.exit, new Promise((r) => setTimeout(() => r("hung"), 8000))]);
    expect(code1).toBe(0);
    expect(d1.stderr()).toMatch(/SIGTERM: stopping/);
    expect(d1.stderr()).toMatch(/stopped after \d+ run\(s\), \d+ skipped overrun\(s\); history flushed/);
    const lines1 = readFileSync(historyFile, "utf8").split("\n");
    expect(lines1.pop()).toBe(""); // ends with a complete line
    const recs1 = lines1.map((l) => JSON.parse(l));
    expect(recs1.length).toBeGreaterThanOrEqual(3);
    expect(recs1.every((r) => r.src === "watch" && r.checks.length === 1)).toBe(true);
    const firstDrift = recs1.find((r) => r.checks[0].id === "fast-drift");

    // Restart: history continues, and first-seen times come from the first run. The first report
    // holds the history's results (seeded); the run at start replaces them within seconds.
    type Rep2 = { checks: Array<{ id: string; seeded?: boolean; findings: Array<{ firstSeen: string }> }> };
    const d2 = await startDaemon();
    const seeded = (await (await fetch(`${d2.base}/report.json`)).json()) as Rep2;
    expect(seeded.checks.map((c) => c.id).sort()).toEqual(["fast-drift", "hangs"]);
    const rep2 = await until<Rep2>("a fresh report after the restart", async () => {
      const r = await fetch(`${d2.base}/report.json`);
      const body = r.status === 200 ? ((await r.json()) as Rep2) : undefined;
      return body?.checks.find((c) => c.id === "fast-drift" && !c.seeded) ? body : undefined;
    });
    const drift = rep2.checks.find((c) => c.id === "fast-drift")!;
    expect(drift.findings.length).toBeGreaterThan(0);
    for (const f of drift.findings) expect(f.firstSeen).toBe(firstDrift.at);
    d2.child.kill("SIGINT");
    expect(await d2.exit).toBe(0);
    const lines2 = readFileSync(historyFile, "utf8").trimEnd().split("\n");
    expect(lines2.length).toBeGreaterThan(recs1.length);
    expect(lines2.slice(0, recs1.length)).toEqual(lines1);
    for (const l of lines2) JSON.parse(l);
  }, 40_000);

  it("SIGHUP reloads the config: a valid one takes over, keeping unchanged checks' results and counters; an invalid one is refused with file:line:column and the previous keeps running", async () => {
    const rdir = mkdtempSync(join(tmpdir(), "standby-watch-reload-"));
    cpSync(join(ROOT, "examples/quickstart/configs"), join(rdir, "configs"), { recursive: true });
    const head = ONE_DRIFT_EVERY_SECOND;
    const flags = `      - id: flags-drift
        kind: config-drift
        primary: { file: configs/primary/flags.yaml }
        standby: { file: configs/standby/flags.yaml }
`;
    writeFileSync(join(rdir, "standby.yml"), head);
    const d = await startDaemon(rdir);
    const before = await until("search-drift to run twice", async () => {
      const text = await (await fetch(`${d.base}/metrics`)).text();
      return runsOf(text, "search-drift") >= 2 ? text : undefined;
    });
    expect(before).toContain("standby_watch_config_last_reload_successful 1");

    // A valid config with one more check.
    writeFileSync(join(rdir, "standby.yml"), head + flags);
    d.child.kill("SIGHUP");
    const rep = await until("the new check in the report", async () => {
      const r = (await (await fetch(`${d.base}/report.json`)).json()) as { checks: Array<{ id: string }> };
      return r.checks.length === 2 ? r : undefined;
    });
    expect(rep.checks.map((c) => c.id)).toEqual(["search-drift", "flags-drift"]);
    const after = await (await fetch(`${d.base}/metrics`)).text();
    // The counter of the unchanged check went on from where it was: not reset by the reload.
    expect(runsOf(after, "search-drift")).toBeGreaterThanOrEqual(runsOf(before, "search-drift"));
    expect(after).toContain("standby_watch_config_last_reload_successful 1");
    expect(d.stderr()).toMatch(/reloaded: 2 checks/);

    // An invalid config: refused, said where, and the running one goes on.
    writeFileSync(join(rdir, "standby.yml"), (head + flags).replace("kind: config-drift\n        primary: { file: configs/primary/flags.yaml }", "kind: config-drfit\n        primary: { file: configs/primary/flags.yaml }"));
    d.child.kill("SIGHUP");
    const refused = await until("the refused reload in the metrics", async () => {
      const text = await (await fetch(`${d.base}/metrics`)).text();
      return text.includes("standby_watch_config_last_reload_successful 0") ? text : undefined;
    });
    expect(refused).toContain("standby_watch_config_reload_failures_total 1");
    expect(d.stderr()).toMatch(/standby\.yml:14:15: services\[0\]\.checks\[1\]\.kind: unknown check kind 'config-drfit'/);
    expect(d.stderr()).toMatch(/reload refused; still running the previous config/);
    expect((await fetch(`${d.base}/healthz`)).status).toBe(200);
    const runsBefore = runsOf(refused, "flags-drift");
    await until("the previous config's checks to keep running", async () => runsOf(await (await fetch(`${d.base}/metrics`)).text(), "flags-drift") > runsBefore);

    d.child.kill("SIGTERM");
    expect(await d.exit).toBe(0);
  }, 40_000);
});

/** Finished runs of one check, all statuses, from /metrics. */
function runsOf(text: string, id: string): number {
  return [...text.matchAll(new RegExp(`standby_watch_runs_total\\{check="${id}",status="[a-z]+"\\} (\\d+)`, "g"))].reduce((a, m) => a + Number(m[1]), 0);
}
