// The one AWS error classifier every AWS source uses (AWS Config, DRS, FIS, S3, STS): what the
// server chose to call its error is never quoted unless it looks like an error code, and a
// connection reset the SDK labels TimeoutError is the network's, not a timeout.
import { describe, expect, it } from "vitest";
import { classifyAwsError } from "../../src/probes/aws/errors.js";

const call = (overrides: object = {}) => ({
  service: "AWS Config",
  iam: "config",
  op: "BatchGetResourceConfig",
  where: "standby (us-west-2)",
  access: { region: "us-west-2" },
  signal: new AbortController().signal,
  requestTimeout: 1000,
  ...overrides,
});
const sdkError = (name: string, extra: object = {}) => Object.assign(new Error("m"), { name, $metadata: { httpStatusCode: 400 } }, extra);

describe("classifyAwsError", () => {
  it("quotes a code-shaped error name, and nothing else the server chose", () => {
    expect(classifyAwsError(sdkError("SomethingOdd"), call()).message).toContain("(SomethingOdd)");
    for (const hostile of ["CANARY-do-not-print", "x\u001b[31mred", "<b>markup</b>", "A".repeat(5000)]) {
      const out = classifyAwsError(sdkError(hostile), call());
      expect(out.reason).toBe("invalid-response");
      expect(out.message).not.toContain(hostile);
      expect(out.message).toContain("an unrecognised error code");
    }
  });

  it("a connection reset labelled TimeoutError is unreachable, a real timeout is a timeout", () => {
    const reset = Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
    expect(classifyAwsError(reset, call()).reason).toBe("unreachable");
    const slow = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    expect(classifyAwsError(slow, call())).toMatchObject({ reason: "timeout", message: "standby (us-west-2): AWS Config BatchGetResourceConfig timed out after 1s" });
  });
});
