// dns-failover through the one tester, against a real authoritative DNS server (NSD on a
// loopback port) serving zones with known TTLs and SOA values, and real TCP listeners.
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/dns-failover/index.js";
import { queryAuthoritative, queryDns } from "../../src/probes/dns-authoritative.js";
import { decodeMessage, encodeQuery } from "../../src/probes/dns-wire.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { assertPresent, closedPort, skipMessage } from "../helpers/servers/common.js";
import { nsdMissing, startNsd, type NsdServer } from "../helpers/servers/nsd.js";

const EXAMPLE = `$ORIGIN example.test.
$TTL 3600
@        7200 IN SOA ns1.example.test. hostmaster.example.test. ( 2026112501 3600 900 604800 300 )
@             IN NS  ns1
ns1           IN A   127.0.0.1
orders     60 IN A   127.0.0.1
orders     60 IN AAAA ::1
www       120 IN CNAME orders
slow     3600 IN A   127.0.0.1
standby    30 IN A   127.0.0.1
`;
/** A zone with one name, `api` (TTL 30), whose negative answers are cached for min(SOA MINIMUM 3600, `soaTtl`). */
const negativeZone = (origin: string, soaTtl: number) => `$ORIGIN ${origin}.
$TTL 3600
@${String(soaTtl).padStart(12)} IN SOA ns1.${origin}. hostmaster.${origin}. ( 1 3600 900 604800 3600 )
@             IN NS  ns1
ns1           IN A   127.0.0.1
api        30 IN A   127.0.0.1
`;
// Negative answers cached for an hour: min(SOA minimum 3600, SOA TTL 7200).
const NEGATIVE = negativeZone("neg.test", 7200);
// Negative answers are cached for the SOA's own TTL when it is below MINIMUM: min(3600, 120).
const SHORT_SOA = negativeZone("short.test", 120);

/**
 * A caching resolver at the wire, in front of NSD (mocked because no recursive server runs here):
 * it relays each question, clears the AA bit and rewrites every answer TTL to `ttl`, as a cache
 * that counts TTLs down (or raises them) would.
 */
async function fakeCachingResolver(upstreamPort: number, ttl: number): Promise<{ address: string; close(): void }> {
  const sock: Socket = createSocket("udp4");
  sock.on("message", (query, client) => {
    const up = createSocket("udp4");
    up.once("message", (answer) => {
      up.close();
      const out = Buffer.from(answer);
      out[2] = out[2]! & ~0x04; // AA off
      out[3] = out[3]! | 0x80; // RA on
      rewriteAnswerTtls(out, ttl);
      sock.send(out, client.port, client.address);
    });
    up.send(query, upstreamPort, "127.0.0.1");
  });
  await new Promise<void>((ok) => sock.bind(0, "127.0.0.1", ok));
  return { address: `127.0.0.1:${sock.address().port}`, close: () => sock.close() };
}

function rewriteAnswerTtls(msg: Buffer, ttl: number): void {
  const skipName = (pos: number): number => {
    while (msg[pos]! !== 0) {
      if ((msg[pos]! & 0xc0) === 0xc0) return pos + 2;
      pos += 1 + msg[pos]!;
    }
    return pos + 1;
  };
  let pos = 12;
  for (let q = msg.readUInt16BE(4); q > 0; q--) pos = skipName(pos) + 4;
  for (let a = msg.readUInt16BE(6); a > 0; a--) {
    pos = skipName(pos) + 4; // name, type, class
    msg.writeUInt32BE(ttl, pos);
    pos += 4;
    pos += 2 + msg.readUInt16BE(pos);
  }
}

describe("DNS wire format", () => {
  it("asks without recursion and decodes compressed names", () => {
    const q = encodeQuery(0x1234, "Orders.Example.Test.", "A");
    const m = decodeMessage(q);
    expect(m.id).toBe(0x1234);
    expect(m.flags).toMatchObject({ qr: false, rd: false });
    expect(m.questions).toEqual([{ name: "orders.example.test", type: "A" }]);
    expect(decodeMessage(encodeQuery(1, "a.b", "SOA", { rd: true })).flags.rd).toBe(true);
  });

  const issues = (raw: Record<string, unknown>) => {
    const r = parseOptions(check, raw);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };
  const health = { interval: "30s", failureThreshold: 3 };

  it("rejects options without a health check and with bad nameservers, naming the option", () => {
    expect(issues({ name: "a.example" })).toEqual([{ path: "healthCheck", message: expect.stringMatching(/expected object/) }]);
    expect(issues({ name: "a.example", healthCheck: { interval: "30s", failureThreshold: 0 } })).toEqual([{ path: "healthCheck.failureThreshold", message: expect.stringMatching(/>=1|too small/i) }]);
    expect(issues({ name: "a.example", healthCheck: health, nameservers: ["not a server"] })).toEqual([{ path: "nameservers.0", message: "expected host, host:port or [v6]:port" }]);
  });

  it("warnAt: a percentage of the budget or a duration, else its path and what it expects", () => {
    expect(parseOptions(check, { name: "a.example", healthCheck: health, warnAt: "90%" }).success).toBe(true);
    expect(parseOptions(check, { name: "a.example", healthCheck: health, warnAt: "2m" }).success).toBe(true);
    expect(issues({ name: "a.example", healthCheck: health, warnAt: "soon" })).toEqual([{ path: "warnAt", message: expect.stringContaining("expected a percentage like 80% or a duration like 4m") }]);
    expect(issues({ name: "a.example", healthCheck: health, max: "fast" })).toEqual([{ path: "max", message: expect.stringMatching(/duration/) }]);
  });
});

describe("malformed answers", () => {
  it("is unknown (invalid-response), never pass, when the resolver answers garbage", async () => {
    // A server that echoes the query id with the QR bit and then 0xff bytes: unparseable.
    const garbage = createSocket("udp4");
    garbage.on("message", (q, client) => {
      const b = Buffer.alloc(24, 0xff);
      q.copy(b, 0, 0, 2);
      b[2] = 0x80;
      b[3] = 0;
      garbage.send(b, client.port, client.address);
    });
    await new Promise<void>((ok) => garbage.bind(0, "127.0.0.1", ok));
    const address = `127.0.0.1:${garbage.address().port}`;
    try {
      const health = { interval: "30s", failureThreshold: 3 };
      const viaResolver = await runCheck(check, { nameservers: [address], healthCheck: health, name: "orders.example.test" }, { timeoutMs: 3000 });
      expect(viaResolver).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(viaResolver.summary).toContain("malformed answer");
      const m = await queryDns({ host: "127.0.0.1", port: garbage.address().port }, "orders.example.test", "A", { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(m).toMatchObject({ reason: "invalid-response" });
    } finally {
      garbage.close();
    }
  });
});

describe("nameservers that cannot be reached", () => {
  it("a server the UDP socket cannot even connect to (an unscoped link-local address) moves on to the next; nothing is thrown outside the query", async () => {
    const crashes: unknown[] = [];
    const onCrash = (e: unknown) => crashes.push(e);
    process.on("uncaughtException", onCrash);
    try {
      const port = await closedPort();
      const err = await queryAuthoritative([{ host: "fe80::1", port: 53 }, { host: "127.0.0.1", port }], "orders.example.test", "A", { timeoutMs: 3000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: "unreachable" });
      expect((err as Error).message).toContain(`cannot reach nameserver 127.0.0.1:${port} over UDP (ECONNREFUSED)`);
      // Aborted while the socket connects: the late connect callback must not send on a closed socket.
      const ac = new AbortController();
      const aborted = queryDns({ host: "127.0.0.1", port }, "orders.example.test", "A", { timeoutMs: 3000, signal: ac.signal });
      ac.abort();
      await expect(aborted).rejects.toMatchObject({ reason: "error" });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off("uncaughtException", onCrash);
    }
    expect(crashes).toEqual([]);
  });
});

const skip = skipMessage("NSD", nsdMissing());
describe.skipIf(skip !== null)(`against NSD${skip ? ` (${skip})` : ""}`, () => {
  let nsd: NsdServer;
  let listener: Server;
  let openPort: number;
  const health = { interval: "30s", failureThreshold: 3 };

  beforeAll(async () => {
    assertPresent("NSD", nsdMissing());
    nsd = await startNsd({ "example.test": EXAMPLE, "neg.test": NEGATIVE, "short.test": SHORT_SOA });
    listener = createServer((s) => s.end());
    await new Promise<void>((ok) => listener.listen(0, "127.0.0.1", ok));
    openPort = (listener.address() as { port: number }).port;
  }, 30_000);
  afterAll(async () => {
    await new Promise<void>((ok) => (listener ? listener.close(() => ok()) : ok()));
    await nsd?.stop();
  });

  const base = () => ({ nameservers: [nsd.address], authoritativePort: nsd.port, healthCheck: health });

  it("the server is authoritative and answers without recursion", async () => {
    const m = await queryDns({ host: "127.0.0.1", port: nsd.port }, "orders.example.test", "A");
    expect(m.flags).toMatchObject({ aa: true, rd: false, ra: false });
    expect(m.answers[0]).toMatchObject({ type: "A", ttl: 60, data: "127.0.0.1" });
  });

  it("estimates detection + authoritative TTL + client caching within the RTO, and the standby accepts TCP", async () => {
    const r = await runCheck(check, { ...base(), name: "orders.example.test", clientCaching: "30s", standby: { host: "standby.example.test", port: openPort } });
    expect(r.status).toBe("pass");
    expect(r.measured).toEqual({ value: 180, unit: "s", limit: 900, warnAt: 720 });
    expect(r.summary).toBe("failover in ~3m (detection 1m30s + TTL 1m + client caching 30s), within the 15m budget");
    const ev = r.evidence as Record<string, any>;
    expect(ev.zone).toBe("example.test");
    expect(ev.authoritative).toEqual([`ns1.example.test (${nsd.address})`]);
    expect(ev.record).toMatchObject({ ttl: 60, rcode: "NOERROR" });
    expect(ev.soa).toEqual({ ttl: 7200, minimum: 300, serial: 2026112501, negativeTtl: 300 });
    expect(ev.breakdown).toMatchObject({ detectionMs: 90_000, detection: "3 x 30s", ttlMs: 60_000, clientCachingMs: 30_000, estimateMs: 180_000, negativeTtlMs: 300_000, limitFrom: "objectives.rto" });
    expect(ev.standby).toMatchObject({ host: "standby.example.test", resolved: ["127.0.0.1"], connected: "127.0.0.1" });
    expect(ev.resolver.values).toEqual(["127.0.0.1"]);
  });

  it("fails when the TTL pushes the switch past the RTO, with the breakdown in the summary", async () => {
    const r = await runCheck(check, { ...base(), name: "slow.example.test" });
    expect(r.status).toBe("fail");
    expect(r.summary).toBe("failover in ~1h1m (detection 1m30s + TTL 1h), over the 15m budget");
    expect(r.findings![0]!.path).toBe("estimate");
    // A larger RTO from the objectives lets it pass; `max` overrides the objective.
    expect((await runCheck(check, { ...base(), name: "slow.example.test" }, { objectives: { rpo: 300_000, rto: 2 * 3_600_000 } })).status).toBe("pass");
    expect((await runCheck(check, { ...base(), name: "slow.example.test", max: "2h" })).status).toBe("pass");
  });

  it("warns past 80% of the budget, or from warnAt as a percentage or a duration", async () => {
    const r = await runCheck(check, { ...base(), name: "orders.example.test", max: "3m" });
    expect(r.status).toBe("warn");
    expect(r.measured).toMatchObject({ value: 150, limit: 180, warnAt: 144 });
    // The other warning: a negative answer cached for the SOA's 5m is over a 3m budget.
    expect(r.summary).toBe("failover in ~2m30s (detection 1m30s + TTL 1m), within the 3m budget but past the warning at 2m24s (+1 more)");
    expect(r.findings!.map((f) => [f.path, f.level])).toEqual([["estimate", "warn"], ["soa.negativeTtl", "warn"]]);
    expect((r.evidence as Record<string, any>).breakdown).toMatchObject({ estimateMs: 150_000, limitMs: 180_000, warnAtMs: 144_000, limitFrom: "max" });

    const later = await runCheck(check, { ...base(), name: "orders.example.test", max: "3m", warnAt: "90%" });
    // 150s is short of 90% of 3m: the estimate no longer warns (the negative TTL still does).
    expect(later.findings!.map((f) => f.path)).toEqual(["soa.negativeTtl"]);
    expect(later.measured).toMatchObject({ value: 150, limit: 180, warnAt: 162 });
    const sooner = await runCheck(check, { ...base(), name: "orders.example.test", warnAt: "2m" });
    expect(sooner.status, sooner.summary).toBe("warn");
    expect(sooner.findings!.map((f) => f.path)).toEqual(["estimate"]);
    expect(sooner.measured).toMatchObject({ value: 150, limit: 900, warnAt: 120 });
  });

  it("reads the CNAME's own TTL at the name, with configured authoritative servers", async () => {
    const r = await runCheck(check, { nameservers: [nsd.address], authoritative: [nsd.address], healthCheck: health, name: "www.example.test" });
    expect(r.status).toBe("pass");
    const ev = r.evidence as Record<string, any>;
    expect(ev.record.records).toEqual([{ type: "CNAME", ttl: 120, value: "orders.example.test" }]);
    expect(ev.zone).toBe("example.test");
    const aaaa = await runCheck(check, { ...base(), name: "orders.example.test", type: "AAAA" });
    expect((aaaa.evidence as Record<string, any>).record.ttl).toBe(60);
  });

  it("warns when a negative answer would be cached past the budget (SOA negative TTL)", async () => {
    const r = await runCheck(check, { ...base(), name: "api.neg.test" });
    expect(r.status).toBe("warn");
    const f = r.findings!.find((x) => x.path === "soa.negativeTtl")!;
    expect(f.level).toBe("warn");
    expect(f.message).toContain("cached for 1h");
  });

  it("takes the negative TTL as min(SOA MINIMUM, SOA TTL)", async () => {
    const r = await runCheck(check, { ...base(), name: "api.short.test" });
    expect((r.evidence as Record<string, any>).soa).toMatchObject({ ttl: 120, minimum: 3600, negativeTtl: 120 });
    expect(r.status).toBe("pass");
  });

  it("reads the configured TTL from the authoritative server, not a caching resolver's counted-down TTL", async () => {
    const cache = await fakeCachingResolver(nsd.port, 17);
    try {
      // The cache is asked first and skipped (no AA bit); NSD's configured 60 s is the TTL used.
      const r = await runCheck(check, { ...base(), name: "orders.example.test", authoritative: [cache.address, nsd.address] });
      expect(r.status).toBe("pass");
      const ev = r.evidence as Record<string, any>;
      expect(ev.record).toMatchObject({ server: nsd.address, ttl: 60 });
      expect(ev.breakdown.ttlMs).toBe(60_000);
      // Only the cache: no authoritative answer, so the check cannot decide.
      const only = await runCheck(check, { ...base(), name: "orders.example.test", authoritative: [cache.address] });
      expect(only).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(only.summary).toContain("is not authoritative for orders.example.test (answer without the AA bit");
    } finally {
      cache.close();
    }
  });

  it("warns when the resolver clients use hands out a TTL above the authoritative one", async () => {
    const cache = await fakeCachingResolver(nsd.port, 3600);
    try {
      const r = await runCheck(check, { ...base(), nameservers: [cache.address], authoritative: [nsd.address], name: "orders.example.test" });
      expect(r.status).toBe("warn");
      expect(r.findings!.find((f) => f.path === "resolve.ttl")!.message).toContain("TTL 1h, above the authoritative 1m");
      expect((r.evidence as Record<string, any>).record.ttl).toBe(60);
    } finally {
      cache.close();
    }
  });

  it("fails when the name does not exist or the standby refuses connections", async () => {
    const missing = await runCheck(check, { ...base(), name: "nope.example.test" });
    expect(missing.status).toBe("fail");
    // The missing record is the cause, the failed lookup its consequence.
    expect(missing.findings!.map((f) => f.path)).toEqual(["record", "resolve"]);
    expect(missing.summary).toBe(`nope.example.test does not exist on its authoritative server ${nsd.address} (+1 more)`);
    expect(missing.measured).toBeNull();
    const port = await closedPort();
    const refused = await runCheck(check, { ...base(), name: "orders.example.test", standby: { host: "standby.example.test", port } });
    expect(refused.status).toBe("fail");
    expect(refused.findings![0]).toMatchObject({ path: "standby.connect" });
    expect(refused.summary).toContain("does not accept TCP connections");
    const unresolved = await runCheck(check, { ...base(), name: "orders.example.test", standby: { host: "gone.example.test", port: openPort } });
    expect(unresolved.findings![0]).toMatchObject({ path: "standby.resolve" });
  });

  it("is unknown when no server answers authoritatively or the resolver is unreachable", async () => {
    const refused = await runCheck(check, { nameservers: [nsd.address], authoritative: [nsd.address], healthCheck: health, name: "orders.elsewhere.test" });
    expect(refused).toMatchObject({ status: "unknown" });
    const port = await closedPort();
    const r = await runCheck(check, { nameservers: [`127.0.0.1:${port}`], healthCheck: health, name: "orders.example.test" }, { timeoutMs: 3000 });
    expect(r.status).toBe("unknown");
    expect(["unreachable", "timeout"]).toContain(r.reason);
    // An authoritative server whose port is closed answers ICMP "port unreachable": the connected
    // UDP socket reports it at once, so this is unreachable, not a wait for the query timeout.
    const dead = await runCheck(check, { nameservers: [nsd.address], authoritative: [`127.0.0.1:${port}`], healthCheck: health, name: "orders.example.test" }, { timeoutMs: 30_000 });
    expect(dead).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(dead.summary).toContain(`cannot reach nameserver 127.0.0.1:${port} over UDP (ECONNREFUSED)`);
  });
});
