// A password with reserved characters (#, %, @, /, ?, space) from ${env:} placed in a URL's
// userinfo works: the reference is percent-encoded there (it was "Invalid URL" / "URI malformed"),
// and both spellings are secrets. Through the parsers the probes use, and real Redis and PostgreSQL.
import { parse as parsePg } from "pg-connection-string";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfigText } from "../../src/config/load.js";
import { inUserinfo } from "../../src/config/refs.js";
import { secrets } from "../../src/core/secrets.js";
import { scan } from "../../src/engine/scan.js";
import { freePort, removeDir, skipMessage, tempDir } from "../helpers/servers/common.js";
import { postgresMissing, startPostgresPair } from "../helpers/servers/postgres.js";
import { RedisNode, redisMissing } from "../helpers/servers/redis.js";
import { startedForSuite } from "../helpers/servers/suite.js";

const PW = "p#w%d@x/y?z w:1";
const HEAD = "version: 1\nhistory: { enabled: false }\nservices:\n  - name: db\n    checks:\n";

afterEach(() => secrets.clear());

function load(checks: string, env: NodeJS.ProcessEnv) {
  return loadConfigText(HEAD + checks, { baseDir: process.cwd(), displayName: "standby.yml", env });
}
const optionsOf = (checks: string, env: NodeJS.ProcessEnv) => load(checks, env).checks[0]!.options as Record<string, string>;
const lag = (primary: string, standby: string) => `      - id: lag\n        kind: replication-lag\n        engine: postgres\n        primary: "${primary}"\n        standby: "${standby}"\n`;

describe("${env:} in a URL's userinfo", () => {
  it("is percent-encoded there, so the URL parses and the driver decodes the password as set", () => {
    const o = optionsOf(lag("postgres://app:${env:PW}@db1.internal:5432/orders", "postgres://${env:USER_AT}:${env:PW}@db2.internal/orders"), { PW, USER_AT: "ops@corp" });
    expect(o.primary).toBe(`postgres://app:${encodeURIComponent(PW)}@db1.internal:5432/orders`);
    const u = new URL(o.primary!);
    expect([u.hostname, u.port, u.pathname, decodeURIComponent(u.password)]).toEqual(["db1.internal", "5432", "/orders", PW]);
    // pg's own parser (what the probe hands the string to) and ioredis' agree.
    expect(parsePg(o.primary!)).toMatchObject({ user: "app", password: PW, host: "db1.internal", port: "5432", database: "orders" });
    expect(parsePg(o.standby!)).toMatchObject({ user: "ops@corp", password: PW, host: "db2.internal" });
  });

  it("is left as is elsewhere: a whole URL from ${env:}, a host, a path, a query", () => {
    expect(inUserinfo("postgres://u:${env:P}@h/db", "postgres://u:".length, "${env:P}".length)).toBe(true);
    expect(inUserinfo("redis://:${env:P}@h", "redis://:".length, "${env:P}".length)).toBe(true);
    expect(inUserinfo("${env:URL}", 0, "${env:URL}".length)).toBe(false);
    expect(inUserinfo("https://${env:HOST}/x", "https://".length, "${env:HOST}".length)).toBe(false);
    expect(inUserinfo("https://h/${env:P}@x", "https://h/".length, "${env:P}".length)).toBe(false);
    expect(inUserinfo("postgres://h/db?password=${env:P}", "postgres://h/db?password=".length, "${env:P}".length)).toBe(false);
    const o = optionsOf(lag("${env:URL}", "postgres://u@${env:HOST}/db"), { URL: "postgres://a:b@h/db", HOST: "db.internal:5433" });
    expect([o.primary, o.standby]).toEqual(["postgres://a:b@h/db", "postgres://u@db.internal:5433/db"]);
  });

  it("both spellings of the password are secrets", () => {
    load(lag("postgres://app:${env:PW}@db1.internal/orders", "postgres://db2.internal/orders"), { PW });
    expect(secrets.redact(`raw ${PW} encoded ${encodeURIComponent(PW)}`)).toBe("raw *** encoded ***");
  });
});

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip)(`a real Redis whose password has reserved characters${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  let dir = "";
  let node: RedisNode;
  beforeAll(async () => {
    dir = tempDir("redis-pw");
    const port = await freePort();
    node = new RedisNode("pw", port, dir);
    await node.start();
    await node.cmd("SET", "hb", new Date().toISOString());
    // Set over RESP (binary-safe): redis-server's argv is parsed as config text.
    await node.cmd("CONFIG", "SET", "requirepass", PW);
  });
  afterAll(async () => {
    await node?.stop();
    if (dir) removeDir(dir);
  });

  it("cache-age connects and reads the heartbeat with redis://:${env:PW}@; a wrong password is not-authorized", async () => {
    const checks = (pw: string) => `      - id: cache\n        kind: cache-age\n        redis: { url: "redis://:\${env:${pw}}@127.0.0.1:${node.port}", heartbeatKey: hb }\n        max: 1h\n`;
    const cfg = load(checks("PW"), { PW });
    const report = await scan(cfg, cfg.checks);
    expect(report.checks[0]).toMatchObject({ status: "pass" });
    const wrong = load(checks("WRONG"), { WRONG: PW.replace("#", "!") });
    const denied = await scan(wrong, wrong.checks);
    expect(denied.checks[0]).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(JSON.stringify([report, denied])).not.toMatch(/Invalid URL|URI malformed|check crashed/);
  });
});

const pgSkip = skipMessage("PostgreSQL", postgresMissing());
describe.skipIf(pgSkip)(`a real PostgreSQL whose password has reserved characters${pgSkip ? ` (${pgSkip})` : ""}`, () => {
  const pair = startedForSuite("PostgreSQL", postgresMissing, startPostgresPair);

  it("split-brain connects as app with postgres://app:${env:PG_PW}@ to both nodes", async () => {
    await pair().primary.query(`ALTER ROLE app PASSWORD '${PW.replace(/'/g, "''")}'`);
    const url = (port: number) => `postgres://app:\${env:PG_PW}@127.0.0.1:${port}/postgres`;
    const checks = `      - id: roles\n        kind: split-brain\n        engine: postgres\n        primary: "${url(pair().primary.port)}"\n        standby: "${url(pair().standby.port)}"\n`;
    const cfg = load(checks, { PG_PW: PW });
    // The role change reaches the standby by replication.
    let report = await scan(cfg, cfg.checks);
    for (let i = 0; i < 20 && report.checks[0]!.status !== "pass"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      report = await scan(cfg, cfg.checks);
    }
    expect(report.checks[0]!.status, report.checks[0]!.summary).toBe("pass");
    expect(JSON.stringify(report)).not.toContain(PW);
  });
});
