// Credentials are the run's, not the process's: a watch loop's next scan reads the shared
// credentials file again, so keys rotated (or a profile pointed at another account) between
// scans are used by the next scan. The SDK caches the files it reads for the process's life
// unless told not to. Real @aws-sdk/client-drs against the local DRS server, which records the
// access key of each request.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import check from "../../checks/replication-lag/index.js";
import { DrsServer, serverId, sourceServer } from "../helpers/drs-server.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { runCheck } from "../helpers/check-tester.js";

const aws = useAwsTestEnv({ accessKeyId: "AKIATESTROTATEENV001", secretAccessKey: "test-secret-CANARY-rotate" }, "rotate");
const drs = new DrsServer();
beforeAll(() => drs.start());
afterAll(() => drs.stop());
beforeEach(() => drs.reset());

const REGION = "us-west-2";
const credentials = (section: string, key: string) => writeFileSync(join(aws.dir, "credentials"), `[${section}]\naws_access_key_id = ${key}\naws_secret_access_key = test-secret-CANARY-${key}\n`);

async function keyOfNextScan(drsExtra: Record<string, unknown>): Promise<string> {
  drs.requests.length = 0;
  drs.put(REGION, sourceServer(1, REGION));
  // runCheck: a run of its own (its own scope), as each scan of a watch loop.
  const out = await runCheck(check, { engine: "aws-drs", drs: { region: REGION, endpoint: drs.url, sourceServerIds: [serverId(1)], ...drsExtra } } as never);
  expect(out.status, out.summary).toBe("pass");
  return drs.requests[0]!.accessKeyId;
}

describe("credentials rotated between scans", () => {
  it("a profile's keys changed in the shared credentials file are the next scan's", async () => {
    credentials("ops", "AKIAROTATEPROFILE001");
    expect(await keyOfNextScan({ profile: "ops" })).toBe("AKIAROTATEPROFILE001");
    credentials("ops", "AKIAROTATEPROFILE002");
    expect(await keyOfNextScan({ profile: "ops" })).toBe("AKIAROTATEPROFILE002");
  });

  it("the default chain's [default] keys changed in the file are the next scan's", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    credentials("default", "AKIAROTATEDEFAULT001");
    expect(await keyOfNextScan({})).toBe("AKIAROTATEDEFAULT001");
    credentials("default", "AKIAROTATEDEFAULT002");
    expect(await keyOfNextScan({})).toBe("AKIAROTATEDEFAULT002");
  });
});
