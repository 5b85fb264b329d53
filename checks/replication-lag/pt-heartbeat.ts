// Percona's pt-heartbeat table as the heartbeat: one row per writing server, keyed by server_id
//   CREATE TABLE heartbeat (ts varchar(26) NOT NULL, server_id int unsigned NOT NULL PRIMARY KEY,
//     file varchar(255), position bigint unsigned, relay_master_log_file varchar(255),
//     exec_master_log_pos bigint unsigned)
// `pt-heartbeat --update` on the primary rewrites its row every --interval; the row to read is
// the primary's server_id: configured, else the primary's @@server_id, else the server id the
// standby replicates from (what `pt-heartbeat --monitor` itself looks up).
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

  /** "server_id 1" once known. */
  get rowName(): string {
    return `pt-heartbeat row for server_id ${this.evidence.serverId ?? "?"}`;
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
    const id = side === "standby" ? await this.learnFromStandby(s) : this.evidence.serverId;
    if (id === null) throw new ProbeError("error", "no server_id for the pt-heartbeat row: set heartbeat.serverId");
    const text = this.dialect === "postgres" ? "CAST(ts AS text)" : "CAST(ts AS CHAR)";
    const ph = this.dialect === "postgres" ? "$1" : "?";
    const [row] = await s.query<Record<string, unknown>>(`SELECT ${text} AS pt_ts_text, t.* FROM ${this.table} t WHERE server_id = ${ph} LIMIT 1`, [id]);
    if (!row) return null;
    const raw = row.pt_ts_text === null || row.pt_ts_text === undefined ? "" : String(row.pt_ts_text);
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
      throw new ProbeError("invalid-response", `ts '${clip(raw)}' of the pt-heartbeat row for server_id ${id} in ${this.name} is not pt-heartbeat's timestamp (like 2026-12-03T07:20:01.000950)`);
    }
    return { tsMs, raw };
  }

  /** The server ids that have a row (at most 10), for the message when the primary's has none. */
  async present(s: SqlSession): Promise<number[]> {
    const rows = await s.query<{ server_id: unknown }>(`SELECT server_id FROM ${this.table} ORDER BY server_id LIMIT 10`);
    return rows.map((r) => num(r.server_id)).filter((n): n is number => n !== null);
  }
}
