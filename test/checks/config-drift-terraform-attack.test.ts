// Attacks on the terraformState source: one-sided sensitivity, hostile shapes and keys, globs,
// index keys of the wrong type, truncated HTTP bodies. Real state files on disk, real check.
import { mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/config-drift/index.js";
import type { CheckOutcome, ServiceInfo } from "../../src/engine/types.js";
import { runCheck } from "../helpers/check-tester.js";
import { S3Server } from "../helpers/s3-server.js";
import { attr, index, instance, resource, state, USE1, USW2 } from "../helpers/terraform-state-fixtures.js";

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: USE1.region, suffix: USE1.suffix, account: USE1.account } },
  standby: { vars: { region: USW2.region, suffix: USW2.suffix, account: USW2.account } },
};
const SECRET = "CANARY-tf-attack-do-not-print";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "standby-tf-attack-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(s: unknown): string {
  const name = `state-${n++}.tfstate`;
  writeFileSync(join(dir, name), typeof s === "string" ? s : JSON.stringify(s));
  return name;
}
type Extra = Record<string, unknown>;
function compare(p: unknown, s: unknown, options: Extra = {}, sides: { primary?: Extra; standby?: Extra } = {}): Promise<CheckOutcome> {
  return runCheck(check, { primary: { terraformState: { file: write(p), ...sides.primary } }, standby: { terraformState: { file: write(s), ...sides.standby } }, ...options } as never, { service: SERVICE, baseDir: dir });
}
/** A sensitive value under a name that does not look secret (the diff's own name heuristic does not hide it). */
const db = (value: unknown, sensitive: boolean, lineage: string) =>
  state([resource("aws_db_instance", "orders", [instance({ identifier: "orders", port: 5432, init_script: value }, { sensitive: sensitive ? [[attr("init_script")]] : [] })])], { lineage });

describe("terraformState attacks: sensitive values", () => {
  it("a value one side marks sensitive is hidden on the other side too", async () => {
    for (const [p, s] of [[true, false], [false, true]] as const) {
      const out = await compare(db(p ? "hunter2-primary" : SECRET, p, "a"), db(s ? "hunter2-standby" : SECRET, s, "b"));
      expect(out.status).toBe("fail");
      expect(JSON.stringify(out)).not.toContain(SECRET);
    }
  });
});

describe("terraformState attacks: sensitive values equal to ordinary words", () => {
  const inst = (v: Record<string, unknown>, lineage: string) =>
    state([resource("aws_db_instance", "orders", [instance({ identifier: "orders", ...v }, { sensitive: [[attr("port")], [attr("multi_az")], [attr("username")], [attr("backup_retention_period")]] })])], { lineage });
  it("a sensitive true, 5432 or orders is shown as neither value in any finding", async () => {
    const out = await compare(inst({ port: 5432, multi_az: true, username: "orders", backup_retention_period: 7 }, "a"), inst({ port: 5433, multi_az: false, username: "shop", backup_retention_period: 1 }, "b"));
    expect(out.status).toBe("fail");
    const findings = out.findings!.filter((f) => f.rule !== "same-state");
    expect(findings.map((f) => f.path).sort()).toEqual(["aws_db_instance.orders.backup_retention_period", "aws_db_instance.orders.multi_az", "aws_db_instance.orders.port", "aws_db_instance.orders.username"]);
    for (const f of findings) {
      const text = JSON.stringify({ ...f, path: undefined, message: f.message.replace(f.path!, "") });
      for (const v of ["5432", "5433", "true", "false", "shop", '"7"', ":7", ":1", " 7", " 1"]) expect(text, `${f.path} ${text}`).not.toContain(v);
      expect(text).not.toMatch(/orders(?!\.)/);
    }
  });

  it("show -json sensitive_values with nested bools hides exactly the true leaves, on both sides", async () => {
    const show = (token: string, queue: string) => ({
      format_version: "1.0",
      values: { root_module: { resources: [{ address: "aws_lambda_function.f", mode: "managed", type: "aws_lambda_function", name: "f", values: { environment: [{ variables: { API_TOKEN: token, QUEUE: queue } }] }, sensitive_values: { environment: [{ variables: { API_TOKEN: true, QUEUE: false } }] } }] } },
    });
    const out = await compare(show(SECRET, "q1"), show("other", "q2"));
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("q1");
  });

  it("sensitive paths into lists and maps, of the wrong shape, or at paths that do not exist never print the value", async () => {
    const paths = [
      [attr("settings"), index(0), attr("code")],
      [attr("settings"), attr("code")], // a name on a list: the whole list is hidden
      [attr("env"), index(3)], // an index on a map
      [attr("absent"), attr("deeper")],
      [attr("tags"), index("Secret")],
    ];
    const mk = (v: string, lineage: string) =>
      state([resource("aws_lambda_function", "f", [instance({ function_name: "f", settings: [{ code: v }], env: { "3": v }, tags: { Secret: v } }, { sensitive: paths })])], { lineage });
    const out = await compare(mk(SECRET, "a"), mk("different", "b"));
    expect(out.status).toBe("fail");
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });
});

describe("terraformState attacks: pairing", () => {
  const keyed = (key: string | number, lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "edge", idle_timeout: 60 }, { key })])], { lineage });
  it('index_key "0" and 0 never pair', async () => {
    const out = await compare(keyed(0, "a"), keyed("0", "b"));
    expect(out.status).toBe("fail");
    expect(out.summary).toMatch(/1 missing, 1 extra/);
  });

  it("for_each keys with dots, brackets, quotes and unicode pair by key and are matched by globs", async () => {
    for (const key of ['a.b', 'x["y"]', 'q"uo\\te', "zürich-🚀", "__proto__", "constructor"]) {
      const out = await compare(keyed(key, "a"), keyed(key, "b"), {}, { primary: { address: "aws_lb.edge[*]" }, standby: { address: "aws_lb.edge[*]" } });
      expect(out.status, key).toBe("pass");
      expect((out.evidence as { comparedPairs: number }).comparedPairs, key).toBe(1);
    }
    const mod = (lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "edge" })], { module: 'module.app["eu.west"]' })], { lineage });
    const out = await compare(mod("a"), mod("b"), {}, { primary: { address: "module.app[*].aws_lb.*" }, standby: { address: "module.*.aws_lb.edge" } });
    expect(out.status).toBe("pass");
  });

  it("a glob of many stars is matched in linear time (a backtracking regex would block the event loop)", async () => {
    const s = (lineage: string) => state([resource("aws_lambda_function", "worker_function_with_a_long_name_0123456789", [instance({ name: "x" }, { key: "key-with-some-length-abcdefghij" })], { module: "module.app" })], { lineage });
    const glob = `${"*".repeat(40)}q`;
    const out = await compare(s("a"), s("b"), {}, { primary: { address: glob }, standby: { address: glob } });
    expect(out).toMatchObject({ status: "unknown", reason: "error" });
    const hit = await compare(s("a"), s("b"), {}, { primary: { address: `*.${"*".repeat(7)}.*.*["*"]` }, standby: { address: "**" } });
    expect(hit.status).toBe("pass");
  });

  it("glob metacharacters are literal", async () => {
    const s = (lineage: string) => state([resource("aws_lb", "a+b", [instance({ name: "x" })]), resource("aws_lb", "aab", [instance({ name: "y" })])], { lineage });
    const out = await compare(s("a"), s("b"), {}, { primary: { address: "aws_lb.a+b" }, standby: { address: "aws_lb.a+b" } });
    expect((out.evidence as { comparedPairs: number }).comparedPairs).toBe(1);
    const re = await compare(s("a"), s("b"), {}, { primary: { address: "aws_lb.(a|x)+b" }, standby: { address: "aws_lb.(a|x)+b" } });
    expect(re.status).toBe("unknown");
  });

  it("a glob that selects nothing on one side is never a pass", async () => {
    const s = (lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "x" })])], { lineage });
    for (const sides of [{ primary: { address: "aws_lb.edgee" } }, { standby: { address: "aws_lb.edgee" } }]) {
      const out = await compare(s("a"), s("b"), {}, sides);
      expect(out.status).not.toBe("pass");
      expect(out.status).toBe("fail");
      expect(out.findings!.map((f) => f.message).join("\n")).toMatch(/state-\d+\.tfstate: the selection \(address aws_lb.edgee\) matched none of its 1 resource instances/);
    }
  });

  it("resources in modules with count pair by module and index", async () => {
    const s = (lineage: string, n: number) => state([resource("aws_lb", "edge", Array.from({ length: n }, (_, i) => instance({ name: "x", i }, { key: i })), { module: "module.app[1]" })], { lineage });
    const out = await compare(s("a", 2), s("b", 1));
    expect(out.summary).toMatch(/1 missing/);
    expect(out.findings!.map((f) => f.path)).toContain("module.app[1].aws_lb.edge[1]");
  });
});

describe("terraformState attacks: malformed states", () => {
  const ok = (lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "x" })])], { lineage });
  it('version "4" as a string is refused naming the type', async () => {
    const out = await compare({ ...ok("a"), version: "4" }, ok("b"));
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/version "4".*string/);
  });

  it("serial and lineage of the wrong type are refused: Terraform never writes them", async () => {
    for (const patch of [{ serial: "5" }, { lineage: 7 }, { serial: -1 }, { serial: 1.5 }]) {
      const out = await compare({ ...ok("a"), ...patch }, ok("b"));
      expect(out, JSON.stringify(patch)).toMatchObject({ status: "unknown", reason: "invalid-response" });
    }
  });

  it("a BOM is read; a state of whitespace only is empty", async () => {
    expect((await compare("\uFEFF" + JSON.stringify(ok("a")), ok("b"))).status).toBe("pass");
    const ws = await compare(" ".repeat(4 * 1024 * 1024), ok("b"));
    expect(ws).toMatchObject({ status: "unknown", reason: "invalid-response" });
  });

  it("a state nested deeper than the stack is unknown, not a crash", async () => {
    const deep = '{"version":4,"lineage":"a","serial":1,"resources":[{"mode":"managed","type":"aws_lb","name":"edge","instances":[{"attributes":{"name":"x","deep":' + "[".repeat(200_000) + "]".repeat(200_000) + "}}]}]}";
    const out = await compare(deep, ok("b"));
    expect(out.status).toBe("unknown");
  });
});

describe("terraformState attacks: HTTP backend", () => {
  const servers: Server[] = [];
  const listen = async (h: (req: IncomingMessage, res: ServerResponse) => void, host = "127.0.0.1"): Promise<string> => {
    const s = createServer(h);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, host, r));
    return `http://${host === "127.0.0.1" ? "127.0.0.1" : host}:${(s.address() as AddressInfo).port}`;
  };
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
  const body = JSON.stringify(state([resource("aws_lb", "edge", [instance({ name: "x" })])], { lineage: "h" }));
  const run = (p: string, s: string, headers: Record<string, string> = {}) =>
    runCheck(check, { primary: { terraformState: { url: p, headers } }, standby: { terraformState: { url: s, headers } } } as never, { service: SERVICE, baseDir: dir });

  it("a body shorter than its Content-Length is a truncated state, not an unreachable backend", async () => {
    const good = await listen((_q, res) => void res.writeHead(200, { "content-type": "application/json" }).end(body));
    const cut = await listen((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      res.write(body.slice(0, 40), () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const out = await run(`${good}/s`, `${cut}/s`);
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/^standby .*truncated/);
  });

  it("a redirect to another host gets none of the configured headers", async () => {
    const seen: Array<string | undefined> = [];
    const other = await listen((req, res) => {
      seen.push(req.headers.authorization ?? req.headers["x-token"]?.toString());
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    });
    const otherHost = other.replace("127.0.0.1", "localhost");
    const first = await listen((_req, res) => void res.writeHead(307, { location: `${otherHost}/moved` }).end());
    const out = await run(`${first}/s`, `${first}/s`, { Authorization: `Bearer ${SECRET}`, "X-Token": SECRET });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h === undefined)).toBe(true);
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });
});

describe("terraformState attacks: hostile S3 error documents", () => {
  const s3 = new S3Server();
  const saved: Record<string, string | undefined> = {};
  const ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED"];
  beforeAll(async () => {
    for (const k of ENV) saved[k] = process.env[k];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIATESTSTANDBYS3002", AWS_SECRET_ACCESS_KEY: "test-secret-s3", AWS_CONFIG_FILE: join(dir, "no-config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"), AWS_EC2_METADATA_DISABLED: "true" });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    await s3.start();
  });
  afterAll(async () => {
    await s3.stop();
    for (const k of ENV) (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k]));
  });
  const body = JSON.stringify(state([resource("aws_lb", "edge", [instance({ name: "x" })])], { lineage: "s3" }));
  const run = async (status: number, xml: string | Buffer) => {
    s3.reset();
    s3.put("tfstate-use1", USE1.region, "k", body).put("tfstate-usw2", USW2.region, "k", body);
    s3.fault({ kind: "raw", bucket: "tfstate-usw2", times: Infinity, status, body: xml });
    const loc = (r: typeof USE1) => ({ bucket: `tfstate-${r.suffix}`, key: "k", region: r.region, endpoint: s3.url, maxAttempts: 1 });
    return runCheck(check, { primary: { terraformState: { s3: loc(USE1) } }, standby: { terraformState: { s3: loc(USW2) } } } as never, { service: SERVICE });
  };
  const err = (code: string, message = "m") => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

  it("an error code with control characters, markup or a secret is never echoed", async () => {
    for (const code of [`\u001b[2J\u001b[31mEvil\nnext line`, `${SECRET}`, "a".repeat(5000), "__proto__", "constructor"]) {
      const out = await run(400, err(code, SECRET));
      expect(out.status, code.slice(0, 20)).toBe("unknown");
      expect(out.summary).not.toMatch(/[\u0000-\u001f]/);
      expect(out.summary).not.toContain(SECRET);
      expect(out.summary!.length).toBeLessThan(400);
    }
  });

  it("entity expansion, a non-XML body and a 20 MB error document are each a bounded unknown", async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${"b".repeat(i + 1)} "${`&${i === 0 ? "a" : "b".repeat(i)};`.repeat(10)}">`).join("")}]><Error><Code>&bbbbbbbbb;</Code><Message>&bbbbbbbbb;</Message></Error>`;
    for (const [status, doc] of [[403, lol], [500, "<html><body>proxy error</body></html>"], [400, "not xml at all <<<"], [400, err("InvalidRequest", "x".repeat(20 * 1024 * 1024))]] as const) {
      const out = await run(status, doc);
      expect(out.status).toBe("unknown");
      expect(out.summary!.length).toBeLessThan(400);
    }
  });
});

describe("terraformState attacks: prototype keys", () => {
  it("sensitive paths naming constructor or __proto__ add nothing; such attributes are compared as data", async () => {
    const PATHS = '[[{"type":"get_attr","value":"constructor"}],[{"type":"get_attr","value":"__proto__"}],[{"type":"get_attr","value":"toString"}]]';
    const mk = (extra: string, lineage: string, paths = PATHS) =>
      `{"version":4,"lineage":"${lineage}","serial":1,"resources":[{"mode":"managed","type":"aws_lb","name":"edge","instances":[{"attributes":{"idle_timeout":60${extra}},"sensitive_attributes":${paths}}]}]}`;
    const same = await compare(mk("", "a"), mk("", "b"));
    expect(same.status).toBe("pass");
    const plain = await compare(mk("", "a", "[]"), mk("", "b", "[]"));
    expect((same.evidence as { compared: number }).compared).toBe((plain.evidence as { compared: number }).compared);
    const extra = await compare(mk("", "a"), mk(`,"constructor":"${SECRET}"`, "b"));
    expect(extra.status).toBe("fail");
    expect(extra.findings!.find((f) => f.path === "aws_lb.edge.constructor")).toMatchObject({ change: "extra" });
    expect(JSON.stringify(extra)).not.toContain(SECRET);
  });
});

describe("terraformState attacks: size", () => {
  it("a 1 GiB state file is refused by its size, never read", async () => {
    const name = `huge-${n++}.tfstate`;
    writeFileSync(join(dir, name), "");
    truncateSync(join(dir, name), 1024 * 1024 * 1024);
    const out = await runCheck(check, { primary: { terraformState: { file: name } }, standby: { terraformState: { file: name } } } as never, { service: SERVICE, baseDir: dir });
    expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(out.summary).toMatch(/larger than 256 MiB: not read/);
  });
});

describe("terraformState attacks: age", () => {
  it("a state written in the future (a skewed clock, a touched file) cannot pass maxAge", async () => {
    const s = (lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "x" })])], { lineage });
    const p = write(s("a"));
    const future = new Date(Date.now() + 30 * 86_400_000);
    utimesSync(join(dir, p), future, future);
    const out = await runCheck(check, { primary: { terraformState: { file: p, maxAge: "1d" } }, standby: { terraformState: { file: write(s("b")), maxAge: "1d" } } } as never, { service: SERVICE, baseDir: dir });
    expect(out.status).toBe("warn");
    expect(out.findings!.map((f) => f.message)).toEqual([expect.stringMatching(/^primary state state-\d+\.tfstate: its file mtime .* is 29d23h in the future, so maxAge 1d cannot be checked$/)]);
  });
});

describe("terraformState attacks: an HTTP backend that announces more than a state may have", () => {
  it("is refused on its Content-Length, before a byte of the body is waited for", async () => {
    const server = createServer((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 40) });
      res.write("{"); // and then nothing: only the announced length can end this early
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/s`;
    try {
      const out = await runCheck(check, { primary: { terraformState: { url } }, standby: { terraformState: { url } } } as never, { service: SERVICE, baseDir: dir, timeoutMs: 3000 });
      expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(out.summary).toMatch(/larger than 268435456 bytes/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("terraformState attacks: one state on both sides", () => {
  it("the same show -json file named on both sides (no lineage to compare) is a same-state warning", async () => {
    const show = write({ format_version: "1.0", values: { root_module: { resources: [{ address: "aws_lb.edge", mode: "managed", type: "aws_lb", name: "edge", values: { idle_timeout: 60 } }] } } });
    const out = await runCheck(check, { primary: { terraformState: { file: show } }, standby: { terraformState: { file: show } } } as never, { service: SERVICE, baseDir: dir });
    expect(out.status).toBe("warn");
    expect(out.findings!.map((f) => f.rule)).toEqual(["same-state"]);
  });
});

describe("terraformState attacks: duplicates and deposed objects", () => {
  const ok = (lineage: string) => state([resource("aws_lb", "edge", [instance({ name: "x" }, { key: 0 })])], { lineage });
  it("a resource listed twice, or an index key twice, is a corrupt state, never a silent pick", async () => {
    const twiceResource = state([resource("aws_lb", "edge", [instance({ name: "x" }, { key: 0 })]), resource("aws_lb", "edge", [instance({ name: "y" }, { key: 0 })])], { lineage: "a" });
    const twiceKey = state([resource("aws_lb", "edge", [instance({ name: "x" }, { key: 0 }), instance({ name: "y" }, { key: 0 })])], { lineage: "a" });
    for (const bad of [twiceResource, twiceKey]) {
      const out = await compare(ok("b"), bad);
      expect(out).toMatchObject({ status: "unknown", reason: "invalid-response" });
      expect(out.summary).toContain("lists aws_lb.edge[0] twice");
    }
  });

  it("a standby whose only object is deposed has that instance missing", async () => {
    const deposed = state([resource("aws_lb", "edge", [{ ...instance({ name: "x" }, { key: 0 }), deposed: "00000001" } as ReturnType<typeof instance>])], { lineage: "b" });
    const out = await compare(ok("a"), deposed);
    expect(out.status).toBe("fail");
    expect(out.findings!.find((f) => f.path === "aws_lb.edge[0]")).toMatchObject({ change: "missing" });
  });

  it("a sensitive mark on the side that lacks the attribute still hides the other side's value", async () => {
    const p = state([resource("aws_lb", "edge", [instance({ name: "x", init_script: SECRET })])], { lineage: "a" });
    const s = state([resource("aws_lb", "edge", [instance({ name: "x" }, { sensitive: [[attr("init_script")]] })])], { lineage: "b" });
    const out = await compare(p, s);
    expect(out.status).toBe("fail");
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });
});
