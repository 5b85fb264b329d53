// What a split-brain result carries: every node's answer (or why it gave none), and what the
// sentinels said.
import type { Undecided } from "../../src/kit/index.js";

export type NodeRoleName = "primary" | "replica" | "read-only" | "sentinel";

export interface PostgresNodeDetail {
  inRecovery: boolean;
  /** Not a fence: any session can turn it off. */
  defaultTransactionReadOnly: boolean;
  /** pg_stat_wal_receiver status (streaming, ...); null without a receiver. */
  walReceiver: string | null;
  /** Rows in pg_stat_replication. */
  streamingReplicas: number;
}

export interface MysqlNodeDetail {
  readOnly: boolean;
  /** MySQL only (null on MariaDB): read_only=1 alone still lets SUPER users write. */
  superReadOnly: boolean | null;
  ioThread: string | null;
  sqlThread: string | null;
  version: string;
}

export interface RedisNodeDetail {
  /** ROLE's first element: master, slave, sentinel. */
  role: string;
  offset?: number;
  /** master: how many replicas ROLE lists. */
  replicas?: number;
  /** slave: ROLE's link state (connect, connecting, sync, connected). */
  linkState?: string | null;
  replicaReadOnly?: boolean;
  masterLinkStatus?: string | null;
}

export type NodeDetail = PostgresNodeDetail | MysqlNodeDetail | RedisNodeDetail;

export interface NodeEvidence {
  /** primary, standby, or the name given under `nodes`. */
  name: string;
  /** host:port */
  target: string;
  role?: NodeRoleName;
  writable?: boolean;
  /** host:port the node replicates from, when it says. */
  upstream?: string | null;
  /** The engine's raw readings. */
  detail?: NodeDetail;
  /** Set when the node could not be asked: it may still accept writes. */
  unanswered?: Undecided;
}

export interface SentinelEvidence {
  /** host:port of the sentinel. */
  sentinel: string;
  /** host:port it sends writes to; null when it does not know the master name or was not asked. */
  master: string | null;
  unanswered?: Undecided;
}

export interface SplitBrainEvidence {
  nodes: NodeEvidence[];
  /** With `sentinels`. */
  sentinels?: SentinelEvidence[];
}
