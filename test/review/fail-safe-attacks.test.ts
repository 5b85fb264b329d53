// Review of issue 15 ("a verdict never claims more than was seen"), by attack: each test stands
// for a hole found by driving a kind (through the one check tester, or the built CLI) against a
// broken or hostile server on loopback. Each asserts what an honest verdict is: `unknown` with
// the reason that matches the cause and a message naming the side, the target (once) and the
// cause, never a `pass`/`fail` the check did not observe, and never "check crashed".
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import awsCredentials from "../../checks/aws-credentials/index.js";
import cacheAge from "../../checks/cache-age/index.js";
import configDrift from "../../checks/config-drift/index.js";
import dnsFailover from "../../checks/dns-failover/index.js";
import drillRecency from "../../checks/drill-recency/index.js";
import jwt from "../../checks/jwt/index.js";
import replicationLag from "../../checks/replication-lag/index.js";
import sharedFate from "../../checks/shared-fate/index.js";
import splitBrain from "../../checks/split-brain/index.js";
import tlsCertificate from "../../checks/tls-certificate/index.js";
import { decide, type LagDecisionInput } from "../../checks/replication-lag/decide.js";
import type { LagReading } from "../../checks/replication-lag/measure.js";
import { budgetLimits } from "../../src/kit/index.js";
import { runCheck } from "../helpers/check-tester.js";
import { decisionTable } from "../helpers/decision-table.js";
import { runCli } from "../helpers/cli.js";
import { assertPresent, closedPort, skipMessage } from "../helpers/servers/common.js";
import { nsdMissing, startNsd, type NsdServer } from "../helpers/servers/nsd.js";
import { postgresMissing, startPostgresPair, waitCaughtUp, type PgPair } from "../helpers/servers/postgres.js";
import { redisMissing, startRedisPair, type RedisPair } from "../helpers/servers/redis.js";
import * as h from "./hostile.js";

const health = { interval: "30s", failureThreshold: 3 };
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

const ZONE = `$ORIGIN example.test.
$TTL 3600
@        7200 IN SOA ns1.example.test. hostmaster.example.test. ( 1 3600 900 604800 300 )
@             IN NS  ns1
ns1           IN A   127.0.0.1
orders     60 IN A   127.0.0.1
standby    30 IN A   127.0.0.1
`;

const nsdSkip = skipMessage("NSD", nsdMissing());
describe.skipIf(nsdSkip !== null)("dns-failover: a standby target the resolver could not look up is not a failed standby", () => {
  let nsd: NsdServer;
  let resolver: h.Udp;
  let open: Server;
  let openPort = 0;
  beforeAll(async () => {
    assertPresent("NSD", nsdMissing());
    nsd = await startNsd({ "example.test": ZONE });
    // Relays to NSD, but never answers blackhole.*, answers REFUSED for refused.* and SERVFAIL for servfail.*.
    resolver = await h.relayResolver(nsd.port, { drop: /^blackhole\./, refuse: /^refused\./, servfail: /^servfail\./, nxdomain: /(^|\.)gone-zone\.test$|^gone-zone\.test$|^test$/ });
    open = createServer((s) => s.end());
    await new Promise<void>((r) => open.listen(0, "127.0.0.1", r));
    openPort = (open.address() as { port: number }).port;
  }, 30_000);
  afterAll(async () => {
    await resolver?.close();
    await nsd?.stop();
    await new Promise<void>((r) => (open ? open.close(() => r()) : r()));
  });
  const opts = (host: string, port = openPort) => ({ nameservers: [resolver.address], authoritative: [nsd.address], healthCheck: health, name: "orders.example.test", standby: { host, port } });

  it("a lookup the resolver never answers: unknown/timeout naming the standby, the name and the resolver (was: fail)", async () => {
    const r = await runCheck(dnsFailover, opts("blackhole.example.test"), { timeoutMs: 20_000 });
    expect(r.status, r.summary).toBe("unknown");
    expect(r.reason).toBe("timeout");
    expect(r.summary).toBe(`standby blackhole.example.test (A lookup through resolver ${resolver.address}): the resolver did not answer (ETIMEOUT)`);
    expect(r.findings!.filter((f) => (f.level ?? "fail") === "fail")).toEqual([]);
  }, 30_000);

  it("SERVFAIL and REFUSED from the resolver: unknown/invalid-response (was: fail)", async () => {
    for (const host of ["servfail.example.test", "refused.example.test"]) {
      const r = await runCheck(dnsFailover, opts(host), { timeoutMs: 10_000 });
      expect(r.status, r.summary).toBe("unknown");
      expect(r.reason).toBe("invalid-response");
      expect(r.summary).toMatch(/^standby \w+\.example\.test \(A lookup through resolver 127\.0\.0\.1:\d+\): the resolver answered (SERVFAIL|REFUSED)$/);
    }
  });

  it("a name the zone does not have is still the standby's failure (NXDOMAIN is an answer)", async () => {
    const r = await runCheck(dnsFailover, opts("gone.example.test"), { timeoutMs: 10_000 });
    expect(r.status).toBe("fail");
    expect(r.findings![0]).toMatchObject({ path: "standby.resolve", message: "standby target gone.example.test does not resolve" });
  });

  it("a TCP connection that times out (SYNs dropped) is undecided; a refused one stays a failure", async () => {
    const filtered = await h.filteredPort();
    try {
      const r = await runCheck(dnsFailover, opts("127.0.0.1", filtered.port), { timeoutMs: 8_000 });
      expect(r.status, r.summary).toBe("unknown");
      expect(r.reason).toBe("timeout");
      expect(r.summary).toBe(`standby TCP connection to 127.0.0.1:${filtered.port}: timed out after 5s`);
    } finally {
      await filtered.close();
    }
    const refused = await runCheck(dnsFailover, opts("standby.example.test", await closedPort()), { timeoutMs: 8_000 });
    expect(refused.status).toBe("fail");
    expect(refused.findings![0]).toMatchObject({ path: "standby.connect" });
  }, 20_000);

  it("the built CLI: a high dns-failover check whose standby lookup gets SERVFAIL is UNKNOWN overall, not NOT_READY", async () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-review-"));
    writeFileSync(
      join(dir, "standby.yml"),
      [
        "version: 1",
        "services:",
        "  - name: orders",
        "    checks:",
        "      - id: orders-dns",
        "        kind: dns-failover",
        "        severity: high",
        "        name: orders.example.test",
        `        nameservers: ["${resolver.address}"]`,
        `        authoritative: ["${nsd.address}"]`,
        "        healthCheck: { interval: 30s, failureThreshold: 3 }",
        `        standby: { host: servfail.example.test, port: ${openPort} }`,
        "",
      ].join("\n"),
    );
    const out = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", "json", "--no-history"]);
    const report = JSON.parse(out.stdout) as { status: string; checks: Array<{ status: string; reason: string | null }>; points: { undecided: number } };
    expect(report.checks[0]).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(report.status).toBe("UNKNOWN");
    expect(report.points.undecided).toBe(5);
  });

  it("shared-fate names a host whose lookup failed once, with the resolver", async () => {
    const r = await runCheck(sharedFate, { nameservers: [resolver.address], primary: { region: "a", hosts: ["orders.example.test"] }, standby: { region: "b", hosts: ["servfail.example.test"] } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(r.summary).toBe(`standby servfail.example.test (A lookup through resolver ${resolver.address}): the resolver answered SERVFAIL`);
    expect(occurrences(r.summary, "servfail.example.test")).toBe(1);
  });

  it("shared-fate: a standby host of which nothing is found is undecided, not left out of a pass (was: pass 'independent across region')", async () => {
    const r = await runCheck(sharedFate, { nameservers: [resolver.address], primary: { region: "a", hosts: ["orders.example.test"] }, standby: { region: "b", hosts: ["orders.gone-zone.test"] } }, { timeoutMs: 10_000 });
    expect(r.status, r.summary).toBe("unknown");
    expect(r.reason).toBe("unreachable");
    expect(r.summary).toBe(`standby orders.gone-zone.test: name not found (no address and no nameserver through resolver ${resolver.address})`);
  });
});

describe("dns-failover: a lying authoritative server", () => {
  it("an SOA named in an answer but missing at the apex is no crash (was: check crashed: Cannot read properties of null)", async () => {
    const liar = await h.udpDns((q) => {
      const name = h.queryName(q);
      if (h.queryType(q) === 6) {
        // The name's SOA query is answered with the zone's SOA; the apex's own SOA query with NODATA.
        return h.authoritativeAnswer(q, name === "orders.example.test" ? [h.rr("example.test", 6, 300, h.soaRdata("ns1.example.test", "hm.example.test", 60))] : []);
      }
      return h.authoritativeAnswer(q, [h.rr(name, 1, 60, h.aRdata("127.0.0.1"))]);
    });
    try {
      const r = await runCheck(dnsFailover, { nameservers: [liar.address], authoritative: [liar.address], healthCheck: health, name: "orders.example.test" }, { timeoutMs: 5000 });
      expect(r.summary).not.toMatch(/check crashed/);
      expect(r.status, r.summary).toBe("pass");
      expect((r.evidence as { zone: string }).zone).toBe("example.test");
    } finally {
      await liar.close();
    }
  });

  it("a resolver that is down is named in the message", async () => {
    const port = await closedPort();
    const r = await runCheck(dnsFailover, { nameservers: [`127.0.0.1:${port}`], authoritative: ["127.0.0.1:53"], healthCheck: health, name: "orders.example.test" }, { timeoutMs: 5000 });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(r.summary).toBe(`orders.example.test (A lookup through resolver 127.0.0.1:${port}): connection refused (ECONNREFUSED)`);
  });
});

describe("HTTP answers that are not HTTP", () => {
  const servers: h.Listening[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  const started = async (p: Promise<h.Listening>) => {
    const s = await p;
    servers.push(s);
    return s;
  };

  it("garbage, TLS bytes or 200 KB of headers from the standby: unknown/invalid-response in words (was: error, 'request failed (HPE_...)')", async () => {
    const garbage = await started(h.garbage());
    const tlsBytes = await started(h.halfTls());
    const headers = await started(h.tcp((s) => s.once("data", () => s.write(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(200_000)}\r\n\r\n`))));
    const dir = mkdtempSync(join(tmpdir(), "standby-review-"));
    writeFileSync(join(dir, "primary.json"), '{"x":1}');
    const cases: Array<[h.Listening, RegExp]> = [
      // Node.js 24's fetch (undici 7) leaves its HTTPParserError without the HPE_ code.
      [garbage, /: the answer is not valid HTTP \((HPE_[A-Z_]+|HTTPParserError)\)$/],
      [tlsBytes, /: the answer is not valid HTTP \((HPE_[A-Z_]+|HTTPParserError)\)$/],
      [headers, /: response headers too large \((UND_ERR_HEADERS_OVERFLOW|HPE_HEADER_OVERFLOW)\)$/],
    ];
    for (const [server, words] of cases) {
      const r = await runCheck(configDrift, { primary: { file: "primary.json" }, standby: { url: `${server.url}/config` } }, { baseDir: dir, timeoutMs: 3000 });
      expect(r.status).toBe("unknown");
      expect(r.reason, r.summary).toBe("invalid-response");
      expect(r.summary.startsWith(`standby ${server.url}/config: `)).toBe(true);
      expect(r.summary).toMatch(words);
    }
  });

  it("an https URL served in plain text reads the same as in the TLS check: invalid-response, not unreachable", async () => {
    const plain = await started(h.status(200, "{}", "application/json"));
    const r = await runCheck(configDrift, { primary: { url: `https://127.0.0.1:${plain.port}/a` }, standby: { url: `https://127.0.0.1:${plain.port}/b` } }, { timeoutMs: 3000 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(r.summary).toContain(`primary https://127.0.0.1:${plain.port}/a: the server does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER)`);
  });

  it("a JWT endpoint that hands out an HTML page is named in the message", async () => {
    const html = await started(h.status(200, "<html>sign in</html>", "text/html"));
    const r = await runCheck(jwt, { primary: { url: `${html.url}/token` }, standby: { url: `${html.url}/token` } } as never, { timeoutMs: 3000 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(r.summary).toContain(`standby token is not a JWT: expected 3 dot-separated segments, got 1 (from ${html.url}/token)`);
  });
});

describe("tls-certificate: a standby named by its address", () => {
  it("a silent server: the address is named once (was: 'standby 127.0.0.1:P: TLS handshake with 127.0.0.1:P: ...')", async () => {
    const silent = await h.silent();
    try {
      const r = await runCheck(tlsCertificate, { primary: { host: "127.0.0.1", port: silent.port }, standby: { host: "127.0.0.1", port: silent.port } } as never, { timeoutMs: 1000 });
      expect(r).toMatchObject({ status: "unknown", reason: "timeout" });
      for (const part of r.summary.split("; ")) expect(occurrences(part, `127.0.0.1:${silent.port}`), part).toBe(1);
      expect(r.summary).toContain(`standby TLS handshake with 127.0.0.1:${silent.port}: timed out after 1s`);
    } finally {
      await silent.close();
    }
  });

  it("a plain-text server says it does not speak TLS", async () => {
    const plain = await h.status(200, "hello");
    try {
      const r = await runCheck(tlsCertificate, { primary: { host: "127.0.0.1", port: plain.port }, standby: { host: "127.0.0.1", port: plain.port } } as never, { timeoutMs: 3000 });
      expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(r.summary).toContain(`standby TLS handshake with 127.0.0.1:${plain.port} failed: the server does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER)`);
    } finally {
      await plain.close();
    }
  });
});

describe("a Redis in name only (answers +OK or nil to every command)", () => {
  const PASSWORD = "CANARY-review-redis-pw";
  let ok: h.Listening;
  let nil: h.Listening;
  beforeAll(async () => {
    ok = await h.fakeRedis();
    nil = await h.fakeRedis(() => "$-1\r\n");
  });
  afterAll(async () => {
    await ok?.close();
    await nil?.close();
  });

  it("cache-age warmth: DBSIZE +OK or nil is no key count (was: pass, 'warmth NaN% (NaN/NaN keys)' or '100% (0/0 keys)')", async () => {
    for (const s of [ok, nil]) {
      const url = `redis://:${PASSWORD}@127.0.0.1:${s.port}`;
      const r = await runCheck(cacheAge, { redis: { url, primary: url } }, { timeoutMs: 3000 });
      expect(r.status, r.summary).toBe("unknown");
      expect(r.reason).toBe("invalid-response");
      expect(r.summary).toMatch(new RegExp(`standby redis://127\\.0\\.0\\.1:${s.port}: DBSIZE did not answer a key count`));
      expect(JSON.stringify(r)).not.toContain(PASSWORD);
    }
  });

  it("replication-lag: an INFO replication without a role is no 'standby is not a replica' (was: fail)", async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${ok.port}`;
    const r = await runCheck(replicationLag, { engine: "redis", primary: url, standby: url }, { timeoutMs: 3000 });
    expect(r.status, r.summary).toBe("unknown");
    expect(r.reason).toBe("invalid-response");
    expect(r.summary).toBe(`primary redis://127.0.0.1:${ok.port}: INFO replication has no role field: not a Redis replication report`);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });
});

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip !== null)("split-brain: sentinels that cannot be asked", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    assertPresent("Redis", redisMissing());
    pair = await startRedisPair();
  }, 60_000);
  afterAll(async () => pair?.stop());

  it("none answers: unknown, since where they send writes was not seen (was: warn)", async () => {
    const dead = await closedPort();
    const r = await runCheck(splitBrain, { engine: "redis", primary: pair.primary.url, standby: pair.replica.url, sentinels: [`redis://127.0.0.1:${dead}`], masterName: "orders" }, { timeoutMs: 3000 });
    expect(r.status, r.summary).toBe("unknown");
    expect(r.reason).toBe("unreachable");
    expect(r.summary).toBe(`sentinel redis://127.0.0.1:${dead}: connection refused (ECONNREFUSED); no sentinel answered: where they send writes is not known`);
  });
});

const M = 60_000;
const beat = (r: Partial<LagReading<object>>): LagDecisionInput<object> => ({
  engine: "heartbeat",
  reading: { lagMs: 0, basis: "heartbeat-read", bytes: null, findings: [], evidence: {}, ...r },
  limits: budgetLimits({ warnAt: "80%" }, 5 * M),
});
decisionTable("replication-lag decide: a heartbeat whose writer stopped (bounds, never more than seen)", decide, [
  { name: "upper bound within warnAt: pass", input: beat({ lagMs: 3 * M, atMost: true }), expected: { status: "pass", summary: "standby replays at most 3m behind primary (limit 5m (RPO), warns at 4m)" } },
  { name: "upper bound past max: unknown, no over-limit finding", input: beat({ lagMs: 9 * M, atMost: true }), expected: { status: "unknown", reason: "invalid-response", findings: [] } },
  { name: "upper bound between warnAt and max: within the limit for sure, a warning", input: beat({ lagMs: 4.5 * M, atMost: true }), expected: { status: "warn" } },
  { name: "lower bound past max: fail", input: beat({ lagMs: 6 * M, atLeast: true }), expected: { status: "fail" } },
  { name: "lower bound within max: unknown, in the heartbeat's words", input: beat({ lagMs: 1 * M, atLeast: true }), expected: { status: "unknown", reason: "invalid-response", summary: "standby replays at least 1m behind primary (limit 5m (RPO), warns at 4m): it lacks the primary's last heartbeat, written when its writer stopped" } },
]);

const pgSkip = skipMessage("PostgreSQL", postgresMissing());
describe.skipIf(pgSkip !== null)("replication-lag: a heartbeat whose writer stopped", () => {
  let pair: PgPair;
  beforeAll(async () => {
    assertPresent("PostgreSQL", postgresMissing());
    pair = await startPostgresPair();
    await pair.primary.query("CREATE TABLE standby_heartbeat (id VARCHAR(128) NOT NULL PRIMARY KEY, ts_ms BIGINT NOT NULL)");
    // The writer's last beat, 10 minutes ago: replicated, then nothing more.
    await pair.primary.query("INSERT INTO standby_heartbeat (id, ts_ms) VALUES ('beat', $1)", [Date.now() - 10 * 60_000]);
    await waitCaughtUp(pair);
  }, 120_000);
  afterAll(async () => pair?.stop());

  it("engine postgres with the heartbeat: a caught-up standby with the primary's last beat passes on its LSN (was: fail, '10m behind')", async () => {
    const r = await runCheck(replicationLag, { engine: "postgres", primary: pair.primary.url, standby: pair.standby.url, heartbeat: { id: "beat" } }, { timeoutMs: 10_000 });
    expect(r.status, r.summary).toBe("warn");
    expect(r.findings!.map((f) => [f.level, f.rule])).toEqual([["warn", "heartbeat-writer"]]);
    expect(r.evidence).toMatchObject({ lagBasis: "caught-up", lagMs: 0 });
  });

  it("engine heartbeat, read-only with the primary: 'at most 10m' over a 5m RPO is unknown, not a fail (was: fail)", async () => {
    const r = await runCheck(replicationLag, { engine: "heartbeat", primary: pair.primary.url, standby: pair.standby.url, heartbeat: { id: "beat" } }, { timeoutMs: 10_000 });
    expect(r.status, r.summary).toBe("unknown");
    expect(r.reason).toBe("invalid-response");
    expect(r.summary).toMatch(/^standby replays at most 9m5\ds behind primary \(limit 5m \(RPO\), warns at 4m\): only an upper bound \(the heartbeat's writer stopped\)/);
    expect(r.findings!.some((f) => (f.level ?? "fail") === "fail")).toBe(false);
    expect(r.evidence).toMatchObject({ lagIsUpperBound: true, lagBasis: "heartbeat-read" });
  });

  it("...while an upper bound within the budget still shows the standby ready (a slow writer is no regression)", async () => {
    const r = await runCheck(replicationLag, { engine: "heartbeat", primary: pair.primary.url, standby: pair.standby.url, max: "1h", heartbeat: { id: "beat" } }, { timeoutMs: 10_000 });
    expect(r.status, r.summary).toBe("warn");
    expect(r.findings!.map((f) => f.rule)).toEqual(["heartbeat-writer"]);
  });
});

describe("AWS Config endpoints that answer oddly", () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY, imds: process.env.AWS_EC2_METADATA_DISABLED };
  const servers: h.Listening[] = [];
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = "AKIDREVIEW";
    process.env.AWS_SECRET_ACCESS_KEY = "CANARY-review-aws-secret";
    process.env.AWS_EC2_METADATA_DISABLED = "true";
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.key], ["AWS_EC2_METADATA_DISABLED", saved.imds]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const side = (region: string, endpoint: string) => ({ region, endpoint, maxAttempts: 1 });

  it("a 403 without an AWS error body (a proxy, an endpoint policy) is not-authorized (was: invalid-response)", async () => {
    const s = await h.status(403, "{}", "application/x-amz-json-1.1");
    servers.push(s);
    const r = await runCheck(awsCredentials, { primary: side("us-east-1", s.url), standby: side("us-west-2", s.url) } as never, { timeoutMs: 4000 });
    expect(r).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(r.summary).toMatch(/standby \(us-west-2\): AWS Config refused \w+ with HTTP 403/);
  });

  it("an endpoint that answers garbage is invalid-response in words (was: error, 'failed (Error)')", async () => {
    const s = await h.garbage();
    servers.push(s);
    const r = await runCheck(awsCredentials, { primary: side("us-east-1", s.url), standby: side("us-west-2", s.url) } as never, { timeoutMs: 4000 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(r.summary).toMatch(/standby \(us-west-2\): AWS Config at http:\/\/127\.0\.0\.1:\d+\/: the answer is not valid HTTP \(HPE_[A-Z_]+\)/);
    expect(JSON.stringify(r)).not.toContain("CANARY-review-aws-secret");
  });

  it("a configured endpoint that refuses connections is named (was: 'standby (us-west-2): AWS Config: connection refused')", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const r = await runCheck(awsCredentials, { primary: side("us-east-1", url), standby: side("us-west-2", url) } as never, { timeoutMs: 4000 });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(r.summary).toContain(`standby (us-west-2): AWS Config at ${url}/: connection refused (ECONNREFUSED)`);
  });
});

describe("local inputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "standby-review-"));

  it("a drill command that is not there is unreadable-input, like a missing drill file (was: error)", async () => {
    const r = await runCheck(drillRecency, { cadence: "0 10 1 * *", lastDrill: { command: ["/nonexistent/last-drill"] } }, { baseDir: dir });
    expect(r).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "command /nonexistent/last-drill not found" });
  });

  it("a drill endpoint that cannot be read says it is the drill endpoint", async () => {
    const port = await closedPort();
    const r = await runCheck(drillRecency, { cadence: "0 10 1 * *", lastDrill: { url: `http://127.0.0.1:${port}/drills`, pointer: "/at" } }, { baseDir: dir });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable", summary: `drill endpoint http://127.0.0.1:${port}/drills: connection refused (ECONNREFUSED)` });
  });

  it("cache-age: an artifact whose directory does not exist either is unreadable-input (a wrong path), not a failed cache", async () => {
    const r = await runCheck(cacheAge, { file: "cahce/orders.snapshot" }, { baseDir: dir });
    expect(r).toMatchObject({ status: "unknown", reason: "unreadable-input" });
    expect(r.summary).toBe("standby cahce/orders.snapshot: no such file, and no directory cahce either (ENOENT)");
    // In a directory that is there, a missing artifact is still the cache's own failure.
    const missing = await runCheck(cacheAge, { file: "orders.snapshot" }, { baseDir: dir });
    expect(missing).toMatchObject({ status: "fail", summary: "cached artifact orders.snapshot does not exist" });
  });
});
