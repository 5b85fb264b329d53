// drill-recency with the awsFis source: the real @aws-sdk/client-fis against a loopback server
// speaking FIS's REST-JSON protocol (test/helpers/fis-server.ts), credentials from the SDK's
// default provider chain (environment variables), STS AssumeRole from the AWS Config fake.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import check from "../../checks/drill-recency/index.js";
import type { LoadedCheck } from "../../src/config/load.js";
import { runChecks } from "../../src/engine/runner.js";
import { RunScope } from "../../src/engine/scope.js";
import type { CheckDefinition, CheckOutcome } from "../../src/engine/types.js";
import { awsPool } from "../../src/probes/aws/pool.js";
import { MAX_PAGES } from "../../src/probes/aws-fis/index.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { runCli } from "../helpers/cli.js";
import { runCliMeasured } from "../helpers/peak-rss.js";
import { FisServer, type StoredExperiment } from "../helpers/fis-server.js";

const aws = useAwsTestEnv({ accessKeyId: "AKIATESTSTANDBYFIS01", secretAccessKey: "test-secret-CANARY-f15a" }, "fis");
const fis = new FisServer();
beforeAll(async () => void (await fis.start()));
afterAll(() => fis.stop());
beforeEach(() => {
  fis.reset();
  n = 0;
});

const NOW = "2026-11-25T02:17:00Z";
const MONTHLY = { cadence: "0 10 1 * *", cadenceTimezone: "Europe/Berlin", grace: "3d" };
const T1 = "EXTorders1failover";

const at = (iso: string) => new Date(iso);
/** Experiment ids count from EXP0000 in each test. */
let n = 0;
function exp(status: StoredExperiment["status"], created: string, extra: Partial<StoredExperiment> = {}): StoredExperiment {
  const creationTime = at(created);
  const ended = status === "running" || status === "pending" || status === "initiating" ? {} : { endTime: new Date(creationTime.getTime() + 20 * 60_000) };
  return { id: `EXP${String(n++).padStart(4, "0")}`, experimentTemplateId: T1, status, creationTime, startTime: creationTime, ...ended, ...extra };
}

async function run(awsFis: Record<string, unknown>, options: Record<string, unknown> = {}, ctx: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CheckOutcome> {
  return runCheck(check, { ...MONTHLY, lastDrill: { awsFis: { region: "us-east-1", endpoint: fis.url, ...awsFis } }, ...options } as never, { now: () => new Date(NOW), ...ctx });
}

describe("drill-recency awsFis: the last completed experiment is the drill", () => {
  it("passes on a recent completed experiment, its endTime the drill, through the real SDK", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z"), exp("completed", "2026-10-01T09:00:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("pass");
    // endTime 09:30Z, 23d16h47m before NOW.
    expect(r.summary).toBe("last drill 23d16h ago, on schedule; next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)");
    expect(r.evidence).toMatchObject({
      lastDrill: "2026-11-01T09:30:00.000Z",
      lastDrillFrom: `FIS experiment EXP0000 (template ${T1}, us-east-1)`,
      fis: { region: "us-east-1", templates: [T1], experiments: 2, notCompleted: [], notCompletedTotal: 0, lastCompleted: { id: "EXP0000", startTime: "2026-11-01T09:10:00.000Z", endTime: "2026-11-01T09:30:00.000Z" } },
    });
    // The filter went on the wire (the pinned SDK's model lacks it), signed for FIS in the region.
    const list = fis.requests.filter((q) => q.op === "ListExperiments");
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ region: "us-east-1", accessKeyId: "AKIATESTSTANDBYFIS01", query: { experimentTemplateId: T1, maxResults: "100" } });
    // One GetExperiment, for the end time of the last completed one only.
    expect(fis.requests.filter((q) => q.op === "GetExperiment").map((q) => q.path)).toEqual(["/experiments/EXP0000"]);
    expect(JSON.stringify(r)).not.toContain("CANARY");
  });

  it("fails with only failed, stopped or cancelled experiments, and reports them (with their reasons) as evidence, not as drills", async () => {
    fis.experiments = [
      exp("failed", "2026-11-01T09:00:00Z", { reason: "Action failover failed: DBCluster orders-use1 not found" }),
      exp("stopped", "2026-11-02T09:00:00Z", { reason: "Experiment stopped by stop condition alarm orders-5xx" }),
      exp("cancelled", "2026-11-03T09:00:00Z"),
      exp("running", "2026-11-24T23:00:00Z"),
    ];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("fail");
    expect(r.summary).toBe(
      `no completed FIS experiment of template ${T1} in us-east-1 (4 listed; 3 ended without completing, the latest EXP0002 cancelled 2026-11-03 10:00 Europe/Berlin (Experiment cancelled.); EXP0003 is running since 2026-11-25 00:00 Europe/Berlin); next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)`,
    );
    expect(r.findings).toEqual([expect.objectContaining({ rule: "no-drill", path: "lastDrill" })]);
    expect(r.measured ?? null).toBeNull();
    expect(r.evidence).toMatchObject({
      lastDrill: null,
      fis: {
        lastCompleted: null,
        notCompletedTotal: 3,
        notCompleted: [
          { id: "EXP0002", status: "cancelled" },
          { id: "EXP0001", status: "stopped", reason: "Experiment stopped by stop condition alarm orders-5xx", createdAt: "2026-11-02T09:00:00.000Z" },
          { id: "EXP0000", status: "failed", reason: "Action failover failed: DBCluster orders-use1 not found" },
        ],
        inProgress: [{ id: "EXP0003", status: "running" }],
      },
    });
    // No completed experiment: nothing to GetExperiment.
    expect(fis.count("GetExperiment")).toBe(0);
  });

  it("fails when the last completed experiment is older than the cadence allows", async () => {
    fis.experiments = [exp("completed", "2026-09-01T08:00:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("fail");
    expect(r.summary).toMatch(/^the drill scheduled 2026-11-01 10:00 Europe\/Berlin was missed: last drill 84d17h ago \(2026-09-01T08:20:00.000Z\)/);
    expect(r.measured).toMatchObject({ unit: "s", value: Math.round((at(NOW).getTime() - at("2026-09-01T08:20:00Z").getTime()) / 1000) });
  });

  it("warns when an experiment after the last completed one failed, though the schedule is kept", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z"), exp("failed", "2026-11-20T09:00:00Z", { reason: "Stop condition triggered" }), exp("stopped", "2026-11-10T09:00:00Z"), exp("failed", "2026-10-20T09:00:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("warn");
    expect(r.summary).toBe(
      `the latest FIS experiment of template ${T1} did not complete: EXP0001 failed 2026-11-20 10:00 Europe/Berlin (Stop condition triggered) (2 since); the last completed one ended 2026-11-01 10:30 Europe/Berlin; next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)`,
    );
    expect(r.findings).toEqual([expect.objectContaining({ level: "warn", rule: "drill-attempt-failed" })]);
    // The failure before the last drill is history, not evidence against it.
    expect((r.evidence as { fis: { notCompleted: Array<{ id: string }> } }).fis.notCompleted.map((e) => e.id)).toEqual(["EXP0001", "EXP0002"]);
  });

  it("a missed slot is the headline even when a later attempt failed", async () => {
    fis.experiments = [exp("completed", "2026-08-01T09:00:00Z"), exp("failed", "2026-11-01T09:00:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("fail");
    expect(r.summary).toMatch(/^the drill scheduled 2026-11-01 10:00 Europe\/Berlin was missed: .* \(\+1 more\); next drill due/);
    expect(r.findings?.map((f) => f.rule)).toEqual(["drill-missed", "drill-attempt-failed"]);
  });
});

describe("drill-recency awsFis: which experiments", () => {
  it("reads every page (nextToken) and finds the last completed experiment on the last page", async () => {
    fis.pageSize = 3;
    fis.experiments = [...Array.from({ length: 9 }, (_, i) => exp("failed", `2026-10-${String(10 + i).padStart(2, "0")}T09:00:00Z`)), exp("completed", "2026-11-01T09:10:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("pass");
    const list = fis.requests.filter((q) => q.op === "ListExperiments");
    expect(list).toHaveLength(4);
    expect(list.map((q) => q.query.nextToken ?? null)).toEqual([null, expect.any(String), expect.any(String), expect.any(String)]);
    expect((r.evidence as { fis: { experiments: number } }).fis.experiments).toBe(10);
  });

  it("counts only the configured template's experiments when an endpoint ignores the filter", async () => {
    fis.honourTemplateFilter = false;
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z", { experimentTemplateId: "EXTsomethingElse" }), exp("completed", "2026-09-01T09:10:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r.status).toBe("fail");
    expect(r.summary).toMatch(/^the drill scheduled 2026-11-01 10:00 Europe\/Berlin was missed/);
  });

  it("several template ids: an experiment of any counts; each is listed with its own filter", async () => {
    fis.experiments = [exp("completed", "2026-10-01T09:10:00Z"), exp("completed", "2026-11-01T09:10:00Z", { experimentTemplateId: "EXTorders2" })];
    const r = await run({ experimentTemplateId: [T1, "EXTorders2"] });
    expect(r.status).toBe("pass");
    expect(r.evidence).toMatchObject({ lastDrillFrom: `FIS experiment EXP0001 (templates ${T1}, EXTorders2, us-east-1)` });
    expect(fis.requests.filter((q) => q.op === "ListExperiments").map((q) => q.query.experimentTemplateId).sort()).toEqual(["EXTorders1failover", "EXTorders2"]);
  });

  it("a summary names at most three templates (tags may select fifty)", async () => {
    fis.templates = Array.from({ length: 7 }, (_, i) => ({ id: `EXT${i}`, tags: { drill: "orders" } }));
    const r = await run({ tags: { drill: "orders" } });
    expect(r.summary).toMatch(/^no completed FIS experiment of templates EXT0, EXT1, EXT2 and 4 more in us-east-1 \(0 listed\)/);
    expect((r.evidence as { fis: { templates: string[] } }).fis.templates).toHaveLength(7);
    expect(fis.count("ListExperiments")).toBe(7);
    fis.templates = Array.from({ length: 51 }, (_, i) => ({ id: `EXT${i}`, tags: { drill: "orders" } }));
    const tooMany = await run({ tags: { drill: "orders" } });
    expect(tooMany).toMatchObject({ status: "unknown", reason: "error", summary: "us-east-1: the tags drill=orders select 51 FIS experiment templates; at most 50 (narrow the tags)" });
  });

  it("selects templates by tags (all must match), over every page of ListExperimentTemplates", async () => {
    fis.pageSize = 2;
    fis.templates = [
      { id: "EXTa", tags: { drill: "orders-failover", team: "payments" } },
      { id: "EXTb", tags: { drill: "orders-failover" } },
      { id: "EXTc", tags: { drill: "search-failover", team: "payments" } },
      { id: "EXTd", tags: { drill: "orders-failover", team: "payments", extra: "x" } },
    ];
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z", { experimentTemplateId: "EXTb" }), exp("completed", "2026-10-01T09:10:00Z", { experimentTemplateId: "EXTd" })];
    const r = await run({ tags: { drill: "orders-failover", team: "payments" } });
    // EXTb lacks team=payments: its newer drill does not count; EXTd's is too old.
    expect(r.status).toBe("fail");
    expect(r.evidence).toMatchObject({ fis: { templates: ["EXTa", "EXTd"] }, lastDrill: "2026-10-01T09:30:00.000Z" });
    expect(fis.count("ListExperimentTemplates")).toBe(2);
    // Tags are the templates', never a reason to ask GetExperimentTemplate.
    expect(fis.count("GetExperimentTemplate")).toBe(0);
  });

  it("is unknown when no template carries the tags (a typo is not a missed drill)", async () => {
    fis.templates = [{ id: "EXTa", tags: { drill: "orders" } }];
    const r = await run({ tags: { drill: "order" } });
    expect(r).toMatchObject({ status: "unknown", reason: "error", summary: "us-east-1: no FIS experiment template carries the tags drill=order" });
  });

  it("an unknown template id is unknown; a known template never run fails", async () => {
    const r = await run({ experimentTemplateId: "EXTtypo" });
    expect(r).toMatchObject({ status: "unknown", reason: "error" });
    expect(r.summary).toBe("us-east-1: FIS GetExperimentTemplate: not found (Experiment template not found.)");
    fis.reset();
    fis.templates = [{ id: T1, tags: {} }];
    const never = await run({ experimentTemplateId: T1 });
    expect(never.status).toBe("fail");
    expect(never.summary).toBe(`no completed FIS experiment of template ${T1} in us-east-1 (0 listed); next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)`);
  });

  it("reads the region the option names (SigV4 scope), not another region's experiments", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z", { region: "us-west-2" })];
    fis.templates = [{ id: T1, tags: {}, region: "us-east-1" }];
    const east = await run({ experimentTemplateId: T1 });
    expect(east.status).toBe("fail");
    const west = await run({ experimentTemplateId: T1, region: "us-west-2" });
    expect(west.status).toBe("pass");
    expect(fis.requests.at(-1)!.region).toBe("us-west-2");
  });
});

describe("drill-recency awsFis: failures are unknown with a reason, never a pass", () => {
  it("a completed experiment that ended before it started or was created is invalid-response, not a drill", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z", { endTime: at("2026-11-01T09:00:00Z") })];
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-east-1: FIS completed experiment EXP0000 ended (2026-11-01T09:00:00.000Z) before it started" });
    fis.experiments = [exp("completed", "2026-11-20T09:10:00Z", { startTime: at("2026-11-01T09:00:00Z"), endTime: at("2026-11-10T09:00:00Z") })];
    expect(await run({ experimentTemplateId: T1 })).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-east-1: FIS completed experiment EXP0001 ended (2026-11-10T09:00:00.000Z) before it was created" });
  });

  it("a status outside FIS's enum after the last completed experiment is invalid-response: not skipped, not counted", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z"), exp("FAILED" as never, "2026-11-10T09:10:00Z")];
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response", summary: 'us-east-1: FIS ListExperiments returned experiment EXP0001 with an unrecognised status "FAILED"' });
    fis.experiments = [exp("Completed" as never, "2026-11-10T09:10:00Z")];
    expect(await run({ experimentTemplateId: T1 })).toMatchObject({ status: "unknown", reason: "invalid-response" });
    // Older than the last completed one, it changes nothing.
    fis.experiments = [exp("Completed" as never, "2026-10-01T09:10:00Z"), exp("completed", "2026-11-01T09:10:00Z")];
    expect((await run({ experimentTemplateId: T1 })).status).toBe("pass");
  });

  it("AccessDenied (403) is not-authorized, naming the missing permission", async () => {
    fis.inject({ kind: "accessDenied", op: "ListExperiments", times: 1 });
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "not-authorized", summary: "us-east-1: not authorized: missing permission fis:ListExperiments (AccessDeniedException)" });
  });

  it("missing credentials are not-authorized", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(r.summary).toMatch(/^us-east-1: no AWS credentials from the SDK's default provider chain/);
  });

  it("assumes roleArn through STS and reads FIS with the session's key", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z")];
    const roleArn = "arn:aws:iam::111111111111:role/standby-fis-reader";
    const r = await run({ experimentTemplateId: T1, roleArn, stsEndpoint: aws.server.url });
    expect(r.status).toBe("pass");
    expect(aws.server.sessions.get(fis.requests[0]!.accessKeyId)).toBe(roleArn);
    aws.server.deniedRoles.add(roleArn);
    const denied = await run({ experimentTemplateId: T1, roleArn, stsEndpoint: aws.server.url });
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(denied.summary).toContain("sts:AssumeRole");
  });

  it("throttling is retried (adaptive); past maxAttempts it is unknown, naming the attempts", async () => {
    fis.experiments = [exp("completed", "2026-11-01T09:10:00Z")];
    fis.inject({ kind: "throttle", op: "ListExperiments", times: 2 });
    expect((await run({ experimentTemplateId: T1 })).status).toBe("pass");
    expect(fis.count("ListExperiments")).toBe(3);
    fis.requests.length = 0;
    fis.inject({ kind: "throttle", op: "GetExperiment", times: Infinity });
    const r = await run({ experimentTemplateId: T1, maxAttempts: 2 });
    expect(r).toMatchObject({ status: "unknown", reason: "throttled", summary: "us-east-1: FIS throttled GetExperiment after 2 attempts; raise maxAttempts or lower concurrency" });
    expect(fis.count("GetExperiment")).toBe(2);
  });

  it("a 500 after the retries is invalid-response", async () => {
    fis.inject({ kind: "500", times: Infinity });
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(r.summary).toMatch(/^us-east-1: FIS answered ListExperiments with HTTP 500 .* after 3 attempts$/);
  });

  it("malformed answers are invalid-response: broken JSON, wrong shapes, a completed experiment without endTime, missing fields", async () => {
    const cases: Array<[() => void, RegExp]> = [
      [() => fis.inject({ kind: "badJson", op: "ListExperiments", times: 1 }), /^us-east-1: FIS ListExperiments returned a response that is not valid JSON$/],
      [() => fis.inject({ kind: "wrongShape", op: "ListExperiments", times: 1 }), /^us-east-1: FIS ListExperiments returned a response that is not valid JSON$/],
      [() => (fis.experiments = [exp("completed", "2026-11-01T09:10:00Z", { endTime: undefined })]), /^us-east-1: FIS completed experiment EXP\d+ has no endTime$/],
      [() => (fis.experiments = [{ ...exp("completed", "2026-11-01T09:10:00Z"), status: undefined as never }]), /without a state\.status$/],
      [() => (fis.experiments = [exp("completed", "2026-11-01T09:10:00Z")]) && fis.inject({ kind: "wrongShape", op: "GetExperiment", times: 1 }), /GetExperiment EXP\d+ returned another experiment or none$/],
    ];
    for (const [setUp, summary] of cases) {
      fis.reset();
      setUp();
      const r = await run({ experimentTemplateId: T1 });
      expect(r.status, String(summary)).toBe("unknown");
      expect(r.reason, String(summary)).toBe("invalid-response");
      expect(r.summary).toMatch(summary);
    }
  });

  it("a response past 16 MiB is cut off where it arrives (invalid-response); a large page under it is read", { timeout: 30_000 }, async () => {
    fis.inject({ kind: "huge", op: "ListExperiments", times: 1, bytes: 64 * 1024 * 1024 });
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-east-1: FIS ListExperiments response exceeded 16 MiB (the read limit)" });
    // Not retried: a cap is not a transient failure.
    expect(fis.count("ListExperiments")).toBe(1);
    fis.reset();
    fis.templates = [{ id: T1, tags: {} }];
    fis.inject({ kind: "huge", op: "ListExperiments", times: 1, bytes: 4 * 1024 * 1024 });
    const big = await run({ experimentTemplateId: T1 });
    // Thousands of another template's experiments (an endpoint ignoring the filter), none of T1's.
    expect(big.status).toBe("fail");
    expect(big.summary).toMatch(/^no completed FIS experiment of template EXTorders1failover in us-east-1 \(0 listed\); next drill due/);
  });

  it("a paginator that repeats its token stops at once (invalid-response), not after MAX_PAGES", async () => {
    fis.experiments = [exp("failed", "2026-11-01T09:00:00Z")];
    fis.inject({ kind: "loopToken", op: "ListExperiments", times: Infinity });
    const r = await run({ experimentTemplateId: T1 });
    expect(r).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-east-1: FIS ListExperiments returned the same nextToken twice (a paginator that never ends)" });
    expect(fis.count("ListExperiments")).toBe(2);
    expect(MAX_PAGES).toBeGreaterThan(2);
  });

  it("a stuck request times out by requestTimeout; the check's own deadline and a cancelled scan stop it too", async () => {
    fis.inject({ kind: "slow", op: "ListExperiments", times: Infinity, delayMs: 30_000 });
    const perRequest = await run({ experimentTemplateId: T1, requestTimeout: "300ms", maxAttempts: 1 });
    expect(perRequest).toMatchObject({ status: "unknown", reason: "timeout", summary: "us-east-1: FIS ListExperiments timed out after 300ms" });

    const started = Date.now();
    const deadline = await run({ experimentTemplateId: T1 }, {}, { timeoutMs: 600 });
    expect(deadline).toMatchObject({ status: "unknown", reason: "timeout", summary: "us-east-1: FIS ListExperiments did not finish within the check's timeout" });
    expect(Date.now() - started).toBeLessThan(10_000);

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("scan cancelled")), 200);
    const cancelled = await run({ experimentTemplateId: T1 }, {}, { signal: controller.signal });
    expect(cancelled).toMatchObject({ status: "unknown", reason: "error", summary: "scan cancelled before the check finished" });
  });

  it("an endpoint that refuses connections is unreachable, naming it", async () => {
    const r = await runCheck(check, { ...MONTHLY, lastDrill: { awsFis: { region: "us-east-1", endpoint: "http://127.0.0.1:9", experimentTemplateId: T1, maxAttempts: 1 } } } as never, { now: () => new Date(NOW) });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(r.summary).toContain("us-east-1: FIS at http://127.0.0.1:9");
  });
});

describe("drill-recency awsFis: options", () => {
  const problems = (awsFis: Record<string, unknown>) => {
    const res = parseOptions(check, { ...MONTHLY, lastDrill: { awsFis: { region: "us-east-1", ...awsFis } } });
    return res.success ? [] : res.error.issues.map((i) => i.message);
  };
  it("takes exactly one of experimentTemplateId or tags; ids have FIS's pattern; the region is a region", () => {
    expect(problems({ experimentTemplateId: T1 })).toEqual([]);
    expect(problems({ tags: { drill: "orders" } })).toEqual([]);
    expect(problems({}).join()).toMatch(/exactly one of experimentTemplateId .* or tags/);
    expect(problems({ experimentTemplateId: T1, tags: { a: "b" } }).join()).toMatch(/exactly one of/);
    expect(problems({ experimentTemplateId: "has space" }).join()).toMatch(/FIS experiment template id/);
    expect(problems({ tags: {} }).join()).toMatch(/at least one tag/);
    expect(problems({ experimentTemplateId: T1, region: "mars" }).join()).toMatch(/AWS region/);
    expect(problems({ experimentTemplateId: T1, concurrency: 3 }).join()).toMatch(/nrecognized/);
  });
});

describe("drill-recency awsFis through the built CLI", () => {
  // The bundled CLI loads the SDK from a lazy chunk (namedExports); every format renders a
  // result with no drill on record (lastDrill null) and one with a drill.
  it("scans with the bundled SDK, in json, prometheus and text, and never prints the secret key", async () => {
    fis.experiments = [exp("completed", "2020-11-01T09:10:00Z"), exp("failed", "2020-11-02T09:00:00Z", { experimentTemplateId: "EXTnever" })];
    fis.templates = [{ id: "EXTnever", tags: {} }];
    const file = join(aws.dir, "fis.yml");
    const check = (id: string, tid: string) => `      - { id: ${id}, kind: drill-recency, cadence: "@monthly", grace: 3d, lastDrill: { awsFis: { region: us-east-1, endpoint: "${fis.url}", experimentTemplateId: ${tid} } } }`;
    writeFileSync(file, ["version: 1", "services:", "  - name: orders", "    checks:", check("stale-drill", T1), check("never-drilled", "EXTnever"), ""].join("\n"));
    const json = await runCli(["scan", "-c", file, "-f", "json"], { cwd: aws.dir });
    expect(json.stderr).toBe("");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { checks: Array<{ id: string; status: string; summary: string; evidence: { lastDrill: string | null } }> };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId["stale-drill"]).toMatchObject({ status: "fail", evidence: { lastDrill: "2020-11-01T09:30:00.000Z" } });
    expect(byId["never-drilled"]).toMatchObject({ status: "fail", evidence: { lastDrill: null } });
    expect(byId["never-drilled"]!.summary).toMatch(/^no completed FIS experiment of template EXTnever in us-east-1 \(1 listed; 1 ended without completing, the latest EXP\d+ failed /);
    const prom = await runCli(["scan", "-c", file, "-f", "prometheus"], { cwd: aws.dir });
    expect(prom.stdout).toMatch(/standby_drill_last_timestamp_seconds\{[^}]*check="stale-drill"[^}]*\} 1604223000/);
    expect(prom.stdout).not.toMatch(/standby_drill_last_timestamp_seconds\{[^}]*check="never-drilled"/);
    const text = await runCli(["scan", "-c", file], { cwd: aws.dir });
    expect(text.stdout).toContain("no completed FIS experiment of template EXTnever");
    for (const out of [json, prom, text]) expect(out.stdout + out.stderr).not.toContain("CANARY");
  });

  it("a 1 GiB ListExperiments answer: unknown/invalid-response, peak RSS bounded", { timeout: 60_000 }, async () => {
    fis.inject({ kind: "huge", op: "ListExperiments", times: 1, bytes: 1024 * 1024 * 1024 });
    const file = join(aws.dir, "fis-huge.yml");
    writeFileSync(file, `version: 1\nservices:\n  - name: orders\n    checks:\n      - { id: huge, kind: drill-recency, cadence: "@monthly", lastDrill: { awsFis: { region: us-east-1, endpoint: "${fis.url}", experimentTemplateId: ${T1} } } }\n`);
    const r = await runCliMeasured(["scan", "-c", file, "-f", "json", "--no-history"]);
    const report = JSON.parse(r.stdout) as { checks: Array<{ status: string; reason: string; summary: string }> };
    expect(report.checks[0]).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "us-east-1: FIS ListExperiments response exceeded 16 MiB (the read limit)" });
    expect(r.peakRssMiB).not.toBeNull();
    expect(r.peakRssMiB!).toBeLessThan(400);
  });
});

describe("drill-recency awsFis in a scan: the run's AWS pool", () => {
  const scanCheck = (i: number, awsFis: Record<string, unknown>): LoadedCheck => ({
    id: `drill-${i}`,
    kind: "drill-recency",
    severity: "medium",
    timeoutMs: 30_000,
    schedule: "* * * * *",
    options: check.options.parse({ cadence: "@monthly", lastDrill: { awsFis: { region: "us-east-1", endpoint: fis.url, experimentTemplateId: `EXT${i}`, ...awsFis } } }) as Record<string, unknown>,
    definition: check as unknown as CheckDefinition,
    service: { name: "orders", primary: { vars: {} }, standby: { vars: {} } },
    location: { file: "standby.yml", line: 1, column: 1 },
  });
  const config = { objectives: { rpo: 300_000, rto: 900_000 }, baseDir: process.cwd(), concurrency: 16 };
  const seed = (checks: number) => {
    // A completed drill an hour ago for each template: every check passes when it can read.
    for (let i = 0; i < checks; i++) fis.experiments.push(exp("completed", new Date(Date.now() - 3_600_000).toISOString(), { experimentTemplateId: `EXT${i}` }));
  };

  it("checks with one role share one client and assume the role once per scan", async () => {
    seed(4);
    const roleArn = "arn:aws:iam::111111111111:role/standby-fis-reader";
    const scope = new RunScope();
    const results = await runChecks(config, Array.from({ length: 4 }, (_, i) => scanCheck(i, { roleArn, stsEndpoint: aws.server.url })), { scope });
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(awsPool({ scope }).size).toBe(1);
    expect(aws.server.requests.filter((r) => r.op === "AssumeRole")).toHaveLength(1);
    await scope.close();
  });

  it("six FIS checks against an endpoint throttling every third request are all decided, as each alone", { timeout: 120_000 }, async () => {
    const undecided: string[] = [];
    for (let run = 0; run < 5; run++) {
      fis.reset();
      seed(6);
      fis.inject({ kind: "throttle", every: 3, times: Infinity });
      const results = await runChecks(config, Array.from({ length: 6 }, (_, i) => scanCheck(i, {})));
      for (const r of results) if (r.status !== "pass") undecided.push(`run ${run} ${r.id}: ${r.status}/${r.reason} ${r.summary}`);
      expect(fis.requests.length).toBeGreaterThan(12);
    }
    expect(undecided).toEqual([]);
  });
});
