// measuredLevel(): how a measured value stands against the check's own limit/warnAt, the rule the
// TUI colours by. Direction comes from the thresholds (limit above warnAt: higher is worse; below:
// lower is worse, as for days left); a limit alone follows the check's own status.
import type { CheckStatus, Measured } from "../../src/engine/types.js";
import { measuredLevel, notCompared } from "../../src/report/format.js";
import { decisionTable } from "../helpers/decision-table.js";
import { describe, expect, it } from "vitest";

type In = { m: Measured; value?: number; status?: CheckStatus };
const lag = { unit: "s", limit: 300, warnAt: 240 };
// tls-certificate with a user's `warn: 60d` (the default would be 28d)
const cert = { unit: "d", limit: 14, warnAt: 60 };

decisionTable<In, ReturnType<typeof measuredLevel>>("measuredLevel", (i) => measuredLevel(i.m, { value: i.value, status: i.status }), [
  { name: "no limit: no level (nothing to colour by)", input: { m: { value: 5, unit: "s" } }, expected: null },
  { name: "lag under warnAt is ok", input: { m: { value: 100, ...lag } }, expected: "ok" },
  { name: "lag at warnAt warns (budgetLevel: from warnAt)", input: { m: { value: 240, ...lag } }, expected: "warn" },
  { name: "lag at the limit still warns (fails only over it)", input: { m: { value: 300, ...lag } }, expected: "warn" },
  { name: "lag over the limit fails", input: { m: { value: 301, ...lag } }, expected: "fail" },
  { name: "days left above a user's warn: 60d is ok", input: { m: { value: 90, ...cert } }, expected: "ok" },
  { name: "45 days left warns under warn: 60d (the old hard-coded 28d said green)", input: { m: { value: 45, ...cert } }, expected: "warn" },
  { name: "days left at the fail threshold fails (expiryLevel: within fail)", input: { m: { value: 14, ...cert } }, expected: "fail" },
  { name: "an expired certificate fails", input: { m: { value: -3, ...cert } }, expected: "fail" },
  { name: "another value judged by the same thresholds (a cert deeper in the chain)", input: { m: { value: 90, ...cert }, value: 20 }, expected: "warn" },
  { name: "limit alone (writable nodes, limit 1) at the limit is ok", input: { m: { value: 1, unit: "writable", limit: 1 }, status: "pass" }, expected: "ok" },
  { name: "limit alone over it fails", input: { m: { value: 2, unit: "writable", limit: 1 }, status: "fail" }, expected: "fail" },
  { name: "limit alone where lower is worse (warmth ratio) follows the failing status", input: { m: { value: 0.3, unit: "ratio", limit: 0.5 }, status: "fail" }, expected: "fail" },
  { name: "limit alone where lower is worse follows the passing status", input: { m: { value: 0.9, unit: "ratio", limit: 0.5 }, status: "pass" }, expected: "ok" },
  { name: "expiry with warn equal to fail: the status tells the direction", input: { m: { value: 100, unit: "d", limit: 14, warnAt: 14 }, value: 10, status: "pass" }, expected: "fail" },
  { name: "a value that is not a number has no level", input: { m: { value: Number.NaN, ...lag } }, expected: null },
]);

describe("notCompared", () => {
  it("says the check was not compared, its reason in words and its summary", () => {
    expect(notCompared({ reason: "timeout", summary: "standby http://127.0.0.1:9/app.json: timed out after 3s" })).toBe(
      "not compared (timeout: did not finish in time): standby http://127.0.0.1:9/app.json: timed out after 3s",
    );
    expect(notCompared({ reason: null, summary: "" })).toBe("not compared (error: the check could not decide)");
  });
});
