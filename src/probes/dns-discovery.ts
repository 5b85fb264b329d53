// Zone and nameserver discovery through an ordinary resolver (node:dns), which may be pointed at
// given nameservers: the zone of a name (closest SOA), its NS names, their addresses.
import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { DEFAULT_DNS_TIMEOUT_MS, describeServer, parseServer, type DnsServer } from "./dns-authoritative.js";
import { normaliseName } from "./dns-wire.js";
import { abortedStep, ProbeError } from "./errors.js";
import { networkError } from "./network-error.js";

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

/**
 * How a lookup is named in messages: the name first (the target), then the question and the
 * resolver asked, "orders.example.com (A lookup through resolver 10.0.0.2)", so a caller that
 * names the target ("standby orders.example.com") does not repeat it.
 */
export function lookupWhat(handle: Pick<ResolverHandle, "servers">, type: string, name: string): string {
  return `${name} (${type} lookup through ${resolverName(handle)})`;
}

/** "resolver 10.0.0.2", or "the system resolver". */
export function resolverName(handle: Pick<ResolverHandle, "servers">): string {
  return handle.servers.join(", ") === "system" ? "the system resolver" : `resolver ${handle.servers.join(", ")}`;
}

/** Map a node:dns error to a ProbeError; `negative` (NXDOMAIN/NODATA) comes back as null. `what` is lookupWhat's. */
export function resolverError(err: unknown, what: string, signal?: AbortSignal): ProbeError | null {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (NEGATIVE_CODES.has(code)) return null;
  if (signal?.aborted || code === "ECANCELLED" || code === "ECANCELED" || code === "CANCELLED") {
    return signal ? abortedStep(what, signal) : new ProbeError("error", `${what}: cancelled`, { code: "ABORTED" });
  }
  if (code === "ETIMEOUT" || code === "TIMEOUT") return new ProbeError("timeout", `${what}: the resolver did not answer (${code})`, { code });
  if (code === "CONNREFUSED") return new ProbeError("unreachable", `${what}: the resolver refused the connection (${code})`, { code });
  const net = networkError(err, what);
  if (net) return net;
  if (code === "ESERVFAIL" || code === "SERVFAIL" || code === "EREFUSED" || code === "REFUSED") {
    return new ProbeError("invalid-response", `${what}: the resolver answered ${code.replace(/^E/, "")}`, { code });
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
      const e = resolverError(err, lookupWhat(handle, "SOA", candidate), signal);
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
    const e = resolverError(err, lookupWhat(handle, "NS", zone), signal);
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
      const e = resolverError(err, lookupWhat(handle, fn === "resolve4" ? "A" : "AAAA", host), signal);
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
