import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fnv1a, inShard, parseShard } from "../../src/schedule/shard.js";
import { runCli } from "../helpers/cli.js";

const QUICKSTART = "examples/quickstart/standby.yml";
const tmp = mkdtempSync(join(tmpdir(), "standby-merge-"));

describe("--shard and standby merge", () => {
  it("shards are stable, disjoint and cover every id", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c); // FNV-1a 32 test vector
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "x", "1/2/3"]) expect(parseShard(bad)).toBeNull();
    const ids = Array.from({ length: 500 }, (_, i) => `check-${i}`);
    const counts = [1, 2, 3, 4].map((i) => ids.filter((id) => inShard(id, { index: i, count: 4 })).length);
    expect(counts.reduce((a, b) => a + b)).toBe(500);
    for (const c of counts) expect(c).toBeGreaterThan(80); // roughly even
  });

  it("merging the shard reports of the quickstart gives the full scan's score and status", async () => {
    const full = await runCli(["scan", "-c", QUICKSTART, "-f", "json", "--no-history"]);
    const fullReport = JSON.parse(full.stdout);
    const files: string[] = [];
    const seen: string[] = [];
    for (const i of [1, 2, 3]) {
      const out = join(tmp, `shard-${i}.json`);
      const r = await runCli(["scan", "-c", QUICKSTART, "-f", "json", "--no-history", "--shard", `${i}/3`, "-o", out]);
      expect([0, 1]).toContain(r.code);
      const rep = JSON.parse(readFileSync(out, "utf8"));
      expect(rep.shard).toEqual({ index: i, count: 3, services: ["orders", "search"] });
      seen.push(...rep.checks.map((c: { id: string }) => c.id));
      files.push(out);
    }
    expect(seen.sort()).toEqual(fullReport.checks.map((c: { id: string }) => c.id).sort());

    const merged = await runCli(["merge", ...files, "-f", "json"]);
    expect(merged.code).toBe(1);
    const m = JSON.parse(merged.stdout);
    expect(m).toMatchObject({ schemaVersion: 1, status: fullReport.status, score: fullReport.score, points: fullReport.points, minScore: fullReport.minScore });
    expect(m.services).toEqual(fullReport.services);
    expect(m.shard).toBeUndefined();

    const text = await runCli(["merge", ...files]);
    expect(text.stdout).toContain(`score ${fullReport.score}/100`);
    const never = await runCli(["merge", ...files, "--fail-on", "never", "-f", "prometheus"]);
    expect(never.code).toBe(0);
    expect(never.stdout).toContain(`standby_readiness_score ${fullReport.score}`);
  });

  it("overlapping or invalid inputs are usage errors (exit 2)", async () => {
    const out = join(tmp, "all.json");
    await runCli(["scan", "-c", QUICKSTART, "-f", "json", "--no-history", "-o", out]);
    const dup = await runCli(["merge", out, out]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/is in both .* shards must not overlap/);
    const junk = join(tmp, "junk.json");
    writeFileSync(junk, "{ not json");
    expect((await runCli(["merge", junk])).code).toBe(2);
    writeFileSync(junk, JSON.stringify({ hello: 1 }));
    const notReport = await runCli(["merge", junk]);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toContain("not a standby JSON report");
    expect((await runCli(["merge", join(tmp, "missing.json")])).code).toBe(2);
    expect((await runCli(["scan", "-c", QUICKSTART, "--shard", "4/3"])).code).toBe(2);
  });

  it("a report edited by hand is checked entry by entry: the field that is wrong, exit 2, never a renderer crash", async () => {
    const out = join(tmp, "edited.json");
    await runCli(["scan", "-c", QUICKSTART, "-f", "json", "--no-history", "-o", out]);
    const report = JSON.parse(readFileSync(out, "utf8")) as { checks: Array<Record<string, unknown> & { findings: unknown[] }> };
    const cases: Array<[(r: typeof report) => void, string]> = [
      [(r) => (r.checks[0]!.findings[1] = null), "checks[0].findings[1]: expected object, received null"],
      [(r) => delete (r.checks[0]!.findings[0] as Record<string, unknown>).message, "checks[0].findings[0].message: expected string, received undefined"],
      [(r) => (r.checks[1]!.status = "bogus"), "checks[1].status: Invalid option"],
      [(r) => (r.checks[2]!.measured = { value: "12s", unit: "s" }), "checks[2].measured.value: expected number"],
    ];
    for (const [edit, message] of cases) {
      const r = structuredClone(report);
      edit(r);
      const file = join(tmp, "edited-1.json");
      writeFileSync(file, JSON.stringify(r));
      for (const format of ["text", "markdown"]) {
        const res = await runCli(["merge", file, "-f", format]);
        expect(res.code, message).toBe(2);
        expect(res.stderr).toContain(`standby: merge: ${file}: ${message}`);
      }
    }
  });
});
