// dns-failover: will clients reach the standby within the RTO? Estimated switch time is the
// health check's detection time plus the record's TTL as configured on an authoritative server
// (plus what clients cache on top). Also: the name resolves, and the standby target accepts TCP.
import { isIP } from "node:net";
import { z } from "zod";
import { duration, formatDuration, positiveDuration } from "../../src/core/duration.js";
import { endpointReach, hostOption, serverOption, tagReachOf } from "../../src/options/reach.js";
import { budgetLevel, budgetLimits, budgetOptions, defineCheck, verdict, type CheckOutcome, type Finding, type Undecided } from "../../src/kit/index.js";
import { describeServer, negativeTtl, parseServer, queryAuthoritative, SERVER_PATTERN, type DnsServer } from "../../src/probes/dns-authoritative.js";
import { discoverAuthoritative, lookupWhat, makeResolver, resolveAddresses, resolverError, type ResolverHandle } from "../../src/probes/dns-discovery.js";
import { normaliseName, type ResourceRecord, type SoaData } from "../../src/probes/dns-wire.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { describeEndpoint, tcpConnect } from "../../src/probes/tcp.js";
import type { DnsFailoverEvidence } from "./evidence.js";

const server = serverOption(SERVER_PATTERN, "expected host, host:port or [v6]:port", 53);

export default defineCheck({
  meta: {
    kind: "dns-failover",
    title: "DNS failover time within the RTO",
    description: "Estimates DNS failover time (health-check detection + authoritative TTL + client caching) against the RTO and checks the standby accepts TCP",
    defaultSeverity: "high",
    docs: "checks/dns-failover/README.md",
  },
  options: z.object({
    name: hostOption().describe("The DNS name clients use for the service"),
    type: z.enum(["A", "AAAA", "CNAME"]).default("A").describe("Record type that fails over"),
    nameservers: z.array(server).optional().describe("Resolvers (IP[:port]) for resolving names; default: the system's"),
    authoritative: z.array(server).optional().describe("Authoritative servers of the zone (host[:port]); default: the zone's NS records"),
    authoritativePort: z.number().int().min(1).max(65535).default(53).describe("Port for nameservers discovered through NS records"),
    healthCheck: z
      .strictObject({
        interval: positiveDuration.describe("Time between health checks"),
        failureThreshold: z.number().int().min(1).describe("Consecutive failures before the record fails over"),
      })
      .describe("The failover health check as configured at the DNS provider"),
    clientCaching: duration.default(0).describe("Extra time clients hold an answer beyond the TTL (JVM, browsers, connection pools)"),
    ...budgetOptions("rto", "Budget for the switch"),
    standby: tagReachOf(
      z.strictObject({
        host: z.string().min(1).describe("Standby target host name or address"),
        port: z.number().int().min(1).max(65535).describe("TCP port clients connect to"),
      }),
      endpointReach("host", "port"),
    )
      .optional()
      .describe("Standby target that must resolve and accept a TCP connection"),
  }),

  async run(options, ctx): Promise<CheckOutcome<DnsFailoverEvidence>> {
    const limits = budgetLimits(options, ctx.objectives.rto);
    const budget = formatDuration(limits.limitMs);
    const name = normaliseName(options.name);
    const timeoutMs = Math.min(ctx.timeoutMs, 5_000);
    const findings: Finding[] = [];
    // Readings that could not be taken (the standby target's lookup or connection): never a pass.
    const undecided: Undecided[] = [];
    const handle = makeResolver(options.nameservers, { timeoutMs, signal: ctx.signal });
    try {
      // 1. What clients get today through a resolver.
      const resolved = await resolveName(handle, name, options.type, ctx.signal);

      // 2. The authoritative servers and the zone.
      const servers = await authoritativeServers(options, handle, name, ctx.signal);
      const q = { timeoutMs, signal: ctx.signal };
      const { zone, soa } = await zoneSoa(servers, name, q);
      const negTtl = negativeTtl(soa);
      const soaData = soa.data as SoaData;

      // 3. The record's configured TTL. A record missing in the zone is the cause of a name that
      // does not resolve: it heads the findings.
      const record = await queryAuthoritative(servers, name, options.type, q);
      if (record.ttl === null) {
        const what = record.rcode === "NXDOMAIN" ? "does not exist" : `has no ${options.type} record`;
        findings.push({ message: `${name} ${what} on its authoritative server ${describeServer(record.server)}`, path: "record", rule: "record-missing", why: "the failover record must exist in the zone" });
      }
      if (resolved.values.length === 0) {
        findings.push({ message: `${name} does not resolve (${options.type}) through ${handle.servers.join(", ")}`, path: "resolve", rule: "not-resolving", why: "clients cannot reach a name that does not resolve" });
      }

      // 4. The estimate against the budget.
      const detection = options.healthCheck.interval * options.healthCheck.failureThreshold;
      const ttlMs = (record.ttl ?? 0) * 1000;
      const estimate = detection + ttlMs + options.clientCaching;
      const negativeEstimate = detection + negTtl * 1000 + options.clientCaching;
      const parts = `detection ${formatDuration(detection)} + TTL ${formatDuration(ttlMs)}${options.clientCaching > 0 ? ` + client caching ${formatDuration(options.clientCaching)}` : ""}`;
      const failover = `failover in ~${formatDuration(estimate)} (${parts})`;
      const level = budgetLevel(estimate, limits);
      if (level === "fail") {
        findings.push({ message: `${failover}, over the ${budget} budget`, path: "estimate", rule: "over-budget", why: "clients keep reaching the failed primary until detection and caches expire" });
      } else if (level === "warn") {
        findings.push({ level, message: `${failover}, within the ${budget} budget but past the warning at ${formatDuration(limits.warnAtMs)}`, path: "estimate", rule: "near-budget", why: "little room is left for a slower detection or a cache" });
      }
      if (negativeEstimate > limits.limitMs) {
        findings.push({
          level: "warn",
          message: `a failed lookup during the switch is cached for ${formatDuration(negTtl * 1000)} (SOA negative TTL): ~${formatDuration(negativeEstimate)} with detection, over the ${budget} budget`,
          path: "soa.negativeTtl",
          rule: "negative-ttl",
          why: "RFC 2308: resolvers cache NXDOMAIN/NODATA for min(SOA minimum, SOA TTL)",
        });
      }
      if (resolved.ttl !== null && record.ttl !== null && resolved.ttl > record.ttl) {
        findings.push({
          level: "warn",
          message: `the resolver hands out TTL ${formatDuration(resolved.ttl * 1000)}, above the authoritative ${formatDuration(record.ttl * 1000)}`,
          path: "resolve.ttl",
          rule: "resolver-ttl",
          why: "a resolver raising TTLs delays failover",
        });
      }

      // 5. The standby target.
      const standby = options.standby ? await probeStandby(options.standby, handle, ctx.signal, timeoutMs, findings, undecided) : undefined;

      const evidence: DnsFailoverEvidence = {
        name,
        type: options.type,
        resolver: { servers: handle.servers, ...resolved },
        authoritative: servers.map((s) => (s.name ? `${s.name} (${describeServer(s)})` : describeServer(s))),
        zone,
        soa: { ttl: soa.ttl, minimum: soaData.minimum, serial: soaData.serial, negativeTtl: negTtl },
        record: { server: describeServer(record.server), rcode: record.rcode, records: record.records.map((r) => ({ type: r.type, ttl: r.ttl, value: r.data })), ttl: record.ttl },
        breakdown: {
          detectionMs: detection,
          detection: `${options.healthCheck.failureThreshold} x ${formatDuration(options.healthCheck.interval)}`,
          ttlMs,
          clientCachingMs: options.clientCaching,
          estimateMs: estimate,
          negativeTtlMs: negTtl * 1000,
          negativeEstimateMs: negativeEstimate,
          limitMs: limits.limitMs,
          warnAtMs: limits.warnAtMs,
          limitFrom: limits.fromObjective ? "objectives.rto" : "max",
        },
        ...(standby ? { standby } : {}),
      };
      // Without the record there is no TTL, so no estimate to claim.
      const measured = record.ttl === null ? null : { value: Math.round(estimate / 1000), unit: "s", limit: Math.round(limits.limitMs / 1000), warnAt: Math.round(limits.warnAtMs / 1000) };
      return verdict({ findings, undecided, measured, evidence, passSummary: () => `${failover}, within the ${budget} budget` });
    } finally {
      handle.close();
    }
  },
});

interface Resolved {
  values: string[];
  /** Smallest TTL the resolver returned, when it gives TTLs. */
  ttl: number | null;
}

async function resolveName(handle: ResolverHandle, name: string, type: "A" | "AAAA" | "CNAME", signal: AbortSignal): Promise<Resolved> {
  try {
    if (type === "CNAME") return { values: await handle.resolver.resolveCname(name), ttl: null };
    const recs = type === "A" ? await handle.resolver.resolve4(name, { ttl: true }) : await handle.resolver.resolve6(name, { ttl: true });
    return { values: recs.map((r) => r.address), ttl: recs.length > 0 ? Math.min(...recs.map((r) => r.ttl)) : null };
  } catch (err) {
    const e = resolverError(err, lookupWhat(handle, type, name), signal);
    if (e) throw e;
    return { values: [], ttl: null };
  }
}

async function authoritativeServers(
  options: { authoritative?: string[]; authoritativePort: number },
  handle: ResolverHandle,
  name: string,
  signal: AbortSignal,
): Promise<DnsServer[]> {
  if (options.authoritative && options.authoritative.length > 0) return options.authoritative.map((s) => parseServer(s));
  // The zone: the owner of the SOA a resolver returns for the name or one of its parents.
  const labels = name.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const candidate = labels.slice(i).join(".");
    const servers = await discoverAuthoritative(handle, candidate, options.authoritativePort, signal);
    if (servers.length > 0) return servers;
  }
  throw new ProbeError("unreachable", `no NS records found for ${name} or its parent zones through ${handle.servers.join(", ")}`);
}

/**
 * The zone apex and its SOA as the authoritative servers see them: the SOA owned by the name or
 * a parent, or named in the authority section of a negative answer; then the apex SOA itself
 * (negative answers carry an SOA whose TTL the server already lowered).
 */
async function zoneSoa(servers: DnsServer[], name: string, q: { timeoutMs: number; signal: AbortSignal }): Promise<{ zone: string; soa: ResourceRecord }> {
  const labels = name.split(".");
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join(".");
    const ans = await queryAuthoritative(servers, candidate, "SOA", q);
    const own = ans.message.answers.find((r) => r.type === "SOA" && r.name === candidate);
    if (own) return { zone: candidate, soa: own };
    const zone = ans.soa?.name ?? ans.message.answers.find((r) => r.type === "SOA")?.name;
    if (zone && zone !== candidate) {
      const apex = await queryAuthoritative(servers, zone, "SOA", q);
      // The apex's own SOA, else the one that named the zone (a server may answer the apex NODATA).
      const soa = apex.message.answers.find((r) => r.type === "SOA" && r.name === zone) ?? ans.soa ?? ans.message.answers.find((r) => r.type === "SOA" && r.name === zone);
      if (!soa) throw new ProbeError("invalid-response", `the authoritative servers name ${zone} as the zone of ${name} but send no SOA for it`);
      return { zone, soa };
    }
  }
  throw new ProbeError("invalid-response", `the authoritative servers sent no SOA for the zone of ${name}`);
}

/**
 * The standby target: resolved, then a TCP connection. A name the resolver says does not exist
 * and a connection refused (or reset, or without a route) are the standby's answers: findings. A
 * lookup the resolver could not answer (timeout, SERVFAIL, REFUSED, unreachable) and a connection
 * that timed out say nothing about the standby: they are undecided readings, never a fail.
 */
async function probeStandby(
  target: { host: string; port: number },
  handle: ResolverHandle,
  signal: AbortSignal,
  timeoutMs: number,
  findings: Finding[],
  undecided: Undecided[],
): Promise<NonNullable<DnsFailoverEvidence["standby"]>> {
  const where = describeEndpoint(target.host, target.port);
  let addresses: string[];
  try {
    addresses = await resolveAddresses(handle, target.host, signal);
  } catch (err) {
    if (isProbeError(err) && !signal.aborted) {
      undecided.push({ reason: err.reason, message: `standby ${err.message}` });
      return { host: target.host, port: target.port, resolved: [], error: err.message };
    }
    throw err;
  }
  if (addresses.length === 0) {
    findings.push({ message: `standby target ${target.host} does not resolve`, path: "standby.resolve", rule: "standby-not-resolving", why: "the standby must be reachable by name before the switch" });
    return { host: target.host, port: target.port, resolved: [] };
  }
  try {
    const r = await tcpConnect(addresses[0]!, target.port, { timeoutMs, signal });
    return { host: target.host, port: target.port, resolved: addresses, connected: r.address, connectMs: Math.round(r.ms) };
  } catch (err) {
    if (!isProbeError(err) || signal.aborted) throw err;
    const via = isIP(target.host) ? "" : ` (${addresses[0]})`;
    if (err.reason !== "unreachable") {
      // "standby TCP connection to 10.0.0.7:443: timed out after 5s": the probe names the address.
      undecided.push({ reason: err.reason, message: err.message.includes(where) ? `standby ${err.message}` : `standby ${where}${via}: ${err.message}` });
    } else {
      findings.push({
        message: `standby target ${where}${via} does not accept TCP connections: ${err.message}`,
        path: "standby.connect",
        rule: "standby-unreachable",
        why: "a standby that does not accept connections cannot take the traffic",
      });
    }
    return { host: target.host, port: target.port, resolved: addresses, error: err.message };
  }
}
