// The real pt-heartbeat (Debian's percona-toolkit, Perl with DBD::mysql) updating its table on a
// test MariaDB server every second, as it runs in production: `--update --interval 1`.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findBinary, startProcess, waitFor, type Proc } from "./common.js";
import type { MariaNode } from "./mariadb.js";

function bin(): string | null {
  return findBinary(["/usr/bin/pt-heartbeat", "pt-heartbeat"]);
}

/** null when pt-heartbeat can run here, else what is missing (with the Debian package). */
export function ptHeartbeatMissing(): string | null {
  const b = bin();
  if (!b) return "pt-heartbeat (Debian package percona-toolkit)";
  const perl = spawnSync("perl", ["-MDBI", "-MDBD::mysql", "-e", "1"], { encoding: "utf8" });
  if (perl.status !== 0) return "Perl DBD::mysql (Debian package libdbd-mysql-perl)";
  return null;
}

export interface PtHeartbeatOptions {
  /** The database holding the `heartbeat` table. */
  database: string;
  /** pass --utc (else pt-heartbeat writes its local time) */
  utc?: boolean;
  /** TZ of the pt-heartbeat process: its local time without --utc. */
  tz?: string;
  /**
   * The legacy table `legacy_heartbeat` (id INT PRIMARY KEY, ts DATETIME) instead of the one
   * --create-table makes: the test creates it with the row id 1 at 2000-01-01.
   */
  legacy?: boolean;
}

/**
 * Start `pt-heartbeat --update --interval 1 --create-table` on `node` (root over its unix socket:
 * no password on the command line) and wait until its row for the node's server_id holds its own
 * ts format ("2026-12-03T07:20:01.000950"; the first row of --create-table is NOW()).
 */
export async function startPtHeartbeat(node: MariaNode, o: PtHeartbeatOptions): Promise<Proc> {
  const b = bin();
  if (!b) throw new Error(`pt-heartbeat not found: ${ptHeartbeatMissing()}`);
  const args = [
    "--update",
    "--interval=1",
    ...(o.legacy ? ["--table=legacy_heartbeat"] : ["--create-table", "--replace"]),
    "--no-version-check", // it would ask percona.com
    ...(o.utc ? ["--utc"] : []),
    `--database=${o.database}`,
    `S=${node.socket},u=root`,
  ];
  const log = join(node.socket.replace(/[^/]+$/, ""), `pt-heartbeat-${node.name}.log`);
  const proc = startProcess(b, args, log, { env: { ...process.env, TZ: o.tz ?? "UTC" } });
  const [table, row] = o.legacy ? ["legacy_heartbeat", "id = 1"] : ["heartbeat", `server_id = ${node.serverId}`];
  await waitFor(`pt-heartbeat row ${row}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`pt-heartbeat exited (${proc.child.exitCode})`);
    try {
      const ts = node.sql(`SELECT ts FROM ${o.database}.${table} WHERE ${row}`);
      return o.legacy ? /^20[1-9]/.test(ts) : ts.includes("T");
    } catch {
      return false; // table not created yet
    }
  }, 20_000, log);
  return proc;
}
