// A secret in a Terraform state (an attribute the state marks sensitive, under a key that looks
// secret and under one that does not) never appears in any output format, whether the values
// differ or not, nor does any hash of it.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { attr, instance, regionState, resource, state, USE1, USW2 } from "./helpers/terraform-state-fixtures.js";

const CANARY = "CANARY-tf-5e1f-do-not-print";
const dir = mkdtempSync(join(tmpdir(), "standby-tf-canary-"));
let server: Server;

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeAll(async () => {
  // An HTTP backend that wants the canary as its token: the state on /ok, a refusal on /denied.
  server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${CANARY}` || req.url?.startsWith("/denied")) return void res.writeHead(403).end(`denied ${String(req.headers.authorization)}`);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(regionState(USW2, { dbPassword: CANARY, apiToken: CANARY })));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const withBlock = (r: typeof USE1, code: string) =>
    state([resource("aws_lambda_function", "f", [instance({ function_name: `f-${r.suffix}`, settings: [{ mode: "fast", code }] }, { sensitive: [[attr("settings")]] })])], { lineage: r.suffix });
  writeFileSync(join(dir, "p.tfstate"), JSON.stringify(regionState(USE1, { dbPassword: CANARY, apiToken: CANARY })));
  writeFileSync(join(dir, "s.tfstate"), JSON.stringify(regionState(USW2, { dbPassword: "other-password", apiToken: CANARY })));
  writeFileSync(join(dir, "pb.tfstate"), JSON.stringify(withBlock(USE1, CANARY)));
  writeFileSync(join(dir, "sb.tfstate"), JSON.stringify(withBlock(USW2, "plain")));
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
services:
  - name: orders
    primary: { vars: { region: us-east-1, suffix: use1, account: "111111111111" } }
    standby: { vars: { region: us-west-2, suffix: usw2, account: "222222222222" } }
    checks:
      - id: tf-drift
        kind: config-drift
        primary: { terraformState: { file: p.tfstate } }
        standby: { terraformState: { file: s.tfstate } }
      - id: tf-block
        kind: config-drift
        primary: { terraformState: { file: pb.tfstate } }
        standby: { terraformState: { file: sb.tfstate } }
      - id: tf-http
        kind: config-drift
        primary: { terraformState: { file: p.tfstate } }
        standby: { terraformState: { url: "${base}/ok", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } } }
      - id: tf-http-denied
        kind: config-drift
        primary: { terraformState: { file: p.tfstate } }
        standby: { terraformState: { url: "${base}/denied?token=\${env:STANDBY_CANARY}", headers: { Authorization: "Bearer \${env:STANDBY_CANARY}" } } }
`,
  );
});

describe("secret canary in a Terraform state", () => {
  for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
    it(`never appears in ${format} output`, async () => {
      const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format, "--no-history"], { env: { FORCE_COLOR: "1", STANDBY_CANARY: CANARY } });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("tf-drift");
      const out = r.stdout + r.stderr;
      expect(out).not.toContain(CANARY);
      expect(out).not.toContain(createHash("sha256").update(CANARY).digest("hex").slice(0, 12));
      expect(out).not.toContain("other-password");
      if (format === "json") {
        expect(out).toContain("password differs between primary and standby");
        expect(out).toContain("tf-http-denied");
        expect(out).toContain("not-authorized");
      }
    });
  }
});
