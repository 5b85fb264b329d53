// What a replication-lag result carries for drill-down: what the lag was judged by (numbers, in
// ms and bytes), and the raw readings of the engine that measured it. Renderers and the TUI
// import these instead of guessing field names.

export type Engine = "postgres" | "mysql" | "redis" | "heartbeat" | "aws-drs";

/** How the time lag was obtained. */
export type LagBasis =
  /** At (or past) the primary's current position: lag 0, however old the last commit is. */
  | "caught-up"
  /** Reached the primary's position while the check waited: the lag is that wait. */
  | "catch-up-wait"
  /** PostgreSQL: now - pg_last_xact_replay_timestamp(), an upper bound while behind. */
  | "last-replayed-commit"
  /** MySQL: Seconds_Behind_Source while both threads run. */
  | "seconds-behind"
  /** Redis: the time since the replication link went down. */
  | "link-down-since"
  | "heartbeat-write"
  | "heartbeat-read"
  /** Level with the primary for now but receiving (PostgreSQL, Redis) or applying (MySQL) nothing: no lag can be claimed. */
  | "not-receiving"
  | "not-replicating"
  /** Redis: a full sync is in progress, or the replica has not reached the primary's stream. */
  | "full-sync"
  | "not-synced"
  /** AWS DRS: the worst source server's lagDuration. */
  | "drs-lag-duration"
  /** The standby no longer replicates (promoted, reset). */
  | "not-a-standby"
  | "not-a-replica"
  | "unknown";

/** What every result carries: the lag, the byte lag and the limits they were judged by. */
export interface LagJudgement {
  lagBasis: LagBasis;
  /** The standby is at least `lagMs` behind: the true lag may be larger. */
  lagIsLowerBound: boolean;
  /** The standby is at most `lagMs` behind (a heartbeat whose writer stopped): the true lag may be smaller. */
  lagIsUpperBound: boolean;
  /** The time lag in ms; null when none can be claimed. */
  lagMs: number | null;
  /** Fail above this time lag (max, or objectives.rpo). */
  limitMs: number;
  /** Warn from this time lag. */
  warnAtMs: number;
  limitFrom: "max" | "objectives.rpo";
  /**
   * Bytes (WAL, binlog, replication offset) the standby has not applied, counted from the
   * furthest position it has; 0 whenever it is caught up; null when not comparable.
   */
  bytesBehind: number | null;
  /** Fail above this many bytes behind; null when not set. */
  maxBytes: number | null;
}

export interface PostgresReplica {
  applicationName: string | null;
  clientAddr: string | null;
  state: string | null;
  sentLsn: string | null;
  flushLsn: string | null;
  replayLsn: string | null;
  replayLagSeconds: number | null;
  syncState: string | null;
}

export interface PostgresLagEvidence {
  primaryLsn: string;
  primaryInRecovery: boolean;
  primaryVersion: number;
  /** The primary's pg_stat_replication rows. */
  primaryReplicas: PostgresReplica[];
  standbyInRecovery: boolean;
  /**
   * pg_last_wal_receive_lsn(): after a standby restart it starts again at the beginning of a WAL
   * segment and may be behind replayLsn; the byte counts use the furthest of the two.
   */
  receiveLsn: string | null;
  replayLsn: string | null;
  lastReplayedCommit: string | null;
  lastReplayedCommitAgeSeconds: number | null;
  replayPaused: boolean;
  /** WAL the standby does not have at all: from its furthest position (received or replayed) to the primary's. */
  bytesBehindReceive: number | null;
  /** WAL received but not replayed yet. */
  receiveToReplayBytes: number | null;
  /** pg_stat_wal_receiver without conninfo. */
  walReceiver: Record<string, unknown> | null;
  waitedMs?: number;
}

export interface MysqlLagEvidence {
  primaryServerId: number | null;
  primaryVersion: string;
  /** "binlog.000003:1234" */
  primaryBinlog: string | null;
  primaryGtid: string | null;
  replicaConfigured: boolean;
  ioThread: string | null;
  sqlThread: string | null;
  /** Seconds_Behind_Source / _Master: null (NULL) is not 0. */
  secondsBehindSource: number | null;
  replicaSourceServerId: number | null;
  replicaSource: string | null;
  replicaExecuted: string | null;
  replicaRead: string | null;
  replicaGtid: string | null;
  usingGtid: string | null;
  sqlDelaySeconds: number | null;
  lastIoError: string | null;
  lastSqlError: string | null;
  comparedBy: "gtid" | "binlog-position" | "none";
  /** The replica has applied the primary's position; null when not comparable. */
  caughtUp: boolean | null;
  waitedMs?: number;
}

export interface RedisReplicaView {
  addr: string;
  state: string | null;
  offset: number | null;
  /** The `lag` field: seconds since the replica's last ACK, not data lag. */
  ackAgeSeconds: number | null;
}

export interface RedisLagEvidence {
  primaryRole: string | null;
  primaryReplOffset: number | null;
  primaryReplId: string | null;
  primaryConnectedReplicas: number | null;
  primaryReplicaView: RedisReplicaView[];
  standbyRole: string | null;
  masterHost: string | null;
  masterPort: number | null;
  masterLinkStatus: string | null;
  /** ROLE's link state (connect, connecting, handshake, sync, connected); null when ROLE is refused. */
  linkState: string | null;
  masterLastIoSecondsAgo: number | null;
  masterLinkDownSinceSeconds: number | null;
  masterSyncInProgress: boolean;
  masterSyncReadBytes?: number | null;
  /** -1: unknown (diskless sync). */
  masterSyncTotalBytes?: number | null;
  standbyReplOffset: number | null;
  standbyReplId: string | null;
  standbyReadOnly: boolean | null;
  waitedMs?: number;
}

export interface PtHeartbeatEvidence {
  /** The server_id whose row was read; null until known. */
  serverId: number | null;
  /** Where it came from: heartbeat.serverId, the primary's @@server_id, or the standby's source. */
  serverIdFrom: "option" | "primary" | "standby-source" | null;
  /** The zone the ts was read in. */
  timeZone: string;
  /** The legacy (id, ts) table: its one row id = 1, whatever the server. */
  legacyTable?: boolean;
  /** The ts text as stored (cut at 40 characters). */
  primaryRawTs?: string;
  standbyRawTs?: string;
  /** The optional columns of the standby's row: the primary's binlog position at that beat. */
  standbyRow?: { file: string | null; position: number | null; relayMasterLogFile: string | null; execMasterLogPos: number | null };
}

export interface HeartbeatEvidence {
  heartbeatFormat?: "standby" | "pt-heartbeat";
  heartbeatTable: string;
  heartbeatId: string;
  heartbeatWrite: boolean;
  clockSkewMs: number;
  /** write mode: the timestamp written on the primary (ISO). */
  wroteTs?: string;
  primaryTs?: string | null;
  standbyTs?: string | null;
  /** read mode: now - ts on the standby, before the clock-skew allowance. */
  rawLagMs?: number;
  waitedMs?: number;
  /** heartbeat.format pt-heartbeat: which row, and what it held. */
  ptHeartbeat?: PtHeartbeatEvidence;
}

/** With `heartbeat` set on an SQL engine: the heartbeat gives the time lag, the engine the rest. */
export interface WithHeartbeat {
  heartbeat?: HeartbeatEvidence;
  /** The engine's own time lag and basis, when the heartbeat's was used. */
  engineLagMs?: number | null;
  engineBasis?: LagBasis;
}

/** One AWS DRS source server as read (dataReplicationInfo, lifeCycle.lastLaunch). */
export interface DrsServerView {
  sourceServerId: string;
  hostname: string | null;
  tags: Record<string, string>;
  /** dataReplicationInfo.dataReplicationState; null when DRS gave none. */
  state: string | null;
  /** As DRS gave it (ISO 8601), and in ms; lagMs null when absent or not a duration. */
  lagDuration: string | null;
  lagMs: number | null;
  etaDateTime: string | null;
  /** Sums over the replicated disks; null when DRS gave no (or malformed) disks. */
  totalStorageBytes: number | null;
  replicatedStorageBytes: number | null;
  backloggedStorageBytes: number | null;
  /** Backlogged plus not yet replicated bytes. */
  bytesBehind: number | null;
  replicationError: string | null;
  lastSeenByService: string | null;
  replicationDirection: string | null;
  /** The last recovery launch: lastLaunchResult, and lifeCycle.lastLaunch's status and initiation. */
  lastLaunch: { result: string | null; status: string | null; type: string | null; jobId: string | null; initiatedAt: string | null };
}

export interface DrsLagEvidence {
  region: string;
  selectedBy: "ids" | "tags";
  requestedIds?: string[];
  tags?: Record<string, string>;
  /** DescribeSourceServers requests (pages). */
  requests: number;
  /** The selected servers (by id, or carrying the tags). */
  servers: DrsServerView[];
  /** Requested ids DRS did not return. */
  missingIds: string[];
  /** The servers' replication states, sorted. */
  states: string[];
  checkedAt: string;
}

/** The engine's readings, by engine. */
export type EngineEvidence =
  | ({ engine: "postgres" } & PostgresLagEvidence & WithHeartbeat)
  | ({ engine: "mysql" } & MysqlLagEvidence & WithHeartbeat)
  | ({ engine: "redis" } & RedisLagEvidence)
  | ({ engine: "heartbeat" } & HeartbeatEvidence)
  | ({ engine: "aws-drs" } & DrsLagEvidence);

export type ReplicationLagEvidence = LagJudgement & EngineEvidence;
