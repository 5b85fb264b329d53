// Issue 17 bullet 3 through the built CLI: `validate --offline` needs no secret and still catches
// structural errors and malformed references; `validate` (both ways) reports the local input files
// that do not exist; `scan` with a secret that is not set makes only the checks that need it
// unknown/not-configured, and does not start failing for a missing file.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "standby-offline-"));
mkdirSync(join(dir, "configs"));
writeFileSync(join(dir, "configs/a.json"), '{"mode":"x","port":443}\n');
writeFileSync(join(dir, "configs/b.json"), '{"mode":"x","port":443}\n');
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
/** 1-based line of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
/** "line:column" of the first `needle` in `text`. */
const at = (text: string, needle: string) => {
  const line = lineOf(text, needle);
  return `${line}:${text.split("\n")[line - 1]!.indexOf(needle) + 1}`;
};

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return text;
}

/** A config that needs secrets in every usual place: headers, a whole connection string, a token, vars, the webhook. */
const SECRETS = `version: 1
notify:
  webhook: { url: "\${env:SB_WEBHOOK_URL}", format: slack }
services:
  - name: orders
    primary: { vars: { account: "111111111111" } }
    standby: { vars: { account: "222222222222" } }
    checks:
      - id: files
        kind: config-drift
        primary: { file: configs/a.json }
        standby: { file: configs/b.json }
      - id: http
        kind: config-drift
        severity: low
        primary: { url: "https://orders.use1.example.com/config", headers: { Authorization: "Bearer \${env:SB_TOKEN}" } }
        standby: { url: "https://orders.usw2.example.com/config", headers: { Authorization: "Bearer \${file:secrets/token}" } }
      - id: lag
        kind: replication-lag
        severity: low
        engine: postgres
        primary: "\${env:SB_PRIMARY_URL}"
        standby: "postgres://monitor:\${env:SB_DB_PASSWORD}@db2.internal:5432/orders"
      - id: token
        kind: jwt
        severity: low
        primary: { token: "\${env:SB_JWT}" }
        standby: { jwks: "https://id.usw2.example.com/jwks" }
history: { enabled: false }
`;

describe("standby validate --offline", () => {
  it("passes with no secret set on a config that uses ${env:} and ${file:} secrets; plain validate names each missing one", async () => {
    write("secrets.yml", SECRETS);
    const off = await runCli(["validate", "--offline", "-c", "secrets.yml"], { cwd: dir });
    expect(off.stderr).toBe("");
    expect(off.code).toBe(0);
    expect(off.stdout).toBe("secrets.yml: valid (1 service, 4 checks of 3 kinds); offline: 6 values holding ${env:}/${file:} not read, so not checked\n");

    const strict = await runCli(["validate", "-c", "secrets.yml"], { cwd: dir });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`secrets.yml:${at(SECRETS, '"${env:SB_WEBHOOK_URL}"')}: notify.webhook.url: environment variable SB_WEBHOOK_URL is not set`);
    expect(strict.stderr).toContain(`secrets.yml:${at(SECRETS, '"${env:SB_JWT}"')}: services[0].checks[3].primary.token: environment variable SB_JWT is not set`);
    expect(strict.stderr).toContain("cannot read ${file:secrets/token}");
  });

  it("still catches structural errors, with file:line:column, dotted path and what was expected (exit 2)", async () => {
    const text = write(
      "broken.yml",
      SECRETS.replace("severity: low\n        engine: postgres", "severity: loud\n        engine: postgres")
        .replace("kind: jwt", "kind: jtw")
        .replace("      - id: files\n", "      - id: files\n        timeout: soon\n")
        .replace("format: slack", "format: slack, retry: 3"),
    );
    const r = await runCli(["validate", "--offline", "-c", "broken.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid config (4 problems)");
    expect(r.stderr).toContain(`broken.yml:${at(text, "retry")}: notify.webhook.retry: unknown key 'retry'`);
    expect(r.stderr).toContain(`broken.yml:${at(text, "soon")}: services[0].checks[0].timeout: expected a duration`);
    expect(r.stderr).toContain(`broken.yml:${at(text, "loud")}: services[0].checks[2].severity: expected one of "critical"`);
    expect(r.stderr).toContain(`broken.yml:${at(text, "jtw")}: services[0].checks[3].kind: unknown check kind 'jtw' (did you mean 'jwt'?)`);
    noStack(r.stderr);
  });

  it("judges what does not depend on a secret next to one (a bad URL beside a secret header), and rejects malformed references", async () => {
    const text = write(
      "refs.yml",
      SECRETS.replace('"https://orders.use1.example.com/config"', '"ftp://orders.use1.example.com/config"')
        .replace('"${env:SB_PRIMARY_URL}"', '"${env:}"')
        .replace("Bearer ${file:secrets/token}", "Bearer ${vault:orders/token}")
        .replace('token: "${env:SB_JWT}"', 'token: "${SB_JWT}"')
        .replace("monitor:${env:SB_DB_PASSWORD}@", "monitor:${env:SB_DB_PASSWORD@"),
    );
    const r = await runCli(["validate", "--offline", "-c", "refs.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n").slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      `refs.yml:${at(text, '"ftp://')}: services[0].checks[1].primary.url: expected an http:// or https:// URL`,
      `refs.yml:${at(text, '"Bearer ${vault')}: services[0].checks[1].standby.headers.Authorization: unknown reference "\${vault:orders/token}": expected \${env:NAME} or \${file:path} (write $\${ for a literal \${)`,
      `refs.yml:${at(text, '"${env:}"')}: services[0].checks[2].primary: "\${env:}" names no variable: expected \${env:NAME}`,
      `refs.yml:${at(text, '"postgres://monitor')}: services[0].checks[2].standby: unterminated reference "\${env:SB_DB_PASSWORD@db2.internal:5432/orders": close it with }, or write $\${ for a literal \${`,
      `refs.yml:${at(text, '"${SB_JWT}"')}: services[0].checks[3].primary.token: "\${SB_JWT}" is not a reference: expected \${env:NAME} or \${file:path} (write $\${ for a literal \${)`,
    ]);
  });

  it("keeps the untrusted-config rules: a variable not in --allowed-env is refused even though nothing is read", async () => {
    write("secrets.yml", SECRETS);
    const args = ["validate", "--offline", "-c", "secrets.yml", "--untrusted-config"];
    const refused = await runCli([...args, "--allowed-env", "SB_TOKEN,SB_PRIMARY_URL,SB_DB_PASSWORD,SB_JWT"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("notify.webhook.url: ${env:SB_WEBHOOK_URL} is not allowed in untrusted-config mode");
    const ok = await runCli([...args, "--allowed-env", "SB_TOKEN,SB_PRIMARY_URL,SB_DB_PASSWORD,SB_JWT,SB_WEBHOOK_URL"], { cwd: dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
  });
});

describe("validate reports local input files that do not exist", () => {
  const CONFIG = `version: 1
services:
  - name: orders
    checks:
      - id: drift
        kind: config-drift
        primary: { file: ../configs/a.json }
        standby: { file: ../configs/b.jsn }
      - id: cert
        kind: tls-certificate
        primary: { pemFile: certs/primary.pem }
        standby: { host: orders.example.com, caFile: certs/ca.pem }
      - id: drill
        kind: drill-recency
        cadence: "@monthly"
        lastDrill: { file: "\${env:SB_DRILL_DIR}/last.txt" }
      - id: cache
        kind: cache-age
        max: 1h
        file: ../configs/catalog.snapshot
      - id: cache-dir
        kind: cache-age
        max: 1h
        file: { path: cache/catalog.snapshot }
history: { file: never/written/yet.jsonl }
`;

  it("names file:line:column, the dotted path and the path from the config's directory, online and offline (exit 2)", async () => {
    mkdirSync(join(dir, "deploy"), { recursive: true });
    writeFileSync(join(dir, "deploy/standby.yml"), CONFIG);
    const expected = [
      `deploy/standby.yml:${at(CONFIG, "../configs/b.jsn")}: services[0].checks[0].standby.file: no such file: configs/b.jsn (../configs/b.jsn is relative to the config file's directory)`,
      `deploy/standby.yml:${at(CONFIG, "certs/primary.pem")}: services[0].checks[1].primary.pemFile: no such file: deploy/certs/primary.pem (certs/primary.pem is relative to the config file's directory)`,
      `deploy/standby.yml:${at(CONFIG, "certs/ca.pem")}: services[0].checks[1].standby.caFile: no such file: deploy/certs/ca.pem (certs/ca.pem is relative to the config file's directory)`,
      // A cached artifact may be missing (that is the check's own finding); its directory may not.
      `deploy/standby.yml:${at(CONFIG, "cache/catalog")}: services[0].checks[4].file.path: no such directory: deploy/cache, where cache/catalog.snapshot would be (cache/catalog.snapshot is relative to the config file's directory)`,
    ];
    for (const offline of [true, false]) {
      const r = await runCli(["validate", ...(offline ? ["--offline"] : []), "-c", "deploy/standby.yml"], { cwd: dir, env: { SB_DRILL_DIR: join(dir, "nowhere") } });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n").map((l) => l.trim());
      // Online, the drill file's directory comes from ${env:}: it is looked for too (offline it cannot be).
      const drill = `deploy/standby.yml:${at(CONFIG, '"${env:SB_DRILL_DIR}')}: services[0].checks[2].lastDrill.file: no such file: nowhere/last.txt`;
      expect(lines).toEqual([`standby: invalid config (${offline ? 4 : 5} problems):`, ...(offline ? expected : [...expected.slice(0, 3), drill, expected[3]!])]);
      noStack(r.stderr);
    }
  });

  it("scan does not fail for it: the check is unknown/unreadable-input naming the file, the others run", async () => {
    const r = await runCli(["scan", "-c", "deploy/standby.yml", "-f", "json", "--only", "drift", "cache", "--fail-on", "never"], { cwd: dir, env: { SB_DRILL_DIR: dir } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const checks = JSON.parse(r.stdout).checks as Array<{ id: string; status: string; reason: string | null; summary: string }>;
    expect(checks.find((c) => c.id === "drift")).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby ../configs/b.jsn: no such file (ENOENT)" });
    expect(checks.find((c) => c.id === "cache")).toMatchObject({ status: "fail" });
  });
});

describe("standby scan with a secret that is not set", () => {
  it("makes only the checks that need it unknown/not-configured, naming the variable; the others run; not exit 2", async () => {
    const text = write(
      "scan.yml",
      `version: 1
notify:
  webhook: { url: "\${env:SB_WEBHOOK_URL}" }
services:
  - name: orders
    checks:
      - id: files
        kind: config-drift
        severity: critical
        primary: { file: configs/a.json }
        standby: { file: configs/b.json }
      - id: needs-token
        kind: config-drift
        severity: low
        primary: { file: configs/a.json }
        standby: { url: "https://orders.usw2.example.com/config", headers: { Authorization: "Bearer \${env:SB_TOKEN}" } }
  - name: billing
    primary: { vars: { account: "\${env:SB_ACCOUNT}" } }
    checks:
      - id: billing-files
        kind: config-drift
        severity: low
        primary: { file: configs/a.json }
        standby: { file: configs/b.json }
history: { enabled: false }
`,
    );
    const r = await runCli(["scan", "-c", "scan.yml", "-f", "json"], { cwd: dir, env: { SB_ACCOUNT: "" } });
    const report = JSON.parse(r.stdout);
    const by = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    expect(by("files")).toMatchObject({ status: "pass", reason: null });
    expect(by("needs-token")).toMatchObject({ status: "unknown", reason: "not-configured", summary: "secret ${env:SB_TOKEN} is not set" });
    expect(by("billing-files")).toMatchObject({ status: "unknown", reason: "not-configured", summary: "secret ${env:SB_ACCOUNT} is not set" });
    // Low-severity unknowns: undecided points, not evidence of NOT_READY.
    expect(report.status).toBe("DEGRADED");
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split("\n")).toEqual([
      `standby: warning: scan.yml:${at(text, '"${env:SB_WEBHOOK_URL}"')}: notify.webhook.url: secret \${env:SB_WEBHOOK_URL} is not set: no webhook notification is sent`,
      `standby: warning: scan.yml:${at(text, '"Bearer')}: services[0].checks[1].standby.headers.Authorization: secret \${env:SB_TOKEN} is not set: this check does not run (unknown/not-configured)`,
      `standby: warning: scan.yml:${at(text, '"${env:SB_ACCOUNT}"')}: services[1].primary.vars.account: secret \${env:SB_ACCOUNT} is not set: the checks of this service do not run (unknown/not-configured)`,
    ]);
    // The text report says why in words, and `standby merge` reads the new reason back.
    const txt = await runCli(["scan", "-c", "scan.yml", "--only", "needs-token"], { cwd: dir });
    expect(txt.stdout).toContain("UNKNOWN(not-configured)");
    expect(txt.stdout.replace(/\s+/g, " ")).toContain("not compared (not-configured: a secret it needs is not set): secret ${env:SB_TOKEN} is not set");
    writeFileSync(join(dir, "scan-report.json"), r.stdout);
    const merged = await runCli(["merge", "scan-report.json", "-f", "json"], { cwd: dir });
    expect(merged.stderr).toBe("");
    expect(JSON.parse(merged.stdout).checks.find((c: { id: string }) => c.id === "needs-token")).toMatchObject({ reason: "not-configured" });
  });

  it("a structural error next to an unset secret is still invalid config (exit 2)", async () => {
    write("scan-bad.yml", SECRETS.replace("kind: jwt", "kind: jtw"));
    const r = await runCli(["scan", "-c", "scan-bad.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown check kind 'jtw'");
    expect(r.stderr).not.toContain("not set");
    expect(r.stdout).toBe("");
  });
});
