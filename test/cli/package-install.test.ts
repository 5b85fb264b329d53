// The package as npm publishes it: packed from this checkout, installed from the tarball into an
// empty project with an empty npm cache and --offline (so nothing can come from a registry), then
// run through npx as a dependent project's workflow would: --version, validate and scan on the
// quickstart copied out of the installed package.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, any>;

describe("the npm package", () => {
  // Inside the per-file TMPDIR (test/helpers/temp-root.ts), removed after the file.
  const temp = { path: "" };
  let project = "";
  let tarball = "";
  let files: string[] = [];
  // npx and npm on PATH next to the node that runs the tests; no registry is reachable with --offline.
  const env = { ...process.env, npm_config_cache: "", npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", NO_COLOR: "1" };
  const npm = (args: string[], cwd: string) => run("npm", args, { cwd, env: { ...env, npm_config_cache: join(temp.path, "empty-cache") }, timeout: 120_000, maxBuffer: 32 << 20 });

  beforeAll(async () => {
    temp.path = mkdtempSync(join(tmpdir(), "standby-pack-"));
    // build/ is made by `npm test` before vitest; packing again with scripts would rebuild it under
    // the other test files that run the CLI, so the test packs what is built, and checks below
    // that `prepack` builds it for a real publish.
    expect(existsSync(join(ROOT, "build", "cli", "main.js")), "run `npm run build` first").toBe(true);
    const out = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", temp.path], ROOT);
    const packed = JSON.parse(out.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(temp.path, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path);
    project = join(temp.path, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "dependent-project", version: "1.0.0", private: true }));
    await npm(["install", "--offline", "--no-audit", "--no-fund", tarball], project);
  }, 180_000);

  it("carries the built CLI, the manuals and the examples, and builds before packing", () => {
    expect(pkg.scripts.prepack).toMatch(/npm run build/);
    expect(files).toContain("bin/standby.js");
    expect(files).toContain("build/cli/main.js");
    expect(files.some((f) => f.startsWith("build/cli/chunks/"))).toBe(true);
    expect(files).toContain("checks/config-drift/README.md");
    expect(files).toContain("examples/quickstart/standby.yml");
    // Nothing of the development tree: sources, tests, benchmarks, the Action bundle's inputs.
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
  });

  it("needs nothing from a registry: the CLI is one bundle, so it has no runtime dependencies", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(existsSync(join(project, "node_modules", "standby", "build", "cli", "main.js"))).toBe(true);
  });

  it("runs through npx: --version, validate and scan on the quickstart", async () => {
    const version = await run("npx", ["--offline", "standby", "--version"], { cwd: project, env });
    expect(version.stdout.trim()).toBe(pkg.version);

    const quickstart = join(project, "quickstart");
    cpSync(join(project, "node_modules", "standby", "examples", "quickstart"), quickstart, { recursive: true });
    const validate = await run("npx", ["--offline", "standby", "validate", "-c", "standby.yml"], { cwd: quickstart, env });
    expect(validate.stdout).toMatch(/standby\.yml: valid \(\d+ services?, \d+ checks?/);

    // The quickstart's standby has drifted on purpose: NOT_READY, exit 1, a whole JSON report.
    const scan = await run("npx", ["--offline", "standby", "scan", "-c", "standby.yml", "-f", "json"], { cwd: quickstart, env }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout) as { status: string; checks: { id: string; status: string }[] };
    expect(report.status).toBe("NOT_READY");
    expect(report.checks.map((c) => c.id)).toContain("orders-app-config");
    expect(report.checks.find((c) => c.id === "orders-app-config")!.status).toBe("fail");
  }, 60_000);
});
