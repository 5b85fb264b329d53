// examples/terraform: two real v4 states (modules, count, for_each, a data source, sensitive
// attributes) compared by the built CLI: the standby's three drifts and nothing else, and the
// states' sensitive passwords never in the output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseState } from "../../src/probes/terraform-state/index.js";
import { ROOT, runCli } from "../helpers/cli.js";

const DIR = join(ROOT, "examples/terraform");

describe("examples/terraform", () => {
  it("holds real v4 states with modules, count, for_each and sensitive attributes", () => {
    for (const f of ["use1", "usw2"]) {
      const st = parseState(readFileSync(join(DIR, "states", `${f}.tfstate`), "utf8"), f);
      expect(st).toMatchObject({ format: "state-v4", lineage: `lineage-${f}` });
      expect(st.instances.some((i) => typeof i.indexKey === "number")).toBe(true);
      expect(st.instances.some((i) => typeof i.indexKey === "string")).toBe(true);
      expect(st.instances.some((i) => i.mode === "data")).toBe(true);
      expect(st.instances.find((i) => i.type === "aws_db_instance")!.sensitive).toEqual([["password"]]);
    }
  });

  it("finds the standby's three drifts and never prints a sensitive value", async () => {
    const r = await runCli(["scan", "-c", join(DIR, "standby.yml"), "-f", "json", "--no-history"]);
    expect(r.code).toBe(1);
    const check = (JSON.parse(r.stdout) as { checks: Array<{ summary: string; findings: Array<{ path: string; change: string }> }> }).checks[0]!;
    expect(check.summary).toBe("3 drifts across 5 resource instance pairs: 1 missing, 2 weaker");
    expect(check.findings.map((f) => [f.path, f.change])).toEqual([
      ["aws_db_instance.orders.instance_class", "weaker"],
      ["module.app.aws_autoscaling_group.web.max_size", "weaker"],
      ['module.app.aws_lb.edge["internal"]', "missing"],
    ]);
    expect(r.stdout).not.toContain("example-password");
  });
});
