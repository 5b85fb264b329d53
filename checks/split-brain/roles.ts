// Asks one node its role, per engine, with read-only queries. A node that cannot be asked throws
// its ProbeError: the check keeps it as an unanswered node, never as "not primary".
import { ProbeError } from "../../src/kit/index.js";
import { replicaStatusRows, withMysql } from "../../src/probes/mysql.js";
import { withPostgres } from "../../src/probes/postgres.js";
import { withRedis } from "../../src/probes/redis.js";
import type { ProbeOptions } from "../../src/probes/target.js";
import type { MysqlNodeDetail, NodeEvidence, PostgresNodeDetail, RedisNodeDetail } from "./evidence.js";

type Engine = "postgres" | "mysql" | "redis";

/** A node's answer: its role, whether it accepts writes, whom it follows, its raw readings. */
export type NodeRole = Required<Pick<NodeEvidence, "role" | "writable" | "upstream" | "detail">>;

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
      detail: {
        inRecovery,
        defaultTransactionReadOnly: r.default_read_only === "on",
        walReceiver: typeof r.receiver_status === "string" ? r.receiver_status : null,
        streamingReplicas: Number(r.downstream),
      } satisfies PostgresNodeDetail,
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
        ioThread: text(pick("Replica_IO_Running", "Slave_IO_Running")),
        sqlThread: text(pick("Replica_SQL_Running", "Slave_SQL_Running")),
        version: String(v?.version ?? ""),
      } satisfies MysqlNodeDetail,
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
      return { role: "primary", writable: true, upstream: null, detail: { role: kind, offset: Number(role[1]), replicas } satisfies RedisNodeDetail };
    }
    if (kind === "slave") {
      const info = await s.info("replication");
      const readOnly = info.slave_read_only !== "0";
      return {
        role: "replica",
        writable: !readOnly,
        upstream: `${String(role[1])}:${String(role[2])}`,
        detail: { role: kind, linkState: text(role[3]), offset: Number(role[4]), replicaReadOnly: readOnly, masterLinkStatus: info.master_link_status ?? null } satisfies RedisNodeDetail,
      };
    }
    return { role: "sentinel", writable: false, upstream: null, detail: { role: kind } satisfies RedisNodeDetail };
  });
}

export function askRole(engine: Engine, url: string, probe: ProbeOptions): Promise<NodeRole> {
  return engine === "postgres" ? postgresRole(url, probe) : engine === "mysql" ? mysqlRole(url, probe) : redisRole(url, probe);
}

/** SENTINEL get-master-addr-by-name: where this sentinel sends clients for writes; null when it does not know the name. */
export async function askSentinel(url: string, masterName: string, probe: ProbeOptions): Promise<string | null> {
  const r = await withRedis(url, probe, (s) => s.call("SENTINEL", "get-master-addr-by-name", masterName));
  return Array.isArray(r) && r.length >= 2 ? `${String(r[0])}:${String(r[1])}` : null;
}

const text = (x: unknown): string | null => (x === null || x === undefined ? null : String(x));
