// What a dns-failover result carries: the lookups it made and the estimate's breakdown, in ms.

export interface DnsFailoverEvidence {
  /** The name as asked (lower case, no trailing dot). */
  name: string;
  type: "A" | "AAAA" | "CNAME";
  /** What clients get through a resolver today. */
  resolver: {
    /** The nameservers asked, or ["system"]. */
    servers: string[];
    values: string[];
    /** Smallest TTL the resolver handed out, in seconds; null when it gives none (CNAME) or nothing resolved. */
    ttl: number | null;
  };
  /** The authoritative servers asked: "ns1.example.com (192.0.2.53:53)". */
  authoritative: string[];
  zone: string;
  /** The zone's SOA; negativeTtl = min(SOA minimum, SOA TTL), in seconds (RFC 2308). */
  soa: { ttl: number; minimum: number; serial: number; negativeTtl: number };
  /** The record as configured on the authoritative server; ttl null when it does not exist. */
  record: {
    server: string;
    rcode: string;
    records: { type: string; ttl: number; value: unknown }[];
    ttl: number | null;
  };
  breakdown: {
    /** healthCheck.interval x failureThreshold */
    detectionMs: number;
    /** "3 x 30s" */
    detection: string;
    ttlMs: number;
    clientCachingMs: number;
    /** detection + TTL + client caching: the switch time judged against the budget. */
    estimateMs: number;
    negativeTtlMs: number;
    /** detection + negative TTL + client caching. */
    negativeEstimateMs: number;
    /** Fail above this (max, or objectives.rto). */
    limitMs: number;
    /** Warn from this (warnAt). */
    warnAtMs: number;
    limitFrom: "max" | "objectives.rto";
  };
  /** With `standby`: whether it resolves and accepts TCP. */
  standby?: {
    host: string;
    port: number;
    resolved: string[];
    /** The address connected to, and how long the connect took. */
    connected?: string;
    connectMs?: number;
    /** Why it could not be resolved or connected to. */
    error?: string;
  };
}
