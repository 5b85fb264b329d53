// Issue 17 bullet 3 in the bundled Action: `validate-only` validates offline (no secret read, no
// check run, annotations and a summary), and in a scan a secret that is not set makes only the
// checks that need it unknown/not-configured instead of the whole run invalid-config.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTION, apiConfig, lineOf, runAction, workspace, type ActionRun } from "./helpers.js";

const annotations = (r: ActionRun, level: string) => r.commands.filter((c) => c.command === level);
const EMPTY_OUTPUTS = { score: "", status: "", failed: "", unknown: "", "report-path": "", "failure-reason": "" };

beforeAll(() => {
  if (!existsSync(ACTION)) throw new Error("dist/action.js is missing: run `npm run bundle`");
});

/** A workspace with two identical documents, and a config whose other checks need secrets. */
function secretsWorkspace(extraChecks = ""): { ws: string; config: string } {
  const ws = workspace();
  mkdirSync(join(ws, "configs"));
  writeFileSync(join(ws, "configs/a.json"), '{"mode":"x"}\n');
  writeFileSync(join(ws, "configs/b.json"), '{"mode":"x"}\n');
  const config =
    apiConfig(`      - id: files
        kind: config-drift
        severity: critical
        primary: { file: configs/a.json }
        standby: { file: configs/b.json }
      - id: needs-token
        kind: config-drift
        severity: low
        primary: { file: configs/a.json }
        standby: { url: "http://127.0.0.1:9/config", headers: { Authorization: "Bearer \${env:STANDBY_TOKEN}" } }
      - id: lag
        kind: replication-lag
        severity: low
        engine: postgres
        primary: "\${env:STANDBY_PRIMARY_URL}"
        standby: "postgres://monitor:\${env:STANDBY_DB_PASSWORD}@127.0.0.1:9/orders"
${extraChecks}`) + "notify:\n  webhook: { url: \"${env:STANDBY_WEBHOOK}\" }\n";
  writeFileSync(join(ws, "standby.yml"), config);
  return { ws, config };
}

describe("validate-only: true", () => {
  it("validates offline with no secret set: exit 0, a summary, no scan, no report, nothing run", async () => {
    const marker = "command-ran";
    const { ws } = secretsWorkspace(`      - id: drill
        kind: drill-recency
        severity: low
        cadence: "@monthly"
        lastDrill: { command: ["${process.execPath}", "-e", "require('fs').writeFileSync('${marker}', 'x')"] }
`);
    const r = await runAction(ws, { "validate-only": "true" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual(EMPTY_OUTPUTS);
    expect(r.commands.filter((c) => ["error", "warning"].includes(c.command))).toEqual([]);
    expect(r.stdout).toContain("standby: standby.yml is valid (validated offline: 4 value(s) holding ${env:}/${file:} not read); validate-only: no check ran");
    expect(r.summary).toContain("## ✅ standby: config valid");
    expect(r.summary).toContain("<code>standby.yml</code>: 1 service, 4 checks of 3 kinds; the local files they read exist.");
    expect(r.summary).toContain("4 values holding `${env:}` or `${file:}` were not read, so not checked. No check ran.");
    expect(existsSync(join(ws, marker))).toBe(false);
    expect(readdirSync(ws).filter((f) => f.startsWith("standby-report"))).toEqual([]);
  });

  it("on a pull request (untrusted-config mode) passes when allowed-env names the variables, none of them set", async () => {
    const { ws } = secretsWorkspace();
    const allowed = "STANDBY_TOKEN, STANDBY_PRIMARY_URL, STANDBY_DB_PASSWORD, STANDBY_WEBHOOK";
    const ok = await runAction(ws, { "validate-only": "true", "allowed-env": allowed }, { GITHUB_EVENT_NAME: "pull_request" });
    expect(ok.stdout).toContain("untrusted-config mode");
    expect(ok.code).toBe(0);
    const refused = await runAction(ws, { "validate-only": "true", "allowed-env": "STANDBY_TOKEN" }, { GITHUB_EVENT_NAME: "pull_request" });
    expect(refused.code).toBe(2);
    expect(annotations(refused, "error").map((a) => a.message)).toContain("services[0].checks[2].primary: ${env:STANDBY_PRIMARY_URL} is not allowed in untrusted-config mode: STANDBY_PRIMARY_URL is not in allowed-env");
  });

  it("annotates a structural error and a missing local file on their lines: exit 2, invalid-config", async () => {
    const { ws, config } = secretsWorkspace();
    const broken = config.replace("standby: { file: configs/b.json }", "standby: { file: configs/b.jsn }").replace("severity: low\n        engine", "severity: loud\n        engine");
    writeFileSync(join(ws, "standby.yml"), broken);
    const r = await runAction(ws, { "validate-only": "true" });
    expect(r.code).toBe(2);
    expect(r.outputs).toEqual({ ...EMPTY_OUTPUTS, "failure-reason": "invalid-config" });
    const errors = annotations(r, "error");
    expect(errors.map((e) => [e.properties.line, e.message])).toEqual([
      [String(lineOf(broken, "configs/b.jsn")), "services[0].checks[0].standby.file: no such file: configs/b.jsn"],
      [String(lineOf(broken, "severity: loud")), 'services[0].checks[2].severity: expected one of "critical", "high", "medium", "low", "info", got "loud"'],
    ]);
    expect(errors[0]!.properties).toMatchObject({ title: "standby: invalid config", file: "standby.yml", col: String(broken.split("\n")[lineOf(broken, "configs/b.jsn") - 1]!.indexOf("configs/b.jsn") + 1) });
    expect(r.summary).toContain("2 problems; no check ran. Run `standby validate --offline` locally to see the same list.");
  });

  it("a value other than true, false or empty is an input error", async () => {
    const r = await runAction(workspace({ quickstart: true }), { "validate-only": "yes" });
    expect(r.code).toBe(2);
    expect(annotations(r, "error")[0]!.message).toContain("input 'validate-only': expected true, false or empty");
  });
});

describe("a scan with a secret that is not set", () => {
  it("makes only that check unknown/not-configured, naming the variable; the others run; not invalid-config", async () => {
    const { ws, config } = secretsWorkspace();
    // Set: the lag check runs (and cannot reach its loopback port); unset: STANDBY_TOKEN, STANDBY_WEBHOOK.
    const r = await runAction(ws, {}, { STANDBY_PRIMARY_URL: "postgres://monitor:pw@127.0.0.1:9/orders", STANDBY_DB_PASSWORD: "pw-1234-secret" });
    expect(r.stderr).toBe("");
    const report = JSON.parse(readFileSync(join(ws, "standby-report.json"), "utf8"));
    const by = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    expect(by("files")).toMatchObject({ status: "pass" });
    expect(by("needs-token")).toMatchObject({ status: "unknown", reason: "not-configured", summary: "secret ${env:STANDBY_TOKEN} is not set" });
    expect(by("lag")).toMatchObject({ status: "unknown", reason: "unreachable" });
    // Two low-severity unknowns: DEGRADED, which passes fail-on not-ready.
    expect(r.outputs).toMatchObject({ status: "DEGRADED", unknown: "2", "failure-reason": "" });
    expect(r.code).toBe(0);
    const warning = annotations(r, "warning").find((a) => a.properties.title?.includes("needs-token"))!;
    expect(warning.properties).toMatchObject({ title: "standby: needs-token UNKNOWN(not-configured) (low)", file: "standby.yml", line: String(lineOf(config, "- id: needs-token")) });
    expect(warning.message).toContain("secret ${env:STANDBY_TOKEN} is not set");
    expect(r.stdout).toContain(`standby: warning: standby.yml:${lineOf(config, "STANDBY_TOKEN")}:`);
    expect(r.stdout).toContain("notify.webhook.url: secret ${env:STANDBY_WEBHOOK} is not set: no webhook notification is sent");
    expect(r.summary).toContain("not-configured");
  });
});

describe("secret canary on the new paths", () => {
  const CANARY = "CANARY-91b2:do,not%print";
  const nowhere = (r: ActionRun, ws: string) => {
    const rest = r.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n");
    const files = readdirSync(ws).filter((f) => f.startsWith("standby-report")).map((f) => readFileSync(join(ws, f), "utf8"));
    for (const text of [rest, r.stderr, r.outputsRaw, r.summary, ...files]) {
      expect(text).not.toContain("CANARY-91b2");
      expect(text).not.toContain(encodeURIComponent(CANARY));
    }
  };

  it("validate-only reads no secret, so none is masked or printed", async () => {
    const { ws } = secretsWorkspace();
    const r = await runAction(ws, { "validate-only": "true" }, { STANDBY_TOKEN: CANARY, STANDBY_PRIMARY_URL: `postgres://m:${CANARY}@h/x`, STANDBY_DB_PASSWORD: CANARY, STANDBY_WEBHOOK: `https://hooks.example.com/${CANARY}` });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("::add-mask::");
    nowhere(r, ws);
  });

  it("a scan with one secret unset and the canary in the others: masked, and nowhere in the outputs", async () => {
    const { ws } = secretsWorkspace();
    const r = await runAction(ws, { format: "text,markdown,junit,prometheus" }, { STANDBY_PRIMARY_URL: `postgres://m:${encodeURIComponent(CANARY)}@127.0.0.1:9/x`, STANDBY_DB_PASSWORD: CANARY });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`::add-mask::${CANARY.replace(/%/g, "%25")}`);
    expect(JSON.parse(readFileSync(join(ws, "standby-report.json"), "utf8")).checks.map((c: { reason: string | null }) => c.reason)).toEqual([null, "not-configured", "unreachable"]);
    nowhere(r, ws);
  });
});
