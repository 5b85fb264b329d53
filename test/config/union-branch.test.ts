// A config-drift side is one of several source shapes (a union). Its errors are those of the
// shape the side is written in, even when that shape has as many problems as another would:
// `terraformState` with a bad bucket and a bad maxAge is not "file: required".
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { loadConfigText } from "../../src/config/load.js";

const dir = mkdtempSync(join(tmpdir(), "standby-config-union-"));

function errorsOf(text: string): string[] {
  try {
    loadConfigText(text, { baseDir: dir, displayName: "standby.yml", env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(formatIssue);
  }
  throw new Error("expected the config to be invalid");
}

it("reports the errors of the source shape the side is written in", () => {
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
