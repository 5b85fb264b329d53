// `scan -o` and `merge -o` never write through a link planted where the report goes: a symbolic
// link is refused before anything runs, and the report replaces the path (a new file renamed into
// place), so a hard link's other name keeps its content too.
import { cpSync, existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

function setup(): { ws: string; config: string; outside: string } {
  const ws = mkdtempSync(join(tmpdir(), "standby-o-link-"));
  cpSync(join(ROOT, "examples/quickstart"), ws, { recursive: true, filter: (src) => !src.includes(".standby") });
  const outside = join(mkdtempSync(join(tmpdir(), "standby-outside-")), "precious.txt");
  writeFileSync(outside, "precious\n");
  return { ws, config: join(ws, "standby.yml"), outside };
}

describe("-o and a planted link", () => {
  it("scan -o onto a symbolic link: exit 2 before the scan, the link and its target untouched", async () => {
    const { ws, config, outside } = setup();
    const report = join(ws, "report.json");
    symlinkSync(outside, report);
    const r = await runCli(["scan", "-c", config, "-f", "json", "-o", report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`standby: -o: cannot write the report: ${report} is a symbolic link; standby never writes through a link (remove it, or choose another path)\n`);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(lstatSync(report).isSymbolicLink()).toBe(true);
    expect(existsSync(join(ws, ".standby"))).toBe(false); // nothing ran, no history record
  });

  it("a dangling link is refused too (its target is not created)", async () => {
    const { ws, config } = setup();
    const target = join(mkdtempSync(join(tmpdir(), "standby-outside-")), "created.txt");
    const report = join(ws, "report.txt");
    symlinkSync(target, report);
    const r = await runCli(["scan", "-c", config, "-o", report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a symbolic link");
    expect(existsSync(target)).toBe(false);
  });

  it("merge -o onto a symbolic link is refused the same way", async () => {
    const { ws, config, outside } = setup();
    const shard = join(ws, "shard.json");
    const s = await runCli(["scan", "-c", config, "--no-history", "--shard", "1/1", "-f", "json", "-o", shard, "--fail-on", "never"]);
    expect(s.code).toBe(0);
    const merged = join(ws, "merged.json");
    symlinkSync(outside, merged);
    const r = await runCli(["merge", shard, "-o", merged]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${merged} is a symbolic link`);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
  });

  it("a hard link: the report replaces the name, the other name keeps its content; no temp file is left", async () => {
    const { ws, config, outside } = setup();
    const report = join(ws, "report.json");
    const keep = join(ws, "keep.json");
    writeFileSync(keep, "precious\n");
    linkSync(keep, report);
    const r = await runCli(["scan", "-c", config, "-f", "json", "-o", report, "--fail-on", "never"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(report, "utf8")).schemaVersion).toBe(1);
    expect(readFileSync(keep, "utf8")).toBe("precious\n");
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(readdirSync(ws).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
