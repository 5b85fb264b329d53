// The shared retry budget's rules on their own, with a fake clock: alone, a request gets exactly
// maxAttempts (as with the SDK); throttles while the endpoint serves the same operation to others
// are congestion, bounded by CONGESTION_ATTEMPTS x maxAttempts and the shared quota; the
// send-rate limiter turns on at the first throttle and off again once it no longer limits.
import { describe, expect, it } from "vitest";
import { CONGESTION_ATTEMPTS, RetryBudget, type BudgetClock, type BudgetToken } from "../../src/probes/aws/retry-budget.js";
import { identityKey, memoize } from "../../src/probes/aws/credentials.js";
import { parseIsoDuration } from "../../src/core/iso-duration.js";

function fakeClock(): BudgetClock & { t: number; slept: number[] } {
  const c = {
    t: 1_000_000,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
    random: () => 0.5,
  };
  return c;
}

const THROTTLE = { errorType: "THROTTLING" as const };

/** Retries until the budget refuses, `between` running before each; returns the attempts made. */
async function attemptsUntilRefused(s: ReturnType<RetryBudget["strategy"]>, first: BudgetToken, between: () => Promise<void> = async () => {}): Promise<number> {
  let token = first;
  let attempts = 1;
  for (;;) {
    await between();
    try {
      token = await s.refreshRetryTokenForRetry(token, THROTTLE);
      attempts++;
    } catch {
      return attempts;
    }
  }
}

describe("RetryBudget", () => {
  it("alone, a throttled request gets exactly maxAttempts; a 4xx is never retried", async () => {
    const budget = new RetryBudget(fakeClock());
    const s = budget.strategy(3);
    expect(await attemptsUntilRefused(s, await s.acquireInitialRetryToken("BatchGetResourceConfigCommand"))).toBe(3);
    await expect(s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken("X"), { errorType: "CLIENT_ERROR" })).rejects.toThrow();
  });

  it("throttles while the same operation is served to others are congestion, bounded; another operation's success is not", async () => {
    const budget = new RetryBudget(fakeClock());
    const s = budget.strategy(3);
    // Another request of the same operation succeeds between each of this one's attempts.
    const served = async () => s.recordSuccess(await s.acquireInitialRetryToken("BatchGetResourceConfigCommand"));
    expect(await attemptsUntilRefused(s, await s.acquireInitialRetryToken("BatchGetResourceConfigCommand"), served)).toBe(3 * CONGESTION_ATTEMPTS);
    // The recorder answering says nothing about SelectResourceConfig being refused.
    const recorder = async () => s.recordSuccess(await s.acquireInitialRetryToken("DescribeConfigurationRecorderStatusCommand"));
    expect(await attemptsUntilRefused(s, await s.acquireInitialRetryToken("SelectResourceConfigCommand"), recorder)).toBe(3);
  });

  it("the shared quota runs out: 500 tokens, 5 a throttled retry, 1 back per success", async () => {
    const budget = new RetryBudget(fakeClock());
    const s = budget.strategy(10);
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      try {
        await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken("Op"), THROTTLE);
      } catch {
        refused++;
      }
    }
    expect(budget.quota).toBeLessThan(5);
    expect(refused).toBe(50);
  });

  it("the send-rate limiter starts at the first throttle (70% of the measured rate, at least 4/s) and waits between sends", async () => {
    const clock = fakeClock();
    const budget = new RetryBudget(clock);
    const s = budget.strategy(3);
    for (let i = 0; i < 20; i++) await s.acquireInitialRetryToken("Op");
    expect(budget.limiter.limit).toBe(0);
    await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken("Op"), THROTTLE).catch(() => {});
    expect(budget.limiter.limit).toBeCloseTo(0.7 * 21, 5);
    clock.slept.length = 0;
    for (let i = 0; i < 5; i++) await s.acquireInitialRetryToken("Op");
    expect(clock.slept.length).toBeGreaterThan(0);
  });
});

describe("credentials of the pool", () => {
  it("the identity key names the profile and role, never an external id or a secret", () => {
    expect(identityKey({})).toBe("default-chain");
    const key = identityKey({ profile: "ops", roleArn: "arn:aws:iam::111111111111:role/r", externalId: "s3cr3t-external-id", stsEndpoint: "http://sts" });
    expect(key).toContain("profile=ops");
    expect(key).toContain("role=arn:aws:iam::111111111111:role/r");
    expect(key).not.toContain("s3cr3t");
    expect(identityKey({ roleArn: "arn:aws:iam::111111111111:role/r", externalId: "a" })).not.toBe(identityKey({ roleArn: "arn:aws:iam::111111111111:role/r", externalId: "b" }));
  });

  it("two external ids or profiles never share an identity, even ones a 32-bit hash confuses or holding the key's separators", () => {
    const role = "arn:aws:iam::111111111111:role/r";
    // FNV-1a 32 gives these two the same tag.
    expect(identityKey({ roleArn: role, externalId: "ext-67059" })).not.toBe(identityKey({ roleArn: role, externalId: "ext-423286" }));
    expect(identityKey({ roleArn: role, externalId: "ext-67059" })).not.toContain("ext-67059");
    expect(identityKey({ profile: `p;role=${role}` })).not.toBe(identityKey({ profile: "p", roleArn: `${role};role=` }));
    expect(identityKey({ profile: "a" })).not.toBe(identityKey({ profile: "b" }));
  });

  it("memoize resolves once until near expiry, and does not keep a failure", async () => {
    let now = 0;
    let calls = 0;
    let fail = true;
    const p = memoize(async () => {
      calls++;
      if (fail) throw new Error("no creds");
      return { accessKeyId: "AKIA", secretAccessKey: "x", expiration: new Date(now + 15 * 60_000) };
    }, () => now);
    await expect(p()).rejects.toThrow();
    fail = false;
    await p();
    await p();
    expect(calls).toBe(2);
    now += 11 * 60_000; // within 5 minutes of expiry
    await p();
    expect(calls).toBe(3);
  });
});

describe("parseIsoDuration", () => {
  it("reads AWS's durations and refuses what has no fixed length or is not one", () => {
    expect(parseIsoDuration("PT0S")).toBe(0);
    expect(parseIsoDuration("PT2.5S")).toBe(2500);
    expect(parseIsoDuration("PT1M30S")).toBe(90_000);
    expect(parseIsoDuration("P1DT2H")).toBe(26 * 3_600_000);
    expect(parseIsoDuration("P2W")).toBe(14 * 86_400_000);
    for (const bad of ["P1Y", "P1M", "P", "PT", "P1DT", "1S", "PT-1S", "", "PT1S ", 5, null]) expect(parseIsoDuration(bad)).toBeNull();
    expect(parseIsoDuration(`PT${"9".repeat(100)}S`)).toBeNull();
  });
});
