// A real MariaDB primary with a GTID replica on 127.0.0.1, in a temp dir, for tests.
// Set up the way production is: server-id, log-bin, a replication user, CHANGE MASTER TO
// ... MASTER_USE_GTID=slave_pos, read_only on the replica. Grants are enforced.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { findBinary, freePort, removeDir, run, sleep, startProcess, tempDir, waitFor, type Proc } from "./common.js";

export const MONITOR_PASSWORD = "monitor-secret-pw";
const REPL_PASSWORD = "repl-secret-pw";

function bins() {
  return {
    server: findBinary(["/usr/sbin/mariadbd", "mariadbd", "/usr/sbin/mysqld"]),
    installDb: findBinary(["/usr/bin/mariadb-install-db", "mariadb-install-db", "mysql_install_db"]),
    client: findBinary(["/usr/bin/mariadb", "mariadb", "mysql"]),
  };
}

export function mariadbMissing(): string | null {
  const b = bins();
  const missing = Object.entries({ mariadbd: b.server, "mariadb-install-db": b.installDb, mariadb: b.client })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  return missing.length ? `${missing.join(", ")} (Debian package mariadb-server)` : null;
}

export class MariaNode {
  proc: Proc | null = null;
  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly port: number,
    readonly serverId: number,
    private readonly dir: string,
  ) {}

  get socket(): string {
    return join(this.dir, `${this.name}.sock`);
  }

  /** URL of the `monitor` user (full privileges, password-authenticated over TCP). */
  get url(): string {
    return `mysql://monitor:${MONITOR_PASSWORD}@127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    const b = bins();
    const log = join(this.dir, `${this.name}.err`);
    this.proc = startProcess(
      b.server!,
      [
        "--no-defaults",
        `--datadir=${this.dataDir}`,
        `--socket=${this.socket}`,
        `--port=${this.port}`,
        "--bind-address=127.0.0.1",
        `--pid-file=${join(this.dir, `${this.name}.pid`)}`,
        `--log-error=${log}`,
        "--user=root",
        `--server-id=${this.serverId}`,
        "--log-bin=mysql-bin",
        "--binlog-format=ROW",
        "--skip-name-resolve",
        "--innodb-buffer-pool-size=16M",
        "--innodb-log-file-size=16M",
        "--innodb-flush-log-at-trx-commit=2",
        "--sync-binlog=0",
        "--log-slave-updates",
      ].filter(Boolean),
      join(this.dir, `${this.name}.out`),
    );
    await waitFor(`mariadb ${this.name} on port ${this.port}`, async () => {
      if (this.proc?.child.exitCode !== null) throw new Error(`mariadbd ${this.name} exited`);
      this.sql("SELECT 1");
      return true;
    }, 30_000, log);
  }

  async stop(): Promise<void> {
    await this.proc?.stop("SIGTERM");
    this.proc = null;
  }

  /** Run SQL as root over the unix socket with the mariadb client; returns tab-separated rows. */
  sql(statements: string): string {
    return run(bins().client!, ["--no-defaults", "-uroot", `--socket=${this.socket}`, "-N", "-B", "-e", statements]);
  }

  /** SHOW SLAVE STATUS in vertical form ("Slave_IO_Running: Yes" lines). */
  slaveStatus(): string {
    return run(bins().client!, ["--no-defaults", "-uroot", `--socket=${this.socket}`, "-E", "-e", "SHOW SLAVE STATUS"]);
  }
}

export interface MariaPair {
  primary: MariaNode;
  replica: MariaNode;
  dir: string;
  stop(): Promise<void>;
}

export async function startMariaPair(): Promise<MariaPair> {
  const b = bins();
  if (!b.server || !b.installDb || !b.client) throw new Error(`MariaDB binaries not found: ${mariadbMissing()}`);
  const dir = tempDir("mariadb");
  const primary = new MariaNode("primary", join(dir, "primary"), await freePort(), 1, dir);
  const replica = new MariaNode("replica", join(dir, "replica"), await freePort(), 2, dir);
  const stop = async () => {
    await Promise.all([primary.stop().catch(() => undefined), replica.stop().catch(() => undefined)]);
    removeDir(dir);
  };
  try {
    run(b.installDb, ["--no-defaults", `--datadir=${primary.dataDir}`, "--user=root", "--auth-root-authentication-method=socket", "--skip-test-db"], { cwd: dir });
    cpSync(primary.dataDir, replica.dataDir, { recursive: true });
    await Promise.all([primary.start(), replica.start()]);
    const users = [
      `CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '${REPL_PASSWORD}'`,
      "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'",
      `CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY '${MONITOR_PASSWORD}'`,
      "GRANT ALL ON *.* TO 'monitor'@'127.0.0.1' WITH GRANT OPTION",
    ].join(";");
    // Same users on both (created before replication starts, without binlogging them twice).
    primary.sql(`SET sql_log_bin=0; ${users}; CREATE DATABASE app; CREATE TABLE app.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))`);
    replica.sql(`SET sql_log_bin=0; ${users}; CREATE DATABASE app; CREATE TABLE app.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))`);
    replica.sql(
      [
        `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='repl', MASTER_PASSWORD='${REPL_PASSWORD}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1`,
        "START SLAVE",
        "SET GLOBAL read_only=1",
      ].join(";"),
    );
    await waitFor("replica threads running", async () => {
      const out = replica.slaveStatus();
      return /Slave_IO_Running: Yes/.test(out) && /Slave_SQL_Running: Yes/.test(out);
    }, 30_000, join(dir, "replica.err"));
    return { primary, replica, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Wait until the replica has applied the primary's current GTID position. */
export async function waitMariaCaughtUp(pair: MariaPair, timeoutMs = 20_000): Promise<void> {
  const pos = pair.primary.sql("SELECT @@gtid_binlog_pos").trim();
  if (!pos) return;
  await waitFor("replica to catch up", async () => pair.replica.sql(`SELECT MASTER_GTID_WAIT('${pos}', 1)`).trim() === "0", timeoutMs);
  await sleep(50);
}
