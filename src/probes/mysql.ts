// MySQL/MariaDB probe on `mysql2`, loaded on first use only. One session: connect with a
// deadline, run the caller's read-only queries, always close; the check's signal destroys the
// socket at once. Failures become ProbeErrors scrubbed of the connection string's password.
import { ByteCap, MiB } from "./byte-cap.js";
import { formatDuration } from "../core/duration.js";
import { ProbeError } from "./errors.js";
import { driverNetworkError, closeOnAbort, describeTarget, readDriverError, type ProbeOptions } from "./target.js";
import type { SqlSession } from "./postgres.js";

/**
 * Bytes read from one connection. The probes' queries return a few rows (SHOW BINARY LOGS: one
 * per binlog file). Small because rows multiply: a 5-byte row packet becomes a row object (~25x).
 */
export const MYSQL_MAX_REPLY_BYTES = 2 * MiB;

// The callback API: its createConnection returns the connection at once, so an abort during the
// handshake can destroy the socket (the promise API hands it over only after the handshake, and a
// server that never answers then held the process open until connectTimeout).
type MysqlModule = typeof import("mysql2");
let loaded: Promise<MysqlModule> | null = null;
async function loadMysql(): Promise<MysqlModule> {
  loaded ??= import("mysql2").then((m) => ((m as unknown as { default?: MysqlModule }).default ?? m) as MysqlModule);
  return loaded;
}

export async function withMysql<T>(url: string, opts: ProbeOptions, fn: (session: SqlSession) => Promise<T>): Promise<T> {
  const where = describeTarget(url);
  if (!/^(mysql|mariadb):\/\//i.test(url)) throw new ProbeError("error", `${where}: expected a mysql:// or mariadb:// connection string`);
  const mysql = await loadMysql();
  const uri = url.replace(/^mariadb:/i, "mysql:");
  type Raw = ReturnType<MysqlModule["createConnection"]>;
  type Conn = ReturnType<Raw["promise"]>;
  let raw: Raw | null = null;
  let conn: Conn | null = null;
  // mysql2's destroy() only half-closes (FIN); against a server that never reads, the socket then
  // stayed and held the process. Destroy the stream as well.
  const close = (): void => {
    raw?.destroy();
    (raw as unknown as { stream?: { destroy?: () => void } } | null)?.stream?.destroy?.();
    // mysql2 clears a query's timer only when the query ends: after its socket was destroyed
    // mid-reply (the read cap) the timer stayed armed and held the process for the query timeout.
    const cmd = (raw as unknown as { _command?: { queryTimeout?: NodeJS.Timeout | null } } | null)?._command;
    if (cmd?.queryTimeout) {
      clearTimeout(cmd.queryTimeout);
      cmd.queryTimeout = null;
    }
  };
  // The server speaks first (its greeting): watch the socket from its creation on, and the TLS
  // socket mysql2 puts in its place after STARTTLS.
  const cap = new ByteCap({ limit: opts.maxReplyBytes ?? MYSQL_MAX_REPLY_BYTES, what: `reply from ${where}`, per: "connection" });
  try {
    return await closeOnAbort(opts.signal, close, () => cap.race(run()));
  } catch (err) {
    // The cap's error first: the driver only saw its socket close.
    throw cap.exceeded ?? (err instanceof ProbeError ? err : mapMysqlError(err, where, url, opts));
  } finally {
    const c = conn as Conn | null;
    if (c && !cap.exceeded) await Promise.race([c.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    close();
  }

  async function run(): Promise<T> {
    try {
      const r = mysql.createConnection({ uri, connectTimeout: opts.timeoutMs, supportBigNumbers: true, dateStrings: true, multipleStatements: false });
      raw = r;
      cap.follow(r, "stream");
      r.on("error", () => undefined); // a late error event must never be unhandled
      await new Promise<void>((resolve, reject) => {
        r.once("connect", () => resolve());
        r.once("error", reject);
      });
      conn = r.promise();
    } catch (err) {
      throw mapMysqlError(err, where, url, opts);
    }
    const c = conn;
    const session: SqlSession = {
      target: where,
      async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
        try {
          const [rows] = await c.query({ sql, timeout: opts.timeoutMs }, params);
          return (Array.isArray(rows) ? rows : []) as R[];
        } catch (err) {
          throw mapMysqlError(err, where, url, opts);
        }
      },
    };
    return fn(session);
  }
}

const AUTH = new Set([
  "ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR", "ER_SPECIFIC_ACCESS_DENIED_ERROR", "ER_TABLEACCESS_DENIED_ERROR",
  "ER_ACCESS_DENIED_NO_PASSWORD_ERROR", "ER_COLUMNACCESS_DENIED_ERROR", "ER_HOST_NOT_PRIVILEGED", "ER_PROCACCESS_DENIED_ERROR",
]);

export function mapMysqlError(err: unknown, where: string, url: string, opts: ProbeOptions): ProbeError {
  const read = readDriverError(err, where, url, opts);
  if (read instanceof ProbeError) return read;
  const { msg, code } = read;
  if (code && AUTH.has(code)) return new ProbeError("not-authorized", `${where}: ${msg}`, { code });
  if (code === "ER_CON_COUNT_ERROR" || code === "ER_SERVER_SHUTDOWN") return new ProbeError("unreachable", `${where}: ${msg}`, { code });
  const net = driverNetworkError(err, where);
  if (net) return net;
  if (/timeout|timed out/i.test(msg)) return new ProbeError("timeout", `${where}: timed out after ${formatDuration(opts.timeoutMs)} (${msg})`, { code: code ?? "TIMEOUT" });
  if (code === "PROTOCOL_CONNECTION_LOST" || /closed state|connection lost/i.test(msg)) return new ProbeError("unreachable", `${where}: connection lost: ${msg}`, { code: code ?? "CONNECTION_LOST" });
  if (code && code.startsWith("ER_")) return new ProbeError("invalid-response", `${where}: ${msg}`, { code });
  return new ProbeError("error", `${where}: ${msg}`, code ? { code } : {});
}

/** SHOW REPLICA STATUS, or SHOW SLAVE STATUS on servers older than MySQL 8.0.22 / MariaDB 10.5.1. */
export async function replicaStatusRows(s: SqlSession): Promise<Array<Record<string, unknown>>> {
  try {
    return await s.query<Record<string, unknown>>("SHOW REPLICA STATUS");
  } catch (err) {
    if (!(err instanceof ProbeError) || err.reason !== "invalid-response") throw err;
    return s.query<Record<string, unknown>>("SHOW SLAVE STATUS");
  }
}
