// A real PostgreSQL primary with a streaming standby on 127.0.0.1, in a temp dir, for tests.
// PostgreSQL refuses to run as root: initdb, postgres and pg_basebackup run as the `postgres`
// system user (spawned with its uid/gid) when the tests run as root.
import { spawnSync } from "node:child_process";
import { appendFileSync, chownSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { findBinary, freePort, removeDir, run, startProcess, tempDir, waitFor, type Proc } from "./common.js";

/** Password of the scram-authenticated `app` role (connections as `postgres` are trusted). */
export const APP_PASSWORD = "app-secret-pw";

export function postgresBinDir(): string | null {
  if (process.env.PG_BIN && findBinary([join(process.env.PG_BIN, "postgres")])) return process.env.PG_BIN;
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = `/usr/lib/postgresql/${v}/bin`;
      if (findBinary([join(dir, "postgres"), join(dir, "initdb"), join(dir, "pg_basebackup")]) && findBinary([join(dir, "initdb")]) && findBinary([join(dir, "pg_basebackup")])) return dir;
    }
  } catch {
    /* no Debian layout */
  }
  const onPath = findBinary(["postgres"]);
  return onPath ? onPath.replace(/\/postgres$/, "") : null;
}

/** null when PostgreSQL can run here, else what is missing. */
export function postgresMissing(): string | null {
  return postgresBinDir() ? null : "postgres, initdb and pg_basebackup (Debian package postgresql, /usr/lib/postgresql/<v>/bin)";
}

interface Ids {
  uid: number;
  gid: number;
}

function runAsIds(): Ids | null {
  if (process.getuid?.() !== 0) return null;
  const u = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (u.status !== 0 || g.status !== 0) throw new Error("running as root but there is no `postgres` system user to run PostgreSQL as");
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export class PgNode {
  proc: Proc | null = null;
  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly ids: Ids | null,
    private readonly sockDir: string,
  ) {}

  /** Superuser URL (trusted on loopback). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** URL of the password-authenticated `app` role (member of pg_monitor). */
  get appUrl(): string {
    return `postgres://app:${APP_PASSWORD}@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const log = join(this.sockDir, `${this.name}.log`);
    this.proc = startProcess(join(this.bin, "postgres"), ["-D", this.dataDir], log, this.ids ? { uid: this.ids.uid, gid: this.ids.gid } : {});
    await waitFor(`postgres ${this.name} on port ${this.port}`, async () => {
      if (this.proc?.child.exitCode !== null) throw new Error(`postgres ${this.name} exited`);
      await this.query("SELECT 1");
      return true;
    }, 30_000, log);
  }

  async stop(): Promise<void> {
    await this.proc?.stop("SIGINT"); // fast shutdown
    this.proc = null;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  conf(lines: string): void {
    appendFileSync(join(this.dataDir, "postgresql.conf"), `\n${lines}\n`);
  }
}

export interface PgPair {
  primary: PgNode;
  standby: PgNode;
  dir: string;
  stop(): Promise<void>;
}

/** initdb a primary, start it, pg_basebackup -R a streaming standby, start it, wait until it streams. */
export async function startPostgresPair(): Promise<PgPair> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL binaries not found: ${postgresMissing()}`);
  const ids = runAsIds();
  const dir = tempDir("pg");
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const as = ids ? { uid: ids.uid, gid: ids.gid } : {};
  const [pPort, sPort] = [await freePort(), await freePort()];
  const primary = new PgNode("primary", join(dir, "primary"), pPort, bin, ids, dir);
  const standby = new PgNode("standby", join(dir, "standby"), sPort, bin, ids, dir);
  const nodes = [primary, standby];
  const stop = async () => {
    for (const n of nodes) await n.stop().catch(() => undefined);
    removeDir(dir);
  };
  try {
    run(join(bin, "initdb"), ["-D", primary.dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], { ...as, cwd: dir });
    primary.conf(
      [
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
        "password_encryption = 'scram-sha-256'",
      ].join("\n"),
    );
    // Our own pg_hba.conf: the superuser is trusted on loopback, `app` needs its password.
    writeFileSync(
      join(primary.dataDir, "pg_hba.conf"),
      [
        "local all all trust",
        "host replication postgres 127.0.0.1/32 trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "",
      ].join("\n"),
    );
    await primary.start();
    await primary.query(`CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}' IN ROLE pg_monitor`);
    await primary.query("CREATE TABLE t (id serial PRIMARY KEY, v text)");

    run(join(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres", "-D", standby.dataDir, "-R", "-X", "stream", "--no-sync", "-c", "fast"], { ...as, cwd: dir });
    standby.conf(`port = ${sPort}`);
    await standby.start();
    await waitFor("standby streaming", async () => {
      const r = await standby.query<{ status: string }>("SELECT status FROM pg_stat_wal_receiver");
      return r[0]?.status === "streaming";
    }, 30_000, standby.proc?.log);
    return { primary, standby, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Wait until the standby has replayed everything the primary has written so far. */
export async function waitCaughtUp(pair: PgPair, timeoutMs = 20_000): Promise<void> {
  const [{ lsn }] = await pair.primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn");
  await waitFor("standby to catch up", async () => {
    const [r] = await pair.standby.query<{ done: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [lsn]);
    return r?.done;
  }, timeoutMs);
}
