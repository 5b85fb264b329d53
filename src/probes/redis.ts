// Redis probe on `ioredis`, loaded on first use only. One session: connect with a deadline (no
// retries, no offline queue), run the caller's read-only commands, always disconnect; the
// check's signal disconnects at once. Failures become ProbeErrors scrubbed of the password.
import { ByteCap, MiB } from "./byte-cap.js";
import { formatDuration } from "../core/duration.js";
import { ProbeError } from "./errors.js";
import { driverNetworkError, closeOnAbort, describeTarget, readDriverError, type ProbeOptions } from "./target.js";

/**
 * Bytes read from one connection. INFO, ROLE and a heartbeat GET are kilobytes. Small because
 * the decoder multiplies: an array of empty arrays is 4 bytes on the wire and an object each
 * (~30x in memory; 16 MiB of them took a scan to 529 MB).
 */
export const REDIS_MAX_REPLY_BYTES = 1 * MiB;

export interface RedisSession {
  /** Run one command; the raw reply (strings, numbers, arrays). */
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  /** INFO <section> parsed to key -> value. */
  info(section: string): Promise<Record<string, string>>;
  readonly target: string;
}

type IoRedisModule = typeof import("ioredis");
type RedisCtor = IoRedisModule["Redis"];
let loaded: Promise<RedisCtor> | null = null;
async function loadRedis(): Promise<RedisCtor> {
  loaded ??= import("ioredis").then((m) => {
    const mod = m as unknown as { Redis?: RedisCtor; default?: RedisCtor & { Redis?: RedisCtor } };
    return (mod.Redis ?? mod.default?.Redis ?? mod.default) as RedisCtor;
  });
  return loaded;
}

export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    const at = line.indexOf(":");
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return out;
}

export async function withRedis<T>(url: string, opts: ProbeOptions, fn: (session: RedisSession) => Promise<T>): Promise<T> {
  const where = describeTarget(url);
  if (!/^rediss?:\/\//i.test(url)) throw new ProbeError("error", `${where}: expected a redis:// or rediss:// connection string`);
  const Redis = await loadRedis();
  let lastError: unknown = null;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: opts.timeoutMs,
    commandTimeout: opts.timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResubscribe: false,
    connectionName: "standby",
    // disconnect() arms a timer (default 2 s) that only the stream's "close" clears; when the
    // stream had closed already (a refused connection) it held the process for those 2 s.
    disconnectTimeout: 0,
  });
  client.on("error", (err: unknown) => {
    lastError = err;
  });
  // ioredis creates its socket on connect(): follow() watches it from the moment it exists.
  const cap = new ByteCap({ limit: opts.maxReplyBytes ?? REDIS_MAX_REPLY_BYTES, what: `reply from ${where}`, per: "connection" });
  cap.follow(client, "stream");
  // disconnect() only half-closes (FIN): against a server that never answers, the socket then
  // held the process open for seconds after the check had ended. Destroy the stream as well.
  const close = (): void => {
    client.disconnect(false);
    (client as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  };
  try {
    return await closeOnAbort(opts.signal, close, () => cap.race(run()));
  } catch (err) {
    // The cap's error first: the driver only saw its socket close.
    throw cap.exceeded ?? (err instanceof ProbeError ? err : mapRedisError(lastError ?? err, where, url, opts));
  } finally {
    close();
  }

  async function run(): Promise<T> {
    try {
      await client.connect();
    } catch (err) {
      throw mapRedisError(lastError ?? err, where, url, opts);
    }
    const session: RedisSession = {
      target: where,
      async call(command: string, ...args: (string | number)[]) {
        try {
          return await client.call(command, ...args);
        } catch (err) {
          throw mapRedisError(err, where, url, opts);
        }
      },
      async info(section: string) {
        const text = await session.call("INFO", section);
        if (typeof text !== "string") throw new ProbeError("invalid-response", `${where}: INFO ${section} did not return text`);
        return parseInfo(text);
      },
    };
    return fn(session);
  }
}

export function mapRedisError(err: unknown, where: string, url: string, opts: ProbeOptions): ProbeError {
  const read = readDriverError(err, where, url, opts);
  if (read instanceof ProbeError) return read;
  const { msg, code } = read;
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password/i.test(msg)) {
    return new ProbeError("not-authorized", `${where}: ${msg}`, { code: msg.split(/\s/)[0] });
  }
  const net = driverNetworkError(err, where);
  if (net) return net;
  if (/timed? ?out/i.test(msg)) return new ProbeError("timeout", `${where}: timed out after ${formatDuration(opts.timeoutMs)}`, { code: code ?? "TIMEOUT" });
  if (/Unknown RESP type|Protocol error/i.test(msg)) return new ProbeError("invalid-response", `${where}: the server does not speak the Redis protocol (${msg.replace(/\s*Please report this\.?/, "")})`, { code: "PROTOCOL" });
  if (/Connection is closed|Stream isn't writeable|connection.*(closed|lost)/i.test(msg)) return new ProbeError("unreachable", `${where}: connection closed: ${msg}`, { code: code ?? "CLOSED" });
  if (/^(ERR|LOADING|MASTERDOWN|BUSY)\b/.test(msg)) return new ProbeError(msg.startsWith("LOADING") || msg.startsWith("BUSY") ? "unreachable" : "invalid-response", `${where}: ${msg}`);
  return new ProbeError("error", `${where}: ${msg}`, code ? { code } : {});
}
