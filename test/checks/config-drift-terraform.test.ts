// config-drift over Terraform states: real v4 state files and `terraform show -json` written by
// the tests, an HTTP backend on node:http, and S3 through the real @aws-sdk/client-s3 against the
// loopback S3 REST server (test/helpers/s3-server.ts).
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { TerraformDriftEvidence } from "../../checks/config-drift/evidence.js";
import { TERRAFORM_RULES, PACKS } from "../../checks/config-drift/rules/index.js";
import type { CheckOutcome, Finding, ServiceInfo } from "../../src/engine/types.js";
import { parseState } from "../../src/probes/terraform-state/index.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { S3Server } from "../helpers/s3-server.js";
import { attr, instance, regionState, resource, showJson, state, USE1, USW2, type V4State } from "../helpers/terraform-state-fixtures.js";

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, suffix: USE1.suffix, account: USE1.account } },
  standby: { vars: { region: USW2.region, suffix: USW2.suffix, account: USW2.account } },
};
const SECRET = "CANARY-tf-7c41-do-not-print";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "standby-tf-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a state (object or raw text) to a new file; returns its name relative to `dir`. */
function write(s: V4State | unknown | string): string {
  const name = `state-${n++}.tfstate`;
  writeFileSync(join(dir, name), typeof s === "string" ? s : JSON.stringify(s, null, 2));
  return name;
}

type Extra = Record<string, unknown>;
async function compare(p: unknown, s: unknown, options: Extra = {}, sides: { primary?: Extra; standby?: Extra } = {}, now?: Date): Promise<CheckOutcome> {
  return runCheck(
    check,
    { primary: { terraformState: { file: write(p), ...sides.primary } }, standby: { terraformState: { file: write(s), ...sides.standby } }, ...options } as never,
    { service: SERVICE, baseDir: dir, ...(now ? { now: () => now } : {}) },
  );
}

const byPath = (out: CheckOutcome): Record<string, Finding> => Object.fromEntries((out.findings ?? []).map((f) => [f.path, f]));
const ev = (out: CheckOutcome) => out.evidence as unknown as TerraformDriftEvidence;

describe("config-drift terraformState: reading states", () => {
  it("passes twin regions whose states differ only in identity, region names and timestamps; data sources are left out", async () => {
    const out = await compare(regionState(USE1), regionState(USW2, { db: { latest_restorable_time: "2026-12-03T07:00:00Z" } }));
    expect(out.summary).toMatch(/^no drift across \d+ compared values in 6 resource instance pairs$/);
    expect(out.status).toBe("pass");
    const e = ev(out);
    expect(e.comparedPairs).toBe(6);
    expect(e.states.primary).toMatchObject({ format: "state-v4", terraformVersion: "1.9.8", lineage: "lineage-use1", serial: 42, instances: 7, selected: 6 });
    expect(e.states.primary.modified?.from).toBe("file mtime");
    expect(e.packs).toEqual(["aws_autoscaling_group", "aws_db_instance", "aws_lambda_function", "aws_lb"]);
    expect(e.sources?.primary).toEqual({ terraformState: { file: expect.stringMatching(/\.tfstate$/) } });
    // tags_all names the region (default_tags): ignored; tags are compared (info).
    expect(JSON.stringify(out.findings)).not.toContain("tags_all");
  });

  it("reads `terraform show -json` on one side and the state file on the other", async () => {
    const out = await compare(showJson(regionState(USE1)), regionState(USW2));
    expect(out.status).toBe("pass");
    expect(ev(out).states.primary).toMatchObject({ format: "show-json", lineage: null, serial: null, selected: 6 });
  });

  it("judges with the Terraform pack: capacity weaker, sizes ordered, tolerance, the AWS Config pack's reasons", async () => {
    const out = await compare(regionState(USE1), regionState(USW2, { asg: { max_size: 8, desired_capacity: 5.5 * 1 + 0 }, db: { instance_class: "db.r6g.medium" } }));
    expect(out.status).toBe("fail");
    const f = byPath(out);
    const max = f['module.app.aws_autoscaling_group.web.max_size']!;
    expect(max).toMatchObject({ change: "weaker", rule: "at-least", primary: 12, standby: 8 });
    expect(max.why).toContain(PACKS["AWS::AutoScaling::AutoScalingGroup"]!.rules.find((r) => r.path === "configuration.maxSize")!.reason);
    // 5.5 of 6 is within the pack's 10% tolerance.
    expect(f["module.app.aws_autoscaling_group.web.desired_capacity"]).toBeUndefined();
    expect(f["aws_db_instance.orders.instance_class"]).toMatchObject({ change: "weaker", rule: "size-order" });
    expect(out.summary).toMatch(/^2 drifts across 6 resource instance pairs: 2 weaker/);
  });

  it("pairs count and for_each instances by key: one side's extra instances are missing or extra", async () => {
    const out = await compare(regionState(USE1, { lambdas: 3 }), regionState(USW2, { lb: { public: {} }, lambdas: 2 }));
    const f = byPath(out);
    expect(f['module.app.aws_lb.edge["internal"]']).toMatchObject({ change: "missing", rule: "pairing", primary: { address: 'module.app.aws_lb.edge["internal"]', type: "aws_lb" } });
    expect(f['module.app.aws_lb.edge["internal"]']!.message).toBe('module.app.aws_lb.edge["internal"] is missing on standby: no aws_lb instance at this address (paired by address after side-var substitution)');
    expect(f["module.app.aws_lambda_function.worker[2]"]).toMatchObject({ change: "missing" });
    const rev = await compare(regionState(USE1, { lambdas: 1 }), regionState(USW2, { lambdas: 2 }));
    expect(byPath(rev)["module.app.aws_lambda_function.worker[1]"]).toMatchObject({ change: "extra", standby: { address: "module.app.aws_lambda_function.worker[1]", type: "aws_lambda_function" } });
  });

  it("substitutes side vars in addresses and for_each keys before pairing", async () => {
    const keyed = (r: typeof USE1) =>
      state([resource("aws_lb", "edge", [instance({ name: `edge-${r.suffix}`, idle_timeout: 60 }, { key: `edge-${r.region}` })], { module: `module.region_${r.suffix}` })], { lineage: r.suffix });
    const out = await compare(keyed(USE1), keyed(USW2));
    expect(out.status).toBe("pass");
    expect(ev(out).comparedPairs).toBe(1);
    const off = await compare(keyed(USE1), keyed(USW2), { substituteVars: false });
    expect(off.summary).toMatch(/1 missing, 1 extra/);
  });

  it("selects by address glob and by type; data sources only when asked", async () => {
    const p = regionState(USE1);
    const s = regionState(USW2, { asg: { max_size: 1 } });
    const lbOnly = await compare(p, s, {}, { primary: { address: "module.app.aws_lb.*" }, standby: { address: "module.app.aws_lb.*" } });
    expect(lbOnly.status).toBe("pass");
    expect(ev(lbOnly).comparedPairs).toBe(2);
    const deep = await compare(p, s, {}, { primary: { address: "module.**", type: "aws_lambda_function" }, standby: { address: "module.**", type: "aws_lambda_function" } });
    expect(ev(deep).resourceTypes).toEqual(["aws_lambda_function"]);
    const one = await compare(p, s, {}, { primary: { address: 'module.app.aws_lb.edge["public"]' }, standby: { address: 'module.app.aws_lb.edge["public"]' } });
    expect(ev(one).comparedPairs).toBe(1);
    const data = await compare(p, s, {}, { primary: { type: "aws_caller_identity", dataSources: true }, standby: { type: "aws_caller_identity", dataSources: true } });
    expect(data.status).toBe("pass"); // account ids differ only by the account side var
    expect(ev(data).comparedPairs).toBe(1);
    const none = await compare(p, s, {}, { primary: { type: "aws_nothing" }, standby: { type: "aws_nothing" } });
    expect(none).toMatchObject({ status: "unknown", reason: "error" });
    expect(none.summary).toContain("no resource matched the selection");
  });

  it("takes the check's own rules over the pack's, and packs: false compares every attribute", async () => {
    const s = regionState(USW2, { asg: { health_check_grace_period: 60 } });
    const def = await compare(regionState(USE1), s);
    expect(byPath(def)["module.app.aws_autoscaling_group.web.health_check_grace_period"]).toMatchObject({ level: "info" });
    const own = await compare(regionState(USE1), s, { rules: [{ path: "health_check_grace_period", kind: "match", reason: "we heal fast" }] });
    expect(byPath(own)["module.app.aws_autoscaling_group.web.health_check_grace_period"]).toMatchObject({ change: "changed", why: "we heal fast" });
  });
});

describe("config-drift terraformState: sensitive values", () => {
  it("compares sensitive attributes by hash only and never shows them", async () => {
    const same = await compare(regionState(USE1, { dbPassword: SECRET, apiToken: SECRET }), regionState(USW2, { dbPassword: SECRET, apiToken: SECRET }));
    expect(same.status).toBe("pass");
    const out = await compare(regionState(USE1, { dbPassword: SECRET, apiToken: SECRET }), regionState(USW2, { dbPassword: "password", apiToken: "true" }));
    expect(out.status).toBe("fail");
    const f = byPath(out);
    expect(f["aws_db_instance.orders.password"]!.message).toMatch(/^aws_db_instance\.orders\.password differs between primary and standby \(.*values hidden\)$/);
    expect(f["aws_db_instance.orders.password"]!.primary).toBe("***");
    const token = Object.values(f).find((x) => x.path?.includes("API_TOKEN"))!;
    expect(token.message).toMatch(/differs between primary and standby \(.*values hidden\)$/);
    const text = JSON.stringify(out);
    for (const v of [SECRET, ':"password"', ':"true"']) expect(text).not.toContain(v);
    expect(text).not.toMatch(/[\uE000-\uE1FF]/);
  });

  it("hides a sensitive value that is a whole block, and one under a key that does not look secret", async () => {
    const mk = (r: typeof USE1, v: unknown) =>
      state([resource("aws_lambda_function", "f", [instance({ function_name: `f-${r.suffix}`, settings: [{ enabled: true, code: v }] }, { sensitive: [[attr("settings")]] })])]);
    const out = await compare(mk(USE1, SECRET), mk(USW2, "other"));
    expect(out.status).toBe("fail");
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("other");
    expect(text).toContain("(sensitive value)");
  });

  it("leaves out deposed objects (create_before_destroy mid-replacement), which share the current instance's address", async () => {
    const withDeposed = (r: typeof USE1, size: number) =>
      state([resource("aws_lb", "x", [instance({ name: `x-${r.suffix}`, idle_timeout: 60 }), { ...instance({ name: `x-${r.suffix}`, idle_timeout: size }), deposed: "00ab12cd" } as never])], { lineage: r.suffix });
    const out = await compare(withDeposed(USE1, 10), withDeposed(USW2, 20));
    expect(out.status).toBe("pass");
    expect(ev(out).comparedPairs).toBe(1);
    const shown = parseState(JSON.stringify({ format_version: "1.0", values: { root_module: { resources: [{ address: "aws_lb.x", mode: "managed", type: "aws_lb", name: "x", values: {} }, { address: "aws_lb.x", mode: "managed", type: "aws_lb", name: "x", deposed_key: "00ab12cd", values: {} }] } } }), "s");
    expect(shown.instances).toHaveLength(1);
  });

  it("an unreadable sensitive_attributes list hides every attribute of the instance (show -json: sensitive_values true)", () => {
    const st = parseState(JSON.stringify(state([resource("aws_lb", "x", [{ ...instance({ a: 1, b: SECRET }), sensitive_attributes: "garbage" as never }])])), "s");
    expect(st.instances[0]!.sensitive).toEqual([["a"], ["b"]]);
  });
});

describe("config-drift terraformState: failures", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["an old state format", JSON.stringify({ version: 3, serial: 1, lineage: "x", modules: [] }), /state format version 3 is not supported: expected version 4 \(Terraform 0\.11 or older\)/],
    ["a newer state format", JSON.stringify({ version: 5, resources: [] }), /state format version 5 is not supported: expected version 4 \(newer/],
    ["a show -json of another format", JSON.stringify({ format_version: "2.0" }), /format_version "2\.0" is not supported: expected 1\.x/],
    ["a plan", JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: [] }), /is the JSON of a plan/],
    ["not a state", JSON.stringify({ hello: "world" }), /not a Terraform state/],
    ["an encrypted OpenTofu state", JSON.stringify({ serial: 3, lineage: "x", meta: { "key_provider.pbkdf2.main": "e30=" }, encrypted_data: "c2VjcmV0", encryption_version: "v0" }), /is encrypted \(OpenTofu state encryption\)/],
    ["broken shapes", JSON.stringify({ version: 4, resources: [{ mode: "managed", type: "aws_lb", name: "x", instances: [{ attributes: "nope" }] }] }), /resources\[0\]\.instances\[0\]\.attributes is not an object/],
    ["an empty file", "", /empty, expected a Terraform state/],
  ];
  for (const [what, text, re] of cases) {
    it(`${what} is unknown/invalid-response naming the reason`, async () => {
      const out = await compare(text, regionState(USW2));
      expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(out.summary).toMatch(/^primary state-\d+\.tfstate: /);
      expect(out.summary).toMatch(re);
    });
  }

  it("a truncated state says so, with line and column, never its content", async () => {
    const full = JSON.stringify(regionState(USE1, { dbPassword: SECRET }), null, 2);
    const out = await compare(full.slice(0, full.indexOf(SECRET) + 10), regionState(USW2));
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/not valid JSON at line \d+, column \d+: .*\(truncated\?\)/);
    expect(out.summary).not.toContain("CANARY");
  });

  it("attributes nested deeper than the stack make that pair unknown, not the scan crash", async () => {
    // Written as text: JSON.stringify itself would overflow on such a value.
    const nested = `${'{"v":'.repeat(20_000)}"leaf"${"}".repeat(20_000)}`;
    const deep = (r: typeof USE1) =>
      JSON.stringify(state([resource("aws_lb", "deep", [instance({ name: `deep-${r.suffix}`, nested: "@NESTED@" })]), resource("aws_lb", "flat", [instance({ name: `flat-${r.suffix}` })])], { lineage: r.suffix })).replace('"@NESTED@"', nested);
    const out = await compare(deep(USE1), deep(USW2));
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toBe("not comparable: aws_lb.deep is nested too deeply to compare");
    expect(ev(out).comparedPairs).toBe(1);
  });

  it("a missing state file is unreadable-input", async () => {
    const out = await runCheck(check, { primary: { terraformState: { file: "nope.tfstate" } }, standby: { terraformState: { file: write(regionState(USW2)) } } } as never, { service: SERVICE, baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "unreadable-input" });
    expect(out.summary).toContain("primary nope.tfstate: no such file");
  });

  it("a state older than maxAge is a warning naming its time source (file mtime)", async () => {
    const now = new Date("2026-12-03T08:00:00Z");
    const p = write(regionState(USE1));
    const s = write(regionState(USW2));
    utimesSync(join(dir, s), new Date("2026-11-30T08:00:00Z"), new Date("2026-11-30T08:00:00Z"));
    // Written before the test's clock (a write time in the future is a warning of its own).
    utimesSync(join(dir, p), new Date("2026-12-03T07:00:00Z"), new Date("2026-12-03T07:00:00Z"));
    const out = await runCheck(check, { primary: { terraformState: { file: p, maxAge: "1d" } }, standby: { terraformState: { file: s, maxAge: "1d" } } } as never, { service: SERVICE, baseDir: dir, now: () => now });
    expect(out.status).toBe("warn");
    const stale = out.findings!.find((f) => f.rule === "state-age")!;
    expect(stale.message).toMatch(/^standby state state-\d+\.tfstate was last written 3d ago \(file mtime 2026-11-30T08:00:00\.000Z\), more than maxAge 1d$/);
    expect(out.findings!.filter((f) => f.rule === "state-age")).toHaveLength(1);
  });

  it("the same state on both sides is a warning (lineage and serial equal)", async () => {
    const st = regionState(USE1, { lineage: "same", serial: 7 });
    const out = await compare(st, st);
    expect(out.findings![0]).toMatchObject({ rule: "same-state", level: "warn" });
    expect(out.findings![0]!.message).toBe("primary and standby read the same state (lineage same, serial 7): check that each side names its own state");
  });

  it("a state lock next to the state does not block reading", async () => {
    const name = write(regionState(USE1));
    writeFileSync(join(dir, ".terraform.tfstate.lock.info"), JSON.stringify({ ID: "lock-1", Operation: "OperationTypeApply", Who: "ci@runner" }));
    const out = await runCheck(check, { primary: { terraformState: { file: name } }, standby: { terraformState: { file: write(regionState(USW2)) } } } as never, { service: SERVICE, baseDir: dir });
    expect(out.status).toBe("pass");
  });
});

describe("config-drift terraformState: options", () => {
  it("needs terraformState on both sides, one location each, and no pairBy", () => {
    const one = parseOptions(check, { primary: { terraformState: { file: "a" } }, standby: { file: "b.json" } });
    expect(one.success).toBe(false);
    expect(JSON.stringify(one.error?.issues)).toContain("expected { terraformState: ... } on both sides or on neither");
    const two = parseOptions(check, { primary: { terraformState: { file: "a", url: "https://x/y" } }, standby: { terraformState: { file: "b" } } });
    expect(JSON.stringify(two.error?.issues)).toContain("expected exactly one of file, url or s3, got file and url");
    const none = parseOptions(check, { primary: { terraformState: { type: "aws_lb" } }, standby: { terraformState: { file: "b" } } });
    expect(JSON.stringify(none.error?.issues)).toContain("expected exactly one of file, url or s3");
    const pb = parseOptions(check, { primary: { terraformState: { file: "a" } }, standby: { terraformState: { file: "b" } }, pairBy: "name" });
    expect(JSON.stringify(pb.error?.issues)).toContain("states pair by address");
    const rules = parseOptions(check, { primary: { terraformState: { file: "a" } }, standby: { terraformState: { file: "b" } }, rules: [{ path: "x", kind: "match" }] });
    expect(rules.success).toBe(true);
  });

  it("has a Terraform pack for each resource the AWS Config packs cover, every reason taken from them", () => {
    expect(Object.keys(TERRAFORM_RULES.packs).sort()).toEqual(["aws_autoscaling_group", "aws_db_instance", "aws_dynamodb_table", "aws_lambda_function", "aws_lb", "aws_rds_cluster", "aws_s3_bucket"]);
    const awsReasons = new Set(Object.values(PACKS).flatMap((p) => p.rules.map((r) => r.reason)));
    for (const pack of Object.values(TERRAFORM_RULES.packs)) {
      expect(JSON.parse(JSON.stringify(pack))).toEqual(pack);
      const shared = pack.rules.filter((r) => awsReasons.has(r.reason));
      // Every rule with a counterpart in AWS Config says the same; the rest are Terraform's own (identity, DNS names).
      expect(shared.length, pack.resourceType).toBeGreaterThan(pack.rules.length / 2);
      for (const r of pack.rules) expect(r.path).not.toMatch(/[A-Z]/); // Terraform's snake_case names
    }
  });
});

// ---- HTTP backend ----

describe("config-drift terraformState: HTTP backend", () => {
  let server: Server;
  let base = "";
  const seen: Array<{ method: string; auth: string }> = [];
  const bodies: Record<string, { status: number; body?: string; lastModified?: string }> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? "", auth: String(req.headers.authorization ?? "") });
      const r = bodies[req.url ?? ""] ?? { status: 404 };
      if (req.headers.authorization !== "Bearer tf-token") return void res.writeHead(401).end();
      res.writeHead(r.status, { "content-type": "application/json", ...(r.lastModified ? { "last-modified": r.lastModified } : {}) });
      res.end(r.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
  });

  // ${env:} in headers is resolved by the config loader; the CLI canary test goes through it.
  let token = "tf-token";
  const run = (p: string, s: string, extra: Extra = {}, now?: Date) =>
    runCheck(
      check,
      { primary: { terraformState: { url: `${base}${p}`, headers: { Authorization: `Bearer ${token}` }, ...extra } }, standby: { terraformState: { url: `${base}${s}`, headers: { Authorization: `Bearer ${token}` }, ...extra } } } as never,
      { service: SERVICE, ...(now ? { now: () => now } : {}) },
    );

  it("GETs the state with the configured headers and never calls the lock endpoints", async () => {
    bodies["/state/use1"] = { status: 200, body: JSON.stringify(regionState(USE1)), lastModified: "Wed, 02 Dec 2026 08:00:00 GMT" };
    bodies["/state/usw2"] = { status: 200, body: JSON.stringify(regionState(USW2)) };
    const out = await run("/state/use1", "/state/usw2", { maxAge: "7d" }, new Date("2026-12-03T08:00:00Z"));
    // The standby's backend sends no Last-Modified: its age cannot be checked, which is said.
    expect(out.status).toBe("warn");
    expect(out.findings!.map((f) => f.message)).toEqual([expect.stringMatching(/^standby state http:\/\/127\.0\.0\.1:\d+\/state\/usw2: its age is unknown/)]);
    expect(ev(out).states.primary.modified).toEqual({ at: "2026-12-02T08:00:00.000Z", from: "HTTP Last-Modified" });
    expect(seen.map((s) => s.method)).toEqual(["GET", "GET"]);
    expect(ev(out).sources?.primary).toEqual({ terraformState: { url: expect.stringMatching(/\/state\/use1$/) } });
  });

  it("a refused token is not-authorized; no state stored is a clear unknown", async () => {
    bodies["/state/use1"] = { status: 200, body: JSON.stringify(regionState(USE1)) };
    token = "wrong";
    const denied = await run("/state/use1", "/state/use1");
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    token = "tf-token";
    const missing = await run("/state/use1", "/state/none");
    expect(missing).toMatchObject({ status: "unknown", reason: "error" });
    expect(missing.summary).toMatch(/standby http:\/\/127\.0\.0\.1:\d+\/state\/none: HTTP 404: no state stored at this address/);
  });
});

// ---- S3 ----

describe("config-drift terraformState: S3 through @aws-sdk/client-s3", () => {
  const s3 = new S3Server();
  const saved: Record<string, string | undefined> = {};
  const ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED"];
  beforeAll(async () => {
    for (const k of ENV) saved[k] = process.env[k];
    process.env.AWS_ACCESS_KEY_ID = "AKIATESTSTANDBYS3001";
    process.env.AWS_SECRET_ACCESS_KEY = "test-secret-s3";
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(dir, "no-config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "no-credentials");
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    await s3.start();
  });
  afterAll(async () => {
    await s3.stop();
    for (const k of ENV) (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k]));
  });
  beforeEach(() => s3.reset());
  afterEach(() => undefined);

  const loc = (r: typeof USE1, extra: Extra = {}) => ({ bucket: `tfstate-${r.suffix}`, key: "orders/terraform.tfstate", region: r.region, endpoint: s3.url, maxAttempts: 3, ...extra });
  const run = (extra: Extra = {}, side: Extra = {}, now?: Date) =>
    runCheck(check, { primary: { terraformState: { s3: loc(USE1, extra), ...side } }, standby: { terraformState: { s3: loc(USW2, extra), ...side } } } as never, { service: SERVICE, ...(now ? { now: () => now } : {}) });
  const putBoth = (when = new Date()) => {
    s3.put("tfstate-use1", USE1.region, "orders/terraform.tfstate", JSON.stringify(regionState(USE1)), when);
    s3.put("tfstate-usw2", USW2.region, "orders/terraform.tfstate", JSON.stringify(regionState(USW2)), when);
  };

  it("reads each side's state with GetObject in its own region, a held .tflock notwithstanding", async () => {
    putBoth();
    s3.put("tfstate-use1", USE1.region, "orders/terraform.tfstate.tflock", JSON.stringify({ ID: "held", Operation: "OperationTypeApply" }));
    const out = await run();
    expect(out.status).toBe("pass");
    expect(s3.requests.map((r) => [r.method, r.bucket, r.key, r.region]).sort()).toEqual([
      ["GET", "tfstate-use1", "orders/terraform.tfstate", "us-east-1"],
      ["GET", "tfstate-usw2", "orders/terraform.tfstate", "us-west-2"],
    ]);
    expect(ev(out).sources?.standby).toEqual({ terraformState: { s3: "s3://tfstate-usw2/orders/terraform.tfstate", region: "us-west-2" } });
  });

  it("maxAge reads S3's LastModified", async () => {
    putBoth(new Date("2026-12-01T08:00:00Z"));
    const out = await run({}, { maxAge: "1d" }, new Date("2026-12-03T08:00:00Z"));
    expect(out.status).toBe("warn");
    expect(out.findings!.map((f) => f.message)).toEqual([
      "primary state s3://tfstate-use1/orders/terraform.tfstate was last written 2d ago (S3 LastModified 2026-12-01T08:00:00.000Z), more than maxAge 1d",
      "standby state s3://tfstate-usw2/orders/terraform.tfstate was last written 2d ago (S3 LastModified 2026-12-01T08:00:00.000Z), more than maxAge 1d",
    ]);
  });

  it("AccessDenied is not-authorized naming the permission", async () => {
    putBoth();
    s3.fault({ kind: "accessDenied", bucket: "tfstate-usw2", times: Infinity });
    const out = await run();
    expect(out).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(out.summary).toContain("standby s3://tfstate-usw2/orders/terraform.tfstate (us-west-2): access denied: missing permission s3:GetObject on arn:aws:s3:::tfstate-usw2/orders/terraform.tfstate");
  });

  it("NoSuchKey is a clear unknown", async () => {
    s3.put("tfstate-use1", USE1.region, "orders/terraform.tfstate", JSON.stringify(regionState(USE1)));
    s3.bucket("tfstate-usw2", USW2.region);
    const out = await run();
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    expect(out.summary).toContain("standby s3://tfstate-usw2/orders/terraform.tfstate (us-west-2): no state object at this key (NoSuchKey)");
  });

  it("SlowDown is retried by the SDK, and unknown once the attempts are spent", async () => {
    putBoth();
    s3.fault({ kind: "slowDown", bucket: "tfstate-use1", times: 1 });
    expect((await run()).status).toBe("pass");
    expect(s3.requests.filter((r) => r.bucket === "tfstate-use1")).toHaveLength(2);
    s3.reset();
    putBoth();
    s3.fault({ kind: "slowDown", bucket: "tfstate-use1", times: Infinity });
    const out = await run({ maxAttempts: 2 });
    expect(out).toMatchObject({ status: "unknown", reason: "throttled" });
    expect(out.summary).toMatch(/primary s3:\/\/tfstate-use1\/orders\/terraform\.tfstate \(us-east-1\): S3 throttled GetObject \(SlowDown\) after 2 attempts/);
  });

  it("a body cut short is unknown, never a partial comparison", async () => {
    putBoth();
    s3.fault({ kind: "truncate", bucket: "tfstate-usw2", times: Infinity });
    const out = await run({ maxAttempts: 1 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/^standby s3:\/\/tfstate-usw2\/orders\/terraform\.tfstate \(us-west-2\): the connection closed before the whole state arrived \(ECONNRESET\): truncated$/);
  });

  it("a connection reset before any answer is unreachable, not a timeout", async () => {
    putBoth();
    s3.fault({ kind: "reset", bucket: "tfstate-use1", times: Infinity });
    const out = await run({ maxAttempts: 1 });
    expect(out.status).toBe("unknown");
    expect(out.reason).toBe("unreachable");
    expect(out.summary).not.toContain("timed out");
  });

  it("a bucket in another region, a missing bucket and a hung endpoint each say what is wrong", async () => {
    putBoth();
    const wrong = await runCheck(check, { primary: { terraformState: { s3: loc(USE1, { region: "eu-west-1" }) } }, standby: { terraformState: { s3: loc(USW2) } } } as never, { service: SERVICE });
    expect(wrong).toMatchObject({ status: "unknown", reason: "error" });
    expect(wrong.summary).toContain("the bucket is not in eu-west-1 (AuthorizationHeaderMalformed)");
    const nob = await runCheck(check, { primary: { terraformState: { s3: loc(USE1, { bucket: "no-such-bucket" }) } }, standby: { terraformState: { s3: loc(USW2) } } } as never, { service: SERVICE });
    expect(nob.summary).toContain("the bucket does not exist (NoSuchBucket)");
    s3.fault({ kind: "hang", bucket: "tfstate-usw2", times: Infinity });
    const hung = await run({ maxAttempts: 1, requestTimeout: "300ms" });
    expect(hung).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(hung.summary).toContain("standby s3://tfstate-usw2/orders/terraform.tfstate (us-west-2): GetObject timed out after 300ms");
  });
});
