// A probe whose connection is refused must leave nothing running behind it: `standby scan` exits
// as soon as the report is out. ioredis arms a 2 s disconnect timer that only a later "close"
// clears; after a refused connection nothing cleared it, and every scan with an unreachable Redis
// waited those 2 s before exiting. Run as the real CLI: only a process exit shows what lingers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiConfig } from "../action/helpers.js";
import { runCli } from "../helpers/cli.js";
import { closedPort, tempDir } from "../helpers/servers/common.js";

type Report = { durationMs: number; checks: Array<{ id: string; status: string; reason: string }> };

describe("standby scan against refused connections", () => {
  it("exits right after its report: no probe leaves a timer or a socket behind", async () => {
    const port = await closedPort();
    const dir = tempDir("refused");
    const file = join(dir, "standby.yml");
    const checks = [
      ["redis", "replication-lag", `engine: redis\n        primary: redis://127.0.0.1:${port}\n        standby: redis://127.0.0.1:${port}`],
      ["postgres", "replication-lag", `engine: postgres\n        primary: postgres://u:p@127.0.0.1:${port}/db\n        standby: postgres://u:p@127.0.0.1:${port}/db`],
      ["mysql", "replication-lag", `engine: mysql\n        primary: mysql://u:p@127.0.0.1:${port}/db\n        standby: mysql://u:p@127.0.0.1:${port}/db`],
      ["http", "config-drift", `primary: { url: "http://127.0.0.1:${port}/a" }\n        standby: { url: "http://127.0.0.1:${port}/b" }`],
      ["tls", "tls-certificate", `primary: { host: 127.0.0.1, port: ${port} }\n        standby: { host: 127.0.0.1, port: ${port} }`],
    ]
      .map(([id, kind, body]) => `      - id: ${id}\n        kind: ${kind}\n        timeout: 10s\n        ${body}`)
      .join("\n");
    writeFileSync(file, apiConfig(`${checks}\n`));
    // The baseline: the same CLI on two local files, which opens no socket and arms no timer, so
    // start-up and a loaded machine cost both runs alike. Each is the best of two runs.
    writeFileSync(join(dir, "a.json"), "{}");
    writeFileSync(join(dir, "b.json"), "{}");
    const baseline = join(dir, "baseline.yml");
    writeFileSync(baseline, apiConfig(`      - id: files\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { file: b.json }\n`));
    const beyondScan = async (config: string, code: number) => {
      let best = Infinity;
      let report: Report | undefined;
      for (let i = 0; i < 2; i++) {
        const t0 = performance.now();
        const r = await runCli(["scan", "-c", config, "-f", "json", "--no-history"]);
        const wallMs = performance.now() - t0;
        expect(r.code).toBe(code);
        report = JSON.parse(r.stdout) as Report;
        best = Math.min(best, wallMs - report.durationMs);
      }
      return { best, report: report! };
    };
    const base = await beyondScan(baseline, 0);
    const refused = await beyondScan(file, 1);
    expect(refused.report.checks.map((c) => [c.id, c.status, c.reason]).sort()).toEqual(
      ["http", "mysql", "postgres", "redis", "tls"].map((id) => [id, "unknown", "unreachable"]),
    );
    // A 2 s timer left armed would add 2 s beyond the scan; noise between two runs is far less.
    expect(refused.best - base.best).toBeLessThan(1000);
  });
});
