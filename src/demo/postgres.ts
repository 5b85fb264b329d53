// A PostgreSQL primary with a streaming standby on 127.0.0.1 in a temp dir, for `standby demo`.
// The same recipe as the tests' helper (test/helpers/servers/postgres.ts), which is not shipped:
// initdb, pg_basebackup -R, both started as the `postgres` user when running as root.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect, createServer } from "node:net";
import { join } from "node:path";

export interface PgPair {
  primaryUrl: string;
  standbyUrl: string;
  stop(): Promise<void>;
}

/** The directory holding postgres, initdb and pg_basebackup, or null. */
export function postgresBinDir(): string | null {
  const has = (dir: string) => ["postgres", "initdb", "pg_basebackup"].every((b) => existsSync(join(dir, b)));
  if (process.env.PG_BIN && has(process.env.PG_BIN)) return process.env.PG_BIN;
  try {
    const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(`/usr/lib/postgresql/${v}/bin`)) return `/usr/lib/postgresql/${v}/bin`;
  } catch {
    /* not the Debian layout */
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && has(dir)) return dir;
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });
}

function ids(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const u = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (u.status !== 0 || g.status !== 0) throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as");
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function run(cmd: string, args: string[], opts: SpawnOptions): void {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${String(r.stderr ?? "").trim().split("\n").pop() ?? r.status}`);
}

async function ready(bin: string, port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`postgres on port ${port} exited (${child.exitCode})`);
    if (existsSync(join(bin, "pg_isready"))) {
      if (spawnSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"], { timeout: 5000 }).status === 0) return;
    } else if (await accepts(port)) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`postgres on port ${port} did not accept connections within ${timeoutMs / 1000}s`);
}

/**
 * Starts the pair in its own temp dir (owned by the `postgres` user when we run as root: it
 * cannot enter a root-only parent); stop() stops both and removes the dir. Every started
 * process is stopped when this throws.
 */
export async function startPostgresPair(): Promise<PgPair> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL binaries not found (postgres, initdb, pg_basebackup)");
  const who = ids();
  const root = mkdtempSync(join(tmpdir(), "standby-demo-pg-"));
  if (who) chownSync(root, who.uid, who.gid);
  const as: SpawnOptions = who ? { uid: who.uid, gid: who.gid, cwd: root } : { cwd: root };
  const [pPort, sPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((res) => {
            if (c.exitCode !== null || c.signalCode !== null) return res();
            const t = setTimeout(() => c.kill("SIGKILL"), 5000);
            c.once("exit", () => (clearTimeout(t), res()));
            c.kill("SIGINT"); // fast shutdown
          }),
      ),
    );
    rmSync(root, { recursive: true, force: true });
  };
  const start = (data: string, name: string): ChildProcess => {
    const log = openSync(join(root, `${name}.log`), "a");
    const child = spawn(join(bin, "postgres"), ["-D", data], { ...as, stdio: ["ignore", log, log] });
    children.push(child);
    return child;
  };
  try {
    const pData = join(root, "primary");
    const sData = join(root, "standby");
    run(join(bin, "initdb"), ["-D", pData, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], as);
    appendFileSync(
      join(pData, "postgresql.conf"),
      [
        "",
        `port = ${pPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        "wal_level = replica",
        "max_wal_senders = 10",
        "wal_keep_size = '64MB'",
        "hot_standby = on",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "shared_buffers = '16MB'",
        "wal_receiver_status_interval = '1s'",
        "",
      ].join("\n"),
    );
    writeFileSync(join(pData, "pg_hba.conf"), "local all all trust\nhost replication postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n");
    await ready(bin, pPort, start(pData, "primary"));
    run(join(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres", "-D", sData, "-R", "-X", "stream", "--no-sync", "-c", "fast"], as);
    appendFileSync(join(sData, "postgresql.conf"), `\nport = ${sPort}\n`);
    await ready(bin, sPort, start(sData, "standby"));
    return { primaryUrl: `postgres://postgres@127.0.0.1:${pPort}/postgres`, standbyUrl: `postgres://postgres@127.0.0.1:${sPort}/postgres`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
