// Behaviour of the config-drift kind through the one tester: real files in a temp dir and a
// real node:http server on 127.0.0.1 for URL sources.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { ServiceInfo } from "../../src/engine/types.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { optionProblems } from "../helpers/option-problems.js";

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: "us-east-1", account: "111111111111", suffix: "use1" } },
  standby: { vars: { region: "us-west-2", account: "222222222222", suffix: "usw2" } },
};
const NO_VARS: ServiceInfo = { name: "plain", primary: { vars: {} }, standby: { vars: {} } };
const TOKEN = "Bearer TOKEN-CANARY-9d1e";

let dir: string;
let server: Server;
let base: string;
let refusedUrl: string;

function write(name: string, doc: unknown): string {
  writeFileSync(join(dir, name), typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
  return name;
}

/** Runs the check on two in-memory documents written as files. */
async function drift(primary: unknown, standby: unknown, options: Record<string, unknown> = {}, service = SERVICE) {
  const n = Math.random().toString(36).slice(2);
  return runCheck(
    check,
    { primary: { file: write(`p-${n}.json`, primary) }, standby: { file: write(`s-${n}.json`, standby) }, ...options },
    { baseDir: dir, service },
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "standby-drift-"));
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case "/primary":
        return json(200, { spec: { replicas: 3, image: "orders:1.4.2", region: "us-east-1" } });
      case "/standby":
        return json(200, { spec: { replicas: 3, image: "orders:1.4.2", region: "us-west-2" } });
      case "/standby-auth":
        if (req.headers.authorization !== TOKEN) return json(401, { error: "unauthorized" });
        return json(200, { spec: { replicas: 2, image: "orders:1.4.2", region: "us-west-2" } });
      case "/slow": {
        const t = setTimeout(() => json(200, {}), 5000);
        res.on("close", () => clearTimeout(t));
        return;
      }
      case "/error":
        res.writeHead(500, { "content-type": "text/html" });
        return res.end(`<html>boom ${req.headers.authorization ?? ""}</html>`);
      case "/html":
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end("<html>not json</html>");
      default:
        return json(404, { error: "not found" });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there, so connecting is refused.
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, "127.0.0.1", r));
  refusedUrl = `http://127.0.0.1:${(tmp.address() as AddressInfo).port}/config`;
  await new Promise<void>((r) => tmp.close(() => r()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const APP = {
  name: "orders",
  capacity: { minSize: 2, maxSize: 10, desired: 4 },
  listeners: [
    { port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc" },
    { port: 80, protocol: "HTTP" },
  ],
  metadata: { generatedAt: "2026-11-25T02:00:00Z" },
};

describe("config-drift: comparison", () => {
  it("passes identical documents and counts the compared values", async () => {
    const out = await drift(APP, structuredClone(APP), {}, NO_VARS);
    expect(out.status).toBe("pass");
    expect(out.summary).toBe("no drift across 10 compared values");
    expect(out.findings).toEqual([]);
    expect(out.evidence).toEqual({ compared: 10, primaryValues: 10, standbyValues: 10, changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0, substitutedVars: [], sources: expect.any(Object) });
  });

  it("counts every drift in the summary and the evidence when more than MAX_FINDINGS are kept", async () => {
    const wide = (v: number) => Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${String(i).padStart(3, "0")}`, v]));
    const out = await drift(wide(1), wide(2), {}, NO_VARS);
    expect(out.status).toBe("fail");
    expect(out.summary).toBe("250 drifts: 250 changed");
    expect(out.findings).toHaveLength(200);
    expect(out.evidence).toMatchObject({ compared: 250, changed: 250, findingsShown: 200 });
  });

  it("substitutes side vars so the region/account/suffix twin of an ARN is not drift", async () => {
    const out = await drift(
      { db: "arn:aws:rds:us-east-1:111111111111:db:orders-use1", region: "us-east-1" },
      { db: "arn:aws:rds:us-west-2:222222222222:db:orders-usw2", region: "us-west-2" },
    );
    expect(out.status).toBe("pass");
    expect(out.evidence?.substitutedVars).toEqual(["account", "region", "suffix"]);
  });

  it("still finds a real difference inside a substituted string, showing the original values", async () => {
    const out = await drift(
      { db: "arn:aws:rds:us-east-1:111111111111:db:orders-use1" },
      { db: "arn:aws:rds:us-west-2:222222222222:db:orders-v2-usw2" },
    );
    expect(out.status).toBe("fail");
    expect(out.summary).toBe("1 drift: 1 changed");
    expect(out.findings![0]).toMatchObject({
      path: "db",
      change: "changed",
      primary: "arn:aws:rds:us-east-1:111111111111:db:orders-use1",
      standby: "arn:aws:rds:us-west-2:222222222222:db:orders-v2-usw2",
    });
  });

  it("does not substitute when substituteVars is false", async () => {
    const out = await drift({ region: "us-east-1" }, { region: "us-west-2" }, { substituteVars: false });
    expect(out.status).toBe("fail");
    expect(out.findings![0]!.message).toBe("region changed: us-east-1 on primary, us-west-2 on standby");
  });

  it("ignores paths by exact path, `*` (one segment) and `**` (any depth)", async () => {
    const p = { metadata: { generatedAt: "a" }, a: { x: { etag: "1", v: 1 } }, deep: { b: { c: { lastModified: "t1" } } }, lastModified: "t1" };
    const s = { metadata: { generatedAt: "b" }, a: { x: { etag: "2", v: 1 } }, deep: { b: { c: { lastModified: "t2" } } }, lastModified: "t2" };
    const out = await drift(p, s, { ignore: ["metadata.generatedAt", "a.*.etag", "**.lastModified"] });
    expect(out.status).toBe("pass");

    // `*` is exactly one segment: it does not reach two levels down.
    const shallow = await drift(p, s, { ignore: ["metadata.generatedAt", "*.etag", "**.lastModified"] });
    expect(shallow.findings!.map((f) => f.path)).toEqual(["a.x.etag"]);
  });

  it("matches arrays by key: reordering is not drift", async () => {
    const reordered = { ...APP, listeners: [...APP.listeners].reverse() };
    const out = await drift(APP, reordered, { keys: { listeners: "port" }, ignore: ["metadata"] }, NO_VARS);
    expect(out.status).toBe("pass");
    // Without keys, the same reordering is positional drift.
    const positional = await drift(APP, reordered, { ignore: ["metadata"] }, NO_VARS);
    expect(positional.status).toBe("fail");
    expect(positional.findings!.some((f) => f.path === "listeners[0].port")).toBe(true);
  });

  it("reports keyed items as changed, missing (primary only) and extra (standby only)", async () => {
    const standby = {
      ...APP,
      listeners: [
        { port: 8080, protocol: "HTTP" },
        { port: 443, protocol: "HTTP", certificateArn: "arn:aws:acm:us-west-2:222222222222:certificate/abc" },
      ],
    };
    const out = await drift(APP, standby, { keys: { listeners: "port" }, ignore: ["metadata"] });
    expect(out.status).toBe("fail");
    expect(out.summary).toBe("3 drifts: 1 changed, 1 missing, 1 extra");
    const byPath = Object.fromEntries(out.findings!.map((f) => [f.path, f]));
    expect(byPath["listeners[port=443].protocol"]).toMatchObject({
      change: "changed",
      primary: "HTTPS",
      standby: "HTTP",
      message: "listeners[port=443].protocol changed: HTTPS on primary, HTTP on standby",
    });
    expect(byPath["listeners[port=80]"]).toMatchObject({ change: "missing", primary: { port: 80, protocol: "HTTP" } });
    expect(byPath["listeners[port=80]"]!.standby).toBeUndefined();
    expect(byPath["listeners[port=8080]"]).toMatchObject({ change: "extra", standby: { port: 8080, protocol: "HTTP" } });
  });

  it("records where each finding sits in each side's document (`at`): keyed items as their array index, the pointer first", async () => {
    const standby = {
      ...APP,
      listeners: [
        { port: 8080, protocol: "HTTP" },
        { port: 443, protocol: "HTTP", certificateArn: "arn:aws:acm:us-west-2:222222222222:certificate/abc" },
      ],
    };
    const out = await drift(APP, standby, { keys: { listeners: "port" }, ignore: ["metadata"] });
    const at = Object.fromEntries(out.findings!.map((f) => [f.path, f.at]));
    // Primary index 0, standby index 1: the same keyed item in different places.
    expect(at["listeners[port=443].protocol"]).toEqual({ primary: ["listeners", 0, "protocol"], standby: ["listeners", 1, "protocol"] });
    expect(at["listeners[port=80]"]).toEqual({ primary: ["listeners", 1] });
    expect(at["listeners[port=8080]"]).toEqual({ standby: ["listeners", 0] });

    const nested = await drift({ spec: { app: { replicas: 3 } } }, { spec: { app: { replicas: 2 } } }, {}, NO_VARS);
    expect(nested.findings![0]!.at).toEqual({ primary: ["spec", "app", "replicas"], standby: ["spec", "app", "replicas"] });
    const p = write("ptr-p.json", { spec: [{ app: { replicas: 3 } }] });
    const s = write("ptr-s.json", { other: 1, spec: [{ app: { replicas: 2 } }] });
    const viaPointer = await runCheck(check, { primary: { file: p, pointer: "/spec/0" }, standby: { file: s, pointer: "/spec/0" } }, { baseDir: dir, service: NO_VARS });
    expect(viaPointer.findings![0]).toMatchObject({ path: "app.replicas", at: { primary: ["spec", "0", "app", "replicas"], standby: ["spec", "0", "app", "replicas"] } });
  });

  it("supports globs in keys paths (nested arrays)", async () => {
    const p = { rules: [{ name: "a", conditions: [{ field: "host", value: "x" }, { field: "path", value: "/" }] }] };
    const s = { rules: [{ name: "a", conditions: [{ field: "path", value: "/api" }, { field: "host", value: "x" }] }] };
    const out = await drift(p, s, { keys: { rules: "name", "rules.conditions": "field" } });
    expect(out.findings!.map((f) => f.path)).toEqual(["rules[name=a].conditions[field=path].value"]);
  });

  it("atLeast: lower on the standby is weaker, higher is fine", async () => {
    const lower = await drift({ capacity: { maxSize: 10 } }, { capacity: { maxSize: 6 } }, { atLeast: ["capacity.maxSize"] });
    expect(lower.status).toBe("fail");
    expect(lower.summary).toBe("1 drift: 1 weaker");
    expect(lower.findings![0]).toMatchObject({ path: "capacity.maxSize", change: "weaker", primary: 10, standby: 6 });

    const higher = await drift({ capacity: { maxSize: 10 } }, { capacity: { maxSize: 20 } }, { atLeast: ["capacity.maxSize"] });
    expect(higher.status).toBe("pass");
  });

  it("atLeast with tolerance: within tolerance passes, beyond it is weaker", async () => {
    const opts = { atLeast: ["capacity.*"], tolerance: { "capacity.desired": "15%" } };
    const within = await drift({ capacity: { desired: 20 } }, { capacity: { desired: 17 } }, opts);
    expect(within.status).toBe("pass");
    expect(within.evidence?.accepted).toBe(1);
    const beyond = await drift({ capacity: { desired: 20 } }, { capacity: { desired: 16 } }, opts);
    expect(beyond.status).toBe("fail");
    expect(beyond.findings![0]).toMatchObject({ change: "weaker", path: "capacity.desired" });
  });

  it("tolerance alone accepts small differences either way", async () => {
    const opts = { tolerance: { "pool.size": 2 } };
    expect((await drift({ pool: { size: 10 } }, { pool: { size: 12 } }, opts)).status).toBe("pass");
    const out = await drift({ pool: { size: 10 } }, { pool: { size: 13 } }, opts);
    expect(out.findings![0]).toMatchObject({ change: "changed", path: "pool.size", rule: "tolerance", why: "differs by more than the tolerance of 2" });
  });

  it("redacts values of secret-looking keys everywhere in the outcome", async () => {
    const canary = "CANARY-s3cr3t-4b1d";
    const out = await drift(
      { db: { host: "db1", password: canary }, auth: { apiKey: canary, user: "svc" }, clientSecret: canary },
      { db: { host: "db1", password: `${canary}-rotated` }, clientSecret: "other" },
    );
    expect(out.status).toBe("fail");
    const json = JSON.stringify(out);
    expect(json).not.toContain(canary);
    const pw = out.findings!.find((f) => f.path === "db.password")!;
    expect(pw).toMatchObject({ change: "changed", primary: "***", standby: "***" });
    expect(pw.message).toBe("db.password differs between primary and standby (secret, values hidden)");
    expect(out.findings!.find((f) => f.path === "auth")).toMatchObject({ change: "missing", primary: { apiKey: "***", user: "svc" } });
  });

  it("selects a sub-document with a JSON pointer and reads YAML by extension", async () => {
    write("p-ptr.yaml", "kind: Deployment\nspec:\n  replicas: 3\n  image: orders:1\n");
    write("s-ptr.json", { wrapper: { spec: { replicas: 3, image: "orders:1" } } });
    const out = await runCheck(
      check,
      { primary: { file: "p-ptr.yaml", pointer: "/spec" }, standby: { file: "s-ptr.json", pointer: "/wrapper/spec" } },
      { baseDir: dir },
    );
    expect(out.status).toBe("pass");
    const missing = await runCheck(check, { primary: { file: "p-ptr.yaml", pointer: "/nope" }, standby: { file: "s-ptr.json" } }, { baseDir: dir });
    expect(missing).toMatchObject({ status: "unknown", reason: "invalid-response" });
  });
});

describe("config-drift: HTTP sources", () => {
  it("reads both sides over HTTP, with substitution", async () => {
    const out = await runCheck(check, { primary: { url: `${base}/primary` }, standby: { url: `${base}/standby` } }, { service: SERVICE });
    expect(out.status).toBe("pass");
  });

  it("sends headers (auth) and never echoes their values", async () => {
    const out = await runCheck(
      check,
      { primary: { url: `${base}/primary` }, standby: { url: `${base}/standby-auth`, headers: { Authorization: TOKEN } } },
      { service: SERVICE },
    );
    expect(out.status).toBe("fail");
    expect(out.findings).toEqual([
      expect.objectContaining({ path: "spec.replicas", change: "changed", primary: 3, standby: 2 }),
    ]);
    // Wrong token: 401 is not-authorized, and the header value is nowhere in the outcome.
    const denied = await runCheck(
      check,
      { primary: { url: `${base}/primary` }, standby: { url: `${base}/standby-auth`, headers: { Authorization: "Bearer WRONG-CANARY-77" } } },
      { service: SERVICE },
    );
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
    expect(JSON.stringify(denied)).not.toContain("WRONG-CANARY-77");
  });

  it("a slow server is unknown/timeout", async () => {
    const started = Date.now();
    const out = await runCheck(check, { primary: { url: `${base}/slow` }, standby: { url: `${base}/standby` } }, { timeoutMs: 300 });
    expect(out).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("HTTP 500 is unknown/invalid-response naming status and content-type, not the body of an authenticated request", async () => {
    const out = await runCheck(check, {
      primary: { url: `${base}/error`, headers: { Authorization: TOKEN } },
      standby: { url: `${base}/standby` },
    });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toContain("HTTP 500");
    expect(out.summary).toContain("text/html");
    expect(JSON.stringify(out)).not.toContain("TOKEN-CANARY");
  });

  it("a non-JSON body is unknown/invalid-response", async () => {
    const out = await runCheck(check, { primary: { url: `${base}/primary` }, standby: { url: `${base}/html` } });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/standby.*expected JSON.*text\/html.*HTTP 200/);
  });

  it("connection refused is unknown/unreachable, naming the side, the URL and the cause", async () => {
    const out = await runCheck(check, { primary: { url: `${base}/primary` }, standby: { url: refusedUrl } });
    expect(out).toMatchObject({ status: "unknown", reason: "unreachable", summary: `standby ${refusedUrl}: connection refused (ECONNREFUSED)` });
    // Not compared: the evidence says so instead of counting 0 drifts, and names both sources.
    expect(out.evidence).toEqual({ compared: null, sources: { primary: { url: `${base}/primary` }, standby: { url: refusedUrl } } });
  });

  it("both sides unreadable: primary first, both named", async () => {
    const out = await runCheck(check, { primary: { url: refusedUrl }, standby: { file: "nowhere.json" } }, { baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(out.summary).toBe(`primary ${refusedUrl}: connection refused (ECONNREFUSED); standby nowhere.json: no such file (ENOENT)`);
  });

  it("a URL is named by origin and path, never its query string", async () => {
    const out = await runCheck(check, { primary: { url: `${base}/primary` }, standby: { url: `${refusedUrl}?token=QUERY-CANARY` } });
    expect(out.summary).toBe(`standby ${refusedUrl}: connection refused (ECONNREFUSED)`);
    expect(out.evidence).toMatchObject({ sources: { standby: { url: refusedUrl } } });
    expect(JSON.stringify(out)).not.toContain("QUERY-CANARY");
  });

  it("the evidence names a URL source without its userinfo, and keeps the pointer", async () => {
    const withUser = refusedUrl.replace("http://", "http://reader:PASS-CANARY@");
    const out = await runCheck(check, { primary: { url: `${base}/primary`, pointer: "/spec" }, standby: { url: `${withUser}?sig=Q-CANARY` } });
    expect(out.evidence).toMatchObject({ sources: { primary: { url: `${base}/primary`, pointer: "/spec" }, standby: { url: refusedUrl } } });
    expect(JSON.stringify(out)).not.toMatch(/PASS-CANARY|Q-CANARY|reader/);
  });
});

describe("config-drift: unreadable files", () => {
  it("a missing file is unknown/unreadable-input, naming the side, the path as written and the cause", async () => {
    write("present.json", {});
    const out = await runCheck(check, { primary: { file: "present.json" }, standby: { file: "configs/standby/app.json" } }, { baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "standby configs/standby/app.json: no such file (ENOENT)" });
    expect(out.evidence).toEqual({
      compared: null,
      sources: { primary: { file: "present.json", format: "json" }, standby: { file: "configs/standby/app.json", format: "json" } },
    });
  });

  it.skipIf(process.getuid?.() === 0)("a file it may not read is unknown/unreadable-input: permission denied", async () => {
    write("locked.json", {});
    chmodSync(join(dir, "locked.json"), 0o000);
    const out = await runCheck(check, { primary: { file: "locked.json" }, standby: { file: "present.json" } }, { baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "primary locked.json: permission denied (EACCES)" });
  });

  it("invalid JSON is unknown/invalid-response with a position but not the content", async () => {
    write("bad.json", '{\n  "password": hunter2-CANARY\n}');
    write("ok.json", {});
    const out = await runCheck(check, { primary: { file: "ok.json" }, standby: { file: "bad.json" } }, { baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toBe("standby bad.json:2:15: not valid JSON: expected a value, found a bare word (JSON strings need double quotes; true, false and null are lower case)");
    expect(JSON.stringify(out)).not.toContain("CANARY");
  });

  it("invalid YAML is unknown/invalid-response with line and column", async () => {
    write("bad.yaml", "a: 1\n b: [unclosed-CANARY\n");
    write("ok.yaml", "a: 1\n");
    const out = await runCheck(check, { primary: { file: "bad.yaml" }, standby: { file: "ok.yaml" } }, { baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/^primary bad\.yaml:\d+:\d+: not valid YAML \([A-Z_]+\)$/);
    expect(JSON.stringify(out)).not.toContain("CANARY");
  });
});

describe("config-drift: documents nested absurdly deep", () => {
  const nested = (depth: number, leaf: unknown): unknown => {
    let doc: unknown = leaf;
    for (let i = 1; i < depth; i++) doc = i % 2 ? { a: doc } : [doc];
    return doc;
  };

  it("20,000 levels: unknown/invalid-response saying so, not a stack overflow crash", async () => {
    const out = await drift(`${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`, { a: 1 });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/^primary p-\w+\.json nests deeper than 200 levels: not compared/);
  });

  it("200 levels is still compared, and the drift at the bottom is found", async () => {
    const out = await drift(nested(200, 1), nested(200, 2), {}, NO_VARS);
    expect(out.status, out.summary).toBe("fail");
    expect(out.findings).toHaveLength(1);
    expect(out.findings![0]).toMatchObject({ change: "changed", primary: 1, standby: 2 });
  });
});

describe("config-drift: options", () => {
  it("accepts the DESIGN.md example and applies defaults", () => {
    const r = parseOptions(check, {
      primary: { file: "configs/primary/app.json" },
      standby: { url: "https://config.example/app", headers: { Authorization: "x" }, pointer: "/app" },
      ignore: ["metadata.generatedAt", "**.lastModified"],
      keys: { listeners: "port", tags: "Key" },
      atLeast: ["capacity.maxSize"],
      tolerance: { "capacity.desired": "15%" },
    });
    expect(r.success).toBe(true);
    expect(r.data?.substituteVars).toBe(true);
  });

  it("names the path and the problem of each invalid option", () => {
    const problems = (o: Record<string, unknown>) => optionProblems("config-drift", { primary: { file: "a" }, standby: { file: "b" }, ...o });
    expect(problems({ primary: { file: "a", url: "http://x" } })).toEqual(["primary.url: unknown key 'url'"]);
    expect(problems({ primary: { url: "ftp://x" } })).toEqual(["primary.url: expected an http:// or https:// URL"]);
    expect(problems({ standby: { file: "b", pointer: "spec" } })).toEqual(["standby.pointer: expected a JSON pointer like /spec/listeners (or empty for the whole document)"]);
    expect(problems({ tolerance: { x: "15" } })).toEqual(["tolerance.x: expected a percentage like 15% or a number"]);
    expect(problems({ ignored: [] })).toEqual(["ignored: unknown key 'ignored' (did you mean 'ignore'?)"]);
    expect(problems({ pairBy: "name" })).toEqual(["pairBy: pairBy applies to awsConfig sources only"]);
    expect(problems({ standby: { awsConfig: { region: "us-west-2", resourceType: "AWS::S3::Bucket", resourceId: "b" } } })).toEqual([
      "primary: expected { awsConfig: ... } on both sides or on neither",
    ]);
  });
});
