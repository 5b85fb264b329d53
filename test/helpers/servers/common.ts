// Shared plumbing for the real-server test helpers: free loopback ports, temp dirs, child
// processes that are always torn down, and the "binary missing" rule (skip locally, fail in CI).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../src/demo/free-port.js";
export { freePort };
export { sleep, waitFor } from "../../../src/demo/wait.js";

export const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

/** A port that nothing listens on (bound once, then released). */
export const closedPort = freePort;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `standby-${prefix}-`));
}

/** First existing path among candidates, or null. */
export function findBinary(candidates: string[]): string | null {
  for (const c of candidates) {
    if (c.includes("/")) {
      if (existsSync(c)) return c;
    } else {
      const r = spawnSync("sh", ["-c", `command -v ${c}`], { encoding: "utf8" });
      if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
    }
  }
  return null;
}

/**
 * Decide whether a suite that needs `what` runs: returns the skip message when it must be
 * skipped (binary missing, not under CI); under CI a missing binary is an error thrown later.
 */
export function skipMessage(what: string, missing: string | null): string | null {
  if (!missing) return null;
  if (IN_CI) return null;
  const msg = `skipped: ${what} not found (${missing}); install it to run these tests (CI=true makes this a failure)`;
  console.warn(`[standby tests] ${msg}`);
  return msg;
}

export function assertPresent(what: string, missing: string | null): void {
  if (missing) throw new Error(`${what} is required under CI but was not found: ${missing}`);
}

export interface Proc {
  child: ChildProcess;
  log: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Servers still running: killed when the test process exits, even if a teardown never ran. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

/** Spawn a long-running server with its output in a log file; stop() waits for its exit. */
export function startProcess(cmd: string, args: string[], log: string, opts: SpawnOptions = {}): Proc {
  const fd = openSync(log, "a");
  const child = spawn(cmd, args, { stdio: ["ignore", fd, fd], ...opts });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  return {
    child,
    log,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

export function run(cmd: string, args: string[], opts: SpawnOptions & { input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, ...opts } as Parameters<typeof spawnSync>[2] & { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${String(r.stderr ?? "").slice(-2000)}${String(r.stdout ?? "").slice(-1000)}`);
  }
  return String(r.stdout ?? "");
}


export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface StallProxy {
  port: number;
  /** Hold everything the upstream sends (the connections stay open, as on a congested link). */
  stall(): void;
  /** Deliver what was held and forward again. */
  resume(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to `upstreamPort` that can stall the upstream-to-client direction. */
export async function startStallProxy(upstreamPort: number): Promise<StallProxy> {
  let stalled = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const up = connect(upstreamPort, "127.0.0.1");
    for (const s of [client, up]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    up.on("data", (d) => {
      if (!stalled) return void client.write(d);
      up.pause();
      held.push(() => {
        client.write(d);
        up.resume();
      });
    });
    client.on("data", (d) => up.write(d));
    client.on("error", () => up.destroy());
    up.on("error", () => client.destroy());
    client.on("close", () => up.destroy());
    up.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as { port: number }).port,
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const h of held.splice(0)) h();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
