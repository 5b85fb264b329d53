// A ${env:} canary secret passed to the Action through env appears nowhere: not on stdout
// (except the runner's own `::add-mask::` commands), not in the outputs file, the job summary,
// nor any report file. The server echoes the Authorization header into the compared documents.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthEchoServer, startAuthEchoServer } from "../helpers/auth-echo-server.js";
import { apiConfig, runAction, workspace, type ActionRun } from "./helpers.js";

const CANARY = "CANARY-7a3c:do,not%print";
const FORMS = [CANARY, encodeURIComponent(CANARY)];
let server: AuthEchoServer;
let base = "";

beforeAll(async () => {
  server = await startAuthEchoServer((req) => ({ token: req.headers["x-token"] }));
  base = server.base;
});

afterAll(() => server.close());

function assertNowhere(r: ActionRun): void {
  const lines = r.stdout.split("\n");
  const masks = lines.filter((l) => l.startsWith("::add-mask::"));
  // Masked before anything else could print it, in every form the registry redacts.
  expect(masks.length).toBeGreaterThan(0);
  expect(masks).toContain(`::add-mask::${CANARY.replace(/%/g, "%25")}`);
  const firstMask = lines.findIndex((l) => l.startsWith("::add-mask::"));
  expect(lines.slice(0, firstMask).join("\n")).not.toContain("CANARY");
  const rest = lines.filter((l) => !l.startsWith("::add-mask::")).join("\n");
  const files = readdirSync(r.workspace)
    .filter((f) => f.startsWith("standby-report"))
    .map((f) => readFileSync(join(r.workspace, f), "utf8"));
  for (const text of [rest, r.stderr, r.outputsRaw, r.summary, ...files]) {
    for (const form of FORMS) expect(text).not.toContain(form);
    expect(text).not.toContain("CANARY-7a3c");
  }
}

describe("secret canary in the Action", () => {
  it("never leaves the process after a scan", async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, "standby.yml"),
      apiConfig(`      - id: echo-drift
        kind: config-drift
        severity: high
        primary: { url: "${base}/a", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}", X-Token: "\${env:STANDBY_CANARY}" } }
        standby: { url: "${base}/b", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}", X-Token: "\${env:STANDBY_CANARY}" } }
      - id: failing-source
        kind: config-drift
        primary: { url: "${base}/fail?token=\${env:STANDBY_CANARY}", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } }
        standby: { url: "${base}/b" }
`),
    );
    const r = await runAction(ws, { format: "text,markdown,junit,prometheus" }, { STANDBY_CANARY: CANARY });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe("NOT_READY");
    expect(r.summary).toContain("echo-drift");
    expect(readdirSync(ws).filter((f) => f.startsWith("standby-report")).sort()).toEqual([
      "standby-report.json",
      "standby-report.md",
      "standby-report.prom",
      "standby-report.txt",
      "standby-report.xml",
    ]);
    // The echoed header really reached a finding (redacted), so this test can fail.
    const report = readFileSync(join(ws, "standby-report.json"), "utf8");
    expect(report).toContain("seenAuth");
    expect(report).toContain("***");
    assertNowhere(r);
  });

  it("never leaves the process when the config is invalid", async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, "standby.yml"),
      apiConfig(`      - id: x\n        kind: config-drift\n        timeout: "\${env:STANDBY_CANARY}"\n        primary: { file: "\${env:STANDBY_CANARY}.json" }\n        standby: { file: b.json }\n`),
    );
    const r = await runAction(ws, {}, { STANDBY_CANARY: CANARY });
    expect(r.code).toBe(2);
    expect(r.commands.filter((c) => c.command === "error").length).toBeGreaterThan(0);
    expect(r.commands.find((c) => c.command === "error")!.message).toContain("timeout");
    assertNowhere(r);
  });
});
