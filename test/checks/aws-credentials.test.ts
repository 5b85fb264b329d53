// aws-credentials: ACM certificates and Secrets Manager secrets read from AWS Config by the real
// AWS SDK client, through the local AWS JSON 1.1 server (test/helpers/aws-config-server.ts),
// configuration items shaped like the ones AWS Config records. Time is ctx.now(), fixed here.
import { describe, expect, it } from "vitest";
import check from "../../checks/aws-credentials/index.js";
import { judgeStandbyCerts, readCert, rotationSchedule, type Thresholds } from "../../checks/aws-credentials/evaluate.js";
import type { AwsCredentialsEvidence } from "../../checks/aws-credentials/evidence.js";
import type { CheckOutcome, Finding, ServiceInfo } from "../../src/engine/types.js";
import { expiryLimits } from "../../src/options/thresholds.js";
import { findingText } from "../../src/report/text.js";
import { acmCertificate, type AcmOpts, secret, USE1, USW2 } from "../helpers/aws-config-fixtures.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { decisionTable } from "../helpers/decision-table.js";

const NOW = new Date("2026-11-25T02:17:00Z");
const DAY = 86_400_000;
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, account: USE1.account, suffix: USE1.suffix } },
  standby: { vars: { region: USW2.region, account: USW2.account, suffix: USW2.suffix } },
};

const { server } = useAwsTestEnv({ accessKeyId: "AKIATESTSTANDBY00002", secretAccessKey: "test-secret-CANARY-77aa" }, "awscred");

type Extra = Record<string, unknown>;

async function run(options: Extra = {}, sideExtra: Extra = {}): Promise<CheckOutcome> {
  return runCheck(
    check,
    {
      primary: { region: USE1.region, endpoint: server.url, ...sideExtra },
      standby: { region: USW2.region, endpoint: server.url, ...sideExtra },
      ...options,
    } as never,
    { service: SERVICE, now: () => NOW },
  );
}

/** A healthy pair: one in-use ACM certificate and one rotating secret per side. */
function healthy(cert: Partial<AcmOpts> = {}): void {
  server.put(
    acmCertificate(USE1, { notAfter: days(300), ...cert }),
    acmCertificate(USW2, { notAfter: days(290), ...cert }),
    secret(USE1, { lastRotated: days(-10) }),
    secret(USW2, { lastRotated: days(-12) }),
  );
}

const byLevel = (out: CheckOutcome, level: Finding["level"]) => (out.findings ?? []).filter((f) => (f.level ?? "fail") === level);

describe("aws-credentials: certificates", () => {
  it("passes a healthy pair, reading both types with SelectResourceConfig from each side's region", async () => {
    healthy();
    const out = await run();
    expect(out.status).toBe("pass");
    expect(out.summary).toBe("1 in-use standby certificate (earliest expiry in 290d: orders.usw2.example.com); 1 standby secret judged, none overdue; in parity with the primary");
    expect(out.measured).toEqual({ value: 290, unit: "d", limit: 14, warnAt: 28 });
    const selects = server.requests.filter((r) => r.op === "SelectResourceConfig");
    expect(selects.map((r) => `${r.region} ${/resourceType = '([^']+)'/.exec(String(r.body.Expression))![1]}`).sort()).toEqual([
      "us-east-1 AWS::ACM::Certificate",
      "us-east-1 AWS::SecretsManager::Secret",
      "us-west-2 AWS::ACM::Certificate",
      "us-west-2 AWS::SecretsManager::Secret",
    ]);
    expect(out.evidence).toMatchObject({ certificates: { standby: 1, primary: 1, inUseStandby: 1 }, secrets: { standby: 1, primary: 1 } });
    expect(JSON.stringify(out)).not.toContain("CANARY");
  });

  it("an in-use standby certificate within warn (28d) warns, within fail (14d) or expired fails", async () => {
    server.put(acmCertificate(USW2, { notAfter: days(20) }));
    const warn = await run({ secrets: false, parity: false });
    expect(warn.status).toBe("warn");
    expect(warn.summary).toMatch(/^standby certificate orders\.usw2\.example\.com \(ACM-issued\) expires in 20d \(notAfter 2026-12-15T02:17:00Z\), within the warn threshold 28d; ACM renews eligible certificates 60 days before expiry/);
    expect(warn.measured).toMatchObject({ value: 20 });

    server.reset();
    server.put(acmCertificate(USW2, { notAfter: days(5), renewalStatus: "PENDING_VALIDATION" }));
    const fail = await run({ secrets: false, parity: false });
    expect(fail.status).toBe("fail");
    expect(fail.summary).toContain("within the fail threshold 14d; ACM renewal is PENDING_VALIDATION (complete domain validation)");

    server.reset();
    server.put(acmCertificate(USW2, { notAfter: days(-2), status: "EXPIRED" }));
    const expired = await run({ secrets: false, parity: false });
    expect(expired.status).toBe("fail");
    expect(expired.summary).toContain("expired 2d ago");
  });

  it("imported certificates do not auto-renew, and the finding says so; thresholds are options", async () => {
    server.put(acmCertificate(USW2, { notAfter: days(40), type: "IMPORTED" }));
    const info = await run({ secrets: false, parity: false });
    expect(info.status).toBe("pass");
    expect(byLevel(info, "info")[0]!.message).toContain("imported, so ACM will not renew it");
    const warned = await run({ secrets: false, parity: false, warn: "60d", fail: "7d" });
    expect(warned.status).toBe("warn");
    expect(warned.summary).toContain("imported certificates are never renewed by ACM: re-import a new one");
    // The user's thresholds, as numbers: measured in days, evidence in ms.
    expect(warned.measured).toEqual({ value: 40, unit: "d", limit: 7, warnAt: 60 });
    expect((warned.evidence as unknown as AwsCredentialsEvidence).thresholds).toEqual({ warnMs: 60 * DAY, failMs: 7 * DAY, rotationGraceMs: DAY });
  });

  it("an unused certificate is information only, even expired", async () => {
    server.put(acmCertificate(USW2, { notAfter: days(300) }), acmCertificate(USW2, { domain: "old.usw2.example.com", notAfter: days(-30), status: "EXPIRED", inUseBy: [] }));
    const out = await run({ secrets: false, parity: false });
    expect(out.status).toBe("pass");
    expect(byLevel(out, "info").map((f) => f.message)).toEqual(["standby certificate old.usw2.example.com (ACM-issued) is not in use, expired 30d ago: not judged"]);
  });

  it("parity: an in-use primary certificate without a standby twin fails; one expiring much sooner or covering fewer names warns", async () => {
    server.put(
      acmCertificate(USE1, { notAfter: days(300) }),
      acmCertificate(USE1, { domain: "api.{suffix}.example.com", notAfter: days(300) }),
      acmCertificate(USW2, { notAfter: days(300) }),
    );
    const missing = await run({ secrets: false });
    expect(missing.status).toBe("fail");
    expect(missing.findings!.find((f) => f.change === "missing")).toMatchObject({
      path: "certificates.api.usw2.example.com",
      message: "primary certificate api.use1.example.com (ACM-issued) is in use but the standby has no certificate for api.usw2.example.com",
      rule: "certificate-twin",
    });
    // The standby's days left are not what failed: no measured value; they are kept as the reading.
    expect(missing.measured).toBeNull();
    expect(missing.reading).toMatchObject({ unit: "d", value: expect.any(Number), limit: 14 });

    server.reset();
    server.put(
      acmCertificate(USE1, { notAfter: days(330), sans: ["orders.{suffix}.example.com", "www.orders.{suffix}.example.com"] }),
      acmCertificate(USW2, { notAfter: days(45) }),
    );
    const weaker = await run({ secrets: false });
    expect(weaker.status).toBe("warn");
    const msgs = byLevel(weaker, "warn").map((f) => f.message);
    expect(msgs).toContain("standby certificate orders.usw2.example.com (ACM-issued) does not cover www.orders.usw2.example.com, which the primary's covers");
    expect(msgs).toContain("standby certificate orders.usw2.example.com (ACM-issued) expires 285d before the primary's (2027-01-09T02:17:00Z vs 2027-10-21T02:17:00Z)");
    // Drift-shaped: text and Markdown show path and values, so the values must be what differs.
    const lines = byLevel(weaker, "warn").map(findingText);
    expect(lines).toContain("certificates.orders.usw2.example.com.notAfter: weaker, primary \"2027-10-21T02:17:00Z\", standby \"2027-01-09T02:17:00Z\"; standby certificate orders.usw2.example.com (ACM-issued) expires 285d before the primary's (2027-01-09T02:17:00Z vs 2027-10-21T02:17:00Z) (warn) [expiry-parity: standby certificates renewed no later than the primary's (parityWarn 30d)]");
    // The names the standby should cover are the primary's with this side's vars, not the primary's own.
    expect(lines.find((l) => l.startsWith("certificates.orders.usw2.example.com.subjectAlternativeNames: changed"))).toBe(
      'certificates.orders.usw2.example.com.subjectAlternativeNames: changed, standby holds ["orders.usw2.example.com"]; it should hold ["orders.usw2.example.com","www.orders.usw2.example.com"] (the primary\'s ["orders.use1.example.com","www.orders.use1.example.com"] with this side\'s vars); standby certificate orders.usw2.example.com (ACM-issued) does not cover www.orders.usw2.example.com, which the primary\'s covers (warn) [name-parity: the standby certificate must cover the primary\'s names]',
    );
  });
});

describe("aws-credentials: secrets", () => {
  it("rotation disabled on the standby is a finding (warn by default, fail when configured)", async () => {
    server.put(secret(USW2, { rotationEnabled: false }));
    const out = await run({ certificates: false, parity: false });
    expect(out.status).toBe("warn");
    expect(out.summary).toBe("standby secret orders/usw2/db has rotation disabled");
    expect((await run({ certificates: false, parity: false, rotationDisabled: "fail" })).status).toBe("fail");
  });

  it("a last rotation older than its schedule plus grace fails; within it passes (AutomaticallyAfterDays)", async () => {
    server.put(secret(USW2, { lastRotated: days(-29) }));
    expect((await run({ certificates: false, parity: false })).status).toBe("pass");
    server.reset();
    server.put(secret(USW2, { lastRotated: days(-45), epochDates: true }));
    const out = await run({ certificates: false, parity: false });
    expect(out.status).toBe("fail");
    expect(out.summary).toBe(
      "standby secret orders/usw2/db is last rotated 2026-10-11T02:17:00Z (45d ago); schedule every 30 days, due 2026-11-10T02:17:00Z: overdue by 15d",
    );
    // A generous grace accepts it.
    expect((await run({ certificates: false, parity: false, rotationGrace: "20d" })).status).toBe("pass");
  });

  it("reads rate() and cron() schedule expressions with their Duration window, and never-rotated secrets", async () => {
    server.put(secret(USW2, { lastRotated: days(-9), rules: { ScheduleExpression: "rate(7 days)", Duration: "2h" } }));
    const rate = await run({ certificates: false, parity: false });
    expect(rate.status).toBe("fail");
    expect(rate.summary).toContain("schedule rate(7 days)");

    // cron(0 4 ? * 1 *): Sundays 04:00 UTC. Rotated Sunday 2026-11-15; next due Sunday 2026-11-22 04:00.
    server.reset();
    server.put(secret(USW2, { lastRotated: new Date("2026-11-15T04:10:00Z"), rules: { ScheduleExpression: "cron(0 4 ? * 1 *)", Duration: "3h" } }));
    const cron = await run({ certificates: false, parity: false });
    expect(cron.status).toBe("fail");
    expect(cron.summary).toContain("due 2026-11-22T04:00:00Z: overdue by 2d22h");
    expect((await run({ certificates: false, parity: false, rotationGrace: "4d" })).status).toBe("pass");

    server.reset();
    server.put(secret(USW2, { created: days(-100) }));
    const never = await run({ certificates: false, parity: false });
    expect(never.summary).toContain("is never rotated since it was created 2026-08-17T02:17:00Z");

    const s = rotationSchedule({ AutomaticallyAfterDays: 30 });
    expect(typeof s === "object" && s.text).toBe("every 30 days");
    expect(rotationSchedule({ ScheduleExpression: "at(2026-01-01T00:00:00)" })).toMatch(/is not one standby can read/);
  });

  it("RotationOccurringAsScheduled false fails; an unreadable schedule is unknown, never a pass", async () => {
    server.put(secret(USW2, { lastRotated: days(-1), occurringAsScheduled: false }));
    const out = await run({ certificates: false, parity: false });
    expect(out.status).toBe("fail");
    expect(out.summary).toContain("RotationOccurringAsScheduled false");

    server.reset();
    server.put(secret(USW2, { lastRotated: days(-1), rules: { ScheduleExpression: "every other tuesday" } }));
    const odd = await run({ certificates: false, parity: false });
    expect(odd).toMatchObject({ status: "unknown", reason: "error" });
    expect(odd.summary).toBe('standby (us-west-2): secret orders/usw2/db: rotation schedule "every other tuesday" is not one standby can read (rate(N days), rate(N hours) or cron(...))');
  });

  it("parity: a primary secret without a standby twin fails; primary rotates but standby does not fails; a replica is fine", async () => {
    server.put(secret(USE1, { lastRotated: days(-3) }), secret(USE1, { name: "orders/{suffix}/stripe", lastRotated: days(-3) }), secret(USW2, { lastRotated: days(-3) }));
    const missing = await run({ certificates: false });
    expect(missing.status).toBe("fail");
    expect(missing.findings!.find((f) => f.change === "missing")!.message).toBe("primary secret orders/use1/stripe has no standby twin orders/usw2/stripe");

    server.reset();
    server.put(secret(USE1, { lastRotated: days(-3) }), secret(USW2, { rotationEnabled: false }));
    const weaker = await run({ certificates: false });
    expect(weaker.status).toBe("fail");
    expect(weaker.findings!.find((f) => f.change === "weaker")).toMatchObject({
      path: "secrets.orders/usw2/db.RotationEnabled",
      primary: true,
      standby: false,
      message: "primary secret orders/use1/db rotates (every 30 days) but standby orders/usw2/db does not: after failover the credential stops rotating",
    });

    // A replica (same name, PrimaryRegion elsewhere) rotates with its primary.
    server.reset();
    server.put(secret(USE1, { name: "orders/db", lastRotated: days(-3) }), secret(USW2, { name: "orders/db", rotationEnabled: false, primaryRegion: "us-east-1" }));
    const replica = await run({ certificates: false });
    expect(replica.status).toBe("pass");
    expect(byLevel(replica, "info")[0]!.message).toContain("is a replica of us-east-1");
  });
});

describe("aws-credentials: failures are unknown, never pass", () => {
  it("access denied names the missing permission", async () => {
    healthy();
    server.inject({ kind: "accessDenied", op: "SelectResourceConfig", region: "us-west-2", times: Infinity });
    const out = await run();
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(out.summary).toBe("standby (us-west-2): not authorized: missing permission config:SelectResourceConfig (AccessDeniedException)");
  });

  it("a failure on the standby stands when the primary cannot be read; parity is not judged against an unread side", async () => {
    server.put(acmCertificate(USE1, { notAfter: days(300) }), acmCertificate(USW2, { notAfter: days(5) }));
    server.inject({ kind: "accessDenied", op: "SelectResourceConfig", region: "us-east-1", times: Infinity });
    const out = await run({ secrets: false });
    expect(out.status).toBe("fail");
    expect(out.summary).toContain("within the fail threshold 14d");
    expect(out.findings!.some((f) => f.change !== undefined)).toBe(false);
    expect((out.evidence as unknown as AwsCredentialsEvidence).certificates).toMatchObject({ standby: 1, primary: null });

    // The standby unread: no twin is "missing" on it, the check is unknown with the standby's words.
    server.reset();
    server.put(acmCertificate(USE1, { notAfter: days(300) }));
    server.inject({ kind: "accessDenied", op: "SelectResourceConfig", region: "us-west-2", times: Infinity });
    const unread = await run({ secrets: false });
    expect(unread).toMatchObject({ status: "unknown", reason: "not-authorized", findings: [] });
    expect(unread.summary).toMatch(/^standby \(us-west-2\): not authorized/);
  });

  it("a stopped recorder, throttling past maxAttempts and a slow AWS Config are unknown", async () => {
    healthy();
    server.setRecorders("us-west-2", [{ name: "default", recording: false, lastStatus: "FAILURE" }]);
    const stopped = await run();
    expect(stopped).toMatchObject({ status: "unknown", reason: "error" });
    expect(stopped.summary).toContain("AWS Config is not recording in us-west-2");

    server.setRecorders("us-west-2", [{ name: "default", recording: true }]);
    server.inject({ kind: "throttle", op: "SelectResourceConfig", region: "us-east-1", times: Infinity });
    const throttled = await run({}, { maxAttempts: 2 });
    expect(throttled).toMatchObject({ status: "unknown", reason: "throttled" });
    expect(throttled.summary).toContain("primary (us-east-1): AWS Config throttled SelectResourceConfig after 2 attempts");

    server.reset();
    healthy();
    server.inject({ kind: "slow", op: "SelectResourceConfig", region: "us-west-2", times: Infinity, delayMs: 5000 });
    const slow = await run({}, { requestTimeout: "300ms", maxAttempts: 1 });
    expect(slow).toMatchObject({ status: "unknown", reason: "timeout" });
  });

  it("nothing recorded on either side is unknown; a not-recorded item is unknown", async () => {
    const none = await run();
    expect(none).toMatchObject({ status: "unknown", reason: "error" });
    expect(none.summary).toBe("nothing to judge: no AWS::ACM::Certificate or AWS::SecretsManager::Secret item in AWS Config on the standby (us-west-2) or the primary (us-east-1)");

    server.put(acmCertificate(USW2, { notAfter: days(300), itemStatus: "ResourceNotRecorded" }));
    const notRecorded = await run({ secrets: false, parity: false });
    expect(notRecorded).toMatchObject({ status: "unknown", reason: "error" });
    expect(notRecorded.summary).toBe("standby (us-west-2): certificate orders.usw2.example.com (ACM-issued) is ResourceNotRecorded in AWS Config");
  });

  it("parity: false reads the standby only; both kinds off is skipped", async () => {
    healthy();
    const out = await run({ parity: false });
    expect(out.status).toBe("pass");
    expect(server.requests.every((r) => r.region === "us-west-2")).toBe(true);
    expect((await run({ certificates: false, secrets: false })).status).toBe("skipped");
  });
});

describe("aws-credentials: options", () => {
  it("accepts the documented shapes and rejects bad ones, naming the path and what was expected", () => {
    const side = { region: "us-east-1" };
    const issues = (raw: unknown) => {
      const r = parseOptions(check, raw);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ primary: side, standby: side })).toEqual([]);
    expect(issues({ primary: side, standby: side, certificates: { tag: { key: "Service", value: "orders" } }, secrets: false, warn: "30d", rotationDisabled: "fail" })).toEqual([]);
    expect(issues({ primary: side, standby: { region: "uswest2" } })).toEqual(["standby.region: expected an AWS region like us-east-1"]);
    expect(issues({ primary: side, standby: side, rotationDisabled: "info" })).toEqual(['rotationDisabled: Invalid option: expected one of "fail"|"warn"']);
    expect(issues({ primary: side, standby: side, fail: "two weeks" })).toEqual(['fail: expected a duration like 90s, 5m, 2h or 14d, got "two weeks"']);
    expect(issues({ primary: side, standby: side, certificates: true })[0]).toMatch(/^certificates: /);
  });
});

// judgeStandbyCerts: an in-use ACM certificate's expiry against warn/fail, at and around each limit.
type CertCase = { leftMs: number; warn?: string; fail?: string; type?: string };
const judgeCert = ({ leftMs, warn = "28d", fail = "14d", type = "AMAZON_ISSUED" }: CertCase): string => {
  const item = {
    resourceType: "AWS::ACM::Certificate",
    resourceId: "arn:aws:acm:us-west-2:222222222222:certificate/t",
    status: "OK",
    tags: {},
    doc: { configuration: { domainName: "orders.usw2.example.com", notAfter: new Date(NOW.getTime() + leftMs).toISOString(), status: "ISSUED", type, inUseBy: ["arn:lb"] } },
  };
  const opts = check.options.parse({ primary: { region: "us-east-1" }, standby: { region: "us-west-2" }, warn, fail });
  const t: Thresholds = { ...expiryLimits(opts), rotationGraceMs: 0, rotationDisabled: "warn", parityWarnMs: 0, parityWithinMs: 0 };
  const f = judgeStandbyCerts([readCert(item)!], t, NOW.getTime()).findings[0];
  // The rule (and its reason), and the threshold the message names.
  const within = / within the (\w+) threshold (\w+)/.exec(f?.message ?? "");
  return f ? `${f.level}: [${f.rule}${f.why ? `: ${f.why}` : ""}]${within ? ` within ${within[1]} (${within[2]})` : ""}` : "none";
};
decisionTable<CertCase, string>("aws-credentials certificate expiry", judgeCert, [
  { name: "beyond warn: nothing", input: { leftMs: 29 * DAY }, expected: "none" },
  { name: "exactly at warn: warn", input: { leftMs: 28 * DAY }, expected: "warn: [expiry] within warn (28d)" },
  { name: "between: warn", input: { leftMs: 20 * DAY }, expected: "warn: [expiry] within warn (28d)" },
  { name: "exactly at fail: fail", input: { leftMs: 14 * DAY }, expected: "fail: [expiry] within fail (14d)" },
  { name: "warn below fail widened: inside fail fails", input: { leftMs: 10 * DAY, warn: "7d" }, expected: "fail: [expiry] within fail (14d)" },
  { name: "warn below fail widened: beyond fail nothing", input: { leftMs: 15 * DAY, warn: "7d" }, expected: "none" },
  { name: "past expiry: in-use certificates must be valid", input: { leftMs: -DAY }, expected: "fail: [expired: in-use certificates must be valid]" },
  { name: "imported beyond warn: a reminder only", input: { leftMs: 40 * DAY, type: "IMPORTED" }, expected: "info: [imported-certificate: imported certificates do not auto-renew]" },
]);
