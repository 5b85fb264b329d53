// replication-lag with heartbeat.format pt-heartbeat: the real pt-heartbeat (percona-toolkit)
// updating its table every second on a real MariaDB primary, read on its GTID replica. The
// timestamp text itself (zones, daylight saving, malformed values) is tested without servers.
import { describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import { isTimeZone, parsePtTs } from "../../checks/replication-lag/pt-ts.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { skipMessage, sleep, type Proc } from "../helpers/servers/common.js";
import { MONITOR_PASSWORD, mariadbMissing, startMariaPair, waitMariaCaughtUp, type MariaPair } from "../helpers/servers/mariadb.js";
import { ptHeartbeatMissing, startPtHeartbeat } from "../helpers/servers/pt-heartbeat.js";
import { startedForSuite } from "../helpers/servers/suite.js";

describe("pt-heartbeat's ts text", () => {
  const utc = (...a: [number, number, number, number, number, number]) => Date.UTC(a[0], a[1] - 1, a[2], a[3], a[4], a[5]);

  it("reads what its ts() writes, with the microseconds, and the NOW() of --create-table's first row", () => {
    expect(parsePtTs("2026-12-03T07:20:01.000950", "UTC")).toBeCloseTo(utc(2026, 12, 3, 7, 20, 1) + 0.95, 6);
    expect(parsePtTs("2026-12-03T07:20:01", "UTC")).toBe(utc(2026, 12, 3, 7, 20, 1));
    expect(parsePtTs("2026-12-03 07:20:01", "UTC")).toBe(utc(2026, 12, 3, 7, 20, 1));
    expect(parsePtTs("2026-12-03T07:20:01.5", "UTC")).toBe(utc(2026, 12, 3, 7, 20, 1) + 500);
  });

  it("a wall time in the writer's zone (pt-heartbeat without --utc): offsets, daylight saving", () => {
    expect(parsePtTs("2026-12-03T07:20:01", "Europe/Berlin")).toBe(utc(2026, 12, 3, 6, 20, 1)); // CET, +1
    expect(parsePtTs("2026-07-03T07:20:01", "Europe/Berlin")).toBe(utc(2026, 7, 3, 5, 20, 1)); // CEST, +2
    expect(parsePtTs("2026-12-03T12:50:01.25", "Asia/Kolkata")).toBe(utc(2026, 12, 3, 7, 20, 1) + 250); // +5:30
    expect(parsePtTs("2026-12-03T02:20:01", "America/New_York")).toBe(utc(2026, 12, 3, 7, 20, 1)); // EST, -5
    // 01:30 happens twice in New York on 2026-11-01: its first occurrence (EDT), the older beat.
    expect(parsePtTs("2026-11-01T01:30:00", "America/New_York")).toBe(utc(2026, 11, 1, 5, 30, 0));
    expect(parsePtTs("2026-11-01T00:59:59", "America/New_York")).toBe(utc(2026, 11, 1, 4, 59, 59));
    expect(parsePtTs("2026-11-01T02:00:00", "America/New_York")).toBe(utc(2026, 11, 1, 7, 0, 0));
    // 02:30 never happens on 2026-03-08 (clocks jump from 02:00 to 03:00): the earliest it can mean.
    expect(parsePtTs("2026-03-08T02:30:00", "America/New_York")).toBe(utc(2026, 3, 8, 6, 30, 0));
    expect(parsePtTs("2026-03-08T03:30:00", "America/New_York")).toBe(utc(2026, 3, 8, 7, 30, 0));
  });

  it("local: the zone of the machine running standby, as pt-heartbeat --monitor reads it", () => {
    expect(parsePtTs("2026-12-03T07:20:01", "local")).toBe(new Date(2026, 11, 3, 7, 20, 1).getTime());
    expect(parsePtTs("2026-07-03T07:20:01", "local")).toBe(new Date(2026, 6, 3, 7, 20, 1).getTime());
  });

  it("anything else is no timestamp (null), never a beat", () => {
    for (const bad of ["", "yesterday", "1764746401", "2026-12-03", "2026-12-03T07:20", "2026-02-30T00:00:00", "2026-13-01T00:00:00", "2026-00-10T00:00:00",
      "2026-12-03T24:00:00", "2026-12-03T07:60:00", "2026-12-03T07:20:60", "2026-12-03T07:20:01Z", "2026-12-03T07:20:01+01:00", "2026-12-03T07:20:01.", "2026-12-03T07:20:01.0009501234",
      "x2026-12-03T07:20:01", `2026-12-03T07:20:01${"0".repeat(10_000)}`]) {
      expect(parsePtTs(bad, "UTC"), bad.slice(0, 40)).toBeNull();
    }
    expect(parsePtTs("2028-02-29T00:00:00", "UTC")).toBe(utc(2028, 2, 29, 0, 0, 0)); // a leap day is a day
  });

  it("time zones: UTC, local and the names Intl knows", () => {
    for (const z of ["UTC", "local", "Europe/Berlin", "Asia/Kolkata", "Etc/UTC"]) expect(isTimeZone(z), z).toBe(true);
    for (const z of ["Mars/Olympus", "", "+01:00x"]) expect(isTimeZone(z), z).toBe(false);
  });
});

describe("replication-lag heartbeat options: which go with which format", () => {
  const base = { engine: "heartbeat", primary: "mysql://m@db1/", standby: "mysql://m@db2/" };
  const issues = (heartbeat: Record<string, unknown>, standby = base.standby) => {
    const r = parseOptions(check, { ...base, standby, heartbeat });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("pt-heartbeat: read only, rows keyed by server_id; PostgreSQL needs serverId", () => {
    expect(issues({ format: "pt-heartbeat" })).toEqual([]);
    expect(issues({ format: "pt-heartbeat", serverId: 7, timeZone: "Europe/Berlin", table: "percona.heartbeat" })).toEqual([]);
    expect(issues({ format: "pt-heartbeat", write: true })).toEqual(["heartbeat.write: pt-heartbeat --update writes its table; with format pt-heartbeat the check only reads it (remove write)"]);
    expect(issues({ format: "pt-heartbeat", id: "x" })).toEqual(["heartbeat.id: pt-heartbeat rows are keyed by server_id: use serverId, not id"]);
    expect(issues({ format: "pt-heartbeat" }, "postgres://m@db2/app")).toEqual(["heartbeat.serverId: PostgreSQL has no @@server_id: set serverId to the server_id of the row the primary's writer updates"]);
    expect(issues({ format: "pt-heartbeat", serverId: 1 }, "postgres://m@db2/app")).toEqual([]);
    expect(issues({ format: "pt-heartbeat", timeZone: "Mars/Olympus" })).toEqual(["heartbeat.timeZone: expected UTC, local or a time zone name like Europe/Berlin"]);
    expect(issues({ format: "pt-heartbeat", serverId: 0 })).toEqual([expect.stringMatching(/^heartbeat\.serverId: /)]);
    expect(issues({ format: "percona" })).toEqual([expect.stringMatching(/^heartbeat\.format: .*standby.*pt-heartbeat/)]);
  });
  it("the own format: serverId and timeZone are pt-heartbeat's", () => {
    expect(issues({ serverId: 1 })).toEqual(["heartbeat.serverId: serverId is for format: pt-heartbeat (the check's own row is keyed by id)"]);
    expect(issues({ timeZone: "Europe/Berlin" })).toEqual(["heartbeat.timeZone: timeZone is for format: pt-heartbeat (the check's own row holds epoch ms)"]);
  });
});

const missing = () => mariadbMissing() ?? ptHeartbeatMissing();
const skip = skipMessage("MariaDB and pt-heartbeat", missing());
describe.skipIf(skip)(`replication-lag: pt-heartbeat --update on a MariaDB primary, read on its replica${skip ? ` (${skip})` : ""}`, () => {
  let writer: Proc | null = null;
  const pair = startedForSuite("MariaDB and pt-heartbeat", missing, async (): Promise<MariaPair> => {
    const p = await startMariaPair();
    try {
      writer = await startPtHeartbeat(p.primary, { database: "app", utc: true });
    } catch (err) {
      await p.stop();
      throw err;
    }
    return { ...p, stop: async () => (await writer?.stop(), p.stop()) };
  });
  const pt = (extra: Record<string, unknown> = {}) => ({ format: "pt-heartbeat" as const, table: "app.heartbeat", ...extra });
  const opts = (extra: Record<string, unknown> = {}) => ({ engine: "heartbeat" as const, primary: pair().primary.url, standby: pair().replica.url, heartbeat: pt(), ...extra });

  it("healthy: passes with a lag of about pt-heartbeat's interval, reading the primary's server_id row", async () => {
    await waitMariaCaughtUp(pair());
    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.measured!.value).toBeLessThan(3);
    expect(out.summary).toMatch(/^standby replays \S+ behind primary \(limit 5m \(RPO\), warns at 4m\)$/);
    expect(out.evidence).toMatchObject({ engine: "heartbeat", lagBasis: "heartbeat-read", heartbeatFormat: "pt-heartbeat", heartbeatTable: "app.heartbeat", heartbeatId: "server_id 1" });
    const ev = out.evidence!.ptHeartbeat as Record<string, unknown>;
    expect(ev).toMatchObject({ serverId: 1, serverIdFrom: "primary", timeZone: "UTC", standbyRow: { file: expect.stringMatching(/^mysql-bin\.\d+$/), position: expect.any(Number) } });
    expect(ev.standbyRawTs).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(out.findings ?? []).toEqual([]);
    expect(JSON.stringify(out)).not.toContain(MONITOR_PASSWORD);
  });

  it("without a primary: the row of the server id the replica replicates from; with engine mysql, the heartbeat gives the time lag", async () => {
    const alone = await runCheck(check, { engine: "heartbeat", standby: pair().replica.url, heartbeat: pt() });
    expect(alone.status, alone.summary).toBe("pass");
    expect(alone.evidence!.ptHeartbeat).toMatchObject({ serverId: 1, serverIdFrom: "standby-source" });
    // A "standby" that replicates from nothing names no row: the check does not guess one.
    const noSource = await runCheck(check, { engine: "heartbeat", standby: pair().primary.url, heartbeat: pt() });
    expect(noSource).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(noSource.summary).toBe(
      `standby mysql://monitor@127.0.0.1:${pair().primary.port}: cannot tell which pt-heartbeat row is the primary's: the standby is not a replica (SHOW REPLICA STATUS is empty); set primary or heartbeat.serverId`,
    );
    const engine = await runCheck(check, { engine: "mysql", primary: pair().primary.url, standby: pair().replica.url, heartbeat: pt() });
    expect(engine.status, engine.summary).toBe("pass");
    expect(engine.evidence).toMatchObject({ lagBasis: "heartbeat-read", sqlThread: "Yes", heartbeat: { heartbeatFormat: "pt-heartbeat", ptHeartbeat: { serverId: 1 } } });
  });

  it("replica's SQL thread stopped: the lag grows with every beat it misses and fails at the RPO", async () => {
    pair().replica.sql("STOP SLAVE SQL_THREAD");
    try {
      const rpo = { rpo: 3000, rto: 60_000 };
      const seen: { status: string; lag: number }[] = [];
      // pt-heartbeat keeps beating on the primary; the replica keeps its last beat.
      for (let i = 0; i < 40 && seen.at(-1)?.status !== "fail"; i++) {
        const out = await runCheck(check, opts(), { objectives: rpo });
        expect(out.status, out.summary).not.toBe("unknown");
        seen.push({ status: out.status, lag: out.measured!.value });
        if (out.status === "fail") {
          expect(out.summary).toMatch(/^standby replays \S+ behind primary \(limit 3s \(RPO\), warns at 2s\)$/);
          expect(out.findings!.map((f) => f.rule)).toEqual(["over-limit"]);
          expect(out.measured!.value).toBeGreaterThan(3);
        }
        await sleep(400);
      }
      expect(seen.at(-1)!.status, JSON.stringify(seen)).toBe("fail");
      expect(seen[0]!.lag).toBeLessThan(seen.at(-1)!.lag);
      // It grew run after run (within the beat's resolution: pt-heartbeat writes once a second).
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.lag).toBeGreaterThanOrEqual(seen[i - 1]!.lag);
    } finally {
      pair().replica.sql("START SLAVE SQL_THREAD");
    }
    await waitMariaCaughtUp(pair());
    expect((await runCheck(check, opts(), { objectives: { rpo: 3000, rto: 60_000 } })).status).toBe("pass");
  });

  it("no row for the server id: unknown, naming the rows there and where the server id came from", async () => {
    const out = await runCheck(check, opts({ heartbeat: pt({ serverId: 99 }) }));
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toBe(
      `standby mysql://monitor@127.0.0.1:${pair().replica.port}: no pt-heartbeat row for server_id 99 in app.heartbeat (rows there: server_id 1); heartbeat.serverId is 99: is pt-heartbeat --update running on the primary?`,
    );
    const table = await runCheck(check, opts({ heartbeat: pt({ table: "app.no_such_heartbeat" }) }));
    expect(table).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(table.summary).toContain("heartbeat table app.no_such_heartbeat not found: pt-heartbeat --update --create-table on the primary creates it");
    // A table with neither pt-heartbeat's columns nor its legacy ones: named, not misread.
    pair().primary.sql("CREATE TABLE app.other_heartbeat (k INT NOT NULL PRIMARY KEY, ts DATETIME NOT NULL)");
    await waitMariaCaughtUp(pair());
    const other = await runCheck(check, opts({ heartbeat: pt({ table: "app.other_heartbeat" }) }));
    expect(other).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(other.summary).toBe(
      `primary mysql://monitor@127.0.0.1:${pair().primary.port}: heartbeat table app.other_heartbeat is not pt-heartbeat's: it has neither ts and server_id nor the legacy id and ts`,
    );
  });

  it("a ts that is not pt-heartbeat's timestamp: unknown on either side, quoting it", async () => {
    pair().primary.sql("INSERT INTO app.heartbeat (ts, server_id) VALUES ('yesterday', 77), ('1764746401', 78), ('2026-12-03T07:20:01Z', 79)");
    await waitMariaCaughtUp(pair());
    for (const [id, ts] of [[77, "yesterday"], [78, "1764746401"], [79, "2026-12-03T07:20:01Z"]] as const) {
      const read = await runCheck(check, { engine: "heartbeat", standby: pair().replica.url, heartbeat: pt({ serverId: id }) });
      expect(read).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(read.summary).toBe(`standby mysql://monitor@127.0.0.1:${pair().replica.port}: ts '${ts}' of the pt-heartbeat row for server_id ${id} in app.heartbeat is not pt-heartbeat's timestamp (like 2026-12-03T07:20:01.000950)`);
      const both = await runCheck(check, opts({ heartbeat: pt({ serverId: id }) }));
      expect(both).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(both.summary).toContain(`primary mysql://monitor@127.0.0.1:${pair().primary.port}: ts '${ts}'`);
    }
    // A ts column someone made TEXT, holding 100 kB: quoted cut short, not echoed whole.
    pair().primary.sql(`CREATE TABLE app.wide_heartbeat (ts LONGTEXT NOT NULL, server_id INT UNSIGNED NOT NULL PRIMARY KEY, file LONGTEXT); INSERT INTO app.wide_heartbeat VALUES (CONCAT('2026-12-03T07:20:01.', REPEAT('9', 100000)), 1, REPEAT('f', 100000))`);
    await waitMariaCaughtUp(pair());
    const wide = await runCheck(check, opts({ heartbeat: pt({ table: "app.wide_heartbeat" }) }));
    expect(wide).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(wide.summary).toContain("ts '2026-12-03T07:20:01.99999999999999999999...' of the pt-heartbeat row for server_id 1 in app.wide_heartbeat");
    expect(JSON.stringify(wide).length).toBeLessThan(4000);
  });

  it("a server_id held twice with different ts (a table without the primary key) is unknown, whichever row comes first", async () => {
    pair().primary.sql(
      "CREATE TABLE app.dup_heartbeat (ts VARCHAR(26) NOT NULL, server_id INT UNSIGNED NOT NULL, file VARCHAR(255), position BIGINT UNSIGNED); " +
        "INSERT INTO app.dup_heartbeat (ts, server_id) VALUES (DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%f'), 1), ('2000-01-01T00:00:00', 1)",
    );
    await waitMariaCaughtUp(pair());
    const out = await runCheck(check, { engine: "heartbeat", standby: pair().replica.url, heartbeat: pt({ table: "app.dup_heartbeat", serverId: 1 }) });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toContain("app.dup_heartbeat holds the pt-heartbeat row for server_id 1 more than once, with different ts");
  });

  it("the legacy table (id, ts datetime) pt-heartbeat still updates: its row id 1, whatever the server id", async () => {
    pair().primary.sql("CREATE TABLE app.legacy_heartbeat (id INT NOT NULL PRIMARY KEY, ts DATETIME NOT NULL); INSERT INTO app.legacy_heartbeat VALUES (1, '2000-01-01 00:00:00')");
    const legacyWriter = await startPtHeartbeat(pair().primary, { database: "app", utc: true, legacy: true });
    try {
      await waitMariaCaughtUp(pair());
      const out = await runCheck(check, opts({ heartbeat: pt({ table: "app.legacy_heartbeat" }) }));
      expect(out.status, out.summary).toBe("pass");
      expect(out.measured!.value).toBeLessThan(3);
      expect(out.evidence).toMatchObject({ heartbeatId: "id 1", ptHeartbeat: { legacyTable: true, serverId: null } });
      expect((out.evidence!.ptHeartbeat as { standbyRawTs: string }).standbyRawTs).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/); // DATETIME: whole seconds
      pair().primary.sql("DELETE FROM app.legacy_heartbeat");
      await legacyWriter.stop();
      await waitMariaCaughtUp(pair());
      const gone = await runCheck(check, { engine: "heartbeat", standby: pair().replica.url, heartbeat: pt({ table: "app.legacy_heartbeat" }) });
      expect(gone).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(gone.summary).toContain("no pt-heartbeat row id 1 (legacy table) in app.legacy_heartbeat (the table is empty): is pt-heartbeat --update running on the primary?");
    } finally {
      await legacyWriter.stop();
    }
  });

  it("pt-heartbeat stopped on the primary (seen 10s later): warns the writer is not running; its last beat only bounds the lag", async () => {
    const later = () => new Date(Date.now() + 10_000);
    const out = await runCheck(check, opts({ max: "5s" }), { now: later });
    expect(out.findings!.map((f) => f.rule)).toContain("heartbeat-writer");
    // The replica holds the primary's last beat (an upper bound: not judged past max), or, when a
    // beat landed between the two reads, lacks it (a lower bound: a failure past max).
    expect(out.evidence!.lagIsUpperBound || out.evidence!.lagIsLowerBound).toBe(true);
    expect(out.status).toBe(out.evidence!.lagIsUpperBound ? "unknown" : "fail");
  });

  it("pt-heartbeat without --utc writes its local time: read in its zone it passes; read as UTC, the clock-skew warning", async () => {
    await writer?.stop();
    pair().primary.sql("DELETE FROM app.heartbeat WHERE server_id = 1"); // the row --utc wrote
    writer = await startPtHeartbeat(pair().primary, { database: "app", tz: "Asia/Kolkata" });
    await waitMariaCaughtUp(pair());
    const zoned = await runCheck(check, opts({ heartbeat: pt({ timeZone: "Asia/Kolkata" }) }));
    expect(zoned.status, zoned.summary).toBe("pass");
    expect(zoned.measured!.value).toBeLessThan(3);
    // 5h30m ahead read as UTC: never a pass.
    const asUtc = await runCheck(check, opts());
    expect(asUtc.status, asUtc.summary).toBe("warn");
    expect(asUtc.findings!.map((f) => f.rule)).toContain("clock-skew");
  });
});
