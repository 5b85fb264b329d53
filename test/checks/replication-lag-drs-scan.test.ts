// Issue 20 item 4 for aws-drs: six replication-lag checks in one scan, each paging every source
// server of the region (selection by tags), against a DRS endpoint that throttles every third
// request, give the verdicts each gives alone, failures included (a STALLED server, a lag over
// the RPO), not one of them unknown/throttled. Real @aws-sdk/client-drs against the local server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import type { LoadedCheck } from "../../src/config/load.js";
import { runChecks } from "../../src/engine/runner.js";
import type { CheckDefinition } from "../../src/engine/types.js";
import { DrsServer, sourceServer } from "../helpers/drs-server.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";

useAwsTestEnv({ accessKeyId: "AKIATESTDRSSCAN00001", secretAccessKey: "test-secret-CANARY-drsscan" }, "drs-scan");
const drs = new DrsServer();
beforeAll(() => drs.start());
afterAll(() => drs.stop());

const REGION = "us-west-2";
const CHECKS = 6;
const config = { objectives: { rpo: 300_000, rto: 900_000 }, baseDir: process.cwd(), concurrency: 16 };

/** Two servers per check; check 1 has a STALLED one, check 3 one 10 minutes behind (over the RPO). */
function seed(): void {
  drs.reset();
  drs.pageSize = 2;
  for (let i = 0; i < CHECKS; i++) {
    const tags = { app: `orders${i}` };
    drs.put(REGION, sourceServer(2 * i + 1, REGION, { tags }), sourceServer(2 * i + 2, REGION, { tags, ...(i === 1 ? { state: "STALLED" } : i === 3 ? { state: "BACKLOG", lag: "PT10M" } : {}) }));
  }
}

function lagCheck(i: number): LoadedCheck {
  return {
    id: `lag-${i}`,
    kind: "replication-lag",
    severity: "high",
    timeoutMs: 30_000,
    schedule: "* * * * *",
    options: check.options.parse({ engine: "aws-drs", drs: { region: REGION, endpoint: drs.url, tags: { app: `orders${i}` } } }) as Record<string, unknown>,
    definition: check as unknown as CheckDefinition,
    service: { name: "orders", primary: { vars: {} }, standby: { vars: {} } },
    location: { file: "standby.yml", line: 1, column: 1 },
  };
}

const verdict = (r: { id: string; status: string; reason?: string | null | undefined; summary: string }) => `${r.id}: ${r.status}${r.reason ? `/${r.reason}` : ""} ${r.summary}`;

describe("aws-drs checks in a scan against a throttling endpoint", () => {
  it("six checks paging the region, every third request throttled: the verdicts of each alone, in 3 of 3 scans", { timeout: 180_000 }, async () => {
    const checks = Array.from({ length: CHECKS }, (_, i) => lagCheck(i));
    const alone: string[] = [];
    for (const c of checks) {
      seed();
      alone.push(verdict((await runChecks(config, [c]))[0]!));
    }
    expect(alone.map((v) => v.split(" ")[1])).toEqual(["pass", "fail", "pass", "fail", "pass", "pass"]);
    for (let run = 0; run < 3; run++) {
      seed();
      drs.inject({ kind: "throttle", every: 3, times: Infinity });
      const results = await runChecks(config, checks);
      expect(results.map(verdict), `scan ${run}`).toEqual(alone);
      // The endpoint really throttled: six checks of six pages each, a third of them refused.
      expect(drs.requests.length).toBeGreaterThan(CHECKS * 6);
    }
  });
});
