// Percona's pt-heartbeat table as the heartbeat: one row per writing server, keyed by server_id
//   CREATE TABLE heartbeat (ts varchar(26) NOT NULL, server_id int unsigned NOT NULL PRIMARY KEY,
//     file varchar(255), position bigint unsigned, relay_master_log_file varchar(255),
//     exec_master_log_pos bigint unsigned)
// `pt-heartbeat --update` on the primary rewrites its row every --interval; the row to read is
// the primary's server_id: configured, else the primary's @@server_id, else the server id the
// standby replicates from (what `pt-heartbeat --monitor` itself looks up). pt-heartbeat still
// runs on its legacy table (id int PRIMARY KEY, ts datetime), one row id = 1 for the hierarchy.
import { ProbeError } from "../../src/kit/index.js";
import { replicaStatusRows } from "../../src/probes/mysql.js";
import type { SqlSession } from "../../src/probes/postgres.js";
import type { PtHeartbeatEvidence } from "./evidence.js";
import { num } from "./measure.js";
import { parsePtTs } from "./pt-ts.js";

export type Dialect = "postgres" | "mysql";

export interface PtSettings {
  serverId: number | undefined;
  timeZone: string;
}

/** What one side's row held: the parsed beat and the raw ts. */
export interface PtRow {
  tsMs: number;
  raw: string;
}

/** A column the statement names is not in the table. */
export const MISSING_COLUMN = new Set(["42703", "ER_BAD_FIELD_ERROR"]);
const missingColumn = (err: unknown) => err instanceof ProbeError && err.code !== undefined && MISSING_COLUMN.has(err.code);

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

/**
 * Reads the pt-heartbeat row of the primary's server_id on either side. The server_id is found
 * once (the first session that can tell it) and kept for the other side.
 */
export class PtHeartbeatTable {
  readonly evidence: PtHeartbeatEvidence;
  constructor(
    private readonly dialect: Dialect,
    /** Quoted table name. */
    private readonly table: string,
    /** The table name as configured, for messages. */
    private readonly name: string,
    settings: PtSettings,
  ) {
    this.evidence = { serverId: settings.serverId ?? null, serverIdFrom: settings.serverId === undefined ? null : "option", timeZone: settings.timeZone };
  }

  private get zone(): string {
    return this.evidence.timeZone;
  }

  /** "pt-heartbeat row for server_id 1" once known. */
  get rowName(): string {
    if (this.evidence.legacyTable) return "pt-heartbeat row id 1 (legacy table)";
    return `pt-heartbeat row for server_id ${this.evidence.serverId ?? "?"}`;
  }

  /**
   * server_id table, or the legacy (id, ts) one: found once, from the columns the table has. A
   * table with neither fails with the missing column (the caller names what is missing).
   */
  private async legacy(s: SqlSession): Promise<boolean> {
    if (this.evidence.legacyTable !== undefined) return this.evidence.legacyTable;
    try {
      await s.query(`SELECT server_id, ts FROM ${this.table} WHERE 1 = 0`);
      this.evidence.legacyTable = false;
    } catch (err) {
      if (!missingColumn(err)) throw err;
      await s.query(`SELECT id, ts FROM ${this.table} WHERE 1 = 0`);
      this.evidence.legacyTable = true;
      // One row for the whole hierarchy: no server id picks it.
      this.evidence.serverId = null;
      this.evidence.serverIdFrom = null;
    }
    return this.evidence.legacyTable;
  }

  /** The primary's own server_id (MySQL/MariaDB): the row its pt-heartbeat --update writes. */
  async learnFromPrimary(s: SqlSession): Promise<void> {
    if (this.evidence.serverId !== null || this.dialect !== "mysql") return;
    const [row] = await s.query<{ server_id: unknown }>("SELECT @@server_id AS server_id");
    const id = num(row?.server_id);
    if (id === null) throw new ProbeError("invalid-response", "no @@server_id in the primary's reply");
    this.evidence.serverId = id;
    this.evidence.serverIdFrom = "primary";
  }

  /** Without a primary: the server id the standby replicates from (SHOW REPLICA STATUS). */
  private async learnFromStandby(s: SqlSession): Promise<number> {
    if (this.evidence.serverId !== null) return this.evidence.serverId;
    if (this.dialect !== "mysql") {
      throw new ProbeError("error", "heartbeat.format pt-heartbeat on PostgreSQL needs heartbeat.serverId: the server_id of the row the primary's writer updates");
    }
    const rows = await replicaStatusRows(s);
    const ids = [...new Set(rows.map((r) => num(r.Source_Server_Id ?? r.Master_Server_Id)).filter((n): n is number => n !== null && n > 0))];
    if (ids.length !== 1) {
      const why = rows.length === 0 ? "the standby is not a replica (SHOW REPLICA STATUS is empty)" : ids.length === 0 ? "the standby has not connected to its source yet (no Master_Server_Id)" : `the standby replicates from ${ids.length} sources (server ids ${ids.join(", ")})`;
      throw new ProbeError("invalid-response", `cannot tell which pt-heartbeat row is the primary's: ${why}; set primary or heartbeat.serverId`);
    }
    this.evidence.serverId = ids[0]!;
    this.evidence.serverIdFrom = "standby-source";
    return ids[0]!;
  }

  /**
   * The beat on this side: null when there is no row for the server_id; a ts that is not
   * pt-heartbeat's timestamp is an invalid response, never a beat.
   */
  async read(s: SqlSession, side: "primary" | "standby"): Promise<PtRow | null> {
    const legacy = await this.legacy(s);
    const id = legacy ? 1 : side === "standby" ? await this.learnFromStandby(s) : this.evidence.serverId;
    if (id === null) throw new ProbeError("error", "no server_id for the pt-heartbeat row: set heartbeat.serverId");
    const text = this.dialect === "postgres" ? "CAST(ts AS text)" : "CAST(ts AS CHAR)";
    const ph = this.dialect === "postgres" ? "$1" : "?";
    const rows = await s.query<Record<string, unknown>>(`SELECT ${text} AS pt_ts_text, t.* FROM ${this.table} t WHERE ${legacy ? "id" : "server_id"} = ${ph} LIMIT 2`, [id]);
    const [row] = rows;
    if (!row) return null;
    const tsText = (r: Record<string, unknown>) => (r.pt_ts_text === null || r.pt_ts_text === undefined ? "" : String(r.pt_ts_text));
    const raw = tsText(row);
    // A table without pt-heartbeat's primary key can hold the id twice: which beat is the
    // writer's cannot be told (the database returns either first), so neither is read.
    if (rows.length > 1 && tsText(rows[1]!) !== raw) {
      throw new ProbeError("invalid-response", `${this.name} holds the ${this.rowName} more than once, with different ts ('${clip(raw)}', '${clip(tsText(rows[1]!))}'): which is the writer's cannot be told`);
    }
    const tsMs = parsePtTs(raw, this.zone);
    if (side === "standby") {
      this.evidence.standbyRawTs = clip(raw);
      this.evidence.standbyRow = {
        file: row.file == null ? null : clip(String(row.file)),
        position: num(row.position),
        relayMasterLogFile: row.relay_master_log_file == null ? null : clip(String(row.relay_master_log_file)),
        execMasterLogPos: num(row.exec_master_log_pos),
      };
    } else this.evidence.primaryRawTs = clip(raw);
    if (tsMs === null) {
      throw new ProbeError("invalid-response", `ts '${clip(raw)}' of the ${this.rowName} in ${this.name} is not pt-heartbeat's timestamp (like 2026-12-03T07:20:01.000950)`);
    }
    return { tsMs, raw };
  }

  /** Why the standby has no row: the keys there (at most 10) and where the check took its own. */
  async missing(s: SqlSession): Promise<string> {
    const key = this.evidence.legacyTable ? "id" : "server_id";
    const rows = await s.query<Record<string, unknown>>(`SELECT ${key} AS k FROM ${this.table} ORDER BY ${key} LIMIT 10`);
    const keys = rows.map((r) => num(r.k)).filter((n): n is number => n !== null);
    const there = keys.length ? `rows there: ${key} ${keys.join(", ")}` : "the table is empty";
    if (this.evidence.legacyTable) return `no ${this.rowName} in ${this.name} (${there}): is pt-heartbeat --update running on the primary?`;
    const from = { option: "heartbeat.serverId", primary: "the primary's @@server_id", "standby-source": "the server id the standby replicates from" }[this.evidence.serverIdFrom ?? "option"];
    return `no ${this.rowName} in ${this.name} (${there}); ${from} is ${this.evidence.serverId}: is pt-heartbeat --update running on the primary?`;
  }
}
