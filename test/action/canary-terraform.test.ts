// A value a Terraform state marks sensitive, under a key that does not look secret and marked on
// one side only, appears in none of the Action's outputs: stdout, the outputs file, the job
// summary and every report format. It is not an ${env:} secret, so no ::add-mask:: hides it:
// only the check's own hashing does.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { instance, resource, state, attr } from "../helpers/terraform-state-fixtures.js";
import { apiConfig, runAction, workspace } from "./helpers.js";

const CANARY = "CANARY-tf-action-1f9e";

describe("Terraform sensitive values in the Action", () => {
  it("never appear in the summary, the outputs or any report", async () => {
    const ws = workspace();
    const mk = (value: string, sensitive: boolean, lineage: string) =>
      state([resource("aws_lambda_function", "f", [instance({ function_name: "f", init_script: value, memory_size: 1024 }, { sensitive: sensitive ? [[attr("init_script")]] : [] })])], { lineage });
    writeFileSync(join(ws, "p.tfstate"), JSON.stringify(mk("plain-primary", true, "p")));
    writeFileSync(join(ws, "s.tfstate"), JSON.stringify(mk(CANARY, false, "s")));
    writeFileSync(
      join(ws, "standby.yml"),
      apiConfig(`      - id: tf-drift
        kind: config-drift
        primary: { terraformState: { file: p.tfstate } }
        standby: { terraformState: { file: s.tfstate } }
`),
    );
    const r = await runAction(ws, { format: "text,markdown,junit,prometheus" });
    expect(r.code).toBe(1);
    expect(r.summary).toContain("tf-drift");
    const report = readFileSync(join(ws, "standby-report.json"), "utf8");
    expect(report).toContain("init_script differs between primary and standby");
    const files = readdirSync(ws)
      .filter((f) => f.startsWith("standby-report"))
      .map((f) => readFileSync(join(ws, f), "utf8"));
    expect(files).toHaveLength(5);
    for (const text of [r.stdout, r.stderr, r.outputsRaw, r.summary, ...files]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain("plain-primary");
    }
  });
});
