// dns-failover: will clients reach the standby within the RTO? Estimated switch time is the
// health check's detection time plus the record's TTL as configured on an authoritative server
// (plus what clients cache on top). Also: the name resolves, and the standby target accepts TCP.
import { isIP } from "node:net";
import { z } from "zod";
import { duration, formatDuration } from "../../src/core/duration.js";
import { endpointReach, hostOption, serverOption, tagReachOf } from "../../src/options/reach.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { describeServer, negativeTtl, parseServer, queryAuthoritative, SERVER_PATTERN, type AuthoritativeAnswer, type DnsServer } from "../../src/probes/dns-authoritative.js";
import { discoverAuthoritative, makeResolver, resolveAddresses, resolverError, type ResolverHandle } from "../../src/probes/dns-discovery.js";
import { normaliseName, type ResourceRecord, type SoaData } from "../../src/probes/dns-wire.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { tcpConnect } from "../../src/probes/tcp.js";

/** Share of the budget at which the estimate warns. */
export const WARN_RATIO = 0.8;

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
        interval: duration.describe("Time between health checks"),
        failureThreshold: z.number().int().min(1).describe("Consecutive failures before the record fails over"),
      })
      .describe("The failover health check as configured at the DNS provider"),
    clientCaching: duration.default(0).describe("Extra time clients hold an answer beyond the TTL (JVM, browsers, connection pools)"),
    max: duration.optional().describe("Budget for the switch; default objectives.rto"),
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

  async run(options, ctx): Promise<CheckOutcome> {
    const limit = options.max ?? ctx.objectives.rto;
    const name = normaliseName(options.name);
    const timeoutMs = Math.min(ctx.timeoutMs, 5_000);
    const findings: Finding[] = [];
    const evidence: Record<string, unknown> = { name, type: options.type };
    let handle: ResolverHandle;
    try {
      handle = makeResolver(options.nameservers, { timeoutMs, signal: ctx.signal });
    } catch (err) {
      if (isProbeError(err)) return unknown(err);
      throw err;
    }
    try {
      // 1. What clients get today through a resolver.
      const resolved = await resolveName(handle, name, options.type, ctx.signal);
      evidence.resolver = { servers: handle.servers, ...resolved };
      if (resolved.values.length === 0) {
        findings.push({ message: `${name} does not resolve (${options.type}) through ${handle.servers.join(", ")}`, path: "resolve", rule: "clients cannot reach a name that does not resolve" });
      }

      // 2. The authoritative servers and the zone.
      const servers = await authoritativeServers(options, handle, name, ctx.signal);
      evidence.authoritative = servers.map((s) => (s.name ? `${s.name} (${describeServer(s)})` : describeServer(s)));
      const q = { timeoutMs, signal: ctx.signal };
      const { zone, soa } = await zoneSoa(servers, name, q);
      const negTtl = negativeTtl(soa);
      const soaData = soa.data as SoaData;
      evidence.zone = zone;
      evidence.soa = { ttl: soa.ttl, minimum: soaData.minimum, serial: soaData.serial, negativeTtl: negTtl };

      // 3. The record's configured TTL.
      const record: AuthoritativeAnswer = await queryAuthoritative(servers, name, options.type, q);
      evidence.record = {
        server: describeServer(record.server),
        rcode: record.rcode,
        records: record.records.map((r) => ({ type: r.type, ttl: r.ttl, value: r.data })),
        ttl: record.ttl,
      };
      if (record.ttl === null) {
        const what = record.rcode === "NXDOMAIN" ? "does not exist" : `has no ${options.type} record`;
        findings.push({ message: `${name} ${what} on its authoritative server ${describeServer(record.server)}`, path: "record", rule: "the failover record must exist in the zone" });
      }

      // 4. The estimate.
      const detection = options.healthCheck.interval * options.healthCheck.failureThreshold;
      const ttlMs = (record.ttl ?? 0) * 1000;
      const estimate = detection + ttlMs + options.clientCaching;
      const negativeEstimate = detection + negTtl * 1000 + options.clientCaching;
      const breakdown = {
        detectionMs: detection,
        detection: `${options.healthCheck.failureThreshold} x ${formatDuration(options.healthCheck.interval)}`,
        ttlMs,
        clientCachingMs: options.clientCaching,
        estimateMs: estimate,
        negativeTtlMs: negTtl * 1000,
        negativeEstimateMs: negativeEstimate,
        limitMs: limit,
        limitFrom: options.max === undefined ? "objectives.rto" : "max",
      };
      evidence.breakdown = breakdown;
      const parts = `detection ${formatDuration(detection)} + TTL ${formatDuration(ttlMs)}${options.clientCaching > 0 ? ` + client caching ${formatDuration(options.clientCaching)}` : ""}`;
      if (estimate > limit) {
        findings.push({
          message: `switch takes ~${formatDuration(estimate)} (${parts}), over the ${formatDuration(limit)} budget`,
          path: "estimate",
          rule: "clients keep reaching the failed primary until detection and caches expire",
        });
      }
      if (negativeEstimate > limit) {
        findings.push({
          level: "warn",
          message: `a failed lookup during the switch is cached for ${formatDuration(negTtl * 1000)} (SOA negative TTL): ~${formatDuration(negativeEstimate)} with detection, over the ${formatDuration(limit)} budget`,
          path: "soa.negativeTtl",
          rule: "RFC 2308: resolvers cache NXDOMAIN/NODATA for min(SOA minimum, SOA TTL)",
        });
      }
      if (resolved.ttl !== null && record.ttl !== null && resolved.ttl > record.ttl) {
        findings.push({
          level: "warn",
          message: `the resolver hands out TTL ${resolved.ttl}s, above the authoritative ${record.ttl}s (a resolver raising TTLs delays failover)`,
          path: "resolve.ttl",
        });
      }

      // 5. The standby target.
      if (options.standby) evidence.standby = await probeStandby(options.standby, handle, ctx.signal, timeoutMs, findings);

      const warnAt = limit * WARN_RATIO;
      let status: CheckOutcome["status"] = "pass";
      if (findings.some((f) => (f.level ?? "fail") === "fail")) status = "fail";
      else if (estimate > warnAt || findings.some((f) => f.level === "warn")) status = "warn";
      const verdict = estimate > limit ? "over" : "within";
      const summary =
        record.ttl === null
          ? findings.find((f) => f.path === "record")!.message
          : `failover in ~${formatDuration(estimate)} (${parts}), ${verdict} the ${formatDuration(limit)} budget${findings.length > 0 && status === "fail" && estimate <= limit ? `; ${findings.filter((f) => (f.level ?? "fail") === "fail")[0]!.message}` : ""}`;
      return {
        status,
        summary,
        measured: { value: Math.round(estimate / 1000), unit: "s", limit: Math.round(limit / 1000), warnAt: Math.round(warnAt / 1000) },
        findings,
        evidence,
      };
    } catch (err) {
      if (isProbeError(err)) return unknown(err, evidence);
      throw err;
    } finally {
      handle.close();
    }
  },
});

function unknown(err: ProbeError, evidence?: Record<string, unknown>): CheckOutcome {
  return { status: "unknown", reason: err.reason, summary: err.message, ...(evidence ? { evidence } : {}) };
}

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
    const e = resolverError(err, `${type} lookup of ${name}`, signal);
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
      const soa = apex.message.answers.find((r) => r.type === "SOA" && r.name === zone) ?? ans.soa!;
      return { zone, soa };
    }
  }
  throw new ProbeError("invalid-response", `the authoritative servers sent no SOA for the zone of ${name}`);
}

async function probeStandby(
  target: { host: string; port: number },
  handle: ResolverHandle,
  signal: AbortSignal,
  timeoutMs: number,
  findings: Finding[],
): Promise<Record<string, unknown>> {
  const where = `${target.host}:${target.port}`;
  let addresses: string[];
  try {
    addresses = await resolveAddresses(handle, target.host, signal);
  } catch (err) {
    if (isProbeError(err) && !signal.aborted) {
      findings.push({ message: `standby target ${target.host} could not be resolved: ${err.message}`, path: "standby.resolve" });
      return { host: target.host, port: target.port, resolved: [], error: err.message };
    }
    throw err;
  }
  if (addresses.length === 0) {
    findings.push({ message: `standby target ${target.host} does not resolve`, path: "standby.resolve", rule: "the standby must be reachable by name before the switch" });
    return { host: target.host, port: target.port, resolved: [] };
  }
  try {
    const r = await tcpConnect(addresses[0]!, target.port, { timeoutMs, signal });
    return { host: target.host, port: target.port, resolved: addresses, connected: r.address, connectMs: Math.round(r.ms) };
  } catch (err) {
    if (!isProbeError(err) || signal.aborted) throw err;
    findings.push({
      message: `standby target ${where}${isIP(target.host) ? "" : ` (${addresses[0]})`} does not accept TCP connections: ${err.message}`,
      path: "standby.connect",
      rule: "a standby that does not accept connections cannot take the traffic",
    });
    return { host: target.host, port: target.port, resolved: addresses, error: err.message };
  }
}
