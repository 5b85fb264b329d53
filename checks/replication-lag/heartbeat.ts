// Heartbeat lag, for PostgreSQL and MySQL/MariaDB alike: a row holding a timestamp is updated on
// the primary and read on the standby. The check's own row (epoch ms), or pt-heartbeat's table.
//  - write: true  (opt-in): the check writes the row itself, then polls the standby until the new
//    value is visible. The lag is that delay on one monotonic clock: no clock skew involved.
//  - write: false (default, read-only): another writer (a cron job, a sidecar) updates the row;
//    lag = now - ts on the standby, less the clock-skew allowance between writer and checker.
import { formatDuration } from "../../src/core/duration.js";
import { ProbeError, type Finding } from "../../src/kit/index.js";
import { withMysql } from "../../src/probes/mysql.js";
import { withPostgres, type SqlSession } from "../../src/probes/postgres.js";
import type { ProbeOptions } from "../../src/probes/target.js";
import type { HeartbeatEvidence } from "./evidence.js";
import { num, waitUntil, type HeartbeatSettings, type LagInput, type LagReading } from "./measure.js";
import { MISSING_COLUMN, PtHeartbeatTable, type Dialect } from "./pt-heartbeat.js";

function dialectOf(url: string): Dialect | null {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  if (/^(mysql|mariadb):\/\//i.test(url)) return "mysql";
  return null;
}

function withSql<T>(dialect: Dialect, url: string, probe: ProbeOptions, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  return dialect === "postgres" ? withPostgres(url, probe, fn) : withMysql(url, probe, fn);
}

/** The table name was validated by the options schema (identifiers only); quote each part. */
function quoted(dialect: Dialect, table: string): string {
  const q = dialect === "postgres" ? '"' : "`";
  return table.split(".").map((p) => `${q}${p}${q}`).join(".");
}

function sql(dialect: Dialect, table: string) {
  const t = quoted(dialect, table);
  const ph = (n: number) => (dialect === "postgres" ? `$${n}` : "?");
  return {
    create: `CREATE TABLE IF NOT EXISTS ${t} (id VARCHAR(128) NOT NULL PRIMARY KEY, ts_ms BIGINT NOT NULL)`,
    upsert:
      dialect === "postgres"
        ? `INSERT INTO ${t} (id, ts_ms) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET ts_ms = EXCLUDED.ts_ms`
        : `INSERT INTO ${t} (id, ts_ms) VALUES (?, ?) ON DUPLICATE KEY UPDATE ts_ms = VALUES(ts_ms)`,
    read: `SELECT ts_ms FROM ${t} WHERE id = ${ph(1)}`,
  };
}

const MISSING_TABLE = new Set(["42P01", "ER_NO_SUCH_TABLE", "3F000", "ER_BAD_DB_ERROR"]);

/** A missing table (or pt-heartbeat column) as the check's words (what creates it), else the error itself. */
function missingTable(err: unknown, hb: HeartbeatSettings): unknown {
  if (!(err instanceof ProbeError) || !err.code) return err;
  if (hb.format === "pt-heartbeat" && MISSING_COLUMN.has(err.code)) {
    return new ProbeError("invalid-response", `heartbeat table ${hb.table} is not pt-heartbeat's: it has neither ts and server_id nor the legacy id and ts`, { code: err.code });
  }
  if (!MISSING_TABLE.has(err.code)) return err;
  const create = hb.format === "pt-heartbeat" ? "pt-heartbeat --update --create-table on the primary creates it" : "create it, or let the check create it with heartbeat.write: true";
  return new ProbeError("invalid-response", `heartbeat table ${hb.table} not found: ${create}`, { code: err.code });
}

async function readTs(s: SqlSession, q: ReturnType<typeof sql>, hb: HeartbeatSettings, missingTableIsNull = false): Promise<number | null> {
  try {
    const [row] = await s.query<{ ts_ms: unknown }>(q.read, [hb.id]);
    return row ? num(row.ts_ms) : null;
  } catch (err) {
    // Just created on the primary (write mode): not replicated yet.
    if (missingTableIsNull && err instanceof ProbeError && err.code && MISSING_TABLE.has(err.code)) return null;
    throw missingTable(err, hb);
  }
}

/** Where the read-only heartbeat comes from: the check's own row, or pt-heartbeat's table. */
interface BeatSource {
  /** "heartbeat row 'beat'", "pt-heartbeat row for server_id 1" */
  readonly rowName: string;
  /** Called in the primary's session before its read. */
  learnFromPrimary(s: SqlSession): Promise<void>;
  /** The beat (epoch ms) on that side; null when the row is missing. */
  read(s: SqlSession, side: "primary" | "standby"): Promise<number | null>;
  /** Why the standby has no row. */
  missing(s: SqlSession): Promise<string>;
}

function beatSource(dialect: Dialect, q: ReturnType<typeof sql>, hb: HeartbeatSettings, evidence: HeartbeatEvidence): BeatSource {
  if (hb.format !== "pt-heartbeat") {
    return {
      rowName: `heartbeat row '${hb.id}'`,
      learnFromPrimary: async () => undefined,
      read: (s) => readTs(s, q, hb),
      missing: async () => `no heartbeat row '${hb.id}' in ${hb.table}`,
    };
  }
  const pt = new PtHeartbeatTable(dialect, quoted(dialect, hb.table), hb.table, { serverId: hb.serverId, timeZone: hb.timeZone });
  evidence.ptHeartbeat = pt.evidence;
  const guard = <T>(p: Promise<T>) => p.catch((err: unknown) => Promise.reject(missingTable(err, hb)));
  return {
    get rowName() {
      return pt.rowName;
    },
    learnFromPrimary: (s) => pt.learnFromPrimary(s),
    read: async (s, side) => (await guard(pt.read(s, side)))?.tsMs ?? null,
    missing: (s) => guard(pt.missing(s)),
  };
}

export async function measureHeartbeat(input: LagInput, hb: HeartbeatSettings): Promise<LagReading<HeartbeatEvidence>> {
  const dialect = dialectOf(input.standby);
  if (!dialect || (input.primary && dialectOf(input.primary) !== dialect)) {
    throw new ProbeError("error", "heartbeat needs postgres:// or mysql:// connection strings of the same engine on both sides");
  }
  const q = sql(dialect, hb.table);
  const { probe } = input;
  const findings: Finding[] = [];
  const evidence: HeartbeatEvidence = { heartbeatFormat: hb.format, heartbeatTable: hb.table, heartbeatId: hb.id, heartbeatWrite: hb.write, clockSkewMs: hb.clockSkewMs };

  if (hb.write) {
    const written = input.now().getTime();
    // The options require primary with heartbeat.write.
    await input.side("primary", () =>
      withSql(dialect, input.primary!, probe, async (s) => {
        await s.query(q.create);
        await s.query(q.upsert, [hb.id, written]);
      }),
    );
    evidence.wroteTs = new Date(written).toISOString();
    return input.side("standby", () =>
      withSql(dialect, input.standby, probe, async (s): Promise<LagReading<HeartbeatEvidence>> => {
        let seen: number | null = null;
        const wait = await waitUntil(async () => {
          seen = await readTs(s, q, hb, true);
          return seen !== null && seen >= written;
        }, input.waitMs, probe.signal);
        const seenTs = seen as number | null;
        evidence.standbyTs = seenTs === null ? null : new Date(seenTs).toISOString();
        evidence.waitedMs = Math.round(wait.waitedMs);
        if (wait.reachedAfterMs !== null) return { lagMs: wait.reachedAfterMs, basis: "heartbeat-write", bytes: null, findings, evidence };
        return { lagMs: wait.waitedMs, atLeast: true, basis: "heartbeat-write", bytes: null, findings, evidence };
      }),
    );
  }

  const source = beatSource(dialect, q, hb, evidence);
  const now = input.now().getTime();
  /** The primary's last beat when its writer has stopped: the standby's beat then tells no lag. */
  let stalePrimary: number | null = null;
  if (input.primary) {
    // Read-only: is the writer alive? A stale primary row makes every standby reading stale too.
    const pts = await input.side("primary", () =>
      withSql(dialect, input.primary!, probe, async (s) => {
        await source.learnFromPrimary(s);
        return source.read(s, "primary");
      }),
    );
    evidence.primaryTs = pts === null ? null : new Date(pts).toISOString();
    if (pts === null) {
      findings.push({ level: "warn", message: `no ${source.rowName} on the primary: nothing writes the heartbeat`, rule: "heartbeat-writer" });
    } else if (now - pts > hb.clockSkewMs + 5_000) {
      stalePrimary = pts;
      findings.push({
        level: "warn",
        message: `the primary's heartbeat is ${formatDuration(now - pts)} old: its writer is not running, so the heartbeat read on the standby is no measure of its lag`,
        rule: "heartbeat-writer",
      });
    }
  }
  const ts = await input.side("standby", () =>
    withSql(dialect, input.standby, probe, async (s) => {
      const got = await source.read(s, "standby");
      if (got === null) throw new ProbeError("invalid-response", await source.missing(s));
      return got;
    }),
  );
  evidence.standbyTs = new Date(ts).toISOString();
  if (evidence.ptHeartbeat) evidence.heartbeatId = evidence.ptHeartbeat.legacyTable ? "id 1" : `server_id ${evidence.ptHeartbeat.serverId}`;
  const raw = now - ts;
  evidence.rawLagMs = raw;
  if (raw < -hb.clockSkewMs) {
    findings.push({ level: "warn", message: `the standby's heartbeat is ${formatDuration(-raw)} in the future: clocks differ by more than the ${formatDuration(hb.clockSkewMs)} allowance`, rule: "clock-skew" });
  }
  if (stalePrimary !== null) {
    // The writer stopped: now - ts is the age of the last beat, no longer the lag. A standby that
    // has the primary's last beat is at most that far behind (an upper bound: a pass when within
    // the limit, nothing to claim past it); one without it misses a write made at that beat, so
    // it is at least now - that beat behind (a lower bound: a failure past the limit).
    if (ts >= stalePrimary) return { lagMs: Math.max(0, raw - hb.clockSkewMs), atMost: true, basis: "heartbeat-read", bytes: null, findings, evidence };
    return { lagMs: Math.max(0, now - stalePrimary - hb.clockSkewMs), atLeast: true, basis: "heartbeat-read", bytes: null, findings, evidence };
  }
  return { lagMs: Math.max(0, raw - hb.clockSkewMs), basis: "heartbeat-read", bytes: null, findings, evidence };
}
