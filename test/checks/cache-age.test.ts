// cache-age through the one tester: RFC 9111 arithmetic as pure functions, a real node:http
// server with controlled headers and bodies, a real Redis primary/standby pair with different
// keyspaces, and files with set modification times.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check, { judgeAge, type AgeInput } from "../../checks/cache-age/index.js";
import { budgetLimits } from "../../src/kit/index.js";
import { cdnVerdict, currentAge, freshnessLifetime, parseCacheControl } from "../../src/probes/http-cache.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { decisionTable } from "../helpers/decision-table.js";
import { optionProblems } from "../helpers/option-problems.js";
import { assertPresent, closedPort, freePort, removeDir, skipMessage, tempDir } from "../helpers/servers/common.js";
import { RedisNode, redisMissing } from "../helpers/servers/redis.js";

const NOW = new Date("2026-11-25T02:17:00.000Z");
const now = () => NOW;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe("RFC 9111 age and freshness", () => {
  it("computes current age from Age, Date, request and response times (4.2.3)", () => {
    const t = NOW.getTime();
    // Date 10 s before the response, Age 30 s, 2 s in flight, evaluated 5 s after receipt.
    const a = currentAge({ age: "30", date: ago(10 * S).toUTCString(), requestTime: t - 2 * S, responseTime: t, now: t + 5 * S });
    expect(a.apparentAge).toBe(10 * S);
    expect(a.responseDelay).toBe(2 * S);
    expect(a.correctedAgeValue).toBe(32 * S);
    expect(a.correctedInitialAge).toBe(32 * S);
    expect(a.residentTime).toBe(5 * S);
    expect(a.currentAge).toBe(37 * S);
    // A Date far in the past beats a small Age: apparent age wins.
    expect(currentAge({ age: "5", date: ago(H).toUTCString(), requestTime: t, responseTime: t }).currentAge).toBe(H);
    // Date in the future (clock skew) gives apparent age 0, never negative; junk Age counts as 0.
    expect(currentAge({ age: "soon", date: new Date(t + H).toUTCString(), requestTime: t, responseTime: t }).currentAge).toBe(0);
    expect(currentAge({ requestTime: t, responseTime: t }).currentAge).toBe(0);
  });

  it("takes the freshness lifetime from s-maxage, max-age, Expires - Date, then 10% of Date - Last-Modified (4.2.1, 4.2.2)", () => {
    const date = NOW.toUTCString();
    expect(freshnessLifetime({ cacheControl: "max-age=60, s-maxage=600", date })).toMatchObject({ lifetime: 600 * S, source: "s-maxage" });
    expect(freshnessLifetime({ cacheControl: "max-age=60, s-maxage=600", date, shared: false })).toMatchObject({ lifetime: 60 * S, source: "max-age" });
    expect(freshnessLifetime({ expires: new Date(NOW.getTime() + 90 * S).toUTCString(), date })).toMatchObject({ lifetime: 90 * S, source: "expires" });
    expect(freshnessLifetime({ expires: "0", date })).toMatchObject({ lifetime: 0, source: "expires" });
    expect(freshnessLifetime({ lastModified: ago(10 * H).toUTCString(), date })).toMatchObject({ lifetime: H, source: "heuristic" });
    expect(freshnessLifetime({ date })).toMatchObject({ lifetime: 0, source: "none" });
    expect(freshnessLifetime({ cacheControl: "private, max-age=60", date }).restrictions).toEqual(["private"]);
  });

  it("parses Cache-Control directives with quoted values and reads CDN claims", () => {
    expect(parseCacheControl('Max-Age=60, no-cache="set-cookie, x-a", public')).toEqual({ "max-age": "60", "no-cache": "set-cookie, x-a", public: true });
    expect(cdnVerdict({ "cf-cache-status": "HIT" })).toBe("hit");
    expect(cdnVerdict({ "x-cache": "Miss from cloudfront" })).toBe("miss");
    expect(cdnVerdict({})).toBeNull();
  });
});

describe("options", () => {
  it("needs exactly one source", () => {
    expect(optionProblems("cache-age", {})).toEqual([": expected exactly one source: http, redis or file"]);
    expect(optionProblems("cache-age", { file: "a", http: { url: "http://x/" } })).toEqual([": expected exactly one source: http, redis or file"]);
    expect(optionProblems("cache-age", { redis: { url: "redis://x" } })).toEqual(["redis: expected heartbeatKey (age) or primary (warmth), or both"]);
    expect(parseOptions(check, { file: "cache.bin", max: "1h" }).success).toBe(true);
  });

  it("takes warnAt as a percentage of max or as a duration", () => {
    expect(parseOptions(check, { file: "a" }).data).toMatchObject({ warnAt: "80%" });
    expect(parseOptions(check, { file: "a", warnAt: "50%" }).data).toMatchObject({ warnAt: "50%" });
    expect(parseOptions(check, { file: "a", max: "1h", warnAt: "45m" }).data).toMatchObject({ max: 3_600_000, warnAt: 2_700_000 });
  });

  it("names the path and the problem of each invalid option", () => {
    expect(optionProblems("cache-age", { file: "a", warnAt: "180%" })).toEqual(["warnAt: expected a percentage like 80% or a duration like 4m"]);
    expect(optionProblems("cache-age", { file: "a", max: "soon" })).toEqual([expect.stringMatching(/^max: /)]);
    expect(optionProblems("cache-age", { http: { url: "ftp://x" } })).toEqual(["http.url: expected an http:// or https:// URL"]);
    expect(optionProblems("cache-age", { http: { url: "http://x", timestamp: "generatedAt" } })).toEqual(["http.timestamp: expected a JSON pointer like /generatedAt or /data/0/version"]);
    expect(optionProblems("cache-age", { redis: { url: "redis://x", heartbeatKey: "k", minWarmth: 2 } })).toEqual([expect.stringMatching(/^redis\.minWarmth: /)]);
  });
});

// The age judgement: the budget from max (default the RPO) and warnAt (80% or a duration).
type AgeCase = { ageMs: number; max?: number; warnAt?: string | number; rpoMs?: number };
const judge = ({ ageMs, max, warnAt = "80%", rpoMs = 5 * M }: AgeCase) => judgeAge({ ageMs, label: "content", limits: budgetLimits({ max, warnAt }, rpoMs) } satisfies AgeInput);
decisionTable("cache-age: age against the budget", judge, [
  { name: "well inside: nothing", input: { ageMs: M }, expected: null },
  { name: "just below 80% of the RPO: nothing", input: { ageMs: 4 * M - 1 }, expected: null },
  { name: "at 80% of the RPO: warns", input: { ageMs: 4 * M }, expected: { level: "warn", path: "age", message: "content is 4m old, past the warning at 4m" } },
  { name: "at the limit itself: still a warning, not over it", input: { ageMs: 5 * M }, expected: { level: "warn" } },
  { name: "over the RPO: fails, saying the limit is the RPO", input: { ageMs: 6 * M }, expected: { path: "age", message: "content is 6m old, over the 5m limit (RPO)", rule: "over-limit", why: "a failover would serve content this old" } },
  { name: "max replaces the RPO: no (RPO)", input: { ageMs: 2 * H, max: 15 * M }, expected: { message: "content is 2h old, over the 15m limit" } },
  { name: "a percentage warnAt is a share of max", input: { ageMs: 31 * M, max: H, warnAt: "50%" }, expected: { level: "warn", message: "content is 31m old, past the warning at 30m" } },
  { name: "a duration warnAt is that age", input: { ageMs: 10 * M, max: H, warnAt: 10 * M }, expected: { level: "warn" } },
  { name: "a duration warnAt beyond max warns at max", input: { ageMs: H, max: H, warnAt: 2 * H }, expected: { level: "warn", message: "content is 1h old, past the warning at 1h" } },
  { name: "over max with a later warnAt still fails", input: { ageMs: H + M, max: H, warnAt: 2 * H }, expected: { message: "content is 1h1m old, over the 1h limit" } },
]);

describe("http", () => {
  let server: Server;
  let base: string;
  type Route = { status?: number; headers?: Record<string, string>; body?: unknown };
  const routes: Record<string, Route> = {
    // Cached 30 s ago by the CDN, content generated a minute ago.
    "/standby/fresh": {
      headers: { date: ago(10 * S).toUTCString(), age: "30", "cache-control": "public, max-age=300", "x-cache": "HIT", etag: '"v42"', "last-modified": ago(H).toUTCString() },
      body: { generatedAt: ago(M).toISOString(), version: "v42" },
    },
    "/primary/fresh": {
      headers: { date: NOW.toUTCString(), "cache-control": "public, max-age=300", etag: 'W/"v42"', "last-modified": ago(H).toUTCString() },
      body: { generatedAt: ago(20 * S).toISOString(), version: "v42" },
    },
    // The CDN claims a fresh hit, but the content inside is two hours old.
    "/standby/old-content": {
      headers: { date: NOW.toUTCString(), age: "0", "cache-control": "max-age=300", "cf-cache-status": "HIT" },
      body: { generatedAt: Math.floor(ago(2 * H).getTime() / 1000), version: "v41" },
    },
    // Held by a cache for 10 minutes although it was fresh for one.
    "/standby/stale": { headers: { date: NOW.toUTCString(), age: "600", "cache-control": "max-age=60", "x-cache": "HIT" }, body: "plain" },
    "/standby/drifted": {
      headers: { date: NOW.toUTCString(), "cache-control": "max-age=60", etag: '"v41"', "last-modified": ago(3 * H).toUTCString() },
      body: { generatedAt: ago(M).toISOString(), version: "v41" },
    },
    "/standby/error": { status: 503, body: { error: "down" } },
    "/standby/denied": { status: 403, body: { error: "no" } },
    "/standby/not-json": { headers: { date: NOW.toUTCString() }, body: "<html>" },
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const r = routes[req.url ?? ""];
      if (!r) {
        res.writeHead(404).end();
        return;
      }
      const body = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status ?? 200, { "content-type": typeof r.body === "string" ? "text/plain" : "application/json", ...(r.headers ?? {}) });
      res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it("measures the honest content age from a body timestamp and reports RFC 9111 age and CDN headers as evidence", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/fresh`, timestamp: "/generatedAt" } }, { now });
    expect(r.status).toBe("pass");
    expect(r.measured).toMatchObject({ value: 60, unit: "s", limit: 300, warnAt: 240 });
    const ev = r.evidence as { rfc9111: Record<string, unknown>; cdn: { headers: Record<string, string>; claims: string } };
    expect(ev.rfc9111).toMatchObject({ apparentAgeMs: 10 * S, correctedInitialAgeMs: 30 * S, currentAgeMs: 30 * S, freshnessLifetimeMs: 300 * S, freshnessFrom: "max-age", fresh: true });
    expect(ev.cdn.headers).toMatchObject({ "x-cache": "HIT", age: "30" });
    expect(ev.cdn.claims).toBe("hit");
    expect(r.summary).toContain("content 1m old");
  });

  it("fails on old content even when the CDN says HIT with Age 0 (headers are evidence, not truth)", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/old-content`, timestamp: "/generatedAt" }, max: "15m" }, { now });
    expect(r.status).toBe("fail");
    expect(r.measured).toMatchObject({ value: 7200, limit: 900 });
    expect(r.findings![0]!.message).toContain("2h old, over the 15m limit");
    expect((r.evidence as { rfc9111: { currentAgeMs: number } }).rfc9111.currentAgeMs).toBe(0);
  });

  it("without a body timestamp, judges the RFC 9111 current age and flags a stale response", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/stale` } }, { now });
    expect(r.status).toBe("fail");
    expect(r.measured!.value).toBe(600);
    expect(r.findings!.map((f) => f.path)).toEqual(["age", "freshness"]);
    expect(r.findings![1]!.level).toBe("warn");
    // Within the limit the staleness alone warns.
    const w = await runCheck(check, { http: { url: `${base}/standby/stale` }, max: "1h" }, { now });
    expect(w.status).toBe("warn");
  });

  it("warns past 80% of the limit, which defaults to objectives.rpo", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/fresh`, timestamp: "/generatedAt" } }, { now, objectives: { rpo: 70 * S, rto: H } });
    expect(r.status).toBe("warn");
    expect(r.measured).toMatchObject({ value: 60, limit: 70, warnAt: 56 });
  });

  it("passes parity when ETag (weakly), Last-Modified and version match the primary", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/fresh`, primary: `${base}/primary/fresh`, timestamp: "/generatedAt", version: "/version" } }, { now });
    expect(r.status).toBe("pass");
    expect(r.findings).toEqual([]);
    expect((r.evidence as { primaryContent: { standbyBehindMs: number } }).primaryContent.standbyBehindMs).toBe(40 * S);
  });

  it("fails when the standby serves a different ETag, Last-Modified or version than the primary", async () => {
    const r = await runCheck(check, { http: { url: `${base}/standby/drifted`, primary: `${base}/primary/fresh`, version: "/version" } }, { now });
    expect(r.status).toBe("fail");
    expect(r.findings!.map((f) => f.path).sort()).toEqual(["parity.etag", "parity.last-modified", "parity.version"]);
    const v = r.findings!.find((f) => f.path === "parity.version")!;
    expect(v).toMatchObject({ primary: "v42", standby: "v41", change: "changed", rule: "content-parity" });
    // The age is not what failed: no measured value beside the parity failure; it is kept as the reading.
    expect(r.measured).toBeNull();
    expect(r.reading).toMatchObject({ unit: "s", value: expect.any(Number), limit: 300 });
  });

  it("is unknown, never pass, when the standby cannot be read", async () => {
    const e = await runCheck(check, { http: { url: `${base}/standby/error` } }, { now });
    expect(e).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(e.summary).toContain("503");
    expect(await runCheck(check, { http: { url: `${base}/standby/denied` } }, { now })).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(await runCheck(check, { http: { url: `${base}/standby/not-json`, timestamp: "/generatedAt" } }, { now })).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(await runCheck(check, { http: { url: `${base}/standby/fresh`, timestamp: "/missing" } }, { now })).toMatchObject({ status: "unknown", reason: "invalid-response" });
    const port = await closedPort();
    const refused = await runCheck(check, { http: { url: `http://127.0.0.1:${port}/x?token=Q-CANARY` } }, { now });
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable", summary: `standby http://127.0.0.1:${port}/x: connection refused (ECONNREFUSED)` });
    expect(refused.evidence).toEqual({ source: "http", unread: true, limitMs: 5 * M, warnAtMs: 4 * M });
  });

  it("names the side, the URL and the cause of each unread side", async () => {
    const e = await runCheck(check, { http: { url: `${base}/standby/error` } }, { now });
    expect(e.summary).toBe(`standby ${base}/standby/error answered HTTP 503 Service Unavailable`);
    const j = await runCheck(check, { http: { url: `${base}/standby/not-json`, timestamp: "/generatedAt" } }, { now });
    expect(j.summary).toBe(`standby ${base}/standby/not-json: the body is not valid JSON (line 1, column 1: expected a value, found '<' (HTML or XML, not JSON))`);
    const p = await runCheck(check, { http: { url: `${base}/standby/fresh`, timestamp: "/missing" } }, { now });
    expect(p.summary).toBe(`standby ${base}/standby/fresh: the body has nothing at /missing`);
  });

  it("an unread primary leaves parity undecided: unknown, but a standby too old still fails", async () => {
    const port = await closedPort();
    const primary = `http://127.0.0.1:${port}/primary`;
    const unknown = await runCheck(check, { http: { url: `${base}/standby/fresh`, primary, timestamp: "/generatedAt" } }, { now });
    expect(unknown).toMatchObject({ status: "unknown", reason: "unreachable", summary: `primary ${primary}: connection refused (ECONNREFUSED)` });
    expect(unknown.measured).toMatchObject({ value: 60, limit: 300 });
    const fail = await runCheck(check, { http: { url: `${base}/standby/old-content`, primary, timestamp: "/generatedAt" }, max: "15m" }, { now });
    expect(fail).toMatchObject({ status: "fail", summary: "content is 2h old, over the 15m limit" });
  });
});

describe("file", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "standby-cache-age-"));
    writeFileSync(join(dir, "catalog.snapshot"), "data");
    utimesSync(join(dir, "catalog.snapshot"), ago(2 * H), ago(2 * H));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("measures a cached artifact's modification age against max", async () => {
    const fail = await runCheck(check, { file: "catalog.snapshot", max: "1h" }, { now, baseDir: dir });
    expect(fail.status).toBe("fail");
    expect(fail.measured).toMatchObject({ value: 7200, limit: 3600 });
    expect(await runCheck(check, { file: { path: "catalog.snapshot" }, max: "2h15m" }, { now, baseDir: dir })).toMatchObject({ status: "warn" });
    expect(await runCheck(check, { file: join(dir, "catalog.snapshot"), max: "6h" }, { now })).toMatchObject({ status: "pass" });
  });

  it("fails when the artifact is missing (nothing cached to serve)", async () => {
    const r = await runCheck(check, { file: "nope.snapshot" }, { now, baseDir: dir });
    expect(r).toMatchObject({ status: "fail", summary: "cached artifact nope.snapshot does not exist" });
    expect(r.evidence).toEqual({ source: "file", file: "nope.snapshot", limitMs: 5 * M, warnAtMs: 4 * M });
  });

  it("is unknown/unreadable-input when the artifact cannot be looked at", async () => {
    const r = await runCheck(check, { file: "catalog.snapshot/inner" }, { now, baseDir: dir });
    expect(r).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby catalog.snapshot/inner: a parent is not a directory (ENOTDIR)" });
  });

  it.skipIf(process.getuid?.() === 0)("is unknown/unreadable-input when permission is denied", async () => {
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked", "a.snapshot"), "x");
    chmodSync(join(dir, "locked"), 0o000);
    try {
      const r = await runCheck(check, { file: "locked/a.snapshot" }, { now, baseDir: dir });
      expect(r).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby locked/a.snapshot: permission denied (EACCES)" });
    } finally {
      chmodSync(join(dir, "locked"), 0o700);
    }
  });

  it("reports the age and its budget as evidence", async () => {
    const r = await runCheck(check, { file: "catalog.snapshot", max: "3h", warnAt: "1h" }, { now, baseDir: dir });
    expect(r).toMatchObject({ status: "warn", summary: "file catalog.snapshot is 2h old, past the warning at 1h" });
    expect(r.measured).toEqual({ value: 7200, unit: "s", limit: 10800, warnAt: 3600 });
    expect(r.evidence).toEqual({ source: "file", file: "catalog.snapshot", modified: ago(2 * H).toISOString(), ageMs: 2 * H, limitMs: 3 * H, warnAtMs: H });
  });
});

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip !== null)(`redis${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  let dir: string;
  let primary: RedisNode;
  let standby: RedisNode;

  beforeAll(async () => {
    assertPresent("Redis", redisMissing());
    dir = tempDir("cache-age-redis");
    primary = new RedisNode("primary", await freePort(), dir);
    standby = new RedisNode("standby", await freePort(), dir);
    await Promise.all([primary.start(), standby.start()]);
    // Two independent caches: the primary holds 100 keys, the standby 30 (one is the heartbeat).
    for (let i = 0; i < 100; i++) await primary.cmd("SET", `item:${i}`, "x");
    for (let i = 0; i < 29; i++) await standby.cmd("SET", `item:${i}`, "x");
    await standby.cmd("SET", "app:heartbeat", ago(20 * S).toISOString());
    await standby.cmd("SET", "app:heartbeat-epoch", String(Math.floor(ago(2 * H).getTime() / 1000)));
    await standby.cmd("SET", "app:garbage", "not a time");
  }, 30_000);
  afterAll(async () => {
    await Promise.all([primary?.stop(), standby?.stop()]);
    removeDir(dir);
  });

  it("measures the heartbeat key's age", async () => {
    const r = await runCheck(check, { redis: { url: standby.url, heartbeatKey: "app:heartbeat" } }, { now });
    expect(r.status).toBe("pass");
    expect(r.measured).toMatchObject({ value: 20, unit: "s" });
    const old = await runCheck(check, { redis: { url: standby.url, heartbeatKey: "app:heartbeat-epoch" }, max: "1h" }, { now });
    expect(old.status).toBe("fail");
    expect(old.measured!.value).toBe(7200);
  });

  it("fails when the heartbeat key is missing and is unknown when it holds no timestamp", async () => {
    const r = await runCheck(check, { redis: { url: standby.url, heartbeatKey: "app:none" } }, { now });
    expect(r.status).toBe("fail");
    expect(r.findings![0]!.path).toBe("heartbeat");
    const garbage = await runCheck(check, { redis: { url: standby.url, heartbeatKey: "app:garbage" } }, { now });
    expect(garbage).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(garbage.summary).toMatch(/^standby redis:\/\/[^ ]+ heartbeat key app:garbage is not a timestamp/);
  });

  it("compares the standby's keyspace with the primary's against minWarmth", async () => {
    const cold = await runCheck(check, { redis: { url: standby.url, primary: primary.url } }, { now });
    expect(cold.status).toBe("fail");
    expect(cold.measured).toMatchObject({ value: 0.32, unit: "ratio", limit: 0.8 });
    expect(cold.findings![0]).toMatchObject({ path: "warmth", primary: 100, standby: 32 });
    const warm = await runCheck(check, { redis: { url: standby.url, primary: primary.url, heartbeatKey: "app:heartbeat", minWarmth: 0.3 } }, { now });
    expect(warm.status).toBe("pass");
    expect(warm.summary).toContain("warmth 32%");
  });

  it("is unknown when Redis is unreachable", async () => {
    const port = await closedPort();
    const r = await runCheck(check, { redis: { url: `redis://127.0.0.1:${port}`, heartbeatKey: "k" } }, { now, timeoutMs: 2000 });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable", summary: `standby redis://127.0.0.1:${port}: connection refused (ECONNREFUSED)` });
    // A primary that cannot be read leaves the warmth undecided; the standby's heartbeat is still judged.
    const half = await runCheck(check, { redis: { url: standby.url, primary: `redis://127.0.0.1:${port}`, heartbeatKey: "app:heartbeat" } }, { now, timeoutMs: 2000 });
    expect(half).toMatchObject({ status: "unknown", reason: "unreachable", summary: `primary redis://127.0.0.1:${port}: connection refused (ECONNREFUSED)` });
    expect(half.measured).toMatchObject({ value: 20, unit: "s" });
  });
});
