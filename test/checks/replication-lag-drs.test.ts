// replication-lag engine aws-drs: the real @aws-sdk/client-drs against a local server speaking
// DRS's REST-JSON protocol (test/helpers/drs-server.ts): states, lag, bytes, the last launch,
// selection by id and by tags with pagination, and every failure unknown with its reason.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import type { DrsLagEvidence } from "../../checks/replication-lag/evidence.js";
import type { CheckOutcome } from "../../src/engine/types.js";
import { DrsServer, serverId, sourceServer } from "../helpers/drs-server.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { runCli } from "../helpers/cli.js";
import { loadedSources } from "../helpers/loaded-sources.js";

const aws = useAwsTestEnv({ accessKeyId: "AKIATESTDRS000000001", secretAccessKey: "test-secret-CANARY-drs" }, "drs");
const drs = new DrsServer();
beforeAll(() => drs.start());
afterAll(() => drs.stop());
beforeEach(() => drs.reset());

const REGION = "us-west-2";
type Extra = Record<string, unknown>;

async function run(select: Extra, extra: Extra = {}, drsExtra: Extra = {}, ctx: { timeoutMs?: number } = {}): Promise<CheckOutcome<DrsLagEvidence & { lagMs: number | null }>> {
  const out = await runCheck(check, { engine: "aws-drs", drs: { region: REGION, endpoint: drs.url, ...select, ...drsExtra }, ...extra } as never, ctx);
  expect(JSON.stringify(out)).not.toContain("CANARY");
  return out as unknown as CheckOutcome<DrsLagEvidence & { lagMs: number | null }>;
}
const ids = (...n: number[]) => ({ sourceServerIds: n.map(serverId) });

describe("replication-lag aws-drs: states and lag", () => {
  it("passes continuous replication, asking DescribeSourceServers for the ids over REST-JSON, signed for drs in the region", async () => {
    drs.put(REGION, sourceServer(1, REGION), sourceServer(2, REGION, { lag: "PT2.5S" }));
    const out = await run(ids(1, 2));
    expect(out.status).toBe("pass");
    expect(out.summary).toBe("2 AWS DRS source servers in us-west-2 (CONTINUOUS): the furthest behind source server lags 2s (limit 5m (RPO), warns at 4m); 0 bytes behind");
    expect(out.measured).toMatchObject({ value: 2.5, unit: "s", limit: 300 });
    expect(drs.requests).toEqual([{ op: "DescribeSourceServers", region: REGION, accessKeyId: "AKIATESTDRS000000001", body: { filters: { sourceServerIDs: [serverId(1), serverId(2)] }, maxResults: 1000 } }]);
    expect(out.evidence).toMatchObject({ engine: "aws-drs", region: REGION, selectedBy: "ids", missingIds: [], states: ["CONTINUOUS"], requests: 1, lagBasis: "drs-lag-duration" });
    expect(out.evidence!.servers[1]).toMatchObject({ sourceServerId: serverId(2), hostname: "orders-db-2", state: "CONTINUOUS", lagDuration: "PT2.5S", lagMs: 2500, bytesBehind: 0 });
  });

  it("fails every state that does not keep the copy up, naming the server and DRS's error", async () => {
    const states = ["STALLED", "DISCONNECTED", "PAUSED", "STOPPED", "NOT_STARTED", "INITIATING"];
    states.forEach((state, i) => drs.put(REGION, sourceServer(i + 1, REGION, { state, lag: null })));
    drs.put(REGION, { ...sourceServer(9, REGION, { state: "STALLED", lag: "PT1H" }), dataReplicationInfo: { ...sourceServer(9, REGION).dataReplicationInfo, dataReplicationState: "STALLED", lagDuration: "PT1H", dataReplicationError: { error: "NOT_CONVERGING", rawError: "raw" } } });
    const out = await run(ids(1, 2, 3, 4, 5, 6, 9));
    expect(out.status).toBe("fail");
    const byServer = Object.fromEntries((out.findings ?? []).filter((f) => f.rule === "replication-state").map((f) => [f.path, f.message]));
    states.forEach((state, i) => expect(byServer[serverId(i + 1)]).toBe(`${serverId(i + 1)} (orders-db-${i + 1}): replication ${state}: the recovery site's copy is not being kept up to date`));
    expect(byServer[serverId(9)]).toBe(`${serverId(9)} (orders-db-9): replication STALLED (NOT_CONVERGING): the recovery site's copy is not being kept up to date`);
    // The stalled server's last lag is over the RPO too.
    expect((out.findings ?? []).find((f) => f.rule === "over-limit")?.message).toContain("the furthest behind source server lags 1h");
  });

  it("judges INITIAL_SYNC, RESCAN and BACKLOG by lagDuration against the RPO and by the bytes not replicated against maxBytes", async () => {
    drs.put(REGION, sourceServer(1, REGION, { state: "BACKLOG", lag: "PT3M", backlog: 5_000_000 }));
    const warn = await run(ids(1), { max: "3m30s", warnAt: "2m" });
    expect(warn.status).toBe("warn");
    expect(warn.evidence).toMatchObject({ lagMs: 180_000, bytesBehind: 5_000_000 });

    drs.put(REGION, sourceServer(1, REGION, { state: "INITIAL_SYNC", lag: "PT10M", replicated: 40 * 2 ** 30 }));
    const sync = await run(ids(1));
    expect(sync.status).toBe("fail");
    expect(sync.summary).toContain("the furthest behind source server lags 10m");
    expect(sync.evidence!.servers[0]!.bytesBehind).toBe(60 * 2 ** 30);

    drs.put(REGION, sourceServer(1, REGION, { state: "RESCAN", lag: "PT5S", backlog: 2_000_000 }));
    const bytes = await run(ids(1), { maxBytes: 1_000_000 });
    expect(bytes.status).toBe("fail");
    expect(bytes.findings?.map((f) => f.rule)).toEqual(["max-bytes"]);
    expect(bytes.findings?.[0]?.message).toBe("2000000 bytes not replayed, more than maxBytes 1000000");

    drs.put(REGION, sourceServer(1, REGION, { state: "BACKLOG", lag: null, backlog: 10 }));
    const noLag = await run(ids(1));
    expect(noLag).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(noLag.summary).toContain("BACKLOG without a lagDuration: how far behind it is cannot be told");
  });

  it("reports the last recovery launch: a failed drill is an info finding and evidence, not a verdict", async () => {
    const lastLaunch = { initiated: { apiCallDateTime: "2026-11-20T09:00:00+00:00", jobID: "drsjob-0123456789abcdef0", type: "DRILL" as const }, status: "FAILED" };
    drs.put(REGION, sourceServer(1, REGION, { lastLaunch, lastLaunchResult: "FAILED" }));
    const out = await run(ids(1));
    expect(out.status).toBe("pass");
    expect(out.findings).toEqual([
      { level: "info", rule: "last-launch", path: serverId(1), message: `${serverId(1)} (orders-db-1): the last drill launch failed (job drsjob-0123456789abcdef0, initiated 2026-11-20T09:00:00+00:00)` },
    ]);
    expect(out.evidence!.servers[0]!.lastLaunch).toEqual({ result: "FAILED", status: "FAILED", type: "DRILL", jobId: "drsjob-0123456789abcdef0", initiatedAt: "2026-11-20T09:00:00+00:00" });
  });
});

describe("replication-lag aws-drs: selection", () => {
  it("an id DRS does not return is unknown, not a pass by omission", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    const out = await run(ids(1, 7));
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toContain(`standby (us-west-2): source server ${serverId(7)} is not in AWS DRS (wrong id, region or account, or deleted)`);
    expect(out.evidence!.missingIds).toEqual([serverId(7)]);
  });

  it("selects by tags across pages (nextToken), and a tag that matches nothing is unknown", async () => {
    drs.pageSize = 2;
    for (let i = 1; i <= 5; i++) drs.put(REGION, sourceServer(i, REGION, { tags: { app: i % 2 ? "orders" : "billing" } }));
    const out = await run({ tags: { app: "orders" } });
    expect(out.status).toBe("pass");
    expect(out.evidence!.servers.map((s) => s.sourceServerId)).toEqual([serverId(1), serverId(3), serverId(5)]);
    expect(drs.count("DescribeSourceServers")).toBe(3);
    expect(drs.requests.map((r) => r.body.nextToken ?? null)).toEqual([null, expect.any(String), expect.any(String)]);
    expect(drs.requests[0]!.body).toEqual({ maxResults: 1000 });

    const none = await run({ tags: { app: "payments" } });
    expect(none).toMatchObject({ status: "unknown", reason: "error" });
    expect(none.summary).toContain("no AWS DRS source server carries the tags app=payments");
  });

  it("servers DRS returns but were not asked for are not judged; one listed twice counts once", async () => {
    const extra = sourceServer(8, REGION, { state: "STALLED" });
    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: [sourceServer(1, REGION), extra, sourceServer(1, REGION)] }) });
    const out = await run(ids(1));
    expect(out.status).toBe("pass");
    expect(out.evidence!.servers.map((s) => s.sourceServerId)).toEqual([serverId(1)]);
  });

  it("one listed twice with different replication info is not decided by its first copy", async () => {
    const stalled = sourceServer(1, REGION, { state: "STALLED", lag: "PT2H" });
    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: [sourceServer(1, REGION), sourceServer(2, REGION), stalled] }) });
    const out = await run(ids(1, 2));
    expect(out.status).not.toBe("pass");
    expect(JSON.stringify(out)).toContain(`AWS DRS listed source server ${serverId(1)} twice with different replication info`);
  });

  it("hostile lagDuration and state spellings: years, negative, lower-case are unknown; a huge lag fails", async () => {
    drs.put(REGION, sourceServer(1, REGION, { state: "BACKLOG", lag: "P1Y" }), sourceServer(2, REGION, { lag: "PT-5S" }), sourceServer(3, REGION, { state: "continuous" }));
    for (const n of [1, 2, 3]) {
      const out = await run(ids(n));
      expect(out.status, `server ${n}`).toBe("unknown");
      expect(out.reason).toBe("invalid-response");
    }
    drs.put(REGION, sourceServer(4, REGION, { lag: "P99999999999999999999D" }));
    expect((await run(ids(4))).status).toBe("fail");
  });

  it("huge fields are cut short in the evidence; more servers than DRS allows is invalid-response, not kept", async () => {
    const big = { ...sourceServer(1, REGION, { hostname: "h".repeat(1_000_000) }), tags: { app: "orders", ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, "v".repeat(100)])) } };
    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: [big] }) });
    const out = await run({ tags: { app: "orders" } });
    expect(out.status).toBe("pass");
    expect(JSON.stringify(out).length).toBeLessThan(20_000);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ sourceServerID: serverId(i) }));
    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: many }) });
    expect(await run({ tags: { app: "orders" } })).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "standby (us-west-2): AWS DRS DescribeSourceServers listed more than 10000 source servers" });
  });

  it("a hostname or DRS error with control characters cannot fake a line of the report", async () => {
    const s = sourceServer(1, REGION, { state: "STALLED", hostname: "db-1\n✓ orders/lag  pass  all good\u001b[2J" });
    s.dataReplicationInfo!.dataReplicationError = { error: "AGENT_NOT_SEEN\r\nfake" };
    drs.put(REGION, s);
    const out = await run(ids(1));
    expect(out.status).toBe("fail");
    for (const f of out.findings ?? []) expect(f.message).not.toMatch(/[\u0000-\u001f]/);
    expect(JSON.stringify(out.evidence)).not.toMatch(/\\n|\\r|\\u001b/);
  });

  it("more than 200 ids are asked in filters of 200 (the API's limit)", async () => {
    drs.pageSize = 1000;
    const n = Array.from({ length: 450 }, (_, i) => i + 1);
    drs.put(REGION, ...n.map((i) => sourceServer(i, REGION)));
    const out = await run(ids(...n));
    expect(out.status).toBe("pass");
    expect(drs.requests.map((r) => ((r.body.filters as { sourceServerIDs: string[] }).sourceServerIDs).length)).toEqual([200, 200, 50]);
  });

  it("options: exactly one of sourceServerIds or tags, valid ids, no connection strings", () => {
    const bad = (drsOpts: Extra, extra: Extra = {}) => {
      const r = parseOptions(check, { engine: "aws-drs", drs: { region: REGION, ...drsOpts }, ...extra });
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(bad({})).toContain("drs: expected exactly one of sourceServerIds or tags");
    expect(bad({ sourceServerIds: ["i-123"] })).toContain("drs.sourceServerIds.0: expected a DRS source server id like s-1234567890abcdef0");
    expect(bad({ tags: {} })).toContain("drs.tags: expected at least one tag");
    // Listed twice, a missing id would be counted twice.
    expect(bad({ sourceServerIds: [serverId(1), serverId(2), serverId(1)] })).toContain("drs.sourceServerIds: expected each source server id once (one is listed twice)");
    expect(bad(ids(1), { standby: "postgres://db2/orders" })).toContain("standby: engine aws-drs reads its lag from AWS DRS: standby does not apply");
    expect(parseOptions(check, { engine: "aws-drs" }).error!.issues.map((i) => i.message)).toContain("engine aws-drs reads AWS Elastic Disaster Recovery: set drs to { region, sourceServerIds | tags }");
    expect(parseOptions(check, { engine: "postgres", primary: "postgres://a/b" }).error!.issues.map((i) => i.message)).toContain("engine postgres reads the standby: set standby to its connection string");
  });
});

describe("replication-lag aws-drs: failures are unknown, never pass", () => {
  it("an answer past 16 MiB is cut off where it arrives (the pool's read limit); a large page under it is read", { timeout: 30_000 }, async () => {
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "huge", times: 1, bytes: 256 * 1024 * 1024 });
    const out = await run(ids(1), {}, { maxAttempts: 1 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-west-2: AWS DRS DescribeSourceServers response exceeded 16 MiB (the read limit)" });
    drs.inject({ kind: "huge", times: 1, bytes: 4 * 1024 * 1024 });
    const under = await run(ids(1), {}, { maxAttempts: 1 });
    expect(under.status).toBe("pass");
  });

  it("AccessDenied is not-authorized naming the missing permission", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "accessDenied", times: 1 });
    const out = await run(ids(1));
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(out.summary).toBe("standby (us-west-2): not authorized: missing permission drs:DescribeSourceServers (AccessDeniedException)");
  });

  it("throttling is retried; throttling that never stops is unknown/throttled after maxAttempts", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "throttle", times: 2 });
    expect((await run(ids(1))).status).toBe("pass");
    expect(drs.count("DescribeSourceServers")).toBe(3);

    drs.inject({ kind: "throttle", times: Infinity });
    const out = await run(ids(1), {}, { maxAttempts: 2 });
    expect(out).toMatchObject({ status: "unknown", reason: "throttled" });
    expect(out.summary).toBe("standby (us-west-2): AWS DRS throttled DescribeSourceServers after 2 attempts; raise maxAttempts or lower concurrency");
  });

  it("malformed answers are invalid-response: not JSON, no list, a server without a state, a lag that is not a duration, endless pages", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "badJson", times: 1 });
    expect(await run(ids(1))).toMatchObject({ status: "unknown", reason: "invalid-response" });

    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: { sourceServerID: serverId(1) } }) });
    const notList = await run(ids(1));
    expect(notList).toMatchObject({ status: "unknown", reason: "invalid-response" });

    drs.inject({ kind: "raw", times: 1, body: JSON.stringify({ items: [{ sourceServerID: serverId(1), dataReplicationInfo: {} }] }) });
    const noState = await run(ids(1));
    expect(noState).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(noState.summary).toContain(`${serverId(1)}: AWS DRS gave no dataReplicationState`);

    drs.put(REGION, sourceServer(1, REGION, { lag: "P1Y" }));
    const badLag = await run(ids(1));
    expect(badLag).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(badLag.summary).toContain('lagDuration "P1Y" is not an ISO 8601 duration');

    drs.inject({ kind: "raw", times: Infinity, body: JSON.stringify({ items: [], nextToken: "again" }) });
    const endless = await run(ids(1));
    expect(endless).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(endless.summary).toContain("returned the same nextToken twice (endless pagination)");
  });

  it("an unrecognised state is unknown, not guessed; an uninitialized account says so", async () => {
    drs.put(REGION, sourceServer(1, REGION, { state: "SOMETHING_NEW" }));
    const out = await run(ids(1));
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toContain('unrecognised replication state "SOMETHING_NEW"');

    drs.inject({ kind: "uninitialized", times: 1 });
    const init = await run(ids(1));
    expect(init).toMatchObject({ status: "unknown", reason: "error" });
    expect(init.summary).toContain("AWS Elastic Disaster Recovery is not initialized in this account and region");
  });

  it("a slow DRS is a timeout within the check's deadline; a 500 is invalid-response after retries", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "slow", times: Infinity, delayMs: 10_000 });
    const t0 = performance.now();
    const slow = await run(ids(1), {}, {}, { timeoutMs: 1500 });
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(slow).toMatchObject({ status: "unknown", reason: "timeout" });

    drs.reset();
    drs.put(REGION, sourceServer(1, REGION));
    drs.inject({ kind: "500", times: Infinity });
    const five = await run(ids(1), {}, { maxAttempts: 2 });
    expect(five).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(five.summary).toBe("standby (us-west-2): AWS DRS answered DescribeSourceServers with HTTP 500 (InternalServerException) after 2 attempts");
  });

  it("an AssumeRole answer past 16 MiB is cut off where it arrives too: unknown, DRS never called", { timeout: 30_000 }, async () => {
    drs.put(REGION, sourceServer(1, REGION));
    aws.server.inject({ kind: "huge", op: "AssumeRole", times: Infinity, bytes: 256 * 1024 * 1024 });
    const out = await run(ids(1), {}, { roleArn: "arn:aws:iam::222222222222:role/standby-drs", stsEndpoint: aws.server.url, maxAttempts: 1 });
    expect({ status: out.status, reason: out.reason }).toEqual({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toContain("us-west-2: STS AssumeRole response exceeded 16 MiB (the read limit)");
    expect(drs.requests).toEqual([]);
  });

  it("with roleArn, the role is assumed through STS once and DRS is called with its session", async () => {
    drs.put(REGION, sourceServer(1, REGION));
    const out = await run(ids(1), {}, { roleArn: "arn:aws:iam::222222222222:role/standby-drs", stsEndpoint: aws.server.url });
    expect(out.status).toBe("pass");
    expect(aws.server.count("AssumeRole")).toBe(1);
    expect(aws.server.sessions.get(drs.requests[0]!.accessKeyId)).toBe("arn:aws:iam::222222222222:role/standby-drs");
  });
});

describe("replication-lag aws-drs: through the built CLI", () => {
  const config = (url: string) =>
    [
      "version: 1",
      "services:",
      "  - name: orders",
      "    checks:",
      "      - id: orders-drs-lag",
      "        kind: replication-lag",
      "        engine: aws-drs",
      `        drs: { region: ${REGION}, endpoint: "${url}", tags: { app: orders } }`,
      "",
    ].join("\n");

  it("`standby scan` loads the bundled DRS client lazily and judges the servers; the credentials never print", async () => {
    drs.put(REGION, sourceServer(1, REGION), sourceServer(2, REGION, { state: "STALLED" }));
    const file = join(aws.dir, "standby-drs.yml");
    writeFileSync(file, config(drs.url));
    const res = await runCli(["scan", "-c", file, "--format", "json"], { cwd: aws.dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { checks: Array<{ status: string; summary: string }> };
    expect(report.checks[0]).toMatchObject({ status: "fail" });
    expect(report.checks[0]!.summary).toContain(`${serverId(2)} (orders-db-2): replication STALLED`);
    expect(res.stdout + res.stderr).not.toContain("CANARY");
  });

  it("`standby validate` of an aws-drs check loads neither the DRS SDK nor drs.ts", () => {
    const file = join(aws.dir, "standby-drs-validate.yml");
    writeFileSync(file, config("http://127.0.0.1:9"));
    const r = loadedSources(["validate", "-c", file]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.sources.filter((m) => /\/node_modules\/(@aws-sdk|@smithy)\//.test(m) || m.endsWith("/checks/replication-lag/drs.ts"))).toEqual([]);
  });
});
