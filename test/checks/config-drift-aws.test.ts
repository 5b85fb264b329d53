// config-drift with AWS Config sources: the real AWS SDK client against a local AWS JSON 1.1
// server (test/helpers/aws-config-server.ts) serving configuration items shaped like real ones.
// Credentials come from the SDK's default provider chain (environment variables set here).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import { PACKS } from "../../checks/config-drift/rules/index.js";
import { compareInstanceClass } from "../../checks/config-drift/size-order.js";
import { makeContext } from "../../src/engine/context.js";
import type { CheckOutcome, Finding, ServiceInfo } from "../../src/engine/types.js";
import { awsConfigQuerySchema, awsConfigSchema, awsConnectionSchema, queryExpression, readSide } from "../../src/probes/aws-config/index.js";
import { ProbeError } from "../../src/probes/errors.js";
import type { StoredItem } from "../helpers/aws-config-server.js";
import { asg, asgPairConfig, dynamoTable, iamRole, lambdaFn, loadBalancer, rdsCluster, rdsInstance, s3Bucket, type SideDef, USE1, USW2 } from "../helpers/aws-config-fixtures.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { runCli } from "../helpers/cli.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, account: USE1.account, suffix: USE1.suffix } },
  standby: { vars: { region: USW2.region, account: USW2.account, suffix: USW2.suffix } },
};

// What users get: the default provider chain, here fed by environment variables.
const aws = useAwsTestEnv({ accessKeyId: "AKIATESTSTANDBY00001", secretAccessKey: "test-secret-CANARY-5e1f" }, "aws");
const { server } = aws;

type Extra = Record<string, unknown>;

function side(s: SideDef, resourceType: string, select: Extra, extra: Extra = {}) {
  return { awsConfig: { region: s.region, endpoint: server.url, resourceType, ...select, ...extra } };
}

/** Explicit pair: one resource id per side. */
async function pair(resourceType: string, pid: string, sid: string, options: Extra = {}, ctx: { timeoutMs?: number } = {}, extra: Extra = {}): Promise<CheckOutcome> {
  return runCheck(
    check,
    { primary: side(USE1, resourceType, { resourceId: pid }, extra), standby: side(USW2, resourceType, { resourceId: sid }, extra), ...options } as never,
    { service: SERVICE, ...ctx },
  );
}

async function query(resourceType: string, q: Extra, options: Extra = {}, extra: Extra = {}): Promise<CheckOutcome> {
  return runCheck(
    check,
    { primary: side(USE1, resourceType, { query: q }, extra), standby: side(USW2, resourceType, { query: q }, extra), ...options } as never,
    { service: SERVICE },
  );
}

const ASG = "AWS::AutoScaling::AutoScalingGroup";
const byPath = (out: CheckOutcome): Record<string, Finding> => Object.fromEntries((out.findings ?? []).map((f) => [f.path, f]));
/** A fixture item with some `configuration` fields replaced. */
const withConfig = (item: StoredItem, patch: Record<string, unknown>): StoredItem => ({ ...item, configuration: { ...(item.configuration as Record<string, unknown>), ...patch } });

describe("config-drift awsConfig: reading items", () => {
  it("reads an explicit pair with BatchGetResourceConfig over AWS JSON 1.1 and passes twins that differ only in identity", async () => {
    server.put(asg(USE1), asg(USW2));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.status).toBe("pass");
    expect(out.summary).toMatch(/^no drift across \d+ compared values in 1 AWS::AutoScaling::AutoScalingGroup pair$/);
    // Both sides asked their own region (SigV4 scope) with the default-chain credentials.
    const batch = server.requests.filter((r) => r.op === "BatchGetResourceConfig");
    expect(batch.map((r) => r.region).sort()).toEqual(["us-east-1", "us-west-2"]);
    expect(batch.every((r) => r.accessKeyId === "AKIATESTSTANDBY00001")).toBe(true);
    expect(batch[0]!.body).toEqual({ resourceKeys: [{ resourceType: ASG, resourceId: expect.any(String) }] });
    expect(server.count("DescribeConfigurationRecorderStatus")).toBe(2);
    expect(out.evidence).toMatchObject({ comparedPairs: 1, compared: expect.any(Number), rules: { pack: ASG }, substitutedVars: ["account", "region", "suffix"] });
    expect(JSON.stringify(out)).not.toContain("CANARY");
  });

  it("parses configuration (a JSON string) and supplementaryConfiguration (a map of JSON strings, S3's ACL twice encoded)", async () => {
    server.put(s3Bucket(USE1), s3Bucket(USW2, { versioning: "Suspended", logging: false }));
    const out = await pair("AWS::S3::Bucket", "orders-assets-use1", "orders-assets-usw2");
    expect(out.status).toBe("fail");
    const f = byPath(out);
    expect(f["orders-assets-usw2.supplementaryConfiguration.BucketVersioningConfiguration.status"]).toMatchObject({
      change: "changed",
      primary: "Enabled",
      standby: "Suspended",
      rule: "match",
      why: "replication and recovery need versioning on both sides",
    });
    // Logging is informational: shown, costs nothing.
    const logging = out.findings!.filter((x) => x.path!.includes("BucketLoggingConfiguration"));
    expect(logging.length).toBeGreaterThan(0);
    expect(logging.every((x) => x.level === "info")).toBe(true);
    // The ACL was parsed down to objects (owner ids equal after account substitution): no finding.
    expect(out.findings!.some((x) => x.path!.includes("AccessControlList"))).toBe(false);
    expect(out.summary).toBe("1 drift across 1 AWS::S3::Bucket pair: 1 changed; 2 informational differences");
  });

  it("follows NextToken through SelectResourceConfig pages and pairs by name after side-var substitution", async () => {
    for (let i = 0; i < 230; i++) {
      server.put(asg(USE1, { name: `svc${i}-asg-use1` }), asg(USW2, { name: `svc${i}-asg-usw2`, maxSize: i === 117 ? 10 : 24 }));
    }
    server.put(asg(USE1, { name: "orphan-asg-use1" }));
    const out = await query(ASG, { tag: { key: "Service", value: "orders" } });
    expect(out.status).toBe("fail");
    expect(server.count("SelectResourceConfig", "us-east-1")).toBe(3);
    expect(server.count("SelectResourceConfig", "us-west-2")).toBe(3);
    const sel = server.requests.find((r) => r.op === "SelectResourceConfig")!;
    expect(sel.body.Expression).toMatch(/WHERE resourceType = 'AWS::AutoScaling::AutoScalingGroup' AND tags\.tag = 'Service=orders'$/);
    expect(sel.body.Limit).toBe(100);
    expect(out.summary).toBe("2 drifts across 230 AWS::AutoScaling::AutoScalingGroup pairs: 1 missing, 1 weaker");
    const f = byPath(out);
    expect(f["svc117-asg-usw2.configuration.maxSize"]).toMatchObject({ change: "weaker", primary: 24, standby: 10 });
    expect(f["orphan-asg-usw2"]).toMatchObject({ change: "missing", primary: { resourceId: "orphan-asg-use1" } });
    expect(f["orphan-asg-usw2"]!.message).toContain("is missing on standby");
  });

  it("keeps failures among the findings when informational ones alone would fill MAX_FINDINGS", async () => {
    // 240 pairs whose tags differ (info), the last one also weaker: its failure must survive the cut.
    for (let i = 0; i < 240; i++) {
      const n = String(i).padStart(3, "0");
      server.put(
        asg(USE1, { name: `svc${n}-asg-use1`, tags: { Service: "orders", Owner: "team-a" } }),
        asg(USW2, { name: `svc${n}-asg-usw2`, tags: { Service: "orders", Owner: "team-b" }, maxSize: i === 239 ? 10 : 24 }),
      );
    }
    const out = await query(ASG, { tag: { key: "Service", value: "orders" } });
    expect(out.status).toBe("fail");
    expect(out.summary).toMatch(/^1 drift across 240 AWS::AutoScaling::AutoScalingGroup pairs: 1 weaker; \d+ informational differences$/);
    expect(out.findings).toHaveLength(200);
    expect(byPath(out)["svc239-asg-usw2.configuration.maxSize"]).toMatchObject({ change: "weaker" });
    expect(out.evidence).toMatchObject({ findingsShown: 200, weaker: 1 });
  });

  it("pairs by a tag value when names do not correspond", async () => {
    server.put(
      asg(USE1, { name: "blue-fleet", tags: { Name: "web" } }),
      asg(USE1, { name: "green-fleet", tags: { Name: "api" } }),
      asg(USW2, { name: "dr-web", tags: { Name: "web" } }),
      asg(USW2, { name: "dr-api", tags: { Name: "api" }, maxSize: 4 }),
      asg(USW2, { name: "dr-batch", tags: { Name: "batch" } }),
    );
    const out = await query(ASG, {}, { pairBy: { tag: "Name" } });
    expect(out.status).toBe("fail");
    const f = byPath(out);
    expect(f["api.configuration.maxSize"]).toMatchObject({ change: "weaker" });
    expect(f["batch"]).toMatchObject({ change: "extra", standby: { resourceName: "dr-batch" } });
    expect(out.summary).toBe("2 drifts across 2 AWS::AutoScaling::AutoScalingGroup pairs: 1 extra, 1 weaker");
  });

  it("one resource per side is one comparison, whatever the names", async () => {
    server.put(asg(USE1, { name: "alpha" }), asg(USW2, { name: "omega" }));
    const out = await query(ASG, {});
    expect(out).toMatchObject({ status: "pass" });
  });

  it("reads through an aggregator with SelectAggregateResourceConfig, filtered to each side's region", async () => {
    server.put(asg(USE1), asg(USW2, { maxSize: 12 }));
    const out = await query(ASG, {}, {}, { aggregator: "org-all" });
    expect(out.status).toBe("fail");
    expect(byPath(out)["orders-asg-usw2.configuration.maxSize"]).toMatchObject({ change: "weaker", primary: 24, standby: 12 });
    const agg = server.requests.filter((r) => r.op === "SelectAggregateResourceConfig");
    expect(agg).toHaveLength(2);
    expect(agg[0]!.body.ConfigurationAggregatorName).toBe("org-all");
    expect(String(agg[0]!.body.Expression)).toMatch(/awsRegion = 'us-(east-1|west-2)' OR awsRegion = 'global'/);
    expect(server.count("DescribeConfigurationRecorderStatus")).toBe(0);
  });

  it("retries unprocessedResourceKeys with backoff, and gives up (unknown) when they never clear", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i);
    for (const i of ids) server.put(asg(USE1, { name: `a${i}-use1` }), asg(USW2, { name: `a${i}-usw2` }));
    server.inject({ kind: "unprocessed", op: "BatchGetResourceConfig", region: "us-west-2", times: 2 });
    const opts = (n: string) => ({ primary: side(USE1, ASG, { resourceId: ids.map((i) => `a${i}-use1`) }), standby: side(USW2, ASG, { resourceId: ids.map((i) => `a${i}-${n}`) }) });
    const out = await runCheck(check, opts("usw2") as never, { service: SERVICE });
    expect(out.status).toBe("pass");
    expect(out.summary).toContain("150 AWS::AutoScaling::AutoScalingGroup pairs");
    // 150 keys = 2 batches; two rounds left keys unprocessed, so 4 requests in the standby region.
    expect(server.count("BatchGetResourceConfig", "us-west-2")).toBe(4);
    expect(server.count("BatchGetResourceConfig", "us-east-1")).toBe(2);

    server.inject({ kind: "unprocessed", op: "BatchGetResourceConfig", region: "us-west-2", times: Infinity });
    const stuck = await runCheck(check, opts("usw2") as never, { service: SERVICE });
    expect(stuck).toMatchObject({ status: "unknown", reason: "error" });
    expect(stuck.summary).toMatch(/standby \(us-west-2\): AWS Config left \d+ resource keys unprocessed after 5 BatchGetResourceConfig attempts/);
  });

  it("an explicit id that AWS Config does not know is missing (or extra)", async () => {
    server.put(asg(USE1));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.status).toBe("fail");
    expect(out.findings![0]).toMatchObject({ path: "orders-asg-usw2", change: "missing" });
  });
});

describe("config-drift awsConfig: item status and global resources", () => {
  it("a deleted standby item is never compared as current: it is a missing finding naming the status", async () => {
    server.put(asg(USE1), asg(USW2, { status: "ResourceDeleted" }));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.status).toBe("fail");
    expect(out.findings).toHaveLength(1);
    expect(out.findings![0]).toMatchObject({ change: "missing", standby: { configurationItemStatus: "ResourceDeleted" } });
    expect(out.findings![0]!.message).toContain("is ResourceDeleted in AWS Config");
  });

  it("ResourceDeletedNotRecorded on the primary makes the live standby extra", async () => {
    server.put(asg(USE1, { status: "ResourceDeletedNotRecorded" }), asg(USW2));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.findings![0]).toMatchObject({ change: "extra" });
    expect(out.findings![0]!.message).toContain("ResourceDeletedNotRecorded");
  });

  it("ResourceNotRecorded is unknown, never a pass", async () => {
    server.put(asg(USE1), asg(USW2, { status: "ResourceNotRecorded" }));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toContain("ResourceNotRecorded");
  });

  it("a global IAM resource recorded in one region only is not missing in the other", async () => {
    // AWS Config records global resources (awsRegion "global") in the one region that records them.
    server.putIn("us-east-1", iamRole(USE1));
    const out = await query("AWS::IAM::Role", {});
    expect(out.status).toBe("pass");
    expect(out.findings).toEqual([expect.objectContaining({ level: "info", path: "orders-failover" })]);
    expect(out.findings![0]!.message).toContain("global resource");
    // Recorded on both sides (two accounts), roles are compared like any resource; IAM has no
    // pack, so the per-account roleId is a difference until a rule of the check ignores it.
    server.putIn("us-west-2", iamRole(USW2));
    const both = await query("AWS::IAM::Role", {});
    expect(both.findings!.map((f) => f.path)).toEqual(["orders-failover.configuration.roleId"]);
    const ruled = await query("AWS::IAM::Role", {}, { rules: [{ path: "configuration.roleId", kind: "ignore" }] });
    expect(ruled.summary).toMatch(/^no drift across \d+ compared values in 1 AWS::IAM::Role pair$/);
  });
});

describe("config-drift awsConfig: rule packs", () => {
  it("ASG: a weaker standby (maxSize, desiredCapacity beyond 10%) fails with each rule's reason", async () => {
    server.put(asg(USE1, { maxSize: 24, desired: 20 }), asg(USW2, { maxSize: 8, desired: 17 }));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    const f = byPath(out);
    expect(f["orders-asg-usw2.configuration.maxSize"]).toMatchObject({
      change: "weaker",
      primary: 24,
      standby: 8,
      rule: "at-least",
      why: "the standby must be able to scale to the primary's peak",
    });
    expect(f["orders-asg-usw2.configuration.maxSize"]!.message).toBe("orders-asg-usw2.configuration.maxSize is weaker on standby: 24 on primary, 8 on standby");
    expect(f["orders-asg-usw2.configuration.desiredCapacity"]).toMatchObject({ change: "weaker", rule: "at-least", why: expect.stringContaining("(tolerance 10%)") });
    // Running instances are information, not drift.
    expect(f["orders-asg-usw2.configuration.instances"]).toMatchObject({ level: "info", primary: 20, standby: 17 });
    // Within tolerance (10% of 20 = 2) and a bigger standby are fine.
    server.reset();
    server.put(asg(USE1, { maxSize: 24, desired: 20 }), asg(USW2, { maxSize: 40, desired: 18 }));
    const ok = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(ok.status).toBe("pass");
    expect(ok.findings!.every((x) => x.level === "info")).toBe(true);
  });

  it("ASG: availability zones and subnets are compared by count, not identity", async () => {
    server.put(asg(USE1), asg(USW2));
    expect((await pair(ASG, "orders-asg-use1", "orders-asg-usw2")).status).toBe("pass"); // us-east-1a.. vs us-west-2a..
    server.reset();
    server.put(asg(USE1), asg(USW2, { azCount: 2, subnetCount: 2 }));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    const f = byPath(out);
    expect(f["orders-asg-usw2.configuration.availabilityZones"]).toMatchObject({ change: "weaker", primary: 3, standby: 2 });
    expect(f["orders-asg-usw2.configuration.availabilityZones"]).toMatchObject({ rule: "at-least", why: expect.stringContaining("(compared by count)") });
    expect(f["orders-asg-usw2.configuration.vPCZoneIdentifier"]).toMatchObject({ change: "weaker", primary: 3, standby: 2 });
  });

  it("RDS cluster: a different engine version is a change with its reason; instance class by size order", async () => {
    server.put(rdsCluster(USE1), rdsCluster(USW2, { engineVersion: "15.8", instanceClass: "db.r6g.large" }));
    const out = await pair("AWS::RDS::DBCluster", "cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ");
    const f = byPath(out);
    expect(f["orders-db-usw2.configuration.engineVersion"]).toMatchObject({
      change: "changed",
      primary: "16.4",
      standby: "15.8",
      rule: "match",
      why: "a different engine version behaves differently and may not accept the primary's data",
    });
    expect(f["orders-db-usw2.configuration.dBClusterInstanceClass"]).toMatchObject({ change: "weaker", primary: "db.r6g.xlarge", standby: "db.r6g.large" });
    expect(out.summary).toBe("2 drifts across 1 AWS::RDS::DBCluster pair: 1 changed, 1 weaker");

    // A bigger standby class is fine; another family cannot be ordered and is a change.
    server.reset();
    server.put(rdsCluster(USE1), rdsCluster(USW2, { instanceClass: "db.r6g.2xlarge" }));
    expect((await pair("AWS::RDS::DBCluster", "cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ")).status).toBe("pass");
    server.reset();
    server.put(rdsCluster(USE1), rdsCluster(USW2, { instanceClass: "db.r7g.xlarge" }));
    const fam = await pair("AWS::RDS::DBCluster", "cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ");
    expect(fam.findings![0]).toMatchObject({ change: "changed", rule: "size-order", why: expect.stringContaining("cannot be ordered") });
  });

  it("RDS cluster: informational fields cost nothing; fewer members and AZs are weaker", async () => {
    server.put(rdsCluster(USE1), rdsCluster(USW2, { preferredBackupWindow: "07:00-08:00" }));
    const info = await pair("AWS::RDS::DBCluster", "cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ");
    expect(info.status).toBe("pass");
    expect(info.summary).toMatch(/; 1 informational difference$/);
    expect(info.findings).toEqual([
      expect.objectContaining({ level: "info", path: "orders-db-usw2.configuration.preferredBackupWindow", rule: "info", why: "maintenance timing, often staggered on purpose" }),
    ]);
    server.reset();
    server.put(rdsCluster(USE1), rdsCluster(USW2, { members: 1, azCount: 2 }));
    const out = await pair("AWS::RDS::DBCluster", "cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ");
    expect(Object.keys(byPath(out)).sort()).toEqual(["orders-db-usw2.configuration.availabilityZones", "orders-db-usw2.configuration.dBClusterMembers"]);
  });

  it("RDS instance, DynamoDB, Lambda and ALB packs judge capacity and behaviour", async () => {
    server.put(rdsInstance(USE1), rdsInstance(USW2, { instanceClass: "db.m6g.medium", multiAZ: false }));
    const db = byPath(await pair("AWS::RDS::DBInstance", "db-USE1XYZ", "db-USW2XYZ"));
    expect(db["orders-reports-usw2.configuration.dBInstanceClass"]).toMatchObject({ change: "weaker" });
    expect(db["orders-reports-usw2.configuration.multiAZ"]).toMatchObject({ change: "changed", rule: "match", why: expect.stringContaining("availability zone failure") });

    server.put(dynamoTable(USE1), dynamoTable(USW2, { rcu: 100, gsiRcu: 50, pitr: false }));
    const ddb = await pair("AWS::DynamoDB::Table", "orders", "orders");
    const t = byPath(ddb);
    expect(t["orders.configuration.provisionedThroughput.readCapacityUnits"]).toMatchObject({ change: "weaker", primary: 400, standby: 100 });
    expect(t["orders.configuration.globalSecondaryIndexes[indexName=byCustomer].provisionedThroughput.readCapacityUnits"]).toMatchObject({ change: "weaker" });
    expect(t["orders.supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus"]).toMatchObject({ change: "changed", standby: "DISABLED" });
    expect(ddb.summary).toBe("3 drifts across 1 AWS::DynamoDB::Table pair: 1 changed, 2 weaker");

    server.put(lambdaFn(USE1), lambdaFn(USW2, { memorySize: 512, reserved: 10, codeSha256: "other=" }));
    const fn = byPath(await pair("AWS::Lambda::Function", "orders-worker-use1", "orders-worker-usw2"));
    expect(fn["orders-worker-usw2.configuration.memorySize"]).toMatchObject({ change: "weaker", primary: 1024, standby: 512 });
    expect(fn["orders-worker-usw2.configuration.reservedConcurrentExecutions"]).toMatchObject({ change: "weaker" });
    expect(fn["orders-worker-usw2.configuration.codeSha256"]).toMatchObject({ change: "changed", rule: "match", why: "the standby must run the same code" });

    server.put(loadBalancer(USE1), loadBalancer(USW2, { azCount: 2, idleTimeout: "30" }));
    const lbArn = (s: SideDef) => `arn:aws:elasticloadbalancing:${s.region}:${s.account}:loadbalancer/app/orders-alb-${s.suffix}/50dc6c495c0c9188`;
    const lb = byPath(await pair("AWS::ElasticLoadBalancingV2::LoadBalancer", lbArn(USE1), lbArn(USW2)));
    expect(lb["orders-alb-usw2.configuration.availabilityZones"]).toMatchObject({ change: "weaker", primary: 3, standby: 2 });
    expect(lb["orders-alb-usw2.supplementaryConfiguration.LoadBalancerAttributes[key=idle_timeout.timeout_seconds].value"]).toMatchObject({ change: "changed", primary: "60", standby: "30" });
  });

  it("the check's ignore/atLeast/rules extend or override the pack; packs: false drops it", async () => {
    server.put(rdsCluster(USE1), rdsCluster(USW2, { engineVersion: "15.8", preferredBackupWindow: "07:00-08:00", backupRetentionPeriod: 3 }));
    const ids = ["cluster-USE1ABCDEFGHIJ", "cluster-USW2ABCDEFGHIJ"] as const;
    const base = await pair("AWS::RDS::DBCluster", ...ids);
    expect(base.summary).toBe("2 drifts across 1 AWS::RDS::DBCluster pair: 1 changed, 1 weaker; 1 informational difference");
    // User ignore removes a compared field; a user rule turns an info field into a must-match.
    const custom = await pair("AWS::RDS::DBCluster", ...ids, {
      ignore: ["configuration.engineVersion"],
      rules: [{ path: "configuration.preferredBackupWindow", kind: "match", reason: "backups must not overlap the batch window" }],
      tolerance: { "configuration.backupRetentionPeriod": 5 },
    });
    expect(custom.status).toBe("fail");
    expect(custom.findings).toEqual([
      expect.objectContaining({ path: "orders-db-usw2.configuration.preferredBackupWindow", change: "changed", rule: "match", why: "backups must not overlap the batch window" }),
    ]);
    // Without the pack, the identity fields of the type are plain differences too.
    const raw = await pair("AWS::RDS::DBCluster", ...ids, { packs: false });
    // No pack: the default rule, without a reason.
    const plain = raw.findings!.find((x) => x.path === "orders-db-usw2.configuration.engineVersion")!;
    expect([plain.rule, plain.why]).toEqual(["match", undefined]);
    expect(raw.findings!.some((x) => x.path === "orders-db-usw2.configuration.dbClusterResourceId")).toBe(true);
    // The check's atLeast wins over a pack rule that only informs: fewer running instances are weaker.
    // (desiredCapacity 19 for 20 is within the pack's 10% tolerance.)
    const instances = "orders-asg-usw2.configuration.instances";
    server.put(asg(USE1, { desired: 20 }), asg(USW2, { desired: 19 }));
    expect(byPath(await pair(ASG, "orders-asg-use1", "orders-asg-usw2"))[instances]).toMatchObject({ level: "info" });
    const user = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", { atLeast: ["configuration.instances"] });
    expect(byPath(user)[instances]).toMatchObject({ change: "weaker", primary: 20, standby: 19, rule: "at-least", why: expect.stringContaining("from the check's options") });
    expect(byPath(user)[instances]!.level).toBeUndefined();
    expect(user.summary).toBe("1 drift across 1 AWS::AutoScaling::AutoScalingGroup pair: 1 weaker");
  });

  it("the check's keys override the pack's key for an array, and key arrays the pack compares by position", async () => {
    // The DynamoDB pack matches keySchema items by attributeName. The standby swapped the roles of
    // the two attributes (sk became the partition key).
    const swapped = { keySchema: [{ attributeName: "sk", keyType: "HASH" }, { attributeName: "pk", keyType: "RANGE" }] };
    server.put(dynamoTable(USE1), withConfig(dynamoTable(USW2), swapped));
    const reason = "the standby must be keyed like the primary or the application's queries fail";
    const packKeyed = await pair("AWS::DynamoDB::Table", "orders", "orders");
    expect(packKeyed.summary).toBe("2 drifts across 1 AWS::DynamoDB::Table pair: 2 changed");
    expect(packKeyed.findings).toEqual([
      expect.objectContaining({ path: "orders.configuration.keySchema[attributeName=pk].keyType", change: "changed", primary: "HASH", standby: "RANGE", rule: "match", why: reason }),
      expect.objectContaining({ path: "orders.configuration.keySchema[attributeName=sk].keyType", change: "changed", primary: "RANGE", standby: "HASH", rule: "match", why: reason }),
    ]);
    // The user's key for the same path replaces the pack's: items are matched by role, and the
    // findings name which attribute holds each role. The pack's rule still judges the path.
    const userKeyed = await pair("AWS::DynamoDB::Table", "orders", "orders", { keys: { "configuration.keySchema": "keyType" } });
    expect(userKeyed.summary).toBe("2 drifts across 1 AWS::DynamoDB::Table pair: 2 changed");
    expect(userKeyed.findings).toEqual([
      expect.objectContaining({ path: "orders.configuration.keySchema[keyType=HASH].attributeName", change: "changed", primary: "pk", standby: "sk", rule: "match", why: reason }),
      expect.objectContaining({ path: "orders.configuration.keySchema[keyType=RANGE].attributeName", change: "changed", primary: "sk", standby: "pk", rule: "match", why: reason }),
    ]);
    // A user glob wins over the pack's literal paths where both match (the user's keys come first):
    // here the GSI's keySchema too, whose new range key the pack would name by attribute.
    server.reset();
    const gsi = (item: StoredItem, keySchema: unknown[], patch: Record<string, unknown> = {}) => {
      const cfg = item.configuration as { globalSecondaryIndexes: Array<Record<string, unknown>> };
      return withConfig(item, { ...patch, globalSecondaryIndexes: [{ ...cfg.globalSecondaryIndexes[0], keySchema }] });
    };
    const customer = { attributeName: "customerId", keyType: "HASH" };
    server.put(gsi(dynamoTable(USE1), [customer]), gsi(dynamoTable(USW2), [customer, { attributeName: "sk", keyType: "RANGE" }], swapped));
    const index = "orders.configuration.globalSecondaryIndexes[indexName=byCustomer].keySchema";
    const packGsi = byPath(await pair("AWS::DynamoDB::Table", "orders", "orders"));
    expect(packGsi[`${index}[attributeName=sk]`]).toMatchObject({ change: "extra", standby: { attributeName: "sk", keyType: "RANGE" } });
    const userGsi = await pair("AWS::DynamoDB::Table", "orders", "orders", { keys: { "**.keySchema": "keyType" } });
    expect(Object.keys(byPath(userGsi)).sort()).toEqual([`${index}[keyType=RANGE]`, "orders.configuration.keySchema[keyType=HASH].attributeName", "orders.configuration.keySchema[keyType=RANGE].attributeName"]);
    expect(byPath(userGsi)[`${index}[keyType=RANGE]`]).toMatchObject({ change: "extra", standby: { attributeName: "sk", keyType: "RANGE" } });

    // Extending: the ASG pack has no key for configuration.tags, so they are compared by position
    // and a reordered list is drift; the user's key matches them by tag key instead.
    server.reset();
    const tag = (key: string, value: string, s: SideDef) => ({ key, value, propagateAtLaunch: true, resourceId: `orders-asg-${s.suffix}`, resourceType: "auto-scaling-group" });
    const tags = (s: SideDef, team: string) => [tag("Service", "orders", s), tag("Team", team, s)];
    server.put(withConfig(asg(USE1), { tags: tags(USE1, "payments") }), withConfig(asg(USW2), { tags: tags(USW2, "payments").reverse() }));
    const byPosition = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(byPosition.status).toBe("fail");
    expect(Object.keys(byPath(byPosition)).sort()).toEqual(["orders-asg-usw2.configuration.tags[0].key", "orders-asg-usw2.configuration.tags[0].value", "orders-asg-usw2.configuration.tags[1].key", "orders-asg-usw2.configuration.tags[1].value"]);
    const tagKeys = { keys: { "configuration.tags": "key" } };
    expect(await pair(ASG, "orders-asg-use1", "orders-asg-usw2", tagKeys)).toMatchObject({ status: "pass" });
    server.put(withConfig(asg(USW2), { tags: tags(USW2, "platform").reverse() }));
    const keyed = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", tagKeys);
    expect(keyed.summary).toBe("1 drift across 1 AWS::AutoScaling::AutoScalingGroup pair: 1 changed");
    expect(keyed.findings).toEqual([expect.objectContaining({ path: "orders-asg-usw2.configuration.tags[key=Team].value", change: "changed", primary: "payments", standby: "platform" })]);
  });

  it("every pack is data with a one-line reason per rule, and the size order is sane", () => {
    expect(Object.keys(PACKS).filter((k) => k.startsWith("AWS::")).sort()).toEqual([
      "AWS::AutoScaling::AutoScalingGroup",
      "AWS::DynamoDB::Table",
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "AWS::Lambda::Function",
      "AWS::RDS::DBCluster",
      "AWS::RDS::DBInstance",
      "AWS::S3::Bucket",
    ]);
    for (const pack of Object.values(PACKS)) {
      for (const r of pack.rules) {
        expect(r.reason.length, `${pack.resourceType} ${r.path}`).toBeGreaterThan(3);
        expect(r.reason).not.toContain("\n");
      }
      expect(JSON.parse(JSON.stringify(pack))).toEqual(pack);
    }
    expect(compareInstanceClass("db.r6g.large", "db.r6g.xlarge")).toBe(-1);
    expect(compareInstanceClass("db.r6g.16xlarge", "db.r6g.8xlarge")).toBe(1);
    expect(compareInstanceClass("m6i.metal", "m6i.32xlarge")).toBe(1);
    expect(compareInstanceClass("t3.micro", "t3.nano")).toBe(1);
    expect(compareInstanceClass("db.r6g.large", "db.r7g.large")).toBeNull();
    expect(compareInstanceClass("db.serverless", "db.r6g.large")).toBeNull();
  });
});

describe("config-drift awsConfig: failures are unknown, never pass", () => {
  it("throttling is retried (adaptive mode) and then succeeds", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "throttle", op: "BatchGetResourceConfig", region: "us-west-2", times: 2 });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.status).toBe("pass");
    expect(server.count("BatchGetResourceConfig", "us-west-2")).toBe(3);
  });

  it("throttling that never stops is unknown/throttled after maxAttempts", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "throttle", op: "BatchGetResourceConfig", region: "us-west-2", times: Infinity });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, { maxAttempts: 2 });
    expect(out).toMatchObject({ status: "unknown", reason: "throttled" });
    expect(out.summary).toBe("standby (us-west-2): AWS Config throttled BatchGetResourceConfig after 2 attempts; raise maxAttempts or lower concurrency");
    expect(out.evidence).toEqual({
      compared: null,
      sources: { primary: { awsConfig: { region: "us-east-1", accounts: ["111111111111"] } }, standby: { awsConfig: { region: "us-west-2", accounts: [] } } },
    });
    expect(server.count("BatchGetResourceConfig", "us-west-2")).toBe(2);
  });

  it("access denied is not-authorized and names the missing permission", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "accessDenied", op: "BatchGetResourceConfig", region: "us-east-1", times: Infinity });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(out.summary).toBe("primary (us-east-1): not authorized: missing permission config:BatchGetResourceConfig (AccessDeniedException)");
    server.inject({ kind: "accessDenied", op: "SelectResourceConfig", times: Infinity });
    const q = await query(ASG, {});
    expect(q.summary).toContain("missing permission config:SelectResourceConfig");
  });

  it("a recorder status the caller may not read is a note, not a failure", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "accessDenied", op: "DescribeConfigurationRecorderStatus", times: Infinity });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out.status).toBe("pass");
    expect(out.evidence!.recorder).toMatchObject({ primary: { checked: false, note: expect.stringContaining("config:DescribeConfigurationRecorderStatus") } });
  });

  it("HTTP 500 is retried, then unknown/invalid-response", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "500", op: "BatchGetResourceConfig", region: "us-east-1", times: 1 });
    expect((await pair(ASG, "orders-asg-use1", "orders-asg-usw2")).status).toBe("pass");
    server.inject({ kind: "500", op: "BatchGetResourceConfig", region: "us-east-1", times: Infinity });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, { maxAttempts: 2 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toBe("primary (us-east-1): AWS Config answered BatchGetResourceConfig with HTTP 500 (InternalFailure) after 2 attempts");
  });

  it("a slow AWS Config is unknown/timeout: by the check's timeout, and by requestTimeout", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "slow", op: "BatchGetResourceConfig", region: "us-west-2", times: Infinity, delayMs: 5000 });
    let started = Date.now();
    const byCheck = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, { timeoutMs: 600 });
    expect(byCheck).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(2500);

    started = Date.now();
    const byRequest = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, { requestTimeout: "300ms", maxAttempts: 1 });
    expect(byRequest).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(byRequest.summary).toContain("timed out after 300ms");
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("a region where AWS Config is not recording is unknown with a clear message", async () => {
    server.put(asg(USE1), asg(USW2));
    server.setRecorders("us-west-2", [{ name: "default", recording: false, lastStatus: "FAILURE" }]);
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toBe(
      "standby (us-west-2): AWS Config is not recording in us-west-2 (default: recording false, last status FAILURE); its configuration items may be stale or missing",
    );
    server.setRecorders("us-west-2", []);
    expect((await pair(ASG, "orders-asg-use1", "orders-asg-usw2")).summary).toContain("(no configuration recorder)");
    server.setRecorders("us-west-2", [{ name: "default", recording: true }]);
    server.inject({ kind: "noRecorder", op: "BatchGetResourceConfig", region: "us-west-2", times: 1 });
    const noRec = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, { checkRecorder: false });
    expect(noRec).toMatchObject({ status: "unknown", reason: "error" });
    expect(noRec.summary).toContain("AWS Config is not recording in us-west-2 (no configuration recorder)");
  });

  it("a body that is not JSON is unknown/invalid-response", async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "badJson", op: "BatchGetResourceConfig", region: "us-east-1", times: Infinity });
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, { maxAttempts: 1 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
  });

  it("an answer past 16 MiB is cut off where it arrives (the pool's read limit), not buffered whole", { timeout: 30_000 }, async () => {
    server.put(asg(USE1), asg(USW2));
    server.inject({ kind: "huge", op: "SelectResourceConfig", region: "us-east-1", times: 1, bytes: 256 * 1024 * 1024 });
    const out = await query(ASG, { tag: { key: "Service", value: "orders" } }, {}, { maxAttempts: 1 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toContain("us-east-1: AWS Config SelectResourceConfig response exceeded 16 MiB (the read limit)");
  });

  it("no credentials anywhere is not-authorized", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    server.put(asg(USE1), asg(USW2));
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2");
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(out.summary).toContain("no AWS credentials");
    expect(server.requests).toHaveLength(0);
  });

  it("no resources on either side is unknown, not an empty pass", async () => {
    const out = await query(ASG, { tag: { key: "Service", value: "nothing" } });
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toBe("no AWS::AutoScaling::AutoScalingGroup matched on either side: nothing to compare");
    // Nothing compared: a renderer must not show "0 drifts".
    expect(out.evidence).toMatchObject({ pairs: 0, comparedPairs: 0, compared: null });
  });
});

describe("config-drift awsConfig: credentials per side", () => {
  it("assumes a role per side through STS (roleArn) and reads each side with its own session", async () => {
    server.put(asg(USE1), asg(USW2));
    const role = (a: string) => `arn:aws:iam::${a}:role/standby-reader`;
    const out = await pair(ASG, "orders-asg-use1", "orders-asg-usw2", {}, {}, {});
    expect(out.status).toBe("pass");
    server.reset();
    server.put(asg(USE1), asg(USW2));
    const withRoles = await runCheck(
      check,
      {
        primary: side(USE1, ASG, { resourceId: "orders-asg-use1" }, { roleArn: role(USE1.account), stsEndpoint: server.url }),
        standby: side(USW2, ASG, { resourceId: "orders-asg-usw2" }, { roleArn: role(USW2.account), stsEndpoint: server.url }),
      } as never,
      { service: SERVICE },
    );
    expect(withRoles.status).toBe("pass");
    const byRegion = Object.fromEntries(server.requests.filter((r) => r.op === "BatchGetResourceConfig").map((r) => [r.region, server.sessions.get(r.accessKeyId)]));
    expect(byRegion).toEqual({ "us-east-1": role(USE1.account), "us-west-2": role(USW2.account) });

    server.deniedRoles.add(role(USW2.account));
    const denied = await runCheck(
      check,
      {
        primary: side(USE1, ASG, { resourceId: "orders-asg-use1" }, { roleArn: role(USE1.account), stsEndpoint: server.url }),
        standby: side(USW2, ASG, { resourceId: "orders-asg-usw2" }, { roleArn: role(USW2.account), stsEndpoint: server.url, maxAttempts: 1 }),
      } as never,
      { service: SERVICE },
    );
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(denied.summary).toContain("missing permission sts:AssumeRole on arn:aws:iam::222222222222:role/standby-reader");
  });

  it("reads a named profile from the shared credentials file", async () => {
    // A file of its own: the SDK caches the shared files it has read, by path.
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(aws.dir, "credentials-profile");
    writeFileSync(join(aws.dir, "credentials-profile"), "[standby-dr]\naws_access_key_id = AKIAPROFILEDR0000001\naws_secret_access_key = profile-secret\n");
    server.put(asg(USE1), asg(USW2));
    const out = await runCheck(
      check,
      { primary: side(USE1, ASG, { resourceId: "orders-asg-use1" }), standby: side(USW2, ASG, { resourceId: "orders-asg-usw2" }, { profile: "standby-dr" }) } as never,
      { service: SERVICE },
    );
    expect(out.status).toBe("pass");
    const keys = Object.fromEntries(server.requests.filter((r) => r.op === "BatchGetResourceConfig").map((r) => [r.region, r.accessKeyId]));
    expect(keys).toEqual({ "us-east-1": "AKIATESTSTANDBY00001", "us-west-2": "AKIAPROFILEDR0000001" });
  });
});

describe("config-drift awsConfig: through the built CLI", () => {
  it("`standby scan` loads the bundled SDK, reports the drift and never prints the credentials", async () => {
    server.put(asg(USE1), asg(USW2, { maxSize: 8 }));
    const file = join(aws.dir, "standby-cli.yml");
    writeFileSync(file, asgPairConfig(server.url));
    const res = await runCli(["scan", "-c", file, "--format", "json"], { cwd: aws.dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { checks: Array<{ status: string; summary: string; findings: Finding[] }> };
    expect(report.checks[0]).toMatchObject({ status: "fail", summary: "1 drift across 1 AWS::AutoScaling::AutoScalingGroup pair: 1 weaker" });
    expect(report.checks[0]!.findings[0]).toMatchObject({ path: "orders-asg-usw2.configuration.maxSize", change: "weaker", primary: 24, standby: 8 });
    expect(server.count("BatchGetResourceConfig")).toBe(2);
    expect(res.stdout + res.stderr).not.toContain("CANARY");
  });

  it("`standby validate` reports a quote in a query tag or an aggregator id with file:line:column and the dotted path", async () => {
    const file = join(aws.dir, "standby-quotes.yml");
    const text = [
      "version: 1",
      "services:",
      "  - name: orders",
      "    checks:",
      "      - id: orders-tables",
      "        kind: config-drift",
      "        primary:",
      "          awsConfig:",
      "            region: us-east-1",
      '            resourceType: "AWS::DynamoDB::Table"',
      "            query:",
      "              tag: { key: Service, value: \"orders'\" }",
      "        standby:",
      '          awsConfig: { region: us-west-2, resourceType: "AWS::DynamoDB::Table", query: { tag: { key: Service, value: orders } } }',
      "      - id: orders-asg",
      "        kind: config-drift",
      "        primary:",
      "          awsConfig:",
      "            region: us-east-1",
      "            aggregator: org-all",
      `            resourceType: "${ASG}"`,
      "            resourceId:",
      "              - orders-asg-use1",
      "              - \"o'brien-asg-use1\"",
      "        standby:",
      `          awsConfig: { region: us-west-2, aggregator: org-all, resourceType: "${ASG}", resourceId: [orders-asg-usw2, obrien-asg-usw2] }`,
      "",
    ].join("\n");
    writeFileSync(file, text);
    const res = await runCli(["validate", "-c", file], { cwd: aws.dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("invalid config (2 problems)");
    expect(res.stderr).toContain(
      "standby-quotes.yml:12:43: services[0].checks[0].primary.awsConfig.query.tag.value: a tag value must not contain a single quote ('): the tag is matched with an AWS Config advanced query (tags.tag = 'key=value') and AWS Config's query language has no escape for a quote inside a '...' literal",
    );
    expect(res.stderr).toContain(
      "standby-quotes.yml:24:17: services[0].checks[1].primary.awsConfig.resourceId[1]: a resource id read through an aggregator must not contain a single quote (')",
    );
    expect(res.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // The same file without the quotes is valid.
    writeFileSync(file, text.replace("\"orders'\"", "orders").replace("\"o'brien-asg-use1\"", "obrien-asg-use1"));
    const ok = await runCli(["validate", "-c", file], { cwd: aws.dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
  });
});

describe("config-drift awsConfig: options", () => {
  const aws = (extra: Extra = {}) => ({ awsConfig: { region: "us-east-1", resourceType: ASG, resourceId: "x", ...extra } });

  it("accepts explicit ids or a query, with pairBy and rules", () => {
    expect(parseOptions(check, { primary: aws(), standby: aws({ region: "us-west-2" }) }).success).toBe(true);
    const q = { awsConfig: { region: "us-east-1", resourceType: ASG, query: { tag: { key: "Service", value: "orders" } } } };
    const r = parseOptions(check, { primary: q, standby: q, pairBy: { tag: "Name" }, rules: [{ path: "configuration.maxSize", kind: "info" }] });
    expect(r.success).toBe(true);
  });

  it("rejects mixed sources, both or neither of resourceId/query, different types and uneven id lists", () => {
    const bad = (o: unknown) => parseOptions(check, o).success;
    expect(bad({ primary: aws(), standby: { file: "s.json" } })).toBe(false);
    expect(bad({ primary: aws({ query: {} }), standby: aws() })).toBe(false);
    expect(bad({ primary: { awsConfig: { region: "us-east-1", resourceType: ASG } }, standby: aws() })).toBe(false);
    expect(bad({ primary: aws(), standby: aws({ resourceType: "AWS::S3::Bucket" }) })).toBe(false);
    expect(bad({ primary: aws({ resourceId: ["a", "b"] }), standby: aws() })).toBe(false);
    expect(bad({ primary: aws({ region: "useast1" }), standby: aws() })).toBe(false);
    expect(bad({ primary: { file: "p.json" }, standby: { file: "s.json" }, pairBy: "name" })).toBe(false);
  });

  describe("values pasted into an advanced query as '...' literals cannot hold a single quote", () => {
    const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => (r.error?.issues ?? []).map((i) => ({ path: i.path.join("."), message: i.message }));
    const noEscape = "AWS Config's query language has no escape for a quote inside a '...' literal";

    it("a tag key or value with a quote is rejected at load, saying why (config-drift and aws-credentials share the query schema)", () => {
      const src = (tag: Extra, extra: Extra = {}) => ({ region: "us-east-1", resourceType: ASG, query: { tag }, ...extra });
      expect(issues(awsConfigSchema.safeParse(src({ key: "Service", value: "o'rders" })))).toEqual([
        { path: "query.tag.value", message: `a tag value must not contain a single quote ('): the tag is matched with an AWS Config advanced query (tags.tag = 'key=value') and ${noEscape}` },
      ]);
      expect(issues(awsConfigQuerySchema.safeParse({ tag: { key: "Owner's", value: "orders" } }))).toEqual([
        { path: "tag.key", message: `a tag key must not contain a single quote ('): the tag is matched with an AWS Config advanced query (tags.tag = 'key=value') and ${noEscape}` },
      ]);
      // Through an aggregator too; `where` is the user's own condition and keeps its quotes.
      expect(awsConfigSchema.safeParse(src({ key: "Service", value: "orders" }, { aggregator: "org-all", accountId: "111111111111" })).success).toBe(true);
      expect(awsConfigQuerySchema.safeParse({ where: "configuration.engine = 'aurora-postgresql'" }).success).toBe(true);
      // Through the check's options, the source union still lands on the awsConfig field.
      const q = (value: string) => ({ awsConfig: src({ key: "Service", value }) });
      expect(parseOptions(check, { primary: q("orders"), standby: q("orders") }).success).toBe(true);
      expect(parseOptions(check, { primary: q("orders"), standby: q("orders'") }).success).toBe(false);
    });

    it("an explicit id with a quote is rejected when it goes through an aggregator query, and accepted otherwise", () => {
      const ids = (resourceId: unknown, extra: Extra = {}) => awsConfigSchema.safeParse({ region: "us-east-1", resourceType: ASG, resourceId, ...extra });
      const msg = `a resource id read through an aggregator must not contain a single quote ('): the ids go into an AWS Config advanced query (resourceId IN ('...')) and ${noEscape}; without aggregator, ids are read with BatchGetResourceConfig, which takes any id`;
      expect(issues(ids(["orders-asg", "o'brien-asg"], { aggregator: "org-all" }))).toEqual([{ path: "resourceId.1", message: msg }]);
      expect(issues(ids("o'brien-asg", { aggregator: { name: "org-all", region: "eu-west-1" } }))).toEqual([{ path: "resourceId", message: msg }]);
      // BatchGetResourceConfig sends ids as JSON: any id AWS accepts is fine there.
      expect(ids(["orders-asg", "o'brien-asg"]).success).toBe(true);
    });

    it("resource type, region and account id cannot hold a quote: their patterns reject it", () => {
      const base = { region: "us-east-1", resourceType: ASG, resourceId: "x", aggregator: "org-all" };
      expect(issues(awsConfigSchema.safeParse({ ...base, resourceType: "AWS::S3::Bucket' OR resourceType = 'AWS::IAM::Role" }))).toEqual([{ path: "resourceType", message: "expected a resource type like AWS::RDS::DBCluster" }]);
      expect(issues(awsConfigSchema.safeParse({ ...base, region: "us-east-1'" }))).toEqual([{ path: "region", message: "expected an AWS region like us-east-1" }]);
      expect(issues(awsConfigSchema.safeParse({ ...base, accountId: "11111111111'" }))).toEqual([{ path: "accountId", message: "expected a 12-digit AWS account id" }]);
    });

    it("the reader never rewrites a value with a quote into another query: a Selection built in code is refused", async () => {
      const expr = queryExpression({ region: "us-east-1", aggregator: "org-all" }, { resourceType: ASG, query: { tag: { key: "Service", value: "orders" } } });
      expect(expr).toMatch(/WHERE resourceType = 'AWS::AutoScaling::AutoScalingGroup' AND tags\.tag = 'Service=orders' AND \(awsRegion = 'us-east-1' OR awsRegion = 'global'\)$/);
      expect(() => queryExpression({ region: "us-east-1" }, { resourceType: ASG, query: { tag: { key: "Service", value: "o'rders" } } })).toThrow(ProbeError);
      // Ids through an aggregator used to lose their quotes: "o'rders-asg-use1" read "orders-asg-use1".
      server.put(asg(USE1));
      const conn = awsConnectionSchema.parse({ region: USE1.region, endpoint: server.url, aggregator: "org-all" });
      const ctx = makeContext({ signal: AbortSignal.timeout(10_000), service: SERVICE });
      const got: string[] = [];
      const read = readSide(conn, [{ resourceType: ASG, resourceId: ["o'rders-asg-use1"] }], "primary", ctx, (b) => got.push(...b.items.map((i) => i.resourceId)));
      await expect(read).rejects.toMatchObject({ reason: "error", message: expect.stringContaining(`resource id "o'rders-asg-use1" contains a single quote`) });
      expect(got).toEqual([]);
      expect(server.count("SelectAggregateResourceConfig")).toBe(0);
    });
  });
});
