// Asks one node its role, per engine, with read-only queries. A node that cannot be asked is
// reported as such (reason and message): never as "not primary".
import { ProbeError, isProbeError } from "../../src/probes/errors.js";
import { replicaStatusRows, withMysql } from "../../src/probes/mysql.js";
import { withPostgres } from "../../src/probes/postgres.js";
import { withRedis } from "../../src/probes/redis.js";
import type { ProbeOptions } from "../../src/probes/target.js";
import type { UnknownReason } from "../../src/engine/types.js";

export type Engine = "postgres" | "mysql" | "redis";

export interface NodeRole {
  /** primary: accepts writes and follows nobody; replica: follows a primary. */
  role: "primary" | "replica" | "read-only" | "sentinel";
  writable: boolean;
  /** host:port the node replicates from, when it says. */
  upstream: string | null;
  detail: Record<string, unknown>;
}

export interface NodeAnswer {
  name: string;
  target: string;
  answer?: NodeRole;
  error?: { reason: UnknownReason; message: string };
}

async function postgresRole(url: string, probe: ProbeOptions): Promise<NodeRole> {
  return withPostgres(url, probe, async (s) => {
    const [r] = await s.query<Record<string, unknown>>(`
      SELECT pg_is_in_recovery() AS in_recovery,
             current_setting('default_transaction_read_only') AS default_read_only,
             (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver LIMIT 1) AS upstream,
             (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS receiver_status,
             (SELECT count(*) FROM pg_stat_replication)::int AS downstream`);
    if (!r) throw new ProbeError("invalid-response", `${s.target}: no answer to pg_is_in_recovery()`);
    const inRecovery = r.in_recovery === true;
    return {
      // default_transaction_read_only does not fence a primary: any session can turn it off.
      role: inRecovery ? "replica" : "primary",
      writable: !inRecovery,
      upstream: typeof r.upstream === "string" ? r.upstream : null,
      detail: { inRecovery, defaultTransactionReadOnly: r.default_read_only === "on", walReceiver: r.receiver_status ?? null, streamingReplicas: r.downstream },
    };
  });
}

async function mysqlRole(url: string, probe: ProbeOptions): Promise<NodeRole> {
  return withMysql(url, probe, async (s) => {
    const [v] = await s.query<Record<string, unknown>>("SELECT @@version AS version, @@read_only AS read_only");
    const mariadb = /mariadb/i.test(String(v?.version ?? ""));
    let superReadOnly: boolean | null = null;
    if (!mariadb) superReadOnly = Number((await s.query<Record<string, unknown>>("SELECT @@super_read_only AS sro"))[0]?.sro) === 1;
    const rows = await replicaStatusRows(s);
    const readOnly = Number(v?.read_only) === 1;
    const row = rows[0];
    const pick = (...names: string[]) => (row ? names.map((n) => row[n]).find((x) => x !== undefined) : undefined);
    const host = pick("Source_Host", "Master_Host");
    const port = pick("Source_Port", "Master_Port");
    const isReplica = rows.length > 0;
    return {
      // read_only=1 still lets SUPER / READ_ONLY ADMIN users write; super_read_only (MySQL) does not.
      role: isReplica ? "replica" : readOnly ? "read-only" : "primary",
      writable: !readOnly,
      upstream: host ? `${String(host)}:${String(port ?? "")}` : null,
      detail: {
        readOnly,
        superReadOnly,
        ioThread: pick("Replica_IO_Running", "Slave_IO_Running") ?? null,
        sqlThread: pick("Replica_SQL_Running", "Slave_SQL_Running") ?? null,
        version: String(v?.version ?? ""),
      },
    };
  });
}

async function redisRole(url: string, probe: ProbeOptions): Promise<NodeRole> {
  return withRedis(url, probe, async (s) => {
    const role = await s.call("ROLE");
    if (!Array.isArray(role) || typeof role[0] !== "string") throw new ProbeError("invalid-response", `${s.target}: unexpected ROLE reply`);
    const kind = role[0];
    if (kind === "master") {
      const replicas = Array.isArray(role[2]) ? role[2].length : 0;
      return { role: "primary", writable: true, upstream: null, detail: { role: kind, offset: Number(role[1]), replicas } };
    }
    if (kind === "slave") {
      const info = await s.info("replication");
      const readOnly = info.slave_read_only !== "0";
      return {
        role: "replica",
        writable: !readOnly,
        upstream: `${String(role[1])}:${String(role[2])}`,
        detail: { role: kind, linkState: role[3] ?? null, offset: Number(role[4]), replicaReadOnly: readOnly, masterLinkStatus: info.master_link_status ?? null },
      };
    }
    return { role: "sentinel", writable: false, upstream: null, detail: { role: kind } };
  });
}

export async function askRole(engine: Engine, name: string, url: string, target: string, probe: ProbeOptions): Promise<NodeAnswer> {
  try {
    const answer = engine === "postgres" ? await postgresRole(url, probe) : engine === "mysql" ? await mysqlRole(url, probe) : await redisRole(url, probe);
    return { name, target, answer };
  } catch (err) {
    if (isProbeError(err)) return { name, target, error: { reason: err.reason, message: err.message } };
    throw err;
  }
}

/** SENTINEL get-master-addr-by-name: where this sentinel sends clients for writes. */
export async function askSentinel(url: string, masterName: string, probe: ProbeOptions): Promise<{ master: string | null; error?: { reason: UnknownReason; message: string } }> {
  try {
    const r = await withRedis(url, probe, (s) => s.call("SENTINEL", "get-master-addr-by-name", masterName));
    if (Array.isArray(r) && r.length >= 2) return { master: `${String(r[0])}:${String(r[1])}` };
    return { master: null };
  } catch (err) {
    if (isProbeError(err)) return { master: null, error: { reason: err.reason, message: err.message } };
    throw err;
  }
}
