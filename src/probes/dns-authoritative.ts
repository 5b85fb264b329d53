// Authoritative DNS queries: the TTL a record is *configured* with, read from a server that
// owns the zone (recursion not desired, AA bit required), not the decremented TTL a caching
// resolver hands out. A small client over UDP (TCP when truncated) on the wire format of
// dns-wire.ts. Every failure is a ProbeError with an UnknownReason.
import { createSocket } from "node:dgram";
import { promises as dns } from "node:dns";
import { connect, isIP } from "node:net";
import { randomInt } from "node:crypto";
import { decodeMessage, encodeQuery, normaliseName, type DnsMessage, type ResourceRecord, type RrTypeName, type SoaData } from "./dns-wire.js";
import { ByteCap, KiB } from "./byte-cap.js";
import { abortedError, ProbeError, timedOut } from "./errors.js";
import { describeEndpoint } from "./tcp.js";

export interface DnsServer {
  host: string;
  port: number;
  /** The nameserver's DNS name when it was discovered through NS records. */
  name?: string;
}

/** "10.0.0.2", "10.0.0.2:5353", "ns1.example.net:53", "[2001:db8::1]:53", "2001:db8::1". */
export function parseServer(text: string, defaultPort = 53): DnsServer {
  const t = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  if (isIP(t) === 6) return { host: t, port: defaultPort };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(t);
  if (!m) throw new ProbeError("error", `invalid nameserver ${JSON.stringify(t)} (expected host, host:port or [v6]:port)`);
  return { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
}

export const SERVER_PATTERN = /^(\[[0-9A-Fa-f:.]+\](:\d{1,5})?|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[A-Za-z0-9._-]+(:\d{1,5})?)$/;

export function describeServer(s: DnsServer): string {
  return describeEndpoint(s.host, s.port);
}

// ---- transport ---------------------------------------------------------------------------

export interface QueryOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Recursion desired: false (default) for authoritative questions. */
  rd?: boolean;
  /** Skip UDP and ask over TCP. */
  tcp?: boolean;
  /** Cap on bytes read per query and transport; default DNS_MAX_REPLY_BYTES. */
  maxReplyBytes?: number;
}

export const DEFAULT_DNS_TIMEOUT_MS = 3_000;
/**
 * Bytes read for one query, per transport. One answer is at most 64 KiB (the TCP length prefix,
 * the largest datagram); this leaves room for a few stray ones, and stops a server that sends
 * answers with other ids without end (each is read and dropped, waiting for ours).
 */
export const DNS_MAX_REPLY_BYTES = 256 * KiB;

/** One question to one server; retries over TCP when the UDP answer is truncated. */
export async function queryDns(server: DnsServer, name: string, type: RrTypeName, options: QueryOptions = {}): Promise<DnsMessage> {
  const host = await serverAddress(server, options);
  const target = { ...server, host };
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, name, type, { rd: options.rd ?? false });
  if (!options.tcp) {
    const msg = await exchange(target, query, id, "udp", options);
    if (!msg.flags.tc) return msg;
  }
  return exchange(target, query, id, "tcp", options);
}

async function serverAddress(server: DnsServer, options: QueryOptions): Promise<string> {
  if (isIP(server.host)) return server.host;
  try {
    const r = await dns.lookup(server.host);
    return r.address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (options.signal?.aborted) throw queryAborted(options.signal, describeServer(server));
    throw new ProbeError("unreachable", `nameserver ${server.host} does not resolve${code ? ` (${code})` : ""}`, code ? { code } : {});
  }
}

function exchange(server: DnsServer, query: Buffer, id: number, transport: "udp" | "tcp", options: QueryOptions): Promise<DnsMessage> {
  const where = describeServer(server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  if (options.signal?.aborted) return Promise.reject(queryAborted(options.signal, where));
  return new Promise((resolve, reject) => {
    let done = false;
    let cleanup = () => {};
    const finish = (err: ProbeError | null, msg?: DnsMessage) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      cleanup();
      if (err) reject(err);
      else resolve(msg!);
    };
    const onAbort = () => finish(queryAborted(options.signal!, where));
    const timer = setTimeout(
      () => finish(timedOut(`DNS query to ${where} over ${transport.toUpperCase()}`, timeoutMs)),
      timeoutMs,
    );
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const accept = (buf: Buffer): boolean => {
      let msg: DnsMessage;
      try {
        msg = decodeMessage(buf, transport);
      } catch (err) {
        finish(err instanceof ProbeError ? new ProbeError(err.reason, `${err.message} from ${where}`) : new ProbeError("invalid-response", `unreadable DNS answer from ${where}`));
        return true;
      }
      if (msg.id !== id || !msg.flags.qr) return false; // not ours: keep listening (UDP)
      finish(null, msg);
      return true;
    };
    const cap = new ByteCap({ limit: options.maxReplyBytes ?? DNS_MAX_REPLY_BYTES, what: `replies from nameserver ${where} over ${transport.toUpperCase()}`, per: "query" });
    const netError = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "";
      finish(new ProbeError("unreachable", `cannot reach nameserver ${where} over ${transport.toUpperCase()}${code ? ` (${code})` : ""}`, code ? { code } : {}));
    };

    if (transport === "udp") {
      // A connected UDP socket: answers are taken from that server only, and an ICMP "port
      // unreachable" comes back as ECONNREFUSED at once instead of a wait for the timeout.
      const sock = createSocket(isIP(server.host) === 6 ? "udp6" : "udp4");
      cleanup = () => {
        try {
          sock.close();
        } catch {
          /* already closed by a failed connect */
        }
      };
      sock.on("error", netError);
      sock.on("message", (buf) => {
        if (cap.add(buf.length)) finish(cap.exceeded);
        else accept(buf);
      });
      // connect() reports its own failure (no route, an unscoped link-local address) to this
      // callback only; a send on the unconnected socket would then throw outside any promise.
      sock.connect(server.port, server.host, (err?: Error) => {
        if (err) return netError(err as NodeJS.ErrnoException);
        if (done) return; // aborted or timed out while connecting: the socket is closed
        sock.send(query, (sendErr) => {
          if (sendErr) netError(sendErr);
        });
      });
    } else {
      const sock = connect({ host: server.host, port: server.port });
      cleanup = () => sock.destroy();
      let buf: Buffer = Buffer.alloc(0);
      cap.watch(sock);
      sock.on("error", netError);
      sock.on("connect", () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length, 0);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on("data", (d: Buffer) => {
        if (cap.exceeded) return finish(cap.exceeded);
        // Each length-prefixed message is taken off the buffer: one with another id is dropped.
        buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
        while (!done && buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const n = buf.readUInt16BE(0);
          accept(buf.subarray(2, 2 + n));
          buf = buf.subarray(2 + n);
        }
      });
      sock.on("end", () => finish(new ProbeError("invalid-response", `nameserver ${where} closed the TCP connection without an answer`)));
    }
  });
}

function queryAborted(signal: AbortSignal, where: string): ProbeError {
  return abortedError(signal, `no DNS answer from ${where} before the check's deadline`, `DNS query to ${where} was cancelled`);
}

// ---- authoritative answers ---------------------------------------------------------------

export interface AuthoritativeAnswer {
  server: DnsServer;
  rcode: string;
  /** The RRset owned by the name itself (a CNAME, or records of the asked type). */
  records: ResourceRecord[];
  /** min TTL of `records` in seconds, null when there are none (NODATA / NXDOMAIN). */
  ttl: number | null;
  /** The zone's SOA when the server sent one in the authority section (negative answers). */
  soa: ResourceRecord | null;
  message: DnsMessage;
}

/**
 * Ask the servers in turn (recursion not desired) until one answers authoritatively (AA bit).
 * A non-authoritative answer, a REFUSED/SERVFAIL or an unreachable server moves on to the next;
 * when none answers, the most telling error is thrown.
 */
export async function queryAuthoritative(servers: DnsServer[], name: string, type: RrTypeName, options: QueryOptions = {}): Promise<AuthoritativeAnswer> {
  if (servers.length === 0) throw new ProbeError("error", "no authoritative nameserver to ask");
  const problems: ProbeError[] = [];
  for (const server of servers) {
    let msg: DnsMessage;
    try {
      msg = await queryDns(server, name, type, { ...options, rd: false });
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      if (options.signal?.aborted) throw err;
      problems.push(err);
      continue;
    }
    const where = describeServer(server);
    if (msg.rcode !== "NOERROR" && msg.rcode !== "NXDOMAIN") {
      problems.push(new ProbeError("invalid-response", `${where} answered ${msg.rcode} for ${name} ${type}`));
      continue;
    }
    if (!msg.flags.aa) {
      problems.push(new ProbeError("invalid-response", `${where} is not authoritative for ${name} (answer without the AA bit: a caching resolver?)`));
      continue;
    }
    const owner = normaliseName(name);
    const own = msg.answers.filter((rr) => rr.name === owner);
    const cname = own.filter((rr) => rr.type === "CNAME");
    const records = cname.length > 0 && type !== "CNAME" ? cname : own.filter((rr) => rr.type === type);
    const ttl = records.length > 0 ? Math.min(...records.map((rr) => rr.ttl)) : null;
    const soa = msg.authorities.find((rr) => rr.type === "SOA") ?? null;
    return { server, rcode: msg.rcode, records, ttl, soa, message: msg };
  }
  const worst = problems.find((p) => p.reason === "invalid-response") ?? problems.find((p) => p.reason === "timeout") ?? problems[0]!;
  throw new ProbeError(worst.reason, problems.map((p) => p.message).join("; "));
}

/** RFC 2308 section 5: negative answers are cached for min(SOA MINIMUM, SOA TTL). */
export function negativeTtl(soa: ResourceRecord): number {
  const data = soa.data as SoaData;
  return Math.min(data.minimum, soa.ttl);
}
