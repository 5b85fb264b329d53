// The Node.js versions standby supports, as package.json and the README state them, and the one
// this run is on: .ci/run runs the suite on Node.js 20 and again on 24 with
// STANDBY_TEST_NODE_MAJOR set, so a run that fell back to another node (a PATH that did not
// take, workers started with the machine's node) fails instead of counting twice on one version.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const major = (v: string) => v.trim().replace(/^v/, "").split(".")[0];

describe("supported Node.js versions", () => {
  it("package.json engines >=20; the README names 20, 22 and 24 and what .ci/run runs", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(">=20");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("Supported Node.js versions: **20, 22 and 24** (`engines: >=20`)");
    const ci = readFileSync(join(ROOT, ".ci/run"), "utf8");
    expect(ci).toMatch(/STANDBY_TEST_NODE_MAJOR=24 "\$STANDBY_NODE24" node_modules\/vitest\/vitest\.mjs run\n/);
    // The Node.js 20 run stays last: its closing line is the count CI reads.
    expect(ci.trimEnd().split("\n").at(-1)).toBe("STANDBY_TEST_NODE_MAJOR=20 npm test");
  });

  const want = process.env.STANDBY_TEST_NODE_MAJOR;
  it.skipIf(!want)(`this run is on Node.js ${want ?? "(STANDBY_TEST_NODE_MAJOR unset)"}, and so are the \`node\` children it starts`, () => {
    expect(major(process.versions.node)).toBe(want);
    expect(major(spawnSync(process.execPath, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout)).toBe(want);
    // Scripts with `#!/usr/bin/env node` and tests that spawn plain `node` find it on PATH.
    expect(major(spawnSync("node", ["-p", "process.versions.node"], { encoding: "utf8" }).stdout)).toBe(want);
  });
});
