// Redis replication lag from offsets. Replica: INFO replication (master_link_status,
// master_last_io_seconds_ago, master_sync_in_progress, slave_repl_offset, master_replid) and
// ROLE (its link state: connect, connecting, handshake, sync, connected; best effort);
// primary: master_repl_offset and its per-replica lines. Byte lag = the offset difference. The
// pitfall: the `lag` field of the primary's slaveN line is the age of the last REPLCONF ACK
// (the replica's heartbeat), not data lag: it stays 0-1 while the replica falls behind.
import { formatDuration } from "../../src/core/duration.js";
import { ProbeError, type Finding } from "../../src/kit/index.js";
import { withRedis, type RedisSession } from "../../src/probes/redis.js";
import type { RedisLagEvidence, RedisReplicaView } from "./evidence.js";
import { num, waitUntil, type LagInput, type LagReading } from "./measure.js";

/** "ip=10.0.0.2,port=6379,state=online,offset=1234,lag=0" -> fields (the primary's view of a replica). */
function parseReplicaLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of line.split(",")) {
    const at = kv.indexOf("=");
    if (at > 0) out[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return out;
}

function primaryView(info: Record<string, string>): RedisReplicaView[] {
  return Object.keys(info)
    .filter((k) => /^slave\d+$/.test(k))
    .map((k) => {
      const f = parseReplicaLine(info[k]!);
      // `lag` renamed on purpose: it is seconds since the replica's last ACK, not data lag.
      return { addr: `${f.ip ?? "?"}:${f.port ?? "?"}`, state: f.state ?? null, offset: num(f.offset), ackAgeSeconds: num(f.lag) };
    });
}

/**
 * INFO replication of a real Redis always has `role`; without it the answer is no replication
 * report at all (a proxy, another server that speaks RESP), and no role can be claimed from it.
 */
async function readReplication(s: RedisSession): Promise<Record<string, string>> {
  const info = await s.info("replication");
  if (info.role === undefined) throw new ProbeError("invalid-response", `${s.target}: INFO replication has no role field: not a Redis replication report`);
  return info;
}

/** Link states before any data flows: the replica has not reached its primary's stream yet. */
const NOT_YET_LINKED = new Set(["connect", "connecting", "handshake"]);

/** The replica's link state from ROLE (["slave", host, port, state, offset]); null when ROLE is refused or odd. */
async function linkState(s: RedisSession): Promise<string | null> {
  try {
    const role = await s.call("ROLE");
    return Array.isArray(role) && role[0] === "slave" && typeof role[3] === "string" ? role[3] : null;
  } catch {
    return null; // an ACL without +role: INFO alone still decides
  }
}

export async function measureRedis(input: LagInput): Promise<LagReading<RedisLagEvidence>> {
  const { probe } = input;
  const p = await input.side("primary", () => withRedis(input.primary!, probe, readReplication));
  const primaryOffset = num(p.master_repl_offset);
  const findings: Finding[] = [];
  if (p.role !== "master") {
    findings.push({ level: "warn", message: `the configured primary is not a master (role: ${p.role ?? "?"}): offsets are compared with what it has itself replicated`, rule: "primary-not-master" });
  }
  return input.side("standby", () =>
    withRedis(input.standby, probe, async (s): Promise<LagReading<RedisLagEvidence>> => {
      let r = await readReplication(s);
      const offset = (x: Record<string, string>) => num(x.slave_repl_offset);
      const sameHistory = (x: Record<string, string>) => !p.master_replid || !x.master_replid || x.master_replid === p.master_replid || x.master_replid2 === p.master_replid;
      const isReplica = r.role === "slave";
      const linkUp = r.master_link_status === "up";
      const syncing = r.master_sync_in_progress === "1";
      const caughtUp = (x: Record<string, string>) => x.role === "slave" && sameHistory(x) && primaryOffset !== null && (offset(x) ?? -1) >= primaryOffset;
      let wait: { reachedAfterMs: number | null; waitedMs: number } | null = null;
      if (isReplica && linkUp && !syncing && sameHistory(r) && !caughtUp(r)) {
        wait = await waitUntil(async () => caughtUp((r = await readReplication(s))), input.waitMs, probe.signal);
      }
      const replicaOffset = offset(r);
      const state = r.role === "slave" ? await linkState(s) : null;
      const follows = r.master_host ? `${r.master_host}:${r.master_port ?? "?"}` : "its primary";
      // From the latest reading: the link may have dropped into a full resync during the wait.
      const fullSync = r.master_sync_in_progress === "1";
      // During a full sync the offset is the pre-sync one and jumps at the end: no byte lag.
      const bytes = primaryOffset !== null && replicaOffset !== null && sameHistory(r) && r.role === "slave" && !fullSync ? Math.max(0, primaryOffset - replicaOffset) : null;
      const evidence: RedisLagEvidence = {
        primaryRole: p.role ?? null,
        primaryReplOffset: primaryOffset,
        primaryReplId: p.master_replid ?? null,
        primaryConnectedReplicas: num(p.connected_slaves),
        primaryReplicaView: primaryView(p),
        standbyRole: r.role ?? null,
        masterHost: r.master_host ?? null,
        masterPort: num(r.master_port),
        masterLinkStatus: r.master_link_status ?? null,
        linkState: state,
        masterLastIoSecondsAgo: num(r.master_last_io_seconds_ago),
        masterLinkDownSinceSeconds: num(r.master_link_down_since_seconds),
        masterSyncInProgress: fullSync,
        standbyReplOffset: replicaOffset,
        standbyReplId: r.master_replid ?? null,
        standbyReadOnly: r.slave_read_only === undefined ? null : r.slave_read_only === "1",
        ...(wait ? { waitedMs: Math.round(wait.waitedMs) } : {}),
      };
      const reading = { bytes, findings, evidence };

      if (r.role !== "slave") {
        findings.push({ message: `standby is not a replica (role: ${r.role ?? "?"}): REPLICAOF NO ONE or a promotion made it a primary`, rule: "not-a-replica" });
        return { ...reading, lagMs: null, basis: "not-a-replica" };
      }
      if (fullSync) {
        // Until the RDB is received and loaded the standby has no complete data set (a fresh one:
        // none). Its replid and offset are still the pre-sync ones (its own random replid on a
        // fresh replica) and the link reads down by design, so "other history" or "receives
        // nothing" would be false: the sync is the one finding, and no lag can be claimed.
        const read = num(r.master_sync_read_bytes);
        const total = num(r.master_sync_total_bytes); // -1: unknown (diskless)
        evidence.masterSyncReadBytes = read;
        evidence.masterSyncTotalBytes = total;
        const progress = read === null ? "" : total !== null && total > 0 ? `, ${read} of ${total} bytes received` : `, ${read} bytes received`;
        findings.push({
          message: `a full sync from the primary is in progress (master_sync_in_progress:1${progress}): the standby has no complete data set until it has received and loaded the primary's snapshot`,
          rule: "sync-in-progress",
        });
        return { ...reading, lagMs: null, basis: "full-sync" };
      }
      const since = num(r.master_link_down_since_seconds);
      const down = r.master_link_status !== "up";
      if (!sameHistory(r) && down && state !== null && NOT_YET_LINKED.has(state)) {
        // A replica that has not reached this primary's stream yet: its replid is its own (a fresh
        // one) or an old primary's. One finding, the fact that it has not synced; "another
        // history" and "link down" would be two readings of the same thing.
        findings.push({
          message: `standby has not synced from the primary: its replication link to ${follows} is ${state === "handshake" ? "stuck in the handshake" : "still connecting"} (ROLE state ${state}, master_link_status:${r.master_link_status ?? "?"}) and the data it holds is not from the primary's replication history (master_replid ${r.master_replid} is not the primary's ${p.master_replid})`,
          rule: "not-synced",
        });
        if (r.slave_read_only === "0") findings.push(writableFinding());
        return { ...reading, lagMs: null, basis: "not-synced" };
      }
      if (!sameHistory(r)) {
        findings.push({ message: `standby's data is not from the primary's replication history (master_replid ${r.master_replid} is not the primary's ${p.master_replid}): it has not synced from this primary, or follows another one`, rule: "other-history" });
      }
      if (down) {
        const facts = [`master_link_status:${r.master_link_status ?? "?"}`, ...(since !== null && since >= 0 ? [`for ${formatDuration(since * 1000)}`] : []), ...(state ? [`ROLE state ${state}`] : [])];
        findings.push({
          message: `replication link to ${follows} is down (${facts.join(", ")}): the standby receives nothing from the primary`,
          rule: "link-down",
        });
      }
      if (r.slave_read_only === "0") findings.push(writableFinding());

      if (caughtUp(r)) {
        // Level with the primary, but with the link down nothing arrives: no lag can be claimed.
        if (down) return { ...reading, lagMs: null, basis: "not-receiving" };
        if (wait?.reachedAfterMs != null) return { ...reading, lagMs: wait.reachedAfterMs, basis: "catch-up-wait" };
        return { ...reading, lagMs: 0, basis: "caught-up" };
      }
      if (down && since !== null && since >= 0 && bytes !== null && bytes > 0) {
        // Everything written since the link went down is missing on the standby.
        return { ...reading, lagMs: since * 1000, basis: "link-down-since" };
      }
      const waited = wait?.waitedMs ?? 0;
      if (waited > 0) return { ...reading, lagMs: waited, atLeast: true, basis: "catch-up-wait" };
      return { ...reading, lagMs: null, basis: "unknown" };
    }),
  );
}

function writableFinding(): Finding {
  return { level: "warn", message: "standby accepts writes (replica-read-only no): writes there diverge from the primary", rule: "replica-writable" };
}
