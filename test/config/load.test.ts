import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDuration, formatDuration } from "../../src/core/duration.js";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { loadConfigFile, loadConfigText } from "../../src/config/load.js";
import { secrets } from "../../src/core/secrets.js";

const dir = mkdtempSync(join(tmpdir(), "standby-config-"));
const load = (text: string, env: NodeJS.ProcessEnv = {}) => loadConfigText(text, { baseDir: dir, displayName: "standby.yml", env });

function errorsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(formatIssue);
  }
  throw new Error("expected the config to be invalid");
}

const VALID = `version: 1
services:
  - name: orders
    primary: { vars: { region: us-east-1 } }
    standby: { vars: { region: us-west-2 } }
    checks:
      - id: app
        kind: config-drift
        primary: { file: a.json }
        standby: { file: b.json }
`;

afterEach(() => secrets.clear());

describe("durations", () => {
  it("parses the forms users write", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("14d")).toBe(14 * 86_400_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("5 minutes")).toBeNull();
    expect(parseDuration("")).toBeNull();
    expect(formatDuration(252_000)).toBe("4m12s");
    expect(formatDuration(13 * 86_400_000 + 4 * 3_600_000)).toBe("13d4h");
  });
});

describe("loading standby.yml", () => {
  it("refuses a history.maxSizeMb above 16 at its place (a larger history slows every scan)", () => {
    expect(() => load("version: 1\nhistory: { maxSizeMb: 400 }\nservices:\n  - name: a\n    checks:\n      - { id: x, kind: drill-recency, cadence: '@daily', lastDrill: { file: d.txt } }\n")).toThrow(
      /standby\.yml:2:23: history\.maxSizeMb: at most 16 \(MiB\)/,
    );
  });
  it("applies defaults from DESIGN.md", () => {
    const cfg = load(VALID);
    expect(cfg.objectives).toEqual({ rpo: 300_000, rto: 900_000 });
    expect(cfg.minScore).toBe(80);
    expect(cfg.concurrency).toBe(16);
    expect(cfg.checks).toHaveLength(1);
    const check = cfg.checks[0]!;
    expect(check).toMatchObject({ id: "app", kind: "config-drift", severity: "high", timeoutMs: 10_000, schedule: "17 2 * * *" });
    expect(check.location).toEqual({ file: "standby.yml", line: 7, column: 9 });
    expect(check.service.primary.vars).toEqual({ region: "us-east-1" });
  });

  it("loads the quickstart", () => {
    const cfg = loadConfigFile(join(process.cwd(), "examples/quickstart/standby.yml"));
    expect(cfg.checks.map((c) => c.id)).toContain("orders-app-config");
  });

  it("names file, line, column, dotted path and what was expected for a bad duration", () => {
    const errs = errorsOf(VALID.replace("checks:\n      - id: app", "checks:\n      - id: app\n        timeout: 5 minutes"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toBe('standby.yml:8:18: services[0].checks[0].timeout: expected a duration like 90s, 5m, 2h or 14d, got "5 minutes"');
  });

  it("a duration is positive where 0 makes no sense, and always carries its unit (a bare 0 aside)", () => {
    const more = (id: string, timeout: string) => `      - id: ${id}\n        kind: config-drift\n        timeout: ${timeout}\n        primary: { file: a.json }\n        standby: { file: b.json }\n`;
    const text = VALID.replace("version: 1", "version: 1\nobjectives: { rpo: 0, rto: 15 }") + more("zero", "0s") + more("bare", "2") + more("negative", '"-5"');
    expect(errorsOf(text)).toEqual([
      "standby.yml:2:20: objectives.rpo: must be greater than 0",
      "standby.yml:2:28: objectives.rto: a bare number is ambiguous: write 15s, 15m or 15h",
      "standby.yml:14:18: services[0].checks[1].timeout: must be greater than 0",
      "standby.yml:19:18: services[0].checks[2].timeout: a bare number is ambiguous: write 2s, 2m or 2h",
      "standby.yml:24:18: services[0].checks[3].timeout: must be greater than 0",
    ]);
    // Where 0 is meaningful (no jitter), it may be written bare: it means the same in every unit.
    expect(load(VALID.replace("version: 1", "version: 1\nwatch: { jitter: 0 }")).watch).toEqual({ listen: "127.0.0.1:9464", jitterMs: 0 });
  });

  it("suggests the closest kind for an unknown kind", () => {
    const errs = errorsOf(VALID.replace("kind: config-drift", "kind: config-drfit"));
    expect(errs[0]).toMatch(/^standby\.yml:8:15: services\[0\]\.checks\[0\]\.kind: unknown check kind 'config-drfit' \(did you mean 'config-drift'\?\)/);
  });

  it("rejects duplicate check ids, pointing at the second", () => {
    const text = VALID + `      - id: app\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { file: b.json }\n`;
    const errs = errorsOf(text);
    expect(errs).toEqual([expect.stringMatching(/^standby\.yml:11:13: services\[0\]\.checks\[1\]\.id: duplicate check id 'app' \(first defined at line 7\)$/)]);
  });

  it("reports a missing environment variable where it is referenced", () => {
    const errs = errorsOf(VALID.replace("file: a.json", 'file: "${env:STANDBY_TEST_MISSING}"'));
    expect(errs[0]).toMatch(/^standby\.yml:9:26: services\[0\]\.checks\[0\]\.primary\.file: environment variable STANDBY_TEST_MISSING is not set/);
  });

  it("an unset variable is one problem, not echoed by the schema; an empty string says so in words", () => {
    const text = VALID.replace(
      "      - id: app\n",
      '      - id: lag\n        kind: replication-lag\n        engine: postgres\n        primary: "${env:STANDBY_TEST_MISSING_URL}"\n        standby: ""\n      - id: app\n',
    );
    expect(errorsOf(text)).toEqual([
      "standby.yml:10:18: services[0].checks[0].primary: environment variable STANDBY_TEST_MISSING_URL is not set (referenced as ${env:STANDBY_TEST_MISSING_URL})",
      "standby.yml:11:18: services[0].checks[0].standby: expected a non-empty string",
    ]);
  });

  it("a map or list as a key is a YAML error at its place (no stringified key, no warning on stderr)", () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      expect(errorsOf(VALID.replace("version: 1", "version: 1\n{a: 1}: x"))).toEqual(["standby.yml:2:1: YAML: a key must be a plain name, not a map"]);
      expect(errorsOf(VALID.replace("version: 1", "version: 1\n[x]: 1"))).toEqual(["standby.yml:2:1: YAML: a key must be a plain name, not a list"]);
      // A tagged key turns into an object too (yaml would stringify it with a process warning).
      expect(errorsOf(VALID.replace("version: 1", "version: 1\n!!binary eA==: 1"))).toEqual(["standby.yml:2:10: YAML: a key must be a plain name, not a tagged value (!!binary)"]);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it("an alias with no anchor before it, and aliases that expand without bound, are YAML errors (not crashes)", () => {
    expect(errorsOf(VALID.replace("standby: { file: b.json }", "standby: *later\n        x: &later { file: b.json }"))).toEqual([
      "standby.yml:10:18: YAML: alias *later refers to no anchor &later before it",
    ]);
    expect(errorsOf(VALID.replace("standby: { file: b.json }", "standby: &self { file: b.json, again: *self }"))).toEqual([
      "standby.yml:10:47: YAML: alias *self is inside the node it refers to (&self): a cycle",
    ]);
    const laughs = ["version: 1", "a: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`), "services: []", ""].join("\n");
    expect(errorsOf(laughs)).toEqual([expect.stringMatching(/^standby\.yml:1:1: YAML: Excessive alias count/)]);
  });

  it("keys named like Object.prototype members are plain unknown keys", () => {
    const errs = errorsOf(VALID.replace("kind: config-drift", "kind: config-drift\n        constructor: x\n        __proto__: y"));
    expect(errs).toEqual([
      expect.stringMatching(/^standby\.yml:9:9: services\[0\]\.checks\[0\]\.constructor: unknown key 'constructor'/),
      expect.stringMatching(/^standby\.yml:10:9: services\[0\]\.checks\[0\]\.__proto__: unknown key '__proto__'/),
    ]);
  });

  it("suggests the intended key for a misspelt option or top-level key", () => {
    const errs = errorsOf(VALID.replace("standby: { file: b.json }", "standby: { file: b.json }\n        igonre: [x]").replace("version: 1", "version: 1\nobjetives: { rpo: 5m }"));
    expect(errs).toEqual([
      expect.stringMatching(/^standby\.yml:2:1: objetives: unknown key 'objetives' \(did you mean 'objectives'\?\)$/),
      expect.stringMatching(/^standby\.yml:12:9: services\[0\]\.checks\[0\]\.igonre: unknown key 'igonre' \(did you mean 'ignore'\?\)$/),
    ]);
  });

  it("suggests the intended key at every depth, and a misspelt required key is one problem (not also 'required')", () => {
    const text = `version: 1
services:
  - name: orders
    primery: { vars: { a: 1 } }
    standby: { vras: { a: 2 } }
    checks:
      - id: app
        kind: config-drift
        primary: { file: a.json, formt: json }
        standby: { fille: standby.json }
      - id: aws
        kind: config-drift
        primary: { awsConfig: { region: us-east-1, resourceType: "AWS::S3::Bucket", resourceId: a } }
        standby: { awsConfig: { regin: us-west-2, resourceType: "AWS::S3::Bucket", resourceId: b } }
      - id: tls
        kind: tls-certificate
        primary: { hots: a.example.com }
        stanby: { host: b.example.com, prot: 443 }
      - id: dns
        kind: dns-failover
        name: a.example.com
        healthCheck: { intervall: 30s, failureThreshold: 3 }
        standby: { host: b, port: 443 }
`;
    expect(errorsOf(text)).toEqual([
      "standby.yml:4:5: services[0].primery: unknown key 'primery' (did you mean 'primary'?)",
      "standby.yml:5:16: services[0].standby.vras: unknown key 'vras' (did you mean 'vars'?)",
      "standby.yml:9:34: services[0].checks[0].primary.formt: unknown key 'formt' (did you mean 'format'?)",
      "standby.yml:10:20: services[0].checks[0].standby.fille: unknown key 'fille' (did you mean 'file'?)",
      "standby.yml:14:33: services[0].checks[1].standby.awsConfig.regin: unknown key 'regin' (did you mean 'region'?)",
      "standby.yml:17:20: services[0].checks[2].primary.hots: unknown key 'hots' (did you mean 'host'?)",
      "standby.yml:18:9: services[0].checks[2].stanby: unknown key 'stanby' (did you mean 'standby'?)",
      "standby.yml:22:24: services[0].checks[3].healthCheck.intervall: unknown key 'intervall' (did you mean 'interval'?)",
    ]);
    // Through a source union into AWS Config's query, and the object's own complaint that names the meant key.
    const deeper = `version: 1
services:
  - name: orders
    checks:
      - id: rules
        kind: config-drift
        primary: { awsConfig: { region: us-east-1, resourceType: "AWS::S3::Bucket", query: { tg: { key: a, value: b } } } }
        standby: { awsConfig: { region: us-west-2, resourceType: "AWS::S3::Bucket", query: { tag: { key: a, value: b } } } }
        rules:
          - { path: a.b, kind: match, resaon: x }
      - id: jwt
        kind: jwt
        primary: { tokn: abc }
        standby: { jwks: https://a.example.com/jwks }
      - id: cache
        kind: cache-age
        htp: { url: https://a.example.com }
`;
    expect(errorsOf(deeper)).toEqual([
      "standby.yml:7:94: services[0].checks[0].primary.awsConfig.query.tg: unknown key 'tg' (did you mean 'tag'?)",
      "standby.yml:10:39: services[0].checks[0].rules[0].resaon: unknown key 'resaon' (did you mean 'reason'?)",
      "standby.yml:13:20: services[0].checks[1].primary.tokn: unknown key 'tokn' (did you mean 'token'?)",
      "standby.yml:17:9: services[0].checks[2].htp: unknown key 'htp' (did you mean 'http'?)",
    ]);
    // A key that is nothing like any other is still unknown, and what is missing still required.
    expect(errorsOf(VALID.replace("standby: { file: b.json }", "standby: { banana: b.json }"))).toEqual([
      "standby.yml:10:18: services[0].checks[0].standby.file: required: expected string",
      "standby.yml:10:20: services[0].checks[0].standby.banana: unknown key 'banana'",
    ]);
  });

  it("one run lists every problem: schema errors together with duplicate ids, schedules and time zones", () => {
    const text = `version: 1
defaults: { timezone: Mars/Olympus }
services:
  - name: orders
    primary: { vars: {} }
    standby: { vars: {} }
    checks:
      - id: a
        kind: config-drift
        timeout: soon
        schedule: "61 * * * *"
        primary: { file: a.json }
        standby: { file: b.json }
      - id: a
        kind: replication-lag
        engine: postgres
        schedule: "@sometimes"
        timezone: Atlantis/Capital
`;
    expect(errorsOf(text)).toEqual([
      expect.stringMatching(/^standby\.yml:2:23: defaults\.timezone: unknown time zone "Mars\/Olympus"/),
      expect.stringMatching(/^standby\.yml:10:18: services\[0\]\.checks\[0\]\.timeout: expected a duration/),
      expect.stringMatching(/^standby\.yml:11:19: services\[0\]\.checks\[0\]\.schedule: invalid cron expression "61 \* \* \* \*"/),
      // The check's own options are invalid (no standby): its id, schedule and zone are still checked.
      // Neither side is set: one problem for each, in words.
      "standby.yml:14:9: services[0].checks[1].standby: engine postgres reads the standby: set standby to its connection string",
      "standby.yml:14:9: services[0].checks[1].primary: engine postgres compares the standby with the primary: set primary to its connection string",
      expect.stringMatching(/^standby\.yml:14:13: services\[0\]\.checks\[1\]\.id: duplicate check id 'a' \(first defined at line 8\)$/),
      expect.stringMatching(/^standby\.yml:17:19: services\[0\]\.checks\[1\]\.schedule: unknown cron alias "@sometimes"/),
      expect.stringMatching(/^standby\.yml:18:19: services\[0\]\.checks\[1\]\.timezone: unknown time zone "Atlantis\/Capital"/),
    ]);
  });

  it("checks a schedule set in defaults (the built-in default is the only one taken as valid unparsed)", () => {
    const errs = errorsOf(VALID.replace("version: 1", 'version: 1\ndefaults: { schedule: "61 * * * *" }'));
    expect(errs).toEqual([expect.stringMatching(/^standby\.yml:2:23: defaults\.schedule: invalid cron expression "61 \* \* \* \*"/)]);
    expect(load(VALID.replace("version: 1", 'version: 1\ndefaults: { schedule: "*/5 * * * *" }')).checks[0]!.schedule).toBe("*/5 * * * *");
  });

  it("suggests this schema's word for a key other tools name differently (name -> id)", () => {
    const errs = errorsOf(VALID.replace("- id: app", "- name: app"));
    expect(errs).toContainEqual(expect.stringMatching(/^standby\.yml:\d+:\d+: services\[0\]\.checks\[0\]\.name: unknown key 'name' \(did you mean 'id'\?\)$/));
  });

  it("reports a missing required field and a wrong version", () => {
    const errs = errorsOf("version: 2\nservices: []\n");
    expect(errs[0]).toMatch(/^standby\.yml:1:10: version: expected 1, got 2/);
    expect(errs[1]).toMatch(/^standby\.yml:2:11: services: expected at least one service/);
  });

  it("a missing version says what to add and where (a manual's fragment pasted alone lands here)", () => {
    expect(errorsOf(VALID.replace("version: 1\n", ""))).toEqual(["standby.yml:1:1: version: missing: add `version: 1` as the first line (comments may come before it)"]);
    expect(errorsOf(VALID.replace("version: 1\n", "# yaml-language-server: $schema=./standby.schema.json\n\n"))).toEqual([
      "standby.yml:3:1: version: missing: add `version: 1` as the first line (comments may come before it)",
    ]);
  });

  it("reports YAML syntax errors with their position, first cause only", () => {
    const errs = errorsOf("version: 1\nservices:\n  - name: [unclosed\n");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^standby\.yml:\d+:\d+: /);
  });

  it("an indentation mistake is reported at the line that is wrong, compared with its siblings, in words", () => {
    // One space too many after a key with its value: yaml gives up on the line before.
    expect(errorsOf(VALID.replace("        standby: { file: b.json }", "         standby: { file: b.json }"))).toEqual([
      "standby.yml:10:10: YAML: `standby:` is indented one space more than `primary:` on line 9: the keys of one mapping start in the same column",
    ]);
    // Between two open mappings: both are named.
    expect(errorsOf(VALID.replace("    checks:", "   checks:"))).toEqual([
      "standby.yml:6:4: YAML: `checks:` is indented one space less than `standby:` on line 5: the keys of one mapping start in the same column",
    ]);
    expect(errorsOf("version: 1\nservices:\n  - name: a\n    checks:\n      - id: a\n        kind: x\n     primary: {}\n")).toEqual([
      "standby.yml:7:6: YAML: `primary:` is indented one space more than `checks:` on line 4 and 3 spaces less than `kind:` on line 6: the keys of one mapping start in the same column",
    ]);
    expect(errorsOf(VALID + "       - id: b\n")).toEqual([
      "standby.yml:11:8: YAML: `- id:` is indented one space more than `- id:` on line 7: the items of one list start in the same column",
    ]);
    expect(errorsOf("version: 1\n services:\n")).toEqual([
      "standby.yml:2:2: YAML: `services:` is indented one space more than `version:` on line 1: the keys of one mapping start in the same column",
    ]);
  });

  it("tabs, open quotes and brackets, keys set twice and keys without a colon are said in words, where they are", () => {
    expect(errorsOf(VALID.replace("    checks:", "  \tchecks:"))).toEqual(["standby.yml:6:3: YAML: a tab in the indentation: YAML indents with spaces only"]);
    expect(errorsOf(VALID.replace("{ file: a.json }", '{ file: "a.json }'))).toEqual(['standby.yml:9:26: YAML: the " opened here is never closed: end the value with "']);
    expect(errorsOf(VALID.replace("{ file: a.json }", "{ file: a.json"))).toEqual([
      "standby.yml:9:18: YAML: the { opened here is never closed: end it with } (on this line, or on a later line indented more than its key)",
    ]);
    expect(errorsOf(VALID.replace("        standby: { file: b.json }", "        standby: { file: b.json }\n        primary: { file: c.json }"))).toEqual([
      "standby.yml:11:9: YAML: `primary:` is set twice in this mapping (first on line 9): a key may appear once",
    ]);
    expect(errorsOf(VALID.replace("    checks:", "    checks"))).toEqual(["standby.yml:6:5: YAML: `checks` has no ':' after it: a key is written `checks:`"]);
    expect(errorsOf(VALID.replace("kind: config-drift", "kind: config: drift"))).toEqual([
      "standby.yml:8:15: YAML: this value holds ': ', which YAML reads as a nested key: put the value in quotes",
    ]);
  });

  it("explains that ${...} inside a flow mapping needs quotes", () => {
    const errs = errorsOf(VALID.replace("file: a.json", "file: ${env:X}"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^standby\.yml:9:27: .*quote/);
  });

  it("resolves ${env:} and ${file:} and registers the values as secrets", () => {
    writeFileSync(join(dir, "token.txt"), "file-secret-value\n");
    const cfg = load(
      VALID.replace("file: a.json", 'file: "${env:STANDBY_A}"').replace("file: b.json", 'file: "${file:token.txt}.json"'),
      { STANDBY_A: "env-secret-value" },
    );
    const opts = cfg.checks[0]!.options as { primary: { file: string }; standby: { file: string } };
    expect(opts.primary.file).toBe("env-secret-value");
    expect(opts.standby.file).toBe("file-secret-value.json");
    expect(secrets.redact("x env-secret-value y file-secret-value")).toBe("x *** y ***");
  });

  it("never shows a resolved secret in an error message", () => {
    const errs = errorsOf(VALID.replace("checks:\n      - id: app", "checks:\n      - id: app\n        timeout: ${env:CANARY}"), { CANARY: "CANARY-9c1e-secret" });
    expect(errs.join("\n")).not.toContain("CANARY-9c1e-secret");
    expect(errs[0]).toContain("***");
  });
});

// A config-drift side is one of several source shapes (a union): its errors are those of the shape
// it is written in, even when that shape has as many problems as another would.
it("reports the errors of the source shape a side is written in, not of the closest-sized alternative", () => {
  const text = `version: 1
services:
  - name: orders
    primary: { vars: { region: us-east-1 } }
    standby: { vars: { region: us-west-2 } }
    checks:
      - id: tf
        kind: config-drift
        primary: { terraformState: { file: a.tfstate } }
        standby: { terraformState: { s3: { bucket: My_Bucket, key: k, region: us-west-2 }, maxAge: "2 days" } }
      - id: files
        kind: config-drift
        primary: { file: a.json }
        standby: { fille: b.json }
`;
  expect(errorsOf(text)).toEqual([
    "standby.yml:10:52: services[0].checks[0].standby.terraformState.s3.bucket: expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)",
    'standby.yml:10:100: services[0].checks[0].standby.terraformState.maxAge: expected a duration like 90s, 5m, 2h or 14d, got "2 days"',
    "standby.yml:14:20: services[0].checks[1].standby.fille: unknown key 'fille' (did you mean 'file'?)",
  ]);
});
