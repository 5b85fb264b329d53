// MySQL / MariaDB replication lag: replica status (IO and SQL threads, Seconds_Behind_Source /
// Seconds_Behind_Master) checked against the primary's own position (GTID, else binlog file and
// position). The pitfalls: Seconds_Behind is NULL when a thread is stopped (NULL is not 0), and it
// reads 0 when the SQL thread has applied everything the IO thread fetched, however far behind
// the IO thread is: only a comparison with the primary tells "caught up".
import { ProbeError, type Finding } from "../../src/kit/index.js";
import { replicaStatusRows, withMysql } from "../../src/probes/mysql.js";
import type { SqlSession } from "../../src/probes/postgres.js";
import type { MysqlLagEvidence } from "./evidence.js";
import { num, waitUntil, type LagInput, type LagReading } from "./measure.js";

type Row = Record<string, unknown>;

/** The first present column among the new (Source/Replica) and old (Master/Slave) names. */
function col(row: Row, ...names: string[]): unknown {
  for (const n of names) if (n in row) return row[n];
  return undefined;
}

interface PrimaryState {
  serverId: number | null;
  mariadb: boolean;
  version: string;
  readOnly: boolean;
  file: string | null;
  position: number | null;
  gtid: string | null;
  binlogSizes: Map<string, number> | null;
}

async function readMysqlPrimary(s: SqlSession): Promise<PrimaryState> {
  const [v] = await s.query<Row>("SELECT @@server_id AS server_id, @@version AS version, @@read_only AS read_only");
  const version = String(v?.version ?? "");
  const mariadb = /mariadb/i.test(version);
  let status: Row | undefined;
  try {
    [status] = await s.query<Row>("SHOW MASTER STATUS");
  } catch (err) {
    if (!(err instanceof ProbeError) || err.reason !== "invalid-response") throw err;
    [status] = await s.query<Row>("SHOW BINARY LOG STATUS"); // MySQL 8.4+
  }
  let gtid: string | null = null;
  if (mariadb) gtid = String((await s.query<Row>("SELECT @@gtid_binlog_pos AS g"))[0]?.g ?? "") || null;
  else gtid = String(status?.Executed_Gtid_Set ?? "").replace(/\s+/g, "") || null;
  let binlogSizes: Map<string, number> | null = null;
  try {
    const logs = await s.query<Row>("SHOW BINARY LOGS");
    binlogSizes = new Map(logs.map((l) => [String(l.Log_name), Number(l.File_size)]));
  } catch {
    binlogSizes = null; // only used for the byte estimate across files
  }
  return {
    serverId: num(v?.server_id),
    mariadb,
    version,
    readOnly: num(v?.read_only) === 1,
    file: status?.File ? String(status.File) : null,
    position: num(status?.Position),
    gtid,
    binlogSizes,
  };
}

interface ReplicaState {
  configured: boolean;
  io: string | null;
  sql: string | null;
  secondsBehind: number | null;
  sourceServerId: number | null;
  sourceHost: string | null;
  sourcePort: number | null;
  execFile: string | null;
  execPos: number | null;
  readFile: string | null;
  readPos: number | null;
  lastIoError: string | null;
  lastSqlError: string | null;
  sqlDelay: number | null;
  usingGtid: string | null;
  gtid: string | null;
  readOnly: boolean;
  superReadOnly: boolean | null;
}

/** SHOW REPLICA STATUS (MySQL 8.0.22+, MariaDB 10.5.1+) or SHOW SLAVE STATUS on older servers. */
async function readMysqlReplica(s: SqlSession, mariadb: boolean | null, primaryServerId: number | null): Promise<ReplicaState> {
  const rows = await replicaStatusRows(s);
  const row = rows.find((r) => primaryServerId !== null && num(col(r, "Source_Server_Id", "Master_Server_Id")) === primaryServerId) ?? rows[0];
  const [v] = await s.query<Row>("SELECT @@version AS version, @@read_only AS read_only");
  const isMaria = mariadb ?? /mariadb/i.test(String(v?.version ?? ""));
  let gtid: string | null = null;
  let superReadOnly: boolean | null = null;
  if (isMaria) {
    gtid = String((await s.query<Row>("SELECT @@gtid_slave_pos AS g"))[0]?.g ?? "") || null;
  } else {
    const [g] = await s.query<Row>("SELECT @@GLOBAL.gtid_executed AS g, @@super_read_only AS sro");
    gtid = String(g?.g ?? "").replace(/\s+/g, "") || null;
    superReadOnly = num(g?.sro) === 1;
  }
  const str = (x: unknown) => (x === null || x === undefined || x === "" ? null : String(x));
  return {
    configured: Boolean(row),
    io: row ? str(col(row, "Replica_IO_Running", "Slave_IO_Running")) : null,
    sql: row ? str(col(row, "Replica_SQL_Running", "Slave_SQL_Running")) : null,
    secondsBehind: row ? num(col(row, "Seconds_Behind_Source", "Seconds_Behind_Master")) : null,
    sourceServerId: row ? num(col(row, "Source_Server_Id", "Master_Server_Id")) : null,
    sourceHost: row ? str(col(row, "Source_Host", "Master_Host")) : null,
    sourcePort: row ? num(col(row, "Source_Port", "Master_Port")) : null,
    execFile: row ? str(col(row, "Relay_Source_Log_File", "Relay_Master_Log_File")) : null,
    execPos: row ? num(col(row, "Exec_Source_Log_Pos", "Exec_Master_Log_Pos")) : null,
    readFile: row ? str(col(row, "Source_Log_File", "Master_Log_File")) : null,
    readPos: row ? num(col(row, "Read_Source_Log_Pos", "Read_Master_Log_Pos")) : null,
    lastIoError: row ? str(col(row, "Last_IO_Error")) : null,
    lastSqlError: row ? str(col(row, "Last_SQL_Error")) : null,
    sqlDelay: row ? num(col(row, "SQL_Delay")) : null,
    usingGtid: row ? str(col(row, "Using_Gtid")) : null,
    gtid,
    readOnly: num(v?.read_only) === 1,
    superReadOnly,
  };
}

/** MariaDB GTID position "0-1-42,1-2-7" -> domain -> seq_no. */
function parseMariaGtid(pos: string | null): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const part of (pos ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
    if (m) out.set(m[1]!, BigInt(m[3]!));
  }
  return out;
}

function binlogIndex(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : NaN;
}

/** Compare the replica's applied position with the primary's: true caught up, false behind, null not comparable. */
async function compare(s: SqlSession, p: PrimaryState, r: ReplicaState): Promise<{ caughtUp: boolean | null; by: MysqlLagEvidence["comparedBy"] }> {
  const samePrimary = p.serverId === null || r.sourceServerId === null || p.serverId === r.sourceServerId;
  if (p.gtid && r.gtid) {
    if (p.mariadb) {
      const want = parseMariaGtid(p.gtid);
      const have = parseMariaGtid(r.gtid);
      let ok = true;
      for (const [domain, seq] of want) if ((have.get(domain) ?? -1n) < seq) ok = false;
      return { caughtUp: ok, by: "gtid" };
    }
    const [row] = await s.query<Row>("SELECT GTID_SUBSET(?, @@GLOBAL.gtid_executed) AS done", [p.gtid]);
    return { caughtUp: num(row?.done) === 1, by: "gtid" };
  }
  if (samePrimary && p.file && p.position !== null && r.execFile && r.execPos !== null) {
    const [pi, ri] = [binlogIndex(p.file), binlogIndex(r.execFile)];
    if (r.execFile === p.file) return { caughtUp: r.execPos >= p.position, by: "binlog-position" };
    if (Number.isFinite(pi) && Number.isFinite(ri)) return { caughtUp: ri > pi, by: "binlog-position" };
  }
  return { caughtUp: null, by: "none" };
}

function bytesBehind(p: PrimaryState, r: ReplicaState): number | null {
  if (!p.file || p.position === null || !r.execFile || r.execPos === null) return null;
  if (p.serverId !== null && r.sourceServerId !== null && p.serverId !== r.sourceServerId) return null;
  if (p.file === r.execFile) return Math.max(0, p.position - r.execPos);
  if (!p.binlogSizes?.has(r.execFile)) return null;
  const names = [...p.binlogSizes.keys()];
  const from = names.indexOf(r.execFile);
  const to = names.indexOf(p.file);
  if (from < 0 || to < from) return null;
  let total = p.binlogSizes.get(r.execFile)! - r.execPos;
  for (let i = from + 1; i < to; i++) total += p.binlogSizes.get(names[i]!)!;
  return Math.max(0, total + p.position);
}

export async function measureMysql(input: LagInput): Promise<LagReading<MysqlLagEvidence>> {
  const { probe } = input;
  const primary = await input.side("primary", () => withMysql(input.primary!, probe, readMysqlPrimary));
  return input.side("standby", () =>
    withMysql(input.standby, probe, async (s): Promise<LagReading<MysqlLagEvidence>> => {
      let r = await readMysqlReplica(s, primary.mariadb, primary.serverId);
      let cmp = await compare(s, primary, r);
      const findings: Finding[] = [];
      const running = r.io === "Yes" && r.sql === "Yes";
      let wait: { reachedAfterMs: number | null; waitedMs: number } | null = null;
      if (r.configured && running && cmp.caughtUp === false) {
        wait = await waitUntil(async () => {
          r = await readMysqlReplica(s, primary.mariadb, primary.serverId);
          cmp = await compare(s, primary, r);
          return cmp.caughtUp === true;
        }, input.waitMs, probe.signal);
      }
      // Applied by GTID (or position) means nothing is missing, whatever non-transaction events
      // (rotations, heartbeats) the binlog positions still differ by: never bytes behind when caught up.
      const bytes = cmp.caughtUp === true ? 0 : bytesBehind(primary, r);
      const evidence: MysqlLagEvidence = {
        primaryServerId: primary.serverId,
        primaryVersion: primary.version,
        primaryBinlog: primary.file ? `${primary.file}:${primary.position}` : null,
        primaryGtid: primary.gtid,
        replicaConfigured: r.configured,
        ioThread: r.io,
        sqlThread: r.sql,
        secondsBehindSource: r.secondsBehind,
        replicaSourceServerId: r.sourceServerId,
        replicaSource: r.sourceHost ? `${r.sourceHost}:${r.sourcePort ?? ""}` : null,
        replicaExecuted: r.execFile ? `${r.execFile}:${r.execPos}` : null,
        replicaRead: r.readFile ? `${r.readFile}:${r.readPos}` : null,
        replicaGtid: r.gtid,
        usingGtid: r.usingGtid,
        sqlDelaySeconds: r.sqlDelay,
        lastIoError: r.lastIoError,
        lastSqlError: r.lastSqlError,
        comparedBy: cmp.by,
        caughtUp: cmp.caughtUp,
        ...(wait ? { waitedMs: Math.round(wait.waitedMs) } : {}),
      };
      const reading = { bytes, findings, evidence };

      if (!r.configured) {
        findings.push({ message: "standby is not a replica: SHOW REPLICA STATUS is empty (replication not configured, or reset after a promotion)", rule: "not-a-replica" });
        return { ...reading, lagMs: null, basis: "not-a-replica", bytes: null };
      }
      if (r.sql !== "Yes") {
        findings.push({
          message: `replica SQL thread is not running (SQL thread: ${r.sql ?? "?"}): nothing received is applied, and Seconds_Behind is NULL, which is not 0${r.lastSqlError ? `; last SQL error: ${r.lastSqlError}` : ""}`,
          rule: "sql-thread-stopped",
        });
      }
      if (r.io !== "Yes") {
        findings.push({
          message: `replica IO thread is not running (IO thread: ${r.io ?? "?"}): the replica receives nothing from the primary${r.lastIoError ? `; last IO error: ${r.lastIoError}` : ""}`,
          rule: "io-thread-stopped",
        });
      }
      if (primary.serverId !== null && r.sourceServerId !== null && r.sourceServerId !== 0 && r.sourceServerId !== primary.serverId) {
        findings.push({
          level: "warn",
          message: `replica replicates from server_id ${r.sourceServerId}, not from the configured primary (server_id ${primary.serverId})`,
          rule: "other-source",
        });
      }
      if (r.sqlDelay) {
        findings.push({ level: "info", message: `delayed replica: SQL_Delay ${r.sqlDelay}s is part of the measured lag`, rule: "delayed-replica" });
      }

      if (cmp.caughtUp === true) {
        // Level with the primary, but a stopped thread receives or applies nothing: no lag can be claimed.
        if (!running) return { ...reading, lagMs: null, basis: "not-replicating" };
        if (wait?.reachedAfterMs != null) return { ...reading, lagMs: wait.reachedAfterMs, basis: "catch-up-wait" };
        return { ...reading, lagMs: 0, basis: "caught-up" };
      }
      const waited = wait?.waitedMs ?? 0;
      if (cmp.caughtUp === false && r.secondsBehind === 0 && running) {
        findings.push({
          level: "warn",
          message: "Seconds_Behind reads 0 but the replica has not applied the primary's current position: the IO thread is behind, and 0 means only that the SQL thread has nothing left to apply",
          rule: "seconds-behind-zero",
        });
      }
      if (r.secondsBehind !== null && r.secondsBehind > 0 && running) {
        return { ...reading, lagMs: Math.max(r.secondsBehind * 1000, waited), basis: "seconds-behind" };
      }
      if (waited > 0) return { ...reading, lagMs: waited, atLeast: true, basis: "catch-up-wait" };
      return { ...reading, lagMs: null, basis: "unknown" };
    }),
  );
}
