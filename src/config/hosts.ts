// allowed-hosts patterns and the network targets of an option's value. A pattern is a host name
// (`db.example.com`), a wildcard for its subdomains (`*.example.com`: not the apex), an address
// (`10.0.0.5`, `::1`, `[::1]`), each optionally with `:port`. Matching ignores case and a
// trailing dot. A target standby cannot take apart is no match: refused, never guessed.
import { isIP } from "node:net";
import { safeDecode } from "../core/uri.js";

export interface HostPattern {
  /** Lower case, no brackets, no trailing dot; "*.example.com" keeps its star. */
  host: string;
  port?: number;
  text: string;
}

/** Where a value connects: a host (and port when known), or a Unix socket path. */
export type Target = { host: string; port?: number } | { socket: string };

const DEFAULT_PORTS: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "postgres:": 5432,
  "postgresql:": 5432,
  "mysql:": 3306,
  "mariadb:": 3306,
  "redis:": 6379,
  "rediss:": 6379,
};

const normal = (host: string): string => host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");

/** Parses one allowed-hosts entry; a string saying what is wrong with it otherwise. */
export function parseHostPattern(text: string): HostPattern | string {
  const t = text.trim();
  let host = t;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const named = /^([^:\s[\]]+):(\d+)$/.exec(t);
  if (v6) [host, port] = [v6[1]!, v6[2] ? Number(v6[2]) : undefined];
  else if (named) [host, port] = [named[1]!, Number(named[2])];
  if (port !== undefined && (port < 1 || port > 65535)) return `invalid port in allowed host ${JSON.stringify(t)}`;
  const h = normal(host);
  const nameOk = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(h);
  if (!nameOk && isIP(h) === 0) return `expected a host name, *.domain, an address or one of those with :port, got ${JSON.stringify(t)}`;
  return port === undefined ? { host: h, text: t } : { host: h, port, text: t };
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** True when some pattern allows the target (a port-less target matches on the host alone). */
export function allowed(target: Target, patterns: readonly HostPattern[]): boolean {
  if ("socket" in target) return false;
  const host = normal(target.host);
  return patterns.some((p) => hostMatches(p.host, host) && (p.port === undefined || target.port === undefined || p.port === target.port));
}

export function describeTarget(t: Target): string {
  if ("socket" in t) return `the Unix socket ${t.socket}`;
  const h = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  return t.port === undefined ? h : `${h}:${t.port}`;
}

/** The host and port of a URL; null when it does not parse or has no host. */
export function urlTarget(value: string): Target | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (!u.hostname) return null;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
  return port === undefined ? { host: u.hostname } : { host: u.hostname, port };
}

/**
 * Every place a database connection string connects to. Drivers take more than the URL's host:
 * pg reads `host`/`port` from the query (over the URL's), ioredis and mysql2 a socket path.
 * Null when the string does not parse.
 */
export function connectionTargets(value: string): Target[] | null {
  if (value.startsWith("/")) return [{ socket: value.split(/[?\s]/)[0]! }];
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  const q = u.searchParams;
  const port = q.get("port") ? Number(q.get("port")) : u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
  const out: Target[] = [];
  const hostParams = [...q.getAll("host"), ...q.getAll("hostaddr")].flatMap((h) => h.split(","));
  // pg takes a socket directory as the percent-encoded host too (postgres://%2Fvar%2Frun%2Fpostgresql/db).
  for (const h of hostParams.length > 0 ? hostParams : [u.hostname ? safeDecode(u.hostname) : ""]) {
    if (h.startsWith("/")) out.push({ socket: h });
    else if (h) out.push(port === undefined || Number.isNaN(port) ? { host: h } : { host: h, port });
  }
  for (const key of ["path", "socketPath", "socket"]) for (const s of q.getAll(key)) out.push({ socket: s });
  if (out.length === 0) return null;
  return out;
}


/** host[:port] / [v6]:port of a DNS server, with defaultPort. */
export function serverTarget(value: string, defaultPort: number): Target | null {
  const t = value.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  if (isIP(t) === 6) return { host: t, port: defaultPort };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(t);
  return m ? { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort } : null;
}

/** Files a connection string makes the driver read (pg: sslcert, sslkey, sslrootcert in the query). */
export function connectionFiles(value: string): string[] {
  try {
    const q = new URL(value).searchParams;
    return ["sslcert", "sslkey", "sslrootcert", "sslcrl", "passfile"].flatMap((k) => q.getAll(k)).filter(Boolean);
  } catch {
    return [];
  }
}
