// A status claims only what was measured (issue 15, item 1), through the built CLI: one high
// check whose standby refuses connections is UNKNOWN, not NOT_READY, and every format says how
// many points are undecided.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "standby-status-"));
let refusedPort = 0;

beforeAll(async () => {
  // A port that was just free: connecting to it is refused.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  refusedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  writeFileSync(join(dir, "a.json"), '{"x":1}');
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1\nservices:\n  - name: api\n    checks:\n      - id: refused\n        kind: config-drift\n        severity: high\n        primary: { file: a.json }\n        standby: { url: "http://127.0.0.1:${refusedPort}/config" }\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (format: string) => runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format, "--no-history"]);

describe("an undecided high check", () => {
  it("is UNKNOWN overall (exit 1 under --fail-on not-ready), with its points undecided", async () => {
    const r = await scan("json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { status: string; score: number; points: { undecided: number; possible: number } };
    expect(report.status).toBe("UNKNOWN");
    expect(report.score).toBe(0);
    expect(report.points).toMatchObject({ undecided: 5, possible: 5 });
  });

  it("says so in text, markdown, junit and prometheus", async () => {
    expect((await scan("text")).stdout).toContain("score 0/100 (min 80), 5 of 5 points undecided");
    expect((await scan("markdown")).stdout).toContain("5 of 5 points undecided");
    expect((await scan("junit")).stdout).toMatch(/name="standby.points.undecided" value="5"/);
    expect((await scan("prometheus")).stdout).toMatch(/^standby_points_undecided 5$/m);
  });
});
