// References with no value, by mode (src/config/unresolved.ts): strict (validate), per-check (scan,
// watch, tui, the Action) and offline (validate --offline); and malformed references in every mode.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { loadConfigFileAsync, loadConfigText, type LoadedConfig } from "../../src/config/load.js";
import type { RefMode } from "../../src/config/unresolved.js";
import { secrets } from "../../src/core/secrets.js";
import { runOne } from "../../src/engine/runner.js";

const dir = mkdtempSync(join(tmpdir(), "standby-unresolved-"));
mkdirSync(join(dir, "a-directory"));
writeFileSync(join(dir, "a.json"), "{}\n");
afterEach(() => secrets.clear());

const load = (text: string, refs: RefMode, env: NodeJS.ProcessEnv = {}): LoadedConfig => loadConfigText(text, { baseDir: dir, displayName: "standby.yml", env, refs });
function errorsOf(text: string, refs: RefMode, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(text, refs, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(formatIssue);
  }
  throw new Error("expected the config to be invalid");
}

/** "line:column" of the first `needle` in `text`. */
function at(text: string, needle: string): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in the config`);
  return `${i + 1}:${lines[i]!.indexOf(needle) + 1}`;
}

const config = (header: string, check: string): string => `version: 1
${header}services:
  - name: api
    checks:
      - id: plain
        kind: config-drift
        primary: { file: a.json }
        standby: { file: a.json }
      - id: secret
        kind: config-drift
${check}`;
const HEADERS = `        primary: { file: a.json }
        standby: { url: "https://api.example.com/c", headers: { Authorization: "Bearer \${env:SB_T}", X-Key: "\${file:key.txt}" } }
`;

describe("per-check mode (scan, watch, tui, the Action)", () => {
  it("a check whose secrets are not set is unknown/not-configured naming each, and runs nothing; the others load as usual", async () => {
    const text = config("", HEADERS);
    const cfg = load(text, "per-check");
    expect(cfg.checks.map((c) => c.id)).toEqual(["plain", "secret"]);
    const result = await runOne({ objectives: cfg.objectives, baseDir: dir }, cfg.checks[1]!);
    expect(result).toMatchObject({ status: "unknown", reason: "not-configured", summary: "secret ${env:SB_T} is not set; secret ${file:key.txt} does not exist", findings: [] });
    expect((await runOne({ objectives: cfg.objectives, baseDir: dir }, cfg.checks[0]!)).status).toBe("pass");
    expect(cfg.unresolved!.map(formatIssue)).toEqual([
      `standby.yml:${at(text, '"Bearer')}: services[0].checks[1].standby.headers.Authorization: secret \${env:SB_T} is not set: this check does not run (unknown/not-configured)`,
      `standby.yml:${at(text, '"${file:key.txt}"')}: services[0].checks[1].standby.headers.X-Key: secret \${file:key.txt} does not exist: this check does not run (unknown/not-configured)`,
    ]);
  });

  it("the asynchronous loader (watch's reload) says the same of a ${file:} that does not exist", async () => {
    writeFileSync(join(dir, "async.yml"), config("", HEADERS));
    const cfg = await loadConfigFileAsync(join(dir, "async.yml"), { displayName: "async.yml", env: { SB_T: "t0ken-value" }, refs: "per-check" });
    const result = await runOne({ objectives: cfg.objectives, baseDir: dir }, cfg.checks[1]!);
    expect(result).toMatchObject({ reason: "not-configured", summary: "secret ${file:key.txt} does not exist" });
  });

  it("a ${file:} that exists but cannot be a secret (a directory), or a variable refused by the policy, is still a config error", () => {
    const text = config("", HEADERS.replace("key.txt", "a-directory"));
    expect(errorsOf(text, "per-check", { SB_T: "x" })).toEqual([
      `standby.yml:${at(text, '"${file:a-directory}"')}: services[0].checks[1].standby.headers.X-Key: cannot read \${file:a-directory}: is a directory, not a regular file`,
    ]);
    const untrusted = loadConfigText.bind(null, config("", HEADERS.replace("${file:key.txt}", "k")));
    expect(() => untrusted({ baseDir: dir, env: {}, refs: "per-check", untrusted: { workspace: dir, allowedEnv: [] } })).toThrow(/\$\{env:SB_T\} is not allowed in untrusted-config mode/);
  });

  it("a service's vars make every check of that service not-configured", () => {
    const text = config("", HEADERS).replace("  - name: api\n", '  - name: api\n    standby: { vars: { account: "${env:SB_ACCOUNT}" } }\n');
    const cfg = load(text, "per-check", { SB_T: "x" });
    expect(cfg.checks.map((c) => c.definition.meta.kind)).toEqual(["config-drift", "config-drift"]);
    return Promise.all(cfg.checks.map((c) => runOne({ objectives: cfg.objectives, baseDir: dir }, c))).then((rs) => {
      expect(rs.map((r) => [r.id, r.reason, r.summary.startsWith("secret ${env:SB_ACCOUNT} is not set")])).toEqual([
        ["plain", "not-configured", true],
        ["secret", "not-configured", true],
      ]);
    });
  });

  it("a webhook secret that is not set turns notifications off; one in objectives or history is still an error (a default must not stand in)", () => {
    const hook = load(config('notify: { webhook: { url: "${env:SB_HOOK}" } }\n', HEADERS), "per-check", { SB_T: "x" });
    expect(hook.notify).toEqual({});
    expect(hook.unresolved!.map(formatIssue)[0]).toBe("standby.yml:2:27: notify.webhook.url: secret ${env:SB_HOOK} is not set: no webhook notification is sent");
    expect(errorsOf(config('objectives: { rpo: "${env:SB_RPO}" }\n', HEADERS), "per-check", { SB_T: "x" })).toEqual([
      "standby.yml:2:20: objectives.rpo: environment variable SB_RPO is not set (referenced as ${env:SB_RPO})",
    ]);
  });

  it("a structural error in the same check is still reported", () => {
    expect(errorsOf(config("", HEADERS.replace("primary: { file: a.json }", "primary: { file: a.json, pointr: /x }")), "per-check")).toEqual([
      expect.stringMatching(/^standby\.yml:11:34: services\[0\]\.checks\[1\]\.primary\.pointr: unknown key 'pointr'/),
    ]);
  });
});

describe("offline mode (validate --offline)", () => {
  it("reads no variable and no file, and judges the rest around the unknown values", () => {
    const text = config('objectives: { rpo: "${env:SB_RPO}" }\nnotify: { webhook: { url: "${env:SB_HOOK}", format: slak } }\n', HEADERS.replace("file: a.json }", "file: a.json, pointer: nope }"));
    expect(errorsOf(text, "offline", { SB_T: "never-read" })).toEqual([
      `standby.yml:${at(text, "slak")}: notify.webhook.format: expected one of "json", "slack", got "slak"`,
      `standby.yml:${at(text, "nope")}: services[0].checks[1].primary.pointer: expected a JSON pointer like /spec/listeners (or empty for the whole document)`,
    ]);
    const ok = load(config('objectives: { rpo: "${env:SB_RPO}" }\nnotify: { webhook: { url: "${env:SB_HOOK}" } }\n', HEADERS), "offline", { SB_T: "never-read" });
    expect(ok.unresolved).toHaveLength(4);
    expect(secrets.redact("never-read")).toBe("never-read");
  });

  it("a value the config cannot do without (a service's name, a check's kind or id) is an error, saying why", () => {
    expect(errorsOf(config("", HEADERS).replace("- name: api", '- name: "${env:SB_NAME}"'), "offline")).toEqual([
      "standby.yml:3:11: services[0].name: secret ${env:SB_NAME} is not read offline; the config cannot be loaded without its value",
    ]);
    // A scan needs a check's id, kind and severity: a default standing in would drop the check or reweigh it.
    const text = config("", HEADERS).replace("- id: secret\n        kind: config-drift", '- id: "${env:SB_ID}"\n        kind: "${env:SB_KIND}"\n        severity: "${env:SB_SEV}"');
    expect(errorsOf(text, "per-check", { SB_T: "x" })).toEqual([
      "standby.yml:9:13: services[0].checks[1].id: a check's id must be known to load the config: secret ${env:SB_ID} is not set",
      "standby.yml:10:15: services[0].checks[1].kind: a check's kind must be known to load the config: secret ${env:SB_KIND} is not set",
      "standby.yml:11:19: services[0].checks[1].severity: a check's severity must be known to load the config: secret ${env:SB_SEV} is not set",
    ]);
  });
});

describe("malformed references (every mode)", () => {
  const cases: Array<[string, string]> = [
    ["${env:}", '"${env:}" names no variable: expected ${env:NAME}'],
    ["${file: }", '"${file: }" names no file: expected ${file:path}'],
    ["${env:SB T}", `"\${env:SB T}": expected a variable name of letters, digits, '_', '.' or '-' (like ORDERS_TOKEN)`],
    ["${ENV:SB_T}", 'unknown reference "${ENV:SB_T}" (did you mean \'env\'?): expected ${env:NAME} or ${file:path} (write $${ for a literal ${)'],
    ["${SB_T}", '"${SB_T}" is not a reference: expected ${env:NAME} or ${file:path} (write $${ for a literal ${)'],
    ["${env:SB_T", 'unterminated reference "${env:SB_T": close it with }, or write $${ for a literal ${'],
  ];
  for (const refs of ["strict", "per-check", "offline"] as const) {
    it(`${refs}: each is an error at its place`, () => {
      for (const [ref, message] of cases) {
        const text = config("", HEADERS.replace("Bearer ${env:SB_T}", () => `Bearer ${ref}`).replace("${file:key.txt}", "k"));
        expect(errorsOf(text, refs, { SB_T: "x" }), ref).toEqual([`standby.yml:${at(text, '"Bearer')}: services[0].checks[1].standby.headers.Authorization: ${message}`]);
      }
    });
  }

  it("$${ is still a literal ${, and spaces around a name are allowed", async () => {
    const text = config("", HEADERS.replace("Bearer ${env:SB_T}", () => "$${literal} ${env: SB_T }").replace("${file:key.txt}", "k"));
    const cfg = load(text, "strict", { SB_T: "t0k3n-value" });
    const standby = (cfg.checks[1]!.options as { standby: { headers: Record<string, string> } }).standby;
    expect(standby.headers.Authorization).toBe("${literal} t0k3n-value");
  });
});
