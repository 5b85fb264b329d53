// Issue 20 item 4: six AWS Config config-drift checks in one scan against an endpoint that throttles
// every third request get the same verdicts as each check run alone. Before the shared pool each
// side had its own client, retry quota and rate limiter, and one check of the six ended
// unknown "throttled ... after 3 attempts" in every run; with one retry budget per endpoint and
// identity, a throttle while the endpoint serves the same operation to others is congestion, not
// a refusal of this request. Real SDK clients against the local AWS JSON 1.1 server.
import { describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { LoadedCheck } from "../../src/config/load.js";
import { runChecks } from "../../src/engine/runner.js";
import { RunScope } from "../../src/engine/scope.js";
import type { CheckDefinition, ServiceInfo } from "../../src/engine/types.js";
import { awsPool } from "../../src/probes/aws/pool.js";
import { asg, USE1, USW2 } from "../helpers/aws-config-fixtures.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";

const aws = useAwsTestEnv({ accessKeyId: "AKIATESTPOOL00000001", secretAccessKey: "test-secret-CANARY-pool" }, "aws-pool");
const { server } = aws;

const ASG = "AWS::AutoScaling::AutoScalingGroup";
const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, account: USE1.account, suffix: USE1.suffix } },
  standby: { vars: { region: USW2.region, account: USW2.account, suffix: USW2.suffix } },
};
const config = { objectives: { rpo: 300_000, rto: 900_000 }, baseDir: process.cwd(), concurrency: 16 };
const CHECKS = 6;
const name = (i: number, suffix: string) => `orders${i}-asg-${suffix}`;

function seed(): void {
  for (let i = 0; i < CHECKS; i++) server.put(asg(USE1, { name: name(i, "use1") }), asg(USW2, { name: name(i, "usw2") }));
}

function driftCheck(i: number, extra: Record<string, unknown> = {}): LoadedCheck {
  const side = (s: typeof USE1) => ({ awsConfig: { region: s.region, endpoint: server.url, resourceType: ASG, resourceId: name(i, s.suffix), ...extra } });
  return {
    id: `drift-${i}`,
    kind: "config-drift",
    severity: "high",
    timeoutMs: 30_000,
    schedule: "* * * * *",
    options: check.options.parse({ primary: side(USE1), standby: side(USW2) }) as Record<string, unknown>,
    definition: check as unknown as CheckDefinition,
    service: SERVICE,
    location: { file: "standby.yml", line: 1, column: 1 },
  };
}

const throttleEveryThird = () => server.inject({ kind: "throttle", every: 3, times: Infinity });

describe("AWS clients shared across a scan's checks", () => {
  it("six config-drift checks in one scan, endpoint throttling every third request: all decided in 20 of 20 scans", { timeout: 240_000 }, async () => {
    seed();
    const checks = Array.from({ length: CHECKS }, (_, i) => driftCheck(i));
    const undecided: string[] = [];
    for (let run = 0; run < 20; run++) {
      server.reset();
      seed();
      throttleEveryThird();
      const results = await runChecks(config, checks);
      for (const r of results) if (r.status !== "pass") undecided.push(`run ${run} ${r.id}: ${r.status}/${r.reason} ${r.summary}`);
      // The endpoint really throttled this scan, and the checks really shared it.
      expect(server.requests.length).toBeGreaterThan(CHECKS * 4);
    }
    expect(undecided).toEqual([]);
  });

  it("the scan's checks share one client per region and identity, destroyed with the scan", async () => {
    seed();
    const scope = new RunScope();
    const results = await runChecks(config, Array.from({ length: CHECKS }, (_, i) => driftCheck(i)), { scope });
    expect(results.map((r) => r.status)).toEqual(Array(CHECKS).fill("pass"));
    // Two regions, one identity: two clients for twelve sides.
    expect(awsPool({ scope }).size).toBe(2);
    await scope.close();
    expect(() => awsPool({ scope })).toThrow(/closed/);
  });

  it("a role is assumed once per scan for all its checks, and again by the next scan (watch mode caches nothing across runs)", async () => {
    seed();
    const role = { roleArn: "arn:aws:iam::111111111111:role/standby-reader", stsEndpoint: server.url };
    const checks = Array.from({ length: CHECKS }, (_, i) => driftCheck(i, role));
    expect((await runChecks(config, checks)).map((r) => r.status)).toEqual(Array(CHECKS).fill("pass"));
    expect(server.count("AssumeRole")).toBe(1);
    await runChecks(config, checks);
    expect(server.count("AssumeRole")).toBe(2);
    // Every AWS Config request was signed with the assumed role's session.
    expect(server.requests.filter((r) => r.op !== "AssumeRole").every((r) => server.sessions.get(r.accessKeyId) === role.roleArn)).toBe(true);
  });

  it("throttling that never stops is unknown/throttled after maxAttempts, for every check of the scan", { timeout: 60_000 }, async () => {
    seed();
    server.inject({ kind: "throttle", op: "BatchGetResourceConfig", region: "us-west-2", times: Infinity });
    const checks = Array.from({ length: 3 }, (_, i) => driftCheck(i));
    const results = await runChecks(config, checks);
    for (const r of results) {
      expect(r).toMatchObject({ status: "unknown", reason: "throttled" });
      expect(r.summary).toMatch(/^standby \(us-west-2\): AWS Config throttled BatchGetResourceConfig after \d+ attempts; raise maxAttempts or lower concurrency$/);
    }
    // Bounded: at most CONGESTION_ATTEMPTS (3) x maxAttempts (3) per request, here far fewer.
    expect(server.count("BatchGetResourceConfig", "us-west-2")).toBeLessThanOrEqual(3 * 9);
  });
});
