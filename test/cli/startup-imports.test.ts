// Nothing heavy (Ink, React, the AWS SDK, the Kubernetes client) may load on the --version and scan paths.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadedSources } from "../helpers/loaded-sources.js";

const HEAVY = [/\/node_modules\/ink\//, /\/node_modules\/react\//, /\/node_modules\/@aws-sdk\//, /\/node_modules\/@kubernetes\//, /\/node_modules\/@smithy\//, /\/node_modules\/(pg|mysql2|ioredis|jose)\//];

function loadedModules(args: string[]): string[] {
  const run = loadedSources(args);
  expect([0, 1]).toContain(run.status);
  return run.sources;
}

describe("startup path stays light", () => {
  // The history goes to this file's temp dir (test/helpers/temp-root.ts), never into examples/.
  for (const args of [["--version"], ["scan", "-c", "examples/quickstart/standby.yml", "-f", "json", "--history", join(tmpdir(), "history.jsonl")]]) {
    it(`standby ${args[0]} loads no Ink, React, AWS SDK, database driver or jose`, () => {
      const mods = loadedModules(args);
      expect(mods.some((m) => m.endsWith("/src/cli/main.ts"))).toBe(true);
      for (const re of HEAVY) expect(mods.filter((m) => re.test(m))).toEqual([]);
    });
  }

  it("--version does not load the check registry or zod", () => {
    const mods = loadedModules(["--version"]);
    expect(mods.filter((m) => /\/checks\/|\/node_modules\/zod\//.test(m))).toEqual([]);
  });
});
