// PostgreSQL streaming replication lag, measured against the primary's current WAL position.
// Standby: pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(),
// pg_last_xact_replay_timestamp(), pg_is_wal_replay_paused(), pg_stat_wal_receiver.
// Primary: pg_current_wal_lsn(), pg_stat_replication. Byte lag: pg_wal_lsn_diff(primary, x).
// The pitfalls: an idle primary makes now() - pg_last_xact_replay_timestamp() grow although
// nothing is missing (so a standby at the primary's LSN is caught up, full stop); a standby that
// stopped receiving has receive == replay and looks caught up to itself (so compare with the
// primary); after a standby restart the receive LSN starts again at a segment boundary, behind
// the replay LSN (so bytes count from the furthest of the two).
import type { Finding } from "../../src/kit/index.js";
import { ProbeError } from "../../src/kit/index.js";
import { withPostgres, type SqlSession } from "../../src/probes/postgres.js";
import type { PostgresLagEvidence, PostgresReplica } from "./evidence.js";
import { waitUntil, type LagInput, type LagReading } from "./measure.js";

const PRIMARY_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn,
       current_setting('server_version_num')::int AS version,
       (SELECT coalesce(json_agg(json_build_object(
           'applicationName', application_name, 'clientAddr', client_addr::text, 'state', state,
           'sentLsn', sent_lsn::text, 'flushLsn', flush_lsn::text, 'replayLsn', replay_lsn::text,
           'replayLagSeconds', extract(epoch FROM replay_lag)::float8, 'syncState', sync_state)), '[]'::json)
        FROM pg_stat_replication) AS replicas`;

// $1: the primary's current LSN, read just before.
const STANDBY_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       pg_last_wal_receive_lsn()::text AS receive_lsn,
       pg_last_wal_replay_lsn()::text AS replay_lsn,
       pg_last_xact_replay_timestamp() AS replay_ts,
       extract(epoch FROM (clock_timestamp() - pg_last_xact_replay_timestamp()))::float8 AS replay_age_s,
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS paused,
       pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::float8 AS replay_behind,
       pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_receive_lsn())::float8 AS receive_behind,
       (SELECT row_to_json(w) FROM pg_stat_wal_receiver w LIMIT 1) AS receiver`;

interface PrimaryRow {
  in_recovery: boolean;
  lsn: string | null;
  version: number;
  replicas: PostgresReplica[];
}

interface StandbyRow {
  in_recovery: boolean;
  receive_lsn: string | null;
  replay_lsn: string | null;
  replay_ts: Date | null;
  replay_age_s: number | null;
  paused: boolean;
  replay_behind: number | null;
  receive_behind: number | null;
  receiver: Record<string, unknown> | null;
}

export interface WalByteLag {
  /** Not replayed: primary - replay. */
  behind: number | null;
  /** Not on the standby at all: primary - the furthest of receive and replay. */
  notReceived: number | null;
  /** Received, not replayed yet. */
  receivedNotReplayed: number | null;
}

/**
 * Byte lag from the standby's distances to the primary's LSN (pg_wal_lsn_diff(primary, replay)
 * and (primary, receive)). WAL that was replayed was received, whatever the receive LSN says
 * (it restarts at a segment boundary when the standby restarts), so "not received" counts from
 * the furthest position; nothing is behind once the replay reached the primary's position.
 */
export function walByteLag(replayBehind: number | null, receiveBehind: number | null): WalByteLag {
  const furthest = replayBehind === null ? receiveBehind : receiveBehind === null ? replayBehind : Math.min(replayBehind, receiveBehind);
  const behind = replayBehind === null ? null : Math.max(0, replayBehind);
  const notReceived = furthest === null ? null : Math.max(0, furthest);
  return { behind, notReceived, receivedNotReplayed: behind === null || notReceived === null ? null : behind - Math.min(behind, notReceived) };
}

async function readStandby(s: SqlSession, primaryLsn: string): Promise<StandbyRow> {
  const [row] = await s.query<StandbyRow>(STANDBY_SQL, [primaryLsn]);
  if (!row) throw new ProbeError("invalid-response", "no row for the standby's replication state");
  return row;
}

/** The receiver row without conninfo (it names hosts and users; the password is masked but still). */
function receiverEvidence(r: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!r) return null;
  const keep = ["status", "sender_host", "sender_port", "received_tli", "flushed_lsn", "written_lsn", "received_lsn", "latest_end_lsn", "last_msg_receipt_time", "slot_name"];
  const out: Record<string, unknown> = {};
  for (const k of keep) if (k in r) out[k] = r[k];
  return out;
}

export async function measurePostgres(input: LagInput): Promise<LagReading<PostgresLagEvidence>> {
  const { probe } = input;
  const primary = await input.side("primary", () =>
    withPostgres(input.primary!, probe, async (s) => {
      const [row] = await s.query<PrimaryRow>(PRIMARY_SQL);
      if (!row?.lsn) throw new ProbeError("invalid-response", "no current WAL position in the reply");
      return { ...row, lsn: row.lsn };
    }),
  );
  const findings: Finding[] = [];
  if (primary.in_recovery) {
    findings.push({ level: "warn", message: "the configured primary is itself in recovery (a standby): positions are compared with what it has replayed", rule: "primary-in-recovery" });
  }

  return input.side("standby", () =>
    withPostgres(input.standby, probe, async (s): Promise<LagReading<PostgresLagEvidence>> => {
      let st = await readStandby(s, primary.lsn);
      const streaming = st.receiver?.status === "streaming";
      const caughtUpNow = (row: StandbyRow) => row.in_recovery && row.replay_behind !== null && row.replay_behind <= 0;
      let wait: { reachedAfterMs: number | null; waitedMs: number } | null = null;
      if (st.in_recovery && !caughtUpNow(st) && streaming && !st.paused) {
        wait = await waitUntil(async () => caughtUpNow((st = await readStandby(s, primary.lsn))), input.waitMs, probe.signal);
      }

      const wal = walByteLag(st.replay_behind, st.receive_behind);
      const evidence: PostgresLagEvidence = {
        primaryLsn: primary.lsn,
        primaryInRecovery: primary.in_recovery,
        primaryVersion: primary.version,
        primaryReplicas: primary.replicas,
        standbyInRecovery: st.in_recovery,
        receiveLsn: st.receive_lsn,
        replayLsn: st.replay_lsn,
        lastReplayedCommit: st.replay_ts ? st.replay_ts.toISOString() : null,
        lastReplayedCommitAgeSeconds: st.replay_age_s,
        replayPaused: st.paused,
        bytesBehindReceive: wal.notReceived,
        receiveToReplayBytes: wal.receivedNotReplayed,
        walReceiver: receiverEvidence(st.receiver),
        ...(wait ? { waitedMs: Math.round(wait.waitedMs) } : {}),
      };
      const reading = { bytes: wal.behind, findings, evidence };

      if (!st.in_recovery) {
        findings.push({
          message: "standby is not in recovery (pg_is_in_recovery() is false): it was promoted or is a primary, and no longer replays from the primary",
          rule: "standby-not-in-recovery",
        });
        return { ...reading, lagMs: null, basis: "not-a-standby", bytes: null };
      }
      if (!streaming) {
        // Where it stays: the furthest of what it received and replayed.
        const at = st.receive_behind !== null && st.replay_behind !== null && st.receive_behind < st.replay_behind ? st.receive_lsn : (st.replay_lsn ?? st.receive_lsn);
        const status = st.receiver?.status ? `WAL receiver status '${String(st.receiver.status)}'` : "no WAL receiver running (pg_stat_wal_receiver is empty)";
        findings.push({
          message: `standby is not receiving WAL from the primary: ${status}; it stays at LSN ${at ?? "?"} while the primary is at ${primary.lsn}`,
          rule: "not-receiving",
        });
      }
      if (st.paused) {
        findings.push({
          level: "warn",
          message: "WAL replay is paused on the standby (pg_wal_replay_pause()): WAL arrives but is not applied until pg_wal_replay_resume()",
          rule: "replay-paused",
        });
      }

      if (caughtUpNow(st)) {
        // Level with the primary now, but nothing arrives: the next commit is lost at once, so no
        // lag (least of all zero) can be claimed.
        if (!streaming) return { ...reading, lagMs: null, basis: "not-receiving" };
        // At (or past) the primary's position: caught up, however old the last replayed commit is.
        if (wait?.reachedAfterMs != null) return { ...reading, lagMs: wait.reachedAfterMs, basis: "catch-up-wait" };
        return { ...reading, lagMs: 0, basis: "caught-up" };
      }
      // Behind. The oldest missing commit is younger than the last replayed one, so
      // now - pg_last_xact_replay_timestamp() bounds the time lag from above.
      const waited = wait?.waitedMs ?? 0;
      if (st.replay_age_s !== null) return { ...reading, lagMs: Math.max(st.replay_age_s * 1000, waited), basis: "last-replayed-commit" };
      return waited > 0 ? { ...reading, lagMs: waited, atLeast: true, basis: "catch-up-wait" } : { ...reading, lagMs: null, basis: "unknown" };
    }),
  );
}
