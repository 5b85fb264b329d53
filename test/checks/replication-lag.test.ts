// replication-lag through the one tester, against real servers on loopback: a PostgreSQL primary
// with a streaming standby, a MariaDB primary with a GTID replica, a Redis primary with a replica.
// Each pitfall of the naive measure has a test that the naive measure would fail.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { loadedSources } from "../helpers/loaded-sources.js";
import { closedPort, sleep, skipMessage, startStallProxy, waitFor } from "../helpers/servers/common.js";
import { MONITOR_PASSWORD, mariadbMissing, startMariaPair, waitMariaCaughtUp } from "../helpers/servers/mariadb.js";
import { APP_PASSWORD, postgresMissing, startPostgresPair, waitCaughtUp } from "../helpers/servers/postgres.js";
import { redisMissing, relinkRedis, startRedisPair } from "../helpers/servers/redis.js";
import { startedForSuite } from "../helpers/servers/suite.js";

const CANARY = "CANARY-pw-7731xq";

/** A loopback server that answers every connection with `reply` (an HTTP server, say). */
async function garbageServer(reply: string | Buffer): Promise<{ port: number; close(): void }> {
  const srv: Server = createServer((sock) => {
    sock.on("error", () => undefined);
    sock.write(reply);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return { port: (srv.address() as { port: number }).port, close: () => srv.close() };
}

describe("replication-lag options", () => {
  const base = { engine: "redis", primary: "redis://p", standby: "redis://s" };
  const issues = (raw: Record<string, unknown>) => {
    const r = parseOptions(check, raw);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };
  it("warnAt: a percentage or a duration, else its path and what it expects", () => {
    expect(parseOptions(check, { ...base, warnAt: "50%" }).success).toBe(true);
    expect(parseOptions(check, { ...base, warnAt: "30s" }).success).toBe(true);
    expect(issues({ ...base, warnAt: "soon" })).toEqual([{ path: "warnAt", message: expect.stringContaining("expected a percentage like 80% or a duration like 4m") }]);
  });
  it("max, maxBytes and the heartbeat table: path and message", () => {
    expect(issues({ ...base, max: "often" })).toEqual([{ path: "max", message: expect.stringMatching(/duration/) }]);
    expect(issues({ ...base, maxBytes: 0 })).toEqual([{ path: "maxBytes", message: expect.stringMatching(/>0|greater than 0|too small/i) }]);
    expect(issues({ engine: "heartbeat", standby: "postgres://s/db", heartbeat: { table: "t; DROP TABLE x" } })).toEqual([
      { path: "heartbeat.table", message: "expected a table name like standby_heartbeat or db.standby_heartbeat" },
    ]);
  });
  it("primary: required except for a read-only heartbeat; heartbeat not with redis", () => {
    expect(issues({ engine: "postgres", standby: "postgres://s/db" })).toEqual([{ path: "primary", message: "engine postgres compares the standby with the primary: set primary to its connection string" }]);
    expect(issues({ engine: "heartbeat", standby: "postgres://s/db", heartbeat: { write: true } })).toEqual([{ path: "primary", message: "engine heartbeat compares the standby with the primary: set primary to its connection string" }]);
    expect(issues({ ...base, heartbeat: {} })).toEqual([{ path: "heartbeat", message: "heartbeat works with SQL engines (postgres, mysql), not redis" }]);
  });
});

describe("database drivers stay out of runs that do not query a database", () => {
  it("validating a config with replication-lag and split-brain checks (built CLI) loads neither pg, mysql2 nor ioredis", () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-trace-"));
    const config = join(dir, "standby.yml");
    writeFileSync(
      config,
      [
        "version: 1",
        "services:",
        "  - name: orders",
        "    checks:",
        "      - { id: lag, kind: replication-lag, engine: postgres, primary: 'postgres://a@db1/o', standby: 'postgres://a@db2/o' }",
        "      - { id: cache-lag, kind: replication-lag, engine: redis, primary: 'redis://c1', standby: 'redis://c2', max: 30s, warnAt: 10s }",
        "      - { id: brain, kind: split-brain, engine: mysql, primary: 'mysql://m@db1/', standby: 'mysql://m@db2/' }",
        "",
      ].join("\n"),
    );
    const r = loadedSources(["validate", "-c", config]);
    const mods = r.sources;
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(mods.some((m) => m.endsWith("/checks/replication-lag/index.ts")), "registry loads the kind").toBe(true);
    expect(mods.filter((m) => /\/node_modules\/(pg|pg-[a-z-]+|mysql2|ioredis)\//.test(m))).toEqual([]);
    expect(mods.filter((m) => /\/(checks\/replication-lag\/(postgres|mysql|redis|heartbeat)|checks\/split-brain\/roles)\.ts$/.test(m))).toEqual([]);
  });
});

const pgSkip = skipMessage("PostgreSQL", postgresMissing());
describe.skipIf(pgSkip)(`replication-lag: PostgreSQL primary + streaming standby${pgSkip ? ` (${pgSkip})` : ""}`, () => {
  const pair = startedForSuite("PostgreSQL", postgresMissing, startPostgresPair);
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "postgres" as const, primary: pair().primary.url, standby: pair().standby.url, ...extra });

  it("caught up: passes with zero byte lag, measured in seconds against the RPO", async () => {
    await pair().primary.query("INSERT INTO t (v) VALUES ('a')");
    await waitCaughtUp(pair());
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.measured).toMatchObject({ unit: "s", limit: 300, warnAt: 240 });
    expect(out.measured!.value).toBeLessThan(1);
    expect(out.summary).toContain("(limit 5m (RPO), warns at 4m)");
    expect(out.evidence).toMatchObject({ engine: "postgres", bytesBehind: 0, bytesBehindReceive: 0, standbyInRecovery: true, walReceiver: { status: "streaming" } });
    expect(out.evidence).toMatchObject({ lagMs: 0, limitMs: 300_000, warnAtMs: 240_000, limitFrom: "objectives.rpo", maxBytes: null });
    expect(out.evidence!.primaryLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it("idle primary: an old pg_last_xact_replay_timestamp() is not lag when the standby is at the primary's LSN", async () => {
    await pair().primary.query("INSERT INTO t (v) VALUES ('before idle')");
    await waitCaughtUp(pair());
    await sleep(2500);
    const out = await runCheck(check, opts({ max: "2s" }));
    // The naive measure, now() - pg_last_xact_replay_timestamp(), is over the 2s limit here.
    expect(out.evidence!.lastReplayedCommitAgeSeconds as number).toBeGreaterThan(2);
    expect(out.status, out.summary).toBe("pass");
    expect(out.measured!.value).toBeLessThan(1);
  });

  it("works with a pg_monitor role and a password from the connection string", async () => {
    const out = await runCheck(check, { engine: "postgres", primary: pair().primary.appUrl, standby: pair().standby.appUrl });
    expect(out.status, out.summary).toBe("pass");
    expect(JSON.stringify(out)).not.toContain(APP_PASSWORD);
  });

  it("replay paused with writes on the primary: byte lag and time lag, fail against a small max, warn against a large one", async () => {
    await pair().standby.query("SELECT pg_wal_replay_pause()");
    try {
      await pair().primary.query("INSERT INTO t (v) SELECT 'x' || g FROM generate_series(1, 500) g");
      await waitFor("standby to receive the new WAL", async () => {
        const [r] = await pair().standby.query<{ ok: boolean }>("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() AS ok");
        return r?.ok;
      });
      const failing = await runCheck(check, opts({ max: "1s" }));
      expect(failing.status, failing.summary).toBe("fail");
      expect(failing.measured!.value).toBeGreaterThanOrEqual(1);
      expect(failing.evidence!.bytesBehind as number).toBeGreaterThan(0);
      expect(failing.evidence!.replayPaused).toBe(true);
      expect(failing.summary).toMatch(/standby replays \S+ behind primary \(limit 1s, warns at 800ms\); \d+ bytes behind/);
      expect(failing.findings!.map((f) => f.rule)).toContain("replay-paused");

      const warning = await runCheck(check, opts({ max: "1h", wait: "200ms" }));
      expect(warning.status, warning.summary).toBe("warn");
      expect(warning.measured!.value).toBeGreaterThan(0);
    } finally {
      await pair().standby.query("SELECT pg_wal_replay_resume()");
    }
    await waitCaughtUp(pair());
    const after = await runCheck(check, opts({ max: "1s" }));
    expect(after.status, after.summary).toBe("pass");
  });

  it("WAL receiver stopped: never zero lag, fails as not receiving (idle and with writes)", async () => {
    const original = (await pair().standby.query<{ primary_conninfo: string }>("SHOW primary_conninfo"))[0]!.primary_conninfo;
    const dead = await closedPort();
    await pair().standby.query(`ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=${dead} user=postgres'`);
    await pair().standby.query("SELECT pg_reload_conf()");
    try {
      await waitFor("WAL receiver to stop streaming", async () => {
        const r = await pair().standby.query<{ status: string }>("SELECT status FROM pg_stat_wal_receiver");
        return r[0]?.status !== "streaming";
      });
      const idle = await runCheck(check, opts());
      expect(idle.status, idle.summary).toBe("fail");
      expect(idle.findings!.map((f) => f.rule)).toContain("not-receiving");
      // Level with an idle primary, but receiving nothing: not "caught up", not zero lag.
      expect(idle.measured).toBeNull();
      expect(idle.summary).not.toContain("caught up");
      expect(idle.evidence).toMatchObject({ lagBasis: "not-receiving", bytesBehind: 0 });

      await pair().primary.query("INSERT INTO t (v) SELECT 'y' || g FROM generate_series(1, 200) g");
      const behind = await runCheck(check, opts());
      expect(behind.status, behind.summary).toBe("fail");
      expect(behind.summary).toContain("not receiving WAL");
      // A standby-only view (receive LSN == replay LSN) would say zero lag.
      expect(behind.evidence!.receiveToReplayBytes).toBe(0);
      expect(behind.evidence!.bytesBehind as number).toBeGreaterThan(0);
      expect(behind.measured == null || behind.measured.value > 0).toBe(true);
    } finally {
      await pair().standby.query(`ALTER SYSTEM SET primary_conninfo = '${original.replace(/'/g, "''")}'`);
      await pair().standby.query("SELECT pg_reload_conf()");
    }
    await waitFor("streaming again", async () => (await pair().standby.query<{ status: string }>("SELECT status FROM pg_stat_wal_receiver"))[0]?.status === "streaming");
    await waitCaughtUp(pair());
  });

  it("heartbeat write: the check writes a row on the primary and times its arrival on the standby", async () => {
    const out = await runCheck(check, { engine: "heartbeat", primary: pair().primary.url, standby: pair().standby.url, heartbeat: { write: true } }, { check: { id: "orders-db-lag", severity: "critical" } });
    expect(out.status, out.summary).toBe("pass");
    expect(out.evidence).toMatchObject({ lagBasis: "heartbeat-write", heartbeatId: "orders-db-lag", heartbeatTable: "standby_heartbeat" });
    const rows = await pair().standby.query<{ id: string }>("SELECT id FROM standby_heartbeat");
    expect(rows.map((r) => r.id)).toContain("orders-db-lag");
  });

  it("heartbeat read: lag = now - ts less the clock-skew allowance; with engine postgres it gives the time lag", async () => {
    const written = Date.now();
    await pair().primary.query("INSERT INTO standby_heartbeat (id, ts_ms) VALUES ('beat', $1) ON CONFLICT (id) DO UPDATE SET ts_ms = EXCLUDED.ts_ms", [written]);
    await waitCaughtUp(pair());
    const later = () => new Date(Date.now() + 10_000);
    const read = await runCheck(check, { engine: "heartbeat", standby: pair().standby.url, max: "5s", heartbeat: { id: "beat", clockSkew: "2s" } }, { now: later });
    // 10s ahead, less the 2s allowance, plus the time since the write (seconds under a loaded suite).
    const since = (Date.now() - written) / 1000;
    expect(read.status, read.summary).toBe("fail");
    expect(read.measured!.value).toBeGreaterThanOrEqual(8);
    expect(read.measured!.value).toBeLessThanOrEqual(8 + since + 0.01);

    const fresh = await runCheck(check, { ...opts({ heartbeat: { id: "beat", clockSkew: "2s" } }) }, { now: () => new Date() });
    expect(fresh.status, fresh.summary).toBe("pass");
    expect(fresh.evidence).toMatchObject({ lagBasis: "heartbeat-read", engineBasis: "caught-up" });

    const missing = await runCheck(check, { engine: "heartbeat", standby: pair().standby.url, heartbeat: { id: "nobody-writes-this" } });
    expect(missing.status).toBe("unknown");
    expect(missing.reason).toBe("invalid-response");
  });

  it("heartbeat format pt-heartbeat: the table pt-heartbeat defines, rows written in its ts format (pt-heartbeat itself cannot write PostgreSQL)", async () => {
    // pt-heartbeat's ts(): local or (--utc) UTC wall time with microseconds, no zone.
    const ptTs = (d: Date) => `${d.toISOString().slice(0, 23)}000`;
    await pair().primary.query(
      "CREATE TABLE heartbeat (ts varchar(26) NOT NULL, server_id bigint NOT NULL PRIMARY KEY, file varchar(255), position bigint, relay_master_log_file varchar(255), exec_master_log_pos bigint)",
    );
    await pair().primary.query("INSERT INTO heartbeat (ts, server_id) VALUES ($1, 1), ($2, 2)", [ptTs(new Date()), ptTs(new Date(Date.now() - 10 * 60_000))]);
    await waitCaughtUp(pair());
    const pt = (serverId: number) => ({ format: "pt-heartbeat" as const, serverId });
    const fresh = await runCheck(check, { engine: "heartbeat", primary: pair().primary.url, standby: pair().standby.url, heartbeat: pt(1) });
    expect(fresh.status, fresh.summary).toBe("pass");
    expect(fresh.evidence).toMatchObject({ lagBasis: "heartbeat-read", heartbeatFormat: "pt-heartbeat", heartbeatId: "server_id 1", ptHeartbeat: { serverId: 1, serverIdFrom: "option" } });
    const engine = await runCheck(check, opts({ heartbeat: pt(1) }));
    expect(engine.status, engine.summary).toBe("pass");
    expect(engine.evidence).toMatchObject({ lagBasis: "heartbeat-read", engineBasis: "caught-up" });
    const old = await runCheck(check, { engine: "heartbeat", standby: pair().standby.url, heartbeat: pt(2) });
    expect(old.status, old.summary).toBe("fail");
    expect(old.measured!.value).toBeGreaterThan(590);
    const none = await runCheck(check, { engine: "heartbeat", standby: pair().standby.url, heartbeat: pt(3) });
    expect(none).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(none.summary).toContain("no pt-heartbeat row for server_id 3 in heartbeat (rows there: server_id 1, 2); heartbeat.serverId is 3");
  });

  it("heartbeat write while replay is paused: lag is at least the wait, a fail against a small max", async () => {
    await pair().standby.query("SELECT pg_wal_replay_pause()");
    try {
      const out = await runCheck(check, { engine: "heartbeat", primary: pair().primary.url, standby: pair().standby.url, max: "1s", heartbeat: { write: true } });
      expect(out.status, out.summary).toBe("fail");
      expect(out.summary).toContain("at least");
    } finally {
      await pair().standby.query("SELECT pg_wal_replay_resume()");
    }
    await waitCaughtUp(pair());
  });

  it("a failing connection is unknown with its reason, and the password never appears", async () => {
    const dead = await closedPort();
    const refused = await runCheck(check, { engine: "postgres", primary: `postgres://app:${CANARY}@127.0.0.1:${dead}/postgres`, standby: pair().standby.url });
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(refused.summary).toBe(`primary postgres://app@127.0.0.1:${dead}/postgres: connection refused (ECONNREFUSED)`);
    expect(JSON.stringify(refused)).not.toContain(CANARY);

    const denied = await runCheck(check, { engine: "postgres", primary: pair().primary.url, standby: `postgres://app:${CANARY}@127.0.0.1:${pair().standby.port}/postgres` });
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(JSON.stringify(denied)).not.toContain(CANARY);
  });

  it("a server that accepts but never answers is a timeout, within the check's timeout", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      const out = await runCheck(check, { engine: "postgres", primary: `postgres://app:${CANARY}@127.0.0.1:${port}/db`, standby: pair().standby.url }, { timeoutMs: 800 });
      expect(out).toMatchObject({ status: "unknown", reason: "timeout" });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(JSON.stringify(out)).not.toContain(CANARY);

      // The check's signal closes the connection at its deadline, whatever the driver does.
      const t1 = Date.now();
      const aborted = await runCheck(check, { engine: "postgres", primary: `postgres://app:${CANARY}@127.0.0.1:${port}/db`, standby: pair().standby.url }, { timeoutMs: 300 });
      expect(aborted).toMatchObject({ status: "unknown", reason: "timeout" });
      expect(Date.now() - t1).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it("a server that answers in another protocol: unknown, invalid-response, saying so", async () => {
    // The start of a MySQL server greeting (length 74, sequence 0, protocol 10, "5.7.0"): the wrong port.
    const http = await garbageServer(Buffer.from([0x4a, 0, 0, 0, 0x0a, ...Buffer.from("5.7.0\0")]));
    try {
      const out = await runCheck(check, opts({ standby: `postgres://app:${CANARY}@127.0.0.1:${http.port}/db` }), { timeoutMs: 3000 });
      expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(out.summary).toContain("does not speak the PostgreSQL protocol");
      expect(JSON.stringify(out)).not.toContain(CANARY);
    } finally {
      http.close();
    }
  });

  it("standby restarted: its receive LSN starts again behind its replay LSN, and a caught-up standby still has no byte lag", async () => {
    await pair().primary.query("INSERT INTO t (v) SELECT 'r' || g FROM generate_series(1, 20000) g");
    await waitCaughtUp(pair());
    await pair().standby.stop();
    await pair().standby.start();
    await waitFor("streaming again", async () => (await pair().standby.query<{ status: string }>("SELECT status FROM pg_stat_wal_receiver"))[0]?.status === "streaming");
    // What the demo met: pg_last_wal_receive_lsn() restarts at a segment boundary.
    const [pos] = await pair().standby.query<{ behind: boolean }>("SELECT pg_last_wal_receive_lsn() < pg_last_wal_replay_lsn() AS behind");
    expect(pos!.behind).toBe(true);
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.summary).toContain("caught up");
    expect(out.summary).toContain("; 0 bytes behind");
    // Counted from the receive LSN, "not received" would be megabytes here.
    expect(out.evidence).toMatchObject({ lagBasis: "caught-up", bytesBehind: 0, bytesBehindReceive: 0, receiveToReplayBytes: 0 });
  });

  it("standby promoted: fails as not in recovery", async () => {
    await pair().standby.query("SELECT pg_promote(true, 30)");
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("fail");
    expect(out.findings!.map((f) => f.rule)).toContain("standby-not-in-recovery");
    expect(out.measured).toBeNull();
  });
});

const myMissing = mariadbMissing();
const mySkip = skipMessage("MariaDB", myMissing);
describe.skipIf(mySkip)(`replication-lag: MariaDB primary + GTID replica${mySkip ? ` (${mySkip})` : ""}`, () => {
  const pair = startedForSuite("MariaDB", mariadbMissing, startMariaPair);
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "mysql" as const, primary: pair().primary.url, standby: pair().replica.url, ...extra });

  it("threads running and caught up: passes, compared by GTID with the primary", async () => {
    pair().primary.sql("INSERT INTO app.t (v) VALUES ('a')");
    await waitMariaCaughtUp(pair());
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.evidence).toMatchObject({ ioThread: "Yes", sqlThread: "Yes", comparedBy: "gtid", caughtUp: true, bytesBehind: 0 });
    expect(JSON.stringify(out)).not.toContain(MONITOR_PASSWORD);
  });

  it("writes just before the check: waits for the replica to reach the primary's position", async () => {
    pair().primary.sql("INSERT INTO app.t (v) VALUES ('b'), ('c')");
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.measured!.value).toBeLessThan(5);
  });

  it("SQL thread stopped: fails; Seconds_Behind_Master NULL is not 0", async () => {
    pair().replica.sql("STOP SLAVE SQL_THREAD");
    try {
      pair().primary.sql("INSERT INTO app.t (v) VALUES ('d')");
      await sleep(300);
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.evidence).toMatchObject({ sqlThread: "No", ioThread: "Yes", secondsBehindSource: null, caughtUp: false });
      expect(out.findings!.map((f) => f.rule)).toContain("sql-thread-stopped");
      expect(out.summary).toContain("NULL, which is not 0");
    } finally {
      pair().replica.sql("START SLAVE SQL_THREAD");
    }
    await waitMariaCaughtUp(pair());
  });

  it("IO thread stopped: the replica has applied all it fetched, yet is behind the primary", async () => {
    pair().replica.sql("STOP SLAVE IO_THREAD");
    try {
      pair().primary.sql("INSERT INTO app.t (v) VALUES ('e'), ('f')");
      await sleep(300);
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.evidence).toMatchObject({ ioThread: "No", caughtUp: false });
      expect(out.evidence!.bytesBehind as number).toBeGreaterThan(0);
      expect(out.findings!.map((f) => f.rule)).toContain("io-thread-stopped");
    } finally {
      pair().replica.sql("START SLAVE IO_THREAD");
    }
    await waitMariaCaughtUp(pair());
    expect((await runCheck(check, opts())).status).toBe("pass");
  });

  it("Seconds_Behind 0 with both threads running, while nothing arrives: compared with the primary, not a pass", async () => {
    // The replica reaches the primary through a proxy that stalls, as a congested link does: the
    // IO thread stays connected ("Yes") and the idle SQL thread makes Seconds_Behind_Master 0.
    const proxy = await startStallProxy(pair().primary.port);
    pair().replica.sql(`STOP SLAVE; CHANGE MASTER TO MASTER_PORT=${proxy.port}; START SLAVE`);
    try {
      await waitFor("IO thread connected through the proxy", async () => /Slave_IO_Running: Yes/.test(pair().replica.slaveStatus()));
      pair().primary.sql("INSERT INTO app.t (v) VALUES ('g')");
      await waitMariaCaughtUp(pair());
      proxy.stall();
      pair().primary.sql("INSERT INTO app.t (v) VALUES ('h'), ('i')");
      await sleep(300);
      expect(pair().replica.slaveStatus()).toMatch(/Slave_IO_Running: Yes[\s\S]*Seconds_Behind_Master: 0\b/); // the naive "0 lag"
      const out = await runCheck(check, opts({ max: "1s" }));
      expect(out.status, out.summary).toBe("fail");
      expect(out.evidence).toMatchObject({ ioThread: "Yes", sqlThread: "Yes", secondsBehindSource: 0, caughtUp: false, lagIsLowerBound: true });
      expect(out.evidence!.bytesBehind as number).toBeGreaterThan(0);
      expect(out.measured!.value).toBeGreaterThanOrEqual(1);
      expect(out.findings!.map((f) => f.rule)).toContain("seconds-behind-zero");
    } finally {
      proxy.resume();
      pair().replica.sql(`STOP SLAVE; CHANGE MASTER TO MASTER_PORT=${pair().primary.port}; START SLAVE`);
      await proxy.close();
    }
    await waitMariaCaughtUp(pair());
    expect((await runCheck(check, opts())).status).toBe("pass");
  });

  it("IO thread stopped with nothing new on the primary: level for now, yet never zero lag", async () => {
    pair().primary.sql("INSERT INTO app.t (v) VALUES ('j')");
    await waitMariaCaughtUp(pair());
    pair().replica.sql("STOP SLAVE IO_THREAD");
    try {
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.evidence).toMatchObject({ ioThread: "No", caughtUp: true, lagBasis: "not-replicating" });
      expect(out.measured).toBeNull();
      expect(out.findings!.map((f) => f.rule)).toContain("io-thread-stopped");
    } finally {
      pair().replica.sql("START SLAVE IO_THREAD");
    }
    await waitMariaCaughtUp(pair());
  });

  it("heartbeat on MariaDB: write on the primary, read on the replica", async () => {
    const out = await runCheck(check, { engine: "heartbeat", primary: `${pair().primary.url}app`, standby: `${pair().replica.url}app`, heartbeat: { write: true, table: "app.standby_heartbeat" } });
    expect(out.status, out.summary).toBe("pass");
    const prefer = await runCheck(check, opts({ heartbeat: { table: "app.standby_heartbeat", id: "test-check" } }));
    expect(prefer.status, prefer.summary).toBe("pass");
    expect(prefer.evidence).toMatchObject({ lagBasis: "heartbeat-read", sqlThread: "Yes" });
  });

  it("a failing connection never shows the password", async () => {
    const dead = await closedPort();
    const refused = await runCheck(check, opts({ standby: `mysql://monitor:${CANARY}@127.0.0.1:${dead}/` }));
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(JSON.stringify(refused)).not.toContain(CANARY);
    const denied = await runCheck(check, opts({ standby: `mysql://monitor:${CANARY}@127.0.0.1:${pair().replica.port}/` }));
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(JSON.stringify(denied)).not.toContain(CANARY);
  });
});

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip)(`replication-lag: Redis primary + replica${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  const PASSWORD = "redis-secret-pw";
  const pair = startedForSuite("Redis", redisMissing, () => startRedisPair(PASSWORD));
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "redis" as const, primary: pair().primary.url, standby: pair().replica.url, ...extra });

  it("offsets equal: passes with zero offset lag", async () => {
    await pair().primary.cmd("SET", "k", "v");
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.evidence).toMatchObject({ masterLinkStatus: "up", bytesBehind: 0, standbyRole: "slave" });
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it("the replica's ack `lag` is not data lag: a replica that stopped applying fails on offsets", async () => {
    await pair().replica.cmd("CLIENT", "PAUSE", "3000", "WRITE"); // the replication stream is a writer: it waits
    await pair().primary.cmd("SET", "k2", "x".repeat(1000));
    await sleep(200);
    const out = await runCheck(check, opts({ max: "1s" }));
    expect(out.status, out.summary).toBe("fail");
    expect(out.evidence!.bytesBehind as number).toBeGreaterThan(1000);
    const view = out.evidence!.primaryReplicaView as { ackAgeSeconds: number }[];
    expect(view[0]!.ackAgeSeconds).toBeLessThanOrEqual(1); // what a naive check would call "lag"
    await waitFor("pause to end", async () => (await pair().replica.info()).slave_repl_offset === (await pair().primary.info()).master_repl_offset, 10_000);
  });

  it("link down: the standby is not receiving, fails with the offset gap", async () => {
    const dead = await closedPort();
    await pair().replica.cmd("REPLICAOF", "127.0.0.1", String(dead));
    try {
      await waitFor("link down", async () => (await pair().replica.info()).master_link_status === "down");
      // Nothing written yet: the offsets are level, but a standby receiving nothing is not "caught up".
      const level = await runCheck(check, opts());
      expect(level.status, level.summary).toBe("fail");
      expect(level.evidence).toMatchObject({ lagBasis: "not-receiving", bytesBehind: 0 });
      expect(level.measured).toBeNull();
      expect(level.summary).not.toContain("caught up");

      await pair().primary.cmd("SET", "k3", "y");
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.findings!.map((f) => f.rule)).toContain("link-down");
      // Where the replica points and its link state (ROLE) are in the message: the 3 AM question.
      expect(out.findings!.find((f) => f.rule === "link-down")!.message).toMatch(new RegExp(`^replication link to 127\\.0\\.0\\.1:${dead} is down \\(master_link_status:down, .*ROLE state (connect|connecting)\\)`));
      expect(out.evidence).toMatchObject({ masterHost: "127.0.0.1", masterPort: dead });
      expect(out.evidence!.bytesBehind as number).toBeGreaterThan(0);
    } finally {
      await relinkRedis(pair());
    }
  });

  it("a server that answers in another protocol: unknown, invalid-response, saying so", async () => {
    const http = await garbageServer("HTTP/1.1 400 Bad Request\r\n\r\n");
    try {
      const out = await runCheck(check, opts({ standby: `redis://:${CANARY}@127.0.0.1:${http.port}` }), { timeoutMs: 3000 });
      expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(out.summary).toContain("does not speak the Redis protocol");
      expect(JSON.stringify(out)).not.toContain(CANARY);
    } finally {
      http.close();
    }
  });

  it("REPLICAOF NO ONE: the standby is no replica any more", async () => {
    await pair().replica.cmd("REPLICAOF", "NO", "ONE");
    try {
      const out = await runCheck(check, opts());
      expect(out.status, out.summary).toBe("fail");
      expect(out.findings!.map((f) => f.rule)).toContain("not-a-replica");
    } finally {
      await relinkRedis(pair());
    }
  });

  it("wrong password and unreachable: unknown with the reason, password never shown", async () => {
    const denied = await runCheck(check, opts({ standby: `redis://:${CANARY}@127.0.0.1:${pair().replica.port}` }));
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(JSON.stringify(denied)).not.toContain(CANARY);
    const dead = await closedPort();
    const refused = await runCheck(check, opts({ primary: `redis://default:${CANARY}@127.0.0.1:${dead}` }));
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(JSON.stringify(refused)).not.toContain(CANARY);
  });
});
