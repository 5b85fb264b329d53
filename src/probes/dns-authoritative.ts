// Authoritative DNS queries: the TTL a record is *configured* with, read from a server that
// owns the zone (recursion not desired, AA bit required), not the decremented TTL a caching
// resolver hands out. A small RFC 1035 wire client over UDP (TCP when truncated), plus zone
// and nameserver discovery through an ordinary resolver (node:dns) that may be pointed at
// given nameservers. Every failure is a ProbeError with an UnknownReason.
import { createSocket } from "node:dgram";
import { promises as dns } from "node:dns";
import { connect, isIP } from "node:net";
import { randomInt } from "node:crypto";
import { abortedError, ProbeError } from "./errors.js";

export const RR_TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41 } as const;
export type RrTypeName = keyof typeof RR_TYPES;
const TYPE_NAMES = new Map<number, string>(Object.entries(RR_TYPES).map(([k, v]) => [v, k]));

export const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"] as const;

export interface DnsServer {
  host: string;
  port: number;
  /** The nameserver's DNS name when it was discovered through NS records. */
  name?: string;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface ResourceRecord {
  name: string;
  type: string;
  class: number;
  /** seconds */
  ttl: number;
  /** A/AAAA: address; NS/CNAME: target name; SOA: SoaData; TXT: joined strings; others: hex. */
  data: string | SoaData;
}

export interface DnsMessage {
  id: number;
  flags: { qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean };
  rcode: string;
  questions: { name: string; type: string }[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** "udp" or "tcp" */
  transport: string;
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
  return `${isIP(s.host) === 6 ? `[${s.host}]` : s.host}:${s.port}`;
}

/** Lower-case, no trailing dot. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\.$/, "").toLowerCase();
}

// ---- wire format -------------------------------------------------------------------------

export function encodeQuery(id: number, name: string, type: RrTypeName, options: { rd?: boolean; edns?: boolean } = {}): Buffer {
  const labels = normaliseName(name).split(".").filter(Boolean);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(options.rd ? 0x0100 : 0, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(options.edns === false ? 0 : 1, 10);
  parts.push(header);
  for (const l of labels) {
    const b = Buffer.from(l, "ascii");
    if (b.length === 0 || b.length > 63) throw new ProbeError("error", `invalid DNS name ${JSON.stringify(name)}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const q = Buffer.alloc(4);
  q.writeUInt16BE(RR_TYPES[type], 0);
  q.writeUInt16BE(1, 2);
  parts.push(q);
  if (options.edns !== false) {
    // OPT pseudo-RR: root name, type 41, UDP payload 1232 (the DNS flag day size), no options.
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(RR_TYPES.OPT, 1);
    opt.writeUInt16BE(1232, 3);
    parts.push(opt);
  }
  return Buffer.concat(parts);
}

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProbeError("invalid-response", "truncated DNS message");
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    for (let hops = 0; ; ) {
      if (pos >= this.buf.length) throw new ProbeError("invalid-response", "truncated DNS name");
      const len = this.buf[pos]!;
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new ProbeError("invalid-response", "truncated DNS name pointer");
        if (++hops > 64) throw new ProbeError("invalid-response", "DNS name compression loop");
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1]!;
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) throw new ProbeError("invalid-response", "truncated DNS label");
      labels.push(this.buf.toString("ascii", pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
    return labels.join(".").toLowerCase();
  }
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const typeNum = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  r.need(rdlen);
  const end = r.pos + rdlen;
  const type = TYPE_NAMES.get(typeNum) ?? `TYPE${typeNum}`;
  let data: string | SoaData;
  switch (typeNum) {
    case RR_TYPES.A:
      data = [...r.buf.subarray(r.pos, end)].join(".");
      break;
    case RR_TYPES.AAAA: {
      const words: string[] = [];
      for (let i = r.pos; i < end; i += 2) words.push(r.buf.readUInt16BE(i).toString(16));
      data = compressV6(words);
      break;
    }
    case RR_TYPES.NS:
    case RR_TYPES.CNAME:
      data = r.name();
      break;
    case RR_TYPES.SOA:
      data = { mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    case RR_TYPES.TXT: {
      const strings: string[] = [];
      for (let i = r.pos; i < end; ) {
        const n = r.buf[i]!;
        strings.push(r.buf.toString("utf8", i + 1, i + 1 + n));
        i += 1 + n;
      }
      data = strings.join("");
      break;
    }
    default:
      data = r.buf.toString("hex", r.pos, end);
  }
  r.pos = end;
  return { name, type, class: cls, ttl, data };
}

function compressV6(words: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < words.length; ) {
    if (words[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(":");
  return `${words.slice(0, best).join(":")}::${words.slice(best + bestLen).join(":")}`;
}

export function decodeMessage(buf: Buffer, transport = "udp"): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const f = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions: DnsMessage["questions"] = [];
  for (let i = 0; i < counts[0]!; i++) {
    const name = r.name();
    const t = r.u16();
    r.u16();
    questions.push({ name, type: TYPE_NAMES.get(t) ?? `TYPE${t}` });
  }
  const section = (n: number) => {
    const out: ResourceRecord[] = [];
    for (let i = 0; i < n; i++) out.push(readRecord(r));
    return out;
  };
  const answers = section(counts[1]!);
  const authorities = section(counts[2]!);
  // Additional records are best effort: a malformed OPT should not hide a good answer.
  let additionals: ResourceRecord[] = [];
  try {
    additionals = section(counts[3]!).filter((rr) => rr.type !== "OPT");
  } catch {
    additionals = [];
  }
  return {
    id,
    flags: { qr: Boolean(f & 0x8000), aa: Boolean(f & 0x0400), tc: Boolean(f & 0x0200), rd: Boolean(f & 0x0100), ra: Boolean(f & 0x0080) },
    rcode: RCODES[f & 0x0f] ?? `RCODE${f & 0x0f}`,
    questions,
    answers,
    authorities,
    additionals,
    transport,
  };
}

// ---- transport ---------------------------------------------------------------------------

export interface QueryOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Recursion desired: false (default) for authoritative questions. */
  rd?: boolean;
  /** Skip UDP and ask over TCP. */
  tcp?: boolean;
}

export const DEFAULT_DNS_TIMEOUT_MS = 3_000;

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
      () => finish(new ProbeError("timeout", `no DNS answer from ${where} over ${transport.toUpperCase()} within ${timeoutMs}ms`, { code: "TIMEOUT" })),
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
    const netError = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "";
      finish(new ProbeError("unreachable", `cannot reach nameserver ${where} over ${transport.toUpperCase()}${code ? ` (${code})` : ""}`, code ? { code } : {}));
    };

    if (transport === "udp") {
      const sock = createSocket(isIP(server.host) === 6 ? "udp6" : "udp4");
      cleanup = () => sock.close();
      sock.on("error", netError);
      sock.on("message", (buf) => void accept(buf));
      sock.send(query, server.port, server.host, (err) => {
        if (err) netError(err);
      });
    } else {
      const sock = connect({ host: server.host, port: server.port });
      cleanup = () => sock.destroy();
      let buf = Buffer.alloc(0);
      sock.on("error", netError);
      sock.on("connect", () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length, 0);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2) {
          const n = buf.readUInt16BE(0);
          if (buf.length >= 2 + n) accept(buf.subarray(2, 2 + n));
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

// ---- discovery through a resolver --------------------------------------------------------

export interface ResolverHandle {
  resolver: dns.Resolver;
  /** What the resolver asks: the given nameservers, or "system". */
  servers: string[];
  close(): void;
}

/** A node:dns resolver on the given nameservers (host:port) or the system's; cancelled with the signal. */
export function makeResolver(nameservers: string[] | undefined, options: { timeoutMs?: number; signal?: AbortSignal } = {}): ResolverHandle {
  const timeout = Math.max(100, Math.min(options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS, 5_000));
  const resolver = new dns.Resolver({ timeout, tries: 2 });
  if (nameservers && nameservers.length > 0) {
    try {
      resolver.setServers(nameservers.map((n) => describeServer(parseServer(n))));
    } catch {
      throw new ProbeError("error", `invalid nameservers ${JSON.stringify(nameservers)}: expected IP addresses with optional ports (10.0.0.2, 10.0.0.2:5353, [2001:db8::53]:53)`);
    }
  }
  const onAbort = () => resolver.cancel();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  return {
    resolver,
    servers: nameservers && nameservers.length > 0 ? nameservers : ["system"],
    close: () => options.signal?.removeEventListener("abort", onAbort),
  };
}

const NEGATIVE_CODES = new Set(["ENODATA", "ENOTFOUND", "NODATA", "NOTFOUND"]);

/** Map a node:dns error to a ProbeError; `negative` (NXDOMAIN/NODATA) comes back as null. */
export function resolverError(err: unknown, what: string, signal?: AbortSignal): ProbeError | null {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (NEGATIVE_CODES.has(code)) return null;
  if (signal?.aborted || code === "ECANCELLED" || code === "ECANCELED" || code === "CANCELLED") {
    return signal ? abortedError(signal, `${what}: no answer before the check's deadline`, `${what}: cancelled`) : new ProbeError("error", `${what}: cancelled`, { code: "ABORTED" });
  }
  if (code === "ETIMEOUT" || code === "TIMEOUT") return new ProbeError("timeout", `${what}: resolver timed out (${code})`, { code });
  if (code === "ECONNREFUSED" || code === "CONNREFUSED") return new ProbeError("unreachable", `${what}: resolver refused the connection (${code})`, { code });
  if (code === "ESERVFAIL" || code === "SERVFAIL" || code === "EREFUSED" || code === "REFUSED") {
    return new ProbeError("invalid-response", `${what}: resolver answered ${code.replace(/^E/, "")}`, { code });
  }
  if (code === "EBADRESP" || code === "BADRESP" || code === "EFORMERR" || code === "FORMERR") {
    return new ProbeError("invalid-response", `${what}: the resolver sent a malformed answer (${code})`, { code });
  }
  return new ProbeError("error", `${what} failed${code ? ` (${code})` : ""}`, code ? { code } : {});
}

export interface ZoneInfo {
  zone: string;
  soa: { nsname: string; hostmaster: string; serial: number; minttl: number; expire: number; refresh: number; retry: number };
}

/** The zone a name lives in: the closest enclosing name with an SOA record. Null when none is found. */
export async function findZone(handle: ResolverHandle, name: string, signal?: AbortSignal): Promise<ZoneInfo | null> {
  const labels = normaliseName(name).split(".");
  for (let i = 0; i < labels.length - 1 || (i === 0 && labels.length === 1); i++) {
    const candidate = labels.slice(i).join(".");
    try {
      const soa = await handle.resolver.resolveSoa(candidate);
      return { zone: candidate, soa };
    } catch (err) {
      const e = resolverError(err, `SOA lookup of ${candidate}`, signal);
      if (e) throw e;
    }
  }
  return null;
}

/** NS hostnames of a zone (sorted, lower case). Empty when the zone has none. */
export async function zoneNameservers(handle: ResolverHandle, zone: string, signal?: AbortSignal): Promise<string[]> {
  try {
    return (await handle.resolver.resolveNs(zone)).map(normaliseName).sort();
  } catch (err) {
    const e = resolverError(err, `NS lookup of ${zone}`, signal);
    if (e) throw e;
    return [];
  }
}

/** Addresses of a host through the resolver (A then AAAA); an IP literal is returned as is. */
export async function resolveAddresses(handle: ResolverHandle, host: string, signal?: AbortSignal): Promise<string[]> {
  if (isIP(host)) return [host];
  const out: string[] = [];
  for (const fn of ["resolve4", "resolve6"] as const) {
    try {
      out.push(...(await handle.resolver[fn](host)));
    } catch (err) {
      const e = resolverError(err, `${fn === "resolve4" ? "A" : "AAAA"} lookup of ${host}`, signal);
      if (e) throw e;
    }
  }
  return out;
}

/** Authoritative servers of a zone from its NS records, each resolved to its addresses. */
export async function discoverAuthoritative(handle: ResolverHandle, zone: string, port: number, signal?: AbortSignal): Promise<DnsServer[]> {
  const names = await zoneNameservers(handle, zone, signal);
  const servers: DnsServer[] = [];
  for (const ns of names) {
    for (const address of await resolveAddresses(handle, ns, signal)) servers.push({ host: address, port, name: ns });
  }
  return servers;
}
