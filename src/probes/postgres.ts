// PostgreSQL probe on `pg`, loaded on first use only (scans that do not touch PostgreSQL never
// load it). One session: connect with a deadline, run the caller's read-only queries, always
// close; the check's signal closes the socket at once. Failures become ProbeErrors whose
// messages name the target without its password and are scrubbed of it.
import { ByteCap, MiB } from "./byte-cap.js";
import { formatDuration } from "../core/duration.js";
import { ProbeError } from "./errors.js";
import { driverNetworkError, closeOnAbort, describeTarget, readDriverError, scrub, type ProbeOptions } from "./target.js";

export interface SqlSession {
  /** Run one statement; rows as plain objects. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** "postgres://app@db1:5432/orders" */
  readonly target: string;
}

/**
 * Bytes read from one connection. The probes' queries return a few short rows. Small because
 * rows multiply: a 12-byte DataRow becomes a row object (~25x in memory).
 */
export const POSTGRES_MAX_REPLY_BYTES = 2 * MiB;

type PgModule = typeof import("pg");
let loaded: Promise<PgModule> | null = null;
async function loadPg(): Promise<PgModule> {
  loaded ??= import("pg").then((m) => ((m as unknown as { default?: PgModule }).default ?? m) as PgModule);
  return loaded;
}

export async function withPostgres<T>(url: string, opts: ProbeOptions, fn: (session: SqlSession) => Promise<T>): Promise<T> {
  const where = describeTarget(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new ProbeError("error", `${where}: expected a postgres:// or postgresql:// connection string`);
  const pg = await loadPg();
  let client: InstanceType<PgModule["Client"]>;
  try {
    client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: opts.timeoutMs,
      query_timeout: opts.timeoutMs,
      application_name: "standby",
    });
  } catch (err) {
    throw new ProbeError("error", `${where}: invalid connection string: ${scrub(String((err as Error)?.message ?? err), url)}`);
  }
  client.on("error", () => undefined); // errors after connect surface through the pending query
  // The socket exists from the constructor on; sslmode replaces it by a TLS socket on connect.
  const cap = new ByteCap({ limit: opts.maxReplyBytes ?? POSTGRES_MAX_REPLY_BYTES, what: `reply from ${where}`, per: "connection" });
  const connection = (client as unknown as { connection?: object }).connection;
  if (connection) cap.follow(connection, "stream");
  const close = () => {
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  try {
    return await closeOnAbort(opts.signal, close, () => cap.race(run()));
  } catch (err) {
    // The cap's error first: the driver only saw its socket close.
    throw cap.exceeded ?? (err instanceof ProbeError ? err : mapPgError(err, where, url, opts));
  } finally {
    if (!cap.exceeded) await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    close();
  }

  async function run(): Promise<T> {
    try {
      await client.connect();
    } catch (err) {
      throw mapPgError(err, where, url, opts);
    }
    const session: SqlSession = {
      target: where,
      async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
        try {
          return (await client.query(sql, params)).rows as R[];
        } catch (err) {
          throw mapPgError(err, where, url, opts);
        }
      },
    };
    return fn(session);
  }
}

/** One query in its own session. */
export async function pgQuery<T = Record<string, unknown>>(url: string, sql: string, params: unknown[], opts: ProbeOptions): Promise<T[]> {
  return withPostgres(url, opts, (s) => s.query<T>(sql, params));
}

const AUTH_CODES = new Set(["28P01", "28000"]);

export function mapPgError(err: unknown, where: string, url: string, opts: ProbeOptions): ProbeError {
  const read = readDriverError(err, where, url, opts);
  if (read instanceof ProbeError) return read;
  const { msg, code } = read;
  if (code && AUTH_CODES.has(code)) return new ProbeError("not-authorized", `${where}: authentication failed: ${msg}`, { code });
  if (code === "42501") return new ProbeError("not-authorized", `${where}: permission denied: ${msg}`, { code });
  if (code === "57P03" || code === "53300" || code === "57P01") return new ProbeError("unreachable", `${where}: not accepting connections: ${msg}`, { code });
  const net = driverNetworkError(err, where);
  if (net) return net;
  if (/timeout|timed out/i.test(msg)) return new ProbeError("timeout", `${where}: timed out after ${formatDuration(opts.timeoutMs)} (${msg})`, { code: code ?? "TIMEOUT" });
  if (/received invalid response/i.test(msg)) return new ProbeError("invalid-response", `${where}: the server does not speak the PostgreSQL protocol (${msg})`, { code: "PROTOCOL" });
  if (/Connection terminated|ended unexpectedly|server closed the connection/i.test(msg)) {
    return new ProbeError("unreachable", `${where}: connection closed by the server: ${msg}`, code ? { code } : {});
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) return new ProbeError("invalid-response", `${where}: ${msg} (SQLSTATE ${code})`, { code });
  return new ProbeError("error", `${where}: ${msg}`, code ? { code } : {});
}
