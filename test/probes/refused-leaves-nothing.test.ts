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
    const t0 = performance.now();
    const r = await runCli(["scan", "-c", file, "-f", "json", "--no-history"]);
    const wallMs = performance.now() - t0;
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { durationMs: number; checks: Array<{ id: string; status: string; reason: string }> };
    expect(report.checks.map((c) => [c.id, c.status, c.reason]).sort()).toEqual(
      ["http", "mysql", "postgres", "redis", "tls"].map((id) => [id, "unknown", "unreachable"]),
    );
    // Start-up and the scan take well under a second here; a 2 s timer left armed would show.
    expect(wallMs - report.durationMs).toBeLessThan(1500);
  });
});
