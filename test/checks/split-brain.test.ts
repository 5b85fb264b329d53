// split-brain through the one tester, against real servers on loopback: every node is asked its
// role; two writable primaries fail naming both; an unreachable node is unknown, never "not primary".
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/split-brain/index.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { closedPort, skipMessage, waitFor } from "../helpers/servers/common.js";
import { mariadbMissing, startMariaPair } from "../helpers/servers/mariadb.js";
import { postgresMissing, startPostgresPair } from "../helpers/servers/postgres.js";
import { redisMissing, relinkRedis, startRedisPair, startSentinel, type RedisNode } from "../helpers/servers/redis.js";
import { startedForSuite } from "../helpers/servers/suite.js";

const CANARY = "CANARY-pw-5518kz";

describe("split-brain options", () => {
  const issues = (raw: Record<string, unknown>) => {
    const r = parseOptions(check, raw);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };

  it("needs primary and standby, and masterName with sentinels, naming the option", () => {
    expect(issues({ engine: "postgres", primary: "postgres://a/db" })).toEqual([{ path: "standby", message: expect.stringMatching(/expected string/) }]);
    expect(issues({ engine: "redis", primary: "redis://a", standby: "redis://b", sentinels: ["redis://s:26379"] })).toEqual([{ path: "masterName", message: "set masterName, the name the sentinels monitor" }]);
    expect(parseOptions(check, { engine: "redis", primary: "redis://a", standby: "redis://b", sentinels: ["redis://s:26379"], masterName: "orders" }).success).toBe(true);
    expect(issues({ engine: "postgres", primary: "postgres://a/db", standby: "postgres://b/db", sentinels: ["redis://s:26379"], masterName: "orders" })).toEqual([
      { path: "sentinels", message: "sentinels apply to engine redis only" },
    ]);
    expect(issues({ engine: "postgres", primary: "postgres://a/db", standby: "postgres://b/db", nodes: { primary: "postgres://c/db" } })).toEqual([
      { path: "nodes.primary", message: "'primary' is taken by the primary option" },
    ]);
    expect(issues({ engine: "postgres", primary: "postgres://a/db", standby: "postgres://b/db", nodes: { "-dr": "postgres://c/db" } })).toEqual([
      { path: "nodes.-dr", message: "expected a node name of letters, digits, '.', '_' or '-'" },
    ]);
  });
});

const pgSkip = skipMessage("PostgreSQL", postgresMissing());
describe.skipIf(pgSkip)(`split-brain: PostgreSQL${pgSkip ? ` (${pgSkip})` : ""}`, () => {
  const pair = startedForSuite("PostgreSQL", postgresMissing, startPostgresPair);
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "postgres" as const, primary: pair().primary.url, standby: pair().standby.url, ...extra });

  it("one primary, one standby in recovery: passes", async () => {
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.measured).toMatchObject({ value: 1, limit: 1 });
    expect(out.summary).toContain(`one writable primary: primary (127.0.0.1:${pair().primary.port})`);
    const nodes = out.evidence!.nodes as { name: string; role: string; upstream: string | null }[];
    expect(nodes.find((n) => n.name === "standby")).toMatchObject({ role: "replica", upstream: `127.0.0.1:${pair().primary.port}` });
  });

  it("an unreachable node makes the result unknown, never 'not primary'", async () => {
    const dead = await closedPort();
    const out = await runCheck(check, opts({ nodes: { dr: `postgres://app:${CANARY}@127.0.0.1:${dead}/postgres` } }));
    expect(out).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(out.summary).toBe(`node dr postgres://app@127.0.0.1:${dead}/postgres: connection refused (ECONNREFUSED); a node that did not answer may still accept writes`);
    expect(out.measured).toBeNull();
    const nodes = out.evidence!.nodes as { name: string; unanswered?: { reason: string } }[];
    expect(nodes.find((n) => n.name === "dr")).toMatchObject({ unanswered: { reason: "unreachable" } });
    expect(JSON.stringify(out)).not.toContain(CANARY);
  });

  it("standby promoted: fails naming both writable nodes, even with another node unreachable", async () => {
    await pair().standby.query("SELECT pg_promote(true, 30)");
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("fail");
    expect(out.measured!.value).toBe(2);
    expect(out.summary).toContain(`2 nodes accept writes: primary (127.0.0.1:${pair().primary.port}), standby (127.0.0.1:${pair().standby.port})`);

    const dead = await closedPort();
    const partial = await runCheck(check, opts({ nodes: { dr: `postgres://postgres@127.0.0.1:${dead}/postgres` } }));
    expect(partial.status, partial.summary).toBe("fail");
  });
});

const mySkip = skipMessage("MariaDB", mariadbMissing());
describe.skipIf(mySkip)(`split-brain: MariaDB${mySkip ? ` (${mySkip})` : ""}`, () => {
  const pair = startedForSuite("MariaDB", mariadbMissing, startMariaPair);
  const opts = () => ({ engine: "mysql" as const, primary: pair().primary.url, standby: pair().replica.url });

  it("read_only replica: passes", async () => {
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    const nodes = out.evidence!.nodes as { name: string; role: string; detail: { readOnly: boolean } }[];
    expect(nodes.find((n) => n.name === "standby")).toMatchObject({ role: "replica", detail: { readOnly: true } });
  });

  it("read_only off on the replica: a writable replica and two writable nodes fail", async () => {
    pair().replica.sql("SET GLOBAL read_only=0");
    try {
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.findings!.map((f) => f.rule)).toEqual(expect.arrayContaining(["split-brain", "writable-replica"]));
      expect(out.summary).toContain(`primary (127.0.0.1:${pair().primary.port}), standby (127.0.0.1:${pair().replica.port})`);
    } finally {
      pair().replica.sql("SET GLOBAL read_only=1");
    }
  });

  it("replication reset and read_only off on both: two primaries", async () => {
    pair().replica.sql("STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0");
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("fail");
    expect(out.measured!.value).toBe(2);
    const nodes = out.evidence!.nodes as { name: string; role: string }[];
    expect(nodes.map((n) => n.role)).toEqual(["primary", "primary"]);
  });
});

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip)(`split-brain: Redis${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  const pair = startedForSuite("Redis", redisMissing, startRedisPair);
  let sentinel: RedisNode;
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "redis" as const, primary: pair().primary.url, standby: pair().replica.url, ...extra });

  beforeAll(async () => {
    sentinel = await startSentinel(pair(), "orders");
  });
  afterAll(async () => sentinel?.stop());

  it("master + read-only replica: passes", async () => {
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.summary).toContain(`standby is a read-only replica of 127.0.0.1:${pair().primary.port}`);
  });

  it("an unreachable node: unknown", async () => {
    const dead = await closedPort();
    const out = await runCheck(check, opts({ standby: `redis://:${CANARY}@127.0.0.1:${dead}` }));
    expect(out).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(out.summary).toBe(`standby redis://127.0.0.1:${dead}: connection refused (ECONNREFUSED); a node that did not answer may still accept writes`);
    expect(JSON.stringify(out)).not.toContain(CANARY);
  });

  it("a node that accepts connections but never answers: unknown, cut short by the check's signal", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      const out = await runCheck(check, opts({ nodes: { dr: `redis://:${CANARY}@127.0.0.1:${port}` } }), { timeoutMs: 300 });
      expect(out).toMatchObject({ status: "unknown", reason: "timeout" });
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(JSON.stringify(out)).not.toContain(CANARY);
    } finally {
      silent.close();
    }
  });

  it("a writable replica (replica-read-only no) fails", async () => {
    await pair().replica.cmd("CONFIG", "SET", "replica-read-only", "no");
    try {
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.findings!.map((f) => f.rule)).toContain("writable-replica");
    } finally {
      await pair().replica.cmd("CONFIG", "SET", "replica-read-only", "yes");
    }
  });

  it("sentinel agrees with the nodes: passes; a sentinel that does not know the master name fails", async () => {
    const ok = await runCheck(check, opts({ sentinels: [sentinel.url], masterName: "orders" }));
    expect(ok.status, ok.summary).toBe("pass");
    const unknownName = await runCheck(check, opts({ sentinels: [sentinel.url], masterName: "billing" }));
    expect(unknownName.status, unknownName.summary).toBe("fail");
    expect(unknownName.findings!.map((f) => f.rule)).toContain("sentinel-unknown-master");
  });

  it("REPLICAOF NO ONE with a sentinel still pointing at the old primary: the extra writable node is named", async () => {
    await pair().replica.cmd("REPLICAOF", "NO", "ONE");
    try {
      await waitFor("replica to be master", async () => (await pair().replica.info()).role === "master");
      const out = await runCheck(check, opts({ sentinels: [sentinel.url], masterName: "orders" }));
      expect(out.status, out.summary).toBe("fail");
      expect(out.findings!.map((f) => f.rule)).toEqual(expect.arrayContaining(["split-brain", "sentinel-split"]));
      expect(out.findings!.find((f) => f.rule === "sentinel-split")!.message).toBe(`standby (127.0.0.1:${pair().replica.port}) accepts writes but the sentinels send writes to 127.0.0.1:${pair().primary.port}`);
    } finally {
      await sentinel.stop(); // a sentinel would eventually turn the rogue master back into a replica
      await relinkRedis(pair());
    }
  });

  it("REPLICAOF NO ONE on the replica: two masters, a fail naming both", async () => {
    await pair().replica.cmd("REPLICAOF", "NO", "ONE");
    try {
      await waitFor("replica to be master", async () => (await pair().replica.info()).role === "master");
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.summary).toContain(`2 nodes accept writes: primary (127.0.0.1:${pair().primary.port}), standby (127.0.0.1:${pair().replica.port})`);
    } finally {
      await relinkRedis(pair());
    }
    expect((await runCheck(check, opts())).status).toBe("pass");
  });
});
