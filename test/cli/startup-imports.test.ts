// Nothing heavy (Ink, React, the AWS SDK) may load on the --version and scan paths.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";

const HEAVY = [/\/node_modules\/ink\//, /\/node_modules\/react\//, /\/node_modules\/@aws-sdk\//, /\/node_modules\/@smithy\//, /\/node_modules\/(pg|mysql2|ioredis|jose)\//];

function loadedModules(args: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), "standby-trace-")), "trace.txt");
  const r = spawnSync(process.execPath, ["--import", join(ROOT, "test/helpers/trace-imports.mjs"), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, STANDBY_TRACE_FILE: file },
    encoding: "utf8",
  });
  expect([0, 1]).toContain(r.status);
  return readFileSync(file, "utf8").split("\n").filter(Boolean);
}

describe("startup path stays light", () => {
  for (const args of [["--version"], ["scan", "-c", "examples/quickstart/standby.yml", "-f", "json"]]) {
    it(`standby ${args[0]} loads no Ink, React, AWS SDK, database driver or jose`, () => {
      const mods = loadedModules(args);
      expect(mods.some((m) => m.includes("/build/src/cli/main.js"))).toBe(true);
      for (const re of HEAVY) expect(mods.filter((m) => re.test(m))).toEqual([]);
    });
  }

  it("--version does not load the check registry or zod", () => {
    const mods = loadedModules(["--version"]);
    expect(mods.filter((m) => /\/checks\/|\/node_modules\/zod\//.test(m))).toEqual([]);
  });
});
