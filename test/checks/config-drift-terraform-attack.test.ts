// Attacks on the terraformState source: one-sided sensitivity, hostile shapes and keys, globs,
// index keys of the wrong type, truncated HTTP bodies. Real state files on disk, real check.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { CheckOutcome, ServiceInfo } from "../../src/engine/types.js";
import { runCheck } from "../helpers/check-tester.js";
import { attr, index, instance, resource, state, USE1, USW2 } from "../helpers/terraform-state-fixtures.js";

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, suffix: USE1.suffix, account: USE1.account } },
  standby: { vars: { region: USW2.region, suffix: USW2.suffix, account: USW2.account } },
};
const SECRET = "CANARY-tf-attack-do-not-print";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "standby-tf-attack-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(s: unknown): string {
  const name = `state-${n++}.tfstate`;
  writeFileSync(join(dir, name), typeof s === "string" ? s : JSON.stringify(s));
  return name;
}
type Extra = Record<string, unknown>;
function compare(p: unknown, s: unknown, options: Extra = {}, sides: { primary?: Extra; standby?: Extra } = {}): Promise<CheckOutcome> {
  return runCheck(check, { primary: { terraformState: { file: write(p), ...sides.primary } }, standby: { terraformState: { file: write(s), ...sides.standby } }, ...options } as never, { service: SERVICE, baseDir: dir });
}
/** A sensitive value under a name that does not look secret (the diff's own name heuristic does not hide it). */
const db = (value: unknown, sensitive: boolean, lineage: string) =>
  state([resource("aws_db_instance", "orders", [instance({ identifier: "orders", port: 5432, init_script: value }, { sensitive: sensitive ? [[attr("init_script")]] : [] })])], { lineage });

describe("terraformState attacks: sensitive values", () => {
  it("a value one side marks sensitive is hidden on the other side too", async () => {
    for (const [p, s] of [[true, false], [false, true]] as const) {
      const out = await compare(db(p ? "hunter2-primary" : SECRET, p, "a"), db(s ? "hunter2-standby" : SECRET, s, "b"));
      expect(out.status).toBe("fail");
      expect(JSON.stringify(out)).not.toContain(SECRET);
    }
  });
});
