// A ${env:} canary must never appear in any output format, nor in error messages.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthEchoServer, startAuthEchoServer } from "./helpers/auth-echo-server.js";
import { runCli } from "./helpers/cli.js";

const CANARY = "CANARY-5e1f-do-not-print";
const dir = mkdtempSync(join(tmpdir(), "standby-canary-"));
let server: AuthEchoServer;
let base = "";

beforeAll(async () => {
  // The server echoes the Authorization header into the document, so the secret reaches a finding value.
  server = await startAuthEchoServer((req) => ({ dsn: `postgres://app:${req.url === "/a" ? "pw-one" : "pw-two"}@db/x` }));
  base = server.base;
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
services:
  - name: api
    checks:
      - id: echo-drift
        kind: config-drift
        primary: { url: "${base}/a", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }
        standby: { url: "${base}/b", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }
      - id: failing-source
        kind: config-drift
        primary: { url: "${base}/fail?token=\${env:STANDBY_CANARY}", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }
        standby: { url: "${base}/b" }
`,
  );
  writeFileSync(
    join(dir, "bad.yml"),
    `version: 1\nservices:\n  - name: api\n    checks:\n      - id: x\n        kind: config-drift\n        timeout: "\${env:STANDBY_CANARY}"\n        primary: { file: "\${env:STANDBY_CANARY}.json" }\n        standby: { file: b.json }\n`,
  );
});

afterAll(() => server.close());

describe("secret canary", () => {
  for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
    it(`never appears in ${format} output`, async () => {
      const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format], { env: { STANDBY_CANARY: CANARY, FORCE_COLOR: "1" } });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("echo-drift");
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(CANARY));
      // Passwords inside connection strings are redacted too.
      expect(r.stdout).not.toContain("pw-one");
      expect(r.stdout).not.toContain("pw-two");
    });
  }

  it("never appears through the paths for secrets that are not set, offline validation and missing files", async () => {
    writeFileSync(
      join(dir, "partial.yml"),
      `version: 1\nservices:\n  - name: api\n    checks:\n      - id: echo-drift\n        kind: config-drift\n        primary: { url: "${base}/a", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }\n        standby: { url: "${base}/b", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }\n` +
        `      - id: unset\n        kind: config-drift\n        primary: { url: "${base}/a", headers: { Authorization: "Bearer \${env:STANDBY_UNSET}" } }\n        standby: { file: "\${env:STANDBY_CANARY}.json" }\n`,
    );
    const env = { STANDBY_CANARY: CANARY, STANDBY_UNSET: "" };
    for (const format of ["text", "json"]) {
      const r = await runCli(["scan", "-c", join(dir, "partial.yml"), "-f", format, "--no-history"], { env });
      expect(r.stdout).toContain("not-configured");
      expect(r.stderr).toContain("secret ${env:STANDBY_UNSET} is not set");
      expect(r.stdout + r.stderr).not.toContain(CANARY);
    }
    // The canary names a file that does not exist: validate says so without naming it.
    const v = await runCli(["validate", "-c", join(dir, "partial.yml")], { env: { STANDBY_CANARY: CANARY, STANDBY_UNSET: "set" } });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/services\[0\]\.checks\[1\]\.standby\.file: no such file: .*\*\*\*\.json/);
    expect(v.stderr).not.toContain(CANARY);
    const off = await runCli(["validate", "--offline", "-c", join(dir, "partial.yml")], { env });
    expect(off.code).toBe(0);
    expect(off.stdout + off.stderr).not.toContain(CANARY);
  });

  it("never appears in config error messages", async () => {
    const r = await runCli(["validate", "-c", join(dir, "bad.yml")], { env: { STANDBY_CANARY: CANARY } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("timeout");
    expect(r.stderr).not.toContain(CANARY);
  });
});
