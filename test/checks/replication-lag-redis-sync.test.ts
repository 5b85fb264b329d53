// replication-lag against a real Redis replica whose initial full sync is still in progress
// (master_sync_in_progress:1, link down while the RDB streams): it has no complete data set, so
// it must fail, never pass, and say why. Then the same check must pass once the sync is done.
//
// Keeping the sync in progress deterministically: `repl-diskless-sync-delay` does not do it (the
// primary only answers +FULLRESYNC when its RDB child starts, so during the delay the replica is
// still in the handshake with master_sync_in_progress:0). Instead the primary's RDB child is
// slowed by `rdb-key-save-delay` (a Redis test config, microseconds per key): KEYS x DELAY keeps
// the transfer running for seconds. Load can only make it slower, never shorter.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import { runCheck } from "../helpers/check-tester.js";
import { assertPresent, freePort, removeDir, skipMessage, tempDir, waitFor } from "../helpers/servers/common.js";
import { RedisNode, redisMissing } from "../helpers/servers/redis.js";

const PASSWORD = "redis-sync-secret-pw";
const KEYS = 250;
const KEY_SAVE_DELAY_US = 20_000; // 250 keys x 20 ms: the full sync lasts at least 5 s

const redisSkip = skipMessage("Redis", redisMissing());
describe.skipIf(redisSkip)(`replication-lag: Redis replica during its initial full sync${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  let dir: string | undefined;
  let primary: RedisNode;
  let replica: RedisNode;
  const opts = () => ({ engine: "redis" as const, primary: primary.url, standby: replica.url });

  beforeAll(async () => {
    assertPresent("Redis", redisMissing());
    dir = tempDir("redis-sync");
    primary = new RedisNode("primary", await freePort(), dir, PASSWORD);
    replica = new RedisNode("replica", await freePort(), dir, PASSWORD);
    await primary.start();
    const kv = Array.from({ length: KEYS }, (_, i) => [`k${i}`, `v${i}`]).flat();
    await primary.cmd("MSET", ...kv);
    await primary.cmd("CONFIG", "SET", "rdb-key-save-delay", String(KEY_SAVE_DELAY_US));
    await replica.start(["--replicaof", "127.0.0.1", String(primary.port)]);
    await waitFor("redis replica in full sync", async () => (await replica.info()).master_sync_in_progress === "1", 10_000);
  });
  afterAll(async () => {
    await Promise.all([primary?.stop().catch(() => undefined), replica?.stop().catch(() => undefined)]);
    removeDir(dir);
  });

  it("while the initial sync is in progress: fail, naming the sync, no lag claimed", async () => {
    const out = await runCheck(check, opts());
    // The check really ran during the sync, not after it (it lasts seconds, the check milliseconds).
    expect((await replica.info()).master_sync_in_progress).toBe("1");

    expect(out.status, out.summary).toBe("fail");
    expect(out.summary).toMatch(/^a full sync from the primary is in progress \(master_sync_in_progress:1/);
    expect(out.summary).toContain("no complete data set");
    expect(out.summary).not.toContain("caught up");
    // The pre-sync replid, the offset and the link state describe nothing while the data set is
    // being replaced: one finding, the sync, not "other history" or "receives nothing".
    expect(out.findings!.map((f) => f.rule)).toEqual(["sync-in-progress"]);
    expect(out.measured).toBeNull();
    expect(out.evidence).toMatchObject({
      lagBasis: "full-sync",
      lagIsLowerBound: false,
      standbyRole: "slave",
      masterSyncInProgress: true,
      masterLinkStatus: "down",
      bytesBehind: null,
    });
    expect(typeof out.evidence!.masterSyncReadBytes).toBe("number");
    // The primary sees the replica too, and not as online yet.
    const view = out.evidence!.primaryReplicaView as { state: string | null }[];
    expect(view).toHaveLength(1);
    expect(view[0]!.state).not.toBe("online");
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it("once the sync has completed: the same check passes (the setup replicates for real)", async () => {
    await waitFor("redis full sync to complete", async () => {
      const [p, r] = [await primary.info(), await replica.info()];
      return r.master_link_status === "up" && r.master_sync_in_progress === "0" && p.master_repl_offset === r.slave_repl_offset;
    }, 20_000);
    expect(await replica.cmd("DBSIZE")).toBe(String(KEYS));

    const out = await runCheck(check, opts());
    expect(out.status, out.summary).toBe("pass");
    expect(out.findings ?? []).toEqual([]);
    expect(out.evidence).toMatchObject({ lagBasis: "caught-up", masterSyncInProgress: false, masterLinkStatus: "up", bytesBehind: 0 });
    expect(out.measured).toMatchObject({ value: 0, unit: "s" });
  });
});

// A fresh replica whose primary accepts the connection and never answers its PING: the replica
// stays in the replication handshake (ROLE state "handshake", link down, its own random replid).
// It has no data from the configured primary; that is the one thing to say.
describe.skipIf(redisSkip)(`replication-lag: Redis replica that never got past the handshake${redisSkip ? ` (${redisSkip})` : ""}`, () => {
  let dir: string | undefined;
  let primary: RedisNode;
  let replica: RedisNode;
  let silent: Server;
  const held: Socket[] = [];
  const pings: string[] = [];

  beforeAll(async () => {
    assertPresent("Redis", redisMissing());
    dir = tempDir("redis-handshake");
    silent = createServer((sock) => {
      held.push(sock);
      sock.on("data", (d) => pings.push(d.toString("latin1")));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as { port: number }).port;
    primary = new RedisNode("primary", await freePort(), dir, PASSWORD);
    replica = new RedisNode("replica", await freePort(), dir, PASSWORD);
    await primary.start();
    await replica.start(["--replicaof", "127.0.0.1", String(silentPort)]);
    await waitFor("the replica's PING to the silent primary", async () => pings.join("").includes("PING"), 10_000);
  });
  afterAll(async () => {
    for (const sock of held) sock.destroy();
    silent?.close();
    await Promise.all([primary?.stop().catch(() => undefined), replica?.stop().catch(() => undefined)]);
    removeDir(dir);
  });

  it("fails with one finding: not synced, naming the link state and where the replica points", async () => {
    const silentPort = (silent.address() as { port: number }).port;
    const out = await runCheck(check, { engine: "redis" as const, primary: primary.url, standby: replica.url });
    expect(out.status, out.summary).toBe("fail");
    expect(out.findings!.map((f) => f.rule)).toEqual(["not-synced"]);
    expect(out.summary).toContain(`standby has not synced from the primary: its replication link to 127.0.0.1:${silentPort} is stuck in the handshake (ROLE state handshake`);
    expect(out.summary).not.toMatch(/caught up|follows another/);
    expect(out.measured).toBeNull();
    expect(out.evidence).toMatchObject({
      lagBasis: "not-synced",
      standbyRole: "slave",
      masterHost: "127.0.0.1",
      masterPort: silentPort,
      masterLinkStatus: "down",
      linkState: "handshake",
      masterSyncInProgress: false,
      bytesBehind: null,
    });
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });
});
