// A SIGHUP reload to a hostile config must not wedge `standby watch`: a config whose ${file:} is a
// FIFO (a read that would block forever), or a config that is itself a FIFO, is refused with its
// reason while /healthz keeps answering, and SIGTERM still stops the process. A real process.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";
import { ONE_DRIFT_EVERY_SECOND } from "./configs.js";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

const CONFIG = ONE_DRIFT_EVERY_SECOND;

async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return { status: r.status, text: await r.text() };
}

async function until(what: string, fn: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("watch: a SIGHUP reload to a FIFO", () => {
  it("refuses a config with ${file:FIFO} and a config that is a FIFO; /healthz answers throughout and SIGTERM stops it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-watch-fifo-"));
    cpSync(join(ROOT, "examples/quickstart/configs"), join(dir, "configs"), { recursive: true });
    const config = join(dir, "standby.yml");
    writeFileSync(config, CONFIG);
    execFileSync("mkfifo", [join(dir, "pipe")]);

    const child = spawn(process.execPath, [BIN, "watch", "-c", config, "--listen", "127.0.0.1:0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    children.push(child);
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await until("the listening line", async () => /listening on http:\/\/[\d.]+:\d+/.test(err));
    const base = /listening on (http:\/\/[\d.]+:\d+)/.exec(err)![1]!;
    const failures = async () => Number(/standby_watch_config_reload_failures_total (\d+)/.exec((await get(`${base}/metrics`)).text)?.[1] ?? NaN);

    // 1. A ${file:} that is a FIFO nobody writes to.
    writeFileSync(config, CONFIG.replace("search.json }\n        standby", 'search.json, pointer: "${file:pipe}" }\n        standby'));
    child.kill("SIGHUP");
    await until("the first refused reload", async () => (await failures()) === 1, 5_000);
    expect(err).toMatch(/standby\.yml:\d+:\d+: services\[0\]\.checks\[0\]\.primary\.pointer: cannot read \$\{file:pipe\}: is a FIFO \(named pipe\), not a regular file/);
    expect((await get(`${base}/healthz`)).status).toBe(200);

    // 2. The config itself replaced by a FIFO.
    rmSync(config);
    execFileSync("mkfifo", [config]);
    child.kill("SIGHUP");
    await until("the second refused reload", async () => (await failures()) === 2, 5_000);
    expect(err).toMatch(/standby\.yml:1:1: is a FIFO \(named pipe\), not a regular file/);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect((await get(`${base}/metrics`)).text).toContain("standby_watch_config_last_reload_successful 0");
    // The previous config goes on running on its every-second schedule.
    await until("a run of the previous config", async () => /standby_watch_runs_total\{check="search-drift",status="fail"\} [1-9]/.test((await get(`${base}/metrics`)).text));

    child.kill("SIGTERM");
    const code = await Promise.race([exit, new Promise((r) => setTimeout(() => r("hung"), 8_000))]);
    expect(code).toBe(0);
  }, 30_000);
});
