// Whatever a server sends, a probe reads a bounded number of bytes: past the cap its socket is
// destroyed and the check is unknown/invalid-response naming the limit. Before the caps, a Redis
// answering "$2147483648" and streaming took the scan to 1.9 GB at the default timeout and to a
// V8 fatal error with a 60 s one. Each hostile server here speaks just enough of its protocol.
import { afterEach, describe, expect, it } from "vitest";
import { formatBytes } from "../../src/probes/byte-cap.js";
import { MYSQL_MAX_REPLY_BYTES, withMysql } from "../../src/probes/mysql.js";
import { POSTGRES_MAX_REPLY_BYTES, withPostgres } from "../../src/probes/postgres.js";
import { REDIS_MAX_REPLY_BYTES, withRedis } from "../../src/probes/redis.js";
import { dnsTcpBomb, dnsUdp, mysqlBomb, mysqlRowsBomb, postgresBomb, redisBomb, type Hostile } from "../helpers/hostile-servers.js";
import { queryDns } from "../../src/probes/dns-authoritative.js";
import { readTlsChain } from "../../src/probes/tls.js";
import { issue, selfSigned } from "../helpers/pki.js";
import { createServer as createTlsServer } from "node:tls";
import type { AddressInfo } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import jwtCheck from "../../checks/jwt/index.js";
import { loadJwks, MAX_JWKS_KEYS } from "../../checks/jwt/jwks.js";
import { makeContext } from "../../src/engine/context.js";
import { runCheck } from "../helpers/check-tester.js";
import { runCommand } from "../../src/probes/command.js";
import drillCheck from "../../checks/drill-recency/index.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiConfig } from "../action/helpers.js";
import { runCliMeasured } from "../helpers/peak-rss.js";
import { tempDir } from "../helpers/servers/common.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function start<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const s = await server;
  open.push(s);
  return s;
}

/** A probe with a long deadline: only the cap can end it quickly. */
const probe = { timeoutMs: 60_000 };

async function timed<T>(work: Promise<T>): Promise<{ err: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await work;
    return { err: null, ms: performance.now() - t0 };
  } catch (err) {
    return { err, ms: performance.now() - t0 };
  }
}

describe("database probes stop reading at their cap", () => {
  it("redis: a 2 GiB bulk string that never ends", async () => {
    const s = await start(redisBomb());
    const { err, ms } = await timed(withRedis(`redis://127.0.0.1:${s.port}`, probe, (r) => r.info("replication")));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `reply from redis://127.0.0.1:${s.port} exceeded ${formatBytes(REDIS_MAX_REPLY_BYTES)} (the read limit per connection)` });
    expect(ms).toBeLessThan(10_000);
    expect(s.sent()).toBeLessThan(64 * 1024 * 1024);
  });

  it("postgres: an ErrorResponse that claims 2 GiB", async () => {
    const s = await start(postgresBomb("error"));
    const { err } = await timed(withPostgres(`postgres://u:p@127.0.0.1:${s.port}/db`, probe, (q) => q.query("SELECT 1")));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `reply from postgres://u@127.0.0.1:${s.port}/db exceeded ${formatBytes(POSTGRES_MAX_REPLY_BYTES)} (the read limit per connection)` });
  });

  it("postgres: DataRows without end", async () => {
    const s = await start(postgresBomb("rows"));
    const { err } = await timed(withPostgres(`postgres://u:p@127.0.0.1:${s.port}/db`, probe, (q) => q.query("SELECT 1")));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT" });
  });

  it("mysql: a greeting of chained maximal packets", async () => {
    const s = await start(mysqlBomb());
    const { err } = await timed(withMysql(`mysql://u:p@127.0.0.1:${s.port}/db`, probe, (q) => q.query("SELECT 1")));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `reply from mysql://u@127.0.0.1:${s.port}/db exceeded ${formatBytes(MYSQL_MAX_REPLY_BYTES)} (the read limit per connection)` });
  });

  it("mysql: a result set whose rows never end", async () => {
    const s = await start(mysqlRowsBomb());
    const { err } = await timed(withMysql(`mysql://u:p@127.0.0.1:${s.port}/db`, probe, (q) => q.query("SELECT 1")));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT" });
  });

  it("a smaller cap is honoured, and a reply within it still works", async () => {
    const s = await start(redisBomb());
    const { err } = await timed(withRedis(`redis://127.0.0.1:${s.port}`, { ...probe, maxReplyBytes: 256 * 1024 }, (r) => r.info("replication")));
    expect(err).toMatchObject({ reason: "invalid-response", message: expect.stringContaining("exceeded 256 KiB") });
    expect(s.sent()).toBeLessThan(16 * 1024 * 1024);
  });
});

describe("DNS stops reading at its cap", () => {
  it("TCP: endless framed answers with another id", async () => {
    const s = await start(dnsTcpBomb());
    const { err, ms } = await timed(queryDns({ host: "127.0.0.1", port: s.port }, "orders.example.test", "A", { tcp: true, timeoutMs: 60_000 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `replies from nameserver 127.0.0.1:${s.port} over TCP exceeded 256 KiB (the read limit per query)` });
    expect(ms).toBeLessThan(5_000);
  });

  it("UDP: a flood of datagrams with another id", async () => {
    const tcp: Hostile = await start(dnsTcpBomb());
    await start(dnsUdp(tcp.port, "flood"));
    const { err } = await timed(queryDns({ host: "127.0.0.1", port: tcp.port }, "orders.example.test", "A", { timeoutMs: 60_000 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `replies from nameserver 127.0.0.1:${tcp.port} over UDP exceeded 256 KiB (the read limit per query)` });
  });

  it("UDP truncated, then TCP without end", async () => {
    const tcp: Hostile = await start(dnsTcpBomb());
    await start(dnsUdp(tcp.port, "truncate"));
    const { err } = await timed(queryDns({ host: "127.0.0.1", port: tcp.port }, "orders.example.test", "A", { timeoutMs: 60_000 }));
    expect(err).toMatchObject({ reason: "invalid-response", message: expect.stringContaining("over TCP exceeded 256 KiB") });
  });
});

/** A TLS server presenting the leaf followed by `padding` more certificates. */
async function tlsServer(padding: number): Promise<{ port: number; close(): Promise<void> }> {
  const ca = await selfSigned({ cn: "Hostile CA", notAfterDays: 30, ca: true });
  const leaf = await issue(ca, { cn: "hostile.test", sans: ["127.0.0.1"], notAfterDays: 30 });
  const server = createTlsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem.repeat(padding) });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

describe("TLS stops reading at its cap", () => {
  // OpenSSL refuses a certificate list over 100 KiB before standby's own 256 KiB cap is reached.
  it("a certificate chain of 1 MB is refused, naming the limit", async () => {
    const s = await start(tlsServer(2000));
    const { err, ms } = await timed(readTlsChain({ address: "127.0.0.1", port: s.port, timeoutMs: 60_000 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "ERR_SSL_EXCESSIVE_MESSAGE_SIZE", message: expect.stringContaining("exceeded OpenSSL's size limit (100 KiB for a certificate list)") });
    expect(ms).toBeLessThan(5_000);
  });

  it("the handshake bytes are counted on the socket", async () => {
    const s = await start(tlsServer(1));
    // The whole handshake of a two-certificate chain is over 1 KiB; within the default it passes.
    expect((await readTlsChain({ address: "127.0.0.1", port: s.port, timeoutMs: 10_000 })).chain).toHaveLength(2);
    const { err } = await timed(readTlsChain({ address: "127.0.0.1", port: s.port, timeoutMs: 10_000, maxHandshakeBytes: 1024 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: `TLS handshake with 127.0.0.1:${s.port} exceeded 1 KiB (the read limit per handshake)` });
  });
});

/** An HTTP server answering every path with a JWKS of `count` copies of one EC key, each its own kid. */
async function jwksServer(count: number): Promise<{ url: string; close(): Promise<void> }> {
  const { publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), alg: "ES256", use: "sig" };
  const body = JSON.stringify({ keys: Array.from({ length: count }, (_, i) => ({ ...jwk, kid: `k${i}` })) });
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`, close: () => new Promise((r) => server.close(() => r())) };
}

describe("JWKS: bounded bytes, keys, time and evidence", () => {
  it("100,000 keys (15 MB): unknown at once, and the report stays small", async () => {
    const s = await start(jwksServer(100_000));
    const t0 = performance.now();
    const o = await runCheck(jwtCheck, { primary: { jwks: s.url }, standby: { jwks: s.url } }, { timeoutMs: 60_000 });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(o).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(o.summary).toMatch(/1048576 bytes|1 MiB/); // the HTTP probe's body cap, set to MAX_JWKS_BYTES
    expect(JSON.stringify(o).length).toBeLessThan(20_000);
  }, 30_000);

  it("more keys than the limit, within the byte cap: refused before any is hashed", async () => {
    const s = await start(jwksServer(MAX_JWKS_KEYS + 1));
    const o = await runCheck(jwtCheck, { primary: { jwks: s.url }, standby: { jwks: s.url } });
    expect(o).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(o.summary).toContain(`has ${MAX_JWKS_KEYS + 1} keys, more than ${MAX_JWKS_KEYS} (the limit per JWKS; 1 MiB at most is read)`);
    expect(JSON.stringify(o).length).toBeLessThan(20_000);
  });

  it("the hashing loop stops when the check aborts", async () => {
    const s = await start(jwksServer(MAX_JWKS_KEYS));
    const jose = await import("jose");
    const ac = new AbortController();
    let hashed = 0;
    const counting = {
      ...jose,
      calculateJwkThumbprint: (async (...args: Parameters<typeof jose.calculateJwkThumbprint>) => {
        if (++hashed === 10) ac.abort(Object.assign(new Error("deadline"), { name: "TimeoutError" }));
        return jose.calculateJwkThumbprint(...args);
      }) as typeof jose.calculateJwkThumbprint,
    };
    const ctx = makeContext({ signal: ac.signal, timeoutMs: 10_000 });
    await expect(loadJwks(counting, "primary", { jwks: s.url }, ctx, 10_000)).rejects.toMatchObject({ reason: "timeout" });
    expect(hashed).toBe(10);
  });
});

describe("commands stop being read at their cap", () => {
  it("a command that prints without end is invalid-response, quickly", async () => {
    const { err, ms } = await timed(runCommand(["yes"], { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT", message: "command yes: stdout exceeded 64 KiB (the read limit)" });
    expect(ms).toBeLessThan(5_000);
  });

  it("a grandchild holding the pipes cannot hold the probe", async () => {
    // sh does not exec its last command here, so SIGTERM ends sh and leaves `yes` writing.
    const { err, ms } = await timed(runCommand(["/bin/sh", "-c", "yes; :"], { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 }));
    expect(err).toMatchObject({ reason: "invalid-response", code: "READ_LIMIT" });
    expect(ms).toBeLessThan(5_000);
  });

  it("drill-recency and jwt command sources report the cap", async () => {
    const drill = await runCheck(drillCheck, { cadence: "0 10 * * 1", lastDrill: { command: ["yes"] } }, { timeoutMs: 60_000 });
    expect(drill).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "command yes: stdout exceeded 256 KiB (the read limit)" });
    const jwt = await runCheck(jwtCheck, { primary: { command: ["yes"] }, standby: { command: ["yes"] } }, { timeoutMs: 60_000 });
    expect(jwt).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(jwt.summary).toContain("primary token: command yes: stdout exceeded 1 MiB (the read limit)");
  });
});

/** A config of `checks` ([id, kind, YAML body]) with a 60 s timeout each: only the caps end them early. */
function hostileConfig(checks: Array<[string, string, string]>): string {
  const dir = tempDir("bounded");
  const file = join(dir, "standby.yml");
  const body = checks.map(([id, kind, yaml]) => `      - id: ${id}\n        kind: ${kind}\n        timeout: 60s\n        ${yaml}`).join("\n");
  writeFileSync(file, apiConfig(`${body}\n`));
  return file;
}

interface ReportCheck {
  id: string;
  status: string;
  reason: string | null;
  summary: string;
}

// The built CLI as a child process (npm run build first): its own peak RSS, read at its exit.
describe("standby scan against hostile servers stays small", () => {
  const LIMIT_MIB = 300;

  it("the Redis bomb of issue 14: unknown/invalid-response in seconds, peak RSS bounded", async () => {
    const redis = await start(redisBomb());
    const file = hostileConfig([["redis", "replication-lag", `engine: redis\n        primary: redis://127.0.0.1:${redis.port}\n        standby: redis://127.0.0.1:${redis.port}`]]);
    const r = await runCliMeasured(["scan", "-c", file, "-f", "json", "--no-history"]);
    expect(r.peakRssMiB, r.stderr).not.toBeNull();
    const report = JSON.parse(r.stdout) as { checks: ReportCheck[] };
    expect(report.checks[0]).toMatchObject({ status: "unknown", reason: "invalid-response", summary: expect.stringContaining(`reply from redis://127.0.0.1:${redis.port} exceeded ${formatBytes(REDIS_MAX_REPLY_BYTES)}`) });
    expect(r.wallMs).toBeLessThan(15_000);
    expect(r.peakRssMiB!).toBeLessThan(LIMIT_MIB);
    console.info(`[bounded-reads] redis bomb: peak RSS ${r.peakRssMiB} MiB, ${Math.round(r.wallMs)} ms`);
  }, 90_000);

  it("every hostile server at once (redis bulk and array, postgres rows and error, mysql packet and rows, TLS chain, endless command, 100,000-key JWKS)", async () => {
    const [redis, redisArray, pgRows, pgError, mysql, mysqlRows, tls, jwks] = await Promise.all([
      start(redisBomb()),
      start(redisBomb("array")),
      start(postgresBomb("rows")),
      start(postgresBomb("error")),
      start(mysqlBomb()),
      start(mysqlRowsBomb()),
      start(tlsServer(2000)),
      start(jwksServer(100_000)),
    ]);
    const file = hostileConfig([
      ["redis", "replication-lag", `engine: redis\n        primary: redis://127.0.0.1:${redis.port}\n        standby: redis://127.0.0.1:${redis.port}`],
      ["redis-array", "replication-lag", `engine: redis\n        primary: redis://127.0.0.1:${redisArray.port}\n        standby: redis://127.0.0.1:${redisArray.port}`],
      ["pg-rows", "replication-lag", `engine: postgres\n        primary: postgres://u:p@127.0.0.1:${pgRows.port}/db\n        standby: postgres://u:p@127.0.0.1:${pgRows.port}/db`],
      ["pg-error", "replication-lag", `engine: postgres\n        primary: postgres://u:p@127.0.0.1:${pgError.port}/db\n        standby: postgres://u:p@127.0.0.1:${pgError.port}/db`],
      ["mysql", "replication-lag", `engine: mysql\n        primary: mysql://u:p@127.0.0.1:${mysql.port}/db\n        standby: mysql://u:p@127.0.0.1:${mysql.port}/db`],
      ["mysql-rows", "replication-lag", `engine: mysql\n        primary: mysql://u:p@127.0.0.1:${mysqlRows.port}/db\n        standby: mysql://u:p@127.0.0.1:${mysqlRows.port}/db`],
      ["tls", "tls-certificate", `primary: { host: 127.0.0.1, port: ${tls.port} }\n        standby: { host: 127.0.0.1, port: ${tls.port} }`],
      ["drill", "drill-recency", `cadence: "0 10 * * 1"\n        lastDrill: { command: ["yes"] }`],
      ["jwks", "jwt", `primary: { jwks: "${jwks.url}" }\n        standby: { jwks: "${jwks.url}" }`],
    ]);
    const r = await runCliMeasured(["scan", "-c", file, "-f", "json", "--no-history"]);
    expect(r.peakRssMiB, r.stderr).not.toBeNull();
    const report = JSON.parse(r.stdout) as { checks: ReportCheck[] };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    for (const id of ["redis", "redis-array", "pg-rows", "pg-error", "mysql", "mysql-rows", "tls", "drill", "jwks"]) {
      expect(byId[id], id).toMatchObject({ status: "unknown", reason: "invalid-response" });
    }
    for (const id of ["redis", "redis-array"]) expect(byId[id]!.summary).toContain(`exceeded ${formatBytes(REDIS_MAX_REPLY_BYTES)}`);
    for (const id of ["pg-rows", "pg-error"]) expect(byId[id]!.summary).toContain(`exceeded ${formatBytes(POSTGRES_MAX_REPLY_BYTES)}`);
    for (const id of ["mysql", "mysql-rows"]) expect(byId[id]!.summary).toContain(`exceeded ${formatBytes(MYSQL_MAX_REPLY_BYTES)}`);
    expect(byId.tls!.summary).toContain("exceeded OpenSSL's size limit");
    expect(byId.drill!.summary).toContain("stdout exceeded 256 KiB");
    expect(r.stdout.length).toBeLessThan(100_000);
    expect(r.wallMs).toBeLessThan(20_000);
    expect(r.peakRssMiB!).toBeLessThan(LIMIT_MIB);
    console.info(`[bounded-reads] all hostile servers: peak RSS ${r.peakRssMiB} MiB, ${Math.round(r.wallMs)} ms, report ${r.stdout.length} bytes`);
  }, 90_000);
});
