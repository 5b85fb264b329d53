// `promtool check metrics` (Debian package prometheus) on what the built CLI writes: `scan -f
// prometheus` on a live environment with every kind the demo has (real evidence), and `merge -f
// prometheus` of a report with every kind. promtool must print nothing: a lint problem (units,
// _total, HELP) is a failure. Skipped with the reason printed when promtool is missing; under
// CI=true a missing promtool fails.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startDemo, type DemoEnv } from "../../src/demo/env.js";
import { render } from "../../src/report/index.js";
import { everyKindReport } from "../fixtures/every-kind.js";
import { runCli } from "../helpers/cli.js";
import { conventionProblems, expectPromtoolClean, kindsOfConfig, parseExposition, promtoolSkip, SIGNATURE_FAMILY } from "../helpers/prometheus.js";
import { tempDir } from "../helpers/servers/common.js";

describe.skipIf(promtoolSkip())("promtool on the CLI's Prometheus output", () => {
  let env: DemoEnv | null = null;
  const dir = tempDir("prom-cli");

  beforeAll(async () => {
    env = await startDemo();
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    if (env) rmSync(env.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("scan -f prometheus on a live environment: clean, and every kind there has its own families", async () => {
    const r = await runCli(["scan", "-c", env!.configFile, "-f", "prometheus", "--no-history", "--fail-on", "never"], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expectPromtoolClean(r.stdout);
    expect(conventionProblems(r.stdout)).toEqual([]);
    const { families, samples } = parseExposition(r.stdout);
    const kinds = kindsOfConfig(readFileSync(env!.configFile, "utf8"), parseYaml);
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    for (const [id, kind] of kinds) {
      const family = SIGNATURE_FAMILY[kind];
      if (!family) continue;
      expect(families.get(family)?.samples.some((s) => s.labels.check === id), `${id} (${kind}) in ${family}\n${env!.notes.join("\n")}`).toBe(true);
    }
    // No generic family for a kind that has its own.
    expect(samples.filter((s) => s.name.startsWith("standby_check_measured") || s.name.startsWith("standby_check_limit") || s.name.startsWith("standby_check_warn"))).toEqual([]);
  });

  it("merge -f prometheus of a report with every kind: clean, and the same exposition as the renderer", async () => {
    const report = everyKindReport();
    const file = join(dir, "every-kind.json");
    writeFileSync(file, render(report, "json"));
    const r = await runCli(["merge", file, "-f", "prometheus", "--fail-on", "never"]);
    expect(r.code, r.stderr).toBe(0);
    expectPromtoolClean(r.stdout);
    expect(conventionProblems(r.stdout)).toEqual([]);
    expect(r.stdout).toBe(render(report, "prometheus"));
  });

  it("promtool does flag what the conventions forbid (the check is not vacuous)", () => {
    const bad = "# HELP standby_lag_ms lag\n# TYPE standby_lag_ms gauge\nstandby_lag_ms 1\n# HELP standby_runs runs\n# TYPE standby_runs counter\nstandby_runs 1\n";
    expect(() => expectPromtoolClean(bad)).toThrow();
    expect(conventionProblems('# HELP standby_x_seconds some value\n# TYPE standby_x_seconds gauge\nstandby_x_seconds{unit="s"} 1\nstandby_x_seconds{a="b",unit="s"} 2\n')).toEqual([
      "standby_x_seconds: 2 label sets (unit | a,unit)",
      "standby_x_seconds: unit label",
      "standby_x_seconds: unit label",
    ]);
  });
});
