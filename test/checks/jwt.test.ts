// Behaviour of the jwt kind through the one tester: keys generated with jose, served as JWKS
// (and OIDC discovery) by a real node:http server on loopback; tokens signed with those keys and
// handed over inline, from a command and from a token endpoint.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check from "../../checks/jwt/index.js";
import { judgeTimes } from "../../checks/jwt/claims.js";
import type { JwtEvidence } from "../../checks/jwt/evidence.js";
import type { CheckOutcome } from "../../src/engine/types.js";
import { expiryLimits } from "../../src/options/thresholds.js";
import { findingText } from "../../src/report/text.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { decisionTable } from "../helpers/decision-table.js";

type Key = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

let server: Server;
let base: string;
let refused: string;
const keys: Record<string, { priv: Key; jwk: JWK }> = {};
const routes = new Map<string, { status?: number; type: string; body: string }>();

async function key(kid: string, alg: "ES256" | "RS256" = "ES256"): Promise<{ priv: Key; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { priv: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

function route(path: string, body: unknown, type = "application/json", status = 200): void {
  routes.set(path, { status, type, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function sign(claims: JWTPayload, k = keys.k1!, kid: string | null = k.jwk.kid ?? null): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: k.jwk.alg!, ...(kid ? { kid } : {}) }).sign(k.priv);
}

const fresh = (extra: JWTPayload = {}) => ({ iss: `${base}/oidc/primary`, aud: "orders", sub: "user-SUBJECT-4242", iat: now(), exp: now() + 30 * DAY, ...extra });
const rules = (o: CheckOutcome) => (o.findings ?? []).filter((f) => f.level !== "info").map((f) => f.rule);
const run = (options: Record<string, unknown>, ctx: Parameters<typeof runCheck>[2] = {}) => runCheck(check, options as never, ctx);

beforeAll(async () => {
  for (const kid of ["k1", "k2", "k3"]) keys[kid] = await key(kid);
  keys.k1evil = await key("k1"); // same kid, other key material
  keys.rsa = await key("r1", "RS256");
  server = createServer((req, res) => {
    const r = routes.get(req.url ?? "");
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(r.status ?? 200, { "content-type": r.type });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tmp = createServer();
  await new Promise<void>((resolve) => tmp.listen(0, "127.0.0.1", resolve));
  refused = `http://127.0.0.1:${(tmp.address() as AddressInfo).port}`;
  await new Promise((resolve) => tmp.close(resolve));

  route("/primary/jwks", { keys: [keys.k1!.jwk, keys.k2!.jwk, keys.rsa!.jwk] });
  route("/standby/jwks", { keys: [keys.k1!.jwk, keys.k2!.jwk, keys.rsa!.jwk, keys.k3!.jwk] });
  route("/standby-missing/jwks", { keys: [keys.k2!.jwk, keys.rsa!.jwk] });
  route("/standby-changed/jwks", { keys: [keys.k1evil!.jwk, keys.k2!.jwk, keys.rsa!.jwk] });
  route("/html", "<!doctype html><html><body>Sign in</body></html>", "text/html; charset=utf-8");
  route("/empty", { keys: [] });
  route("/oidc/primary/.well-known/openid-configuration", { issuer: `${base}/oidc/primary`, jwks_uri: `${base}/primary/jwks` });
  route("/oidc/standby/.well-known/openid-configuration", { issuer: `${base}/oidc/standby`, jwks_uri: `${base}/standby/jwks` });
  const t = await sign(fresh());
  route("/token/text", `${t}\n`, "text/plain");
  route("/token/json", { token_type: "Bearer", access_token: t, expires_in: 3600 });
  route("/token/denied", { error: "denied" }, "application/json", 401);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("jwt", () => {
  it("passes healthy tokens whose keys the standby also publishes", async () => {
    const token = await sign(fresh());
    const o = await run({ primary: { token, jwks: `${base}/primary/jwks` }, standby: { token: await sign(fresh(), keys.k2), jwks: `${base}/standby/jwks` } });
    expect(o.status, o.summary).toBe("pass");
    expect(o.summary).toMatch(/^tokens valid for (29d23h|30d) or more \(\w+ first\); standby JWKS accepts all 3 primary keys$/);
    expect(o.measured).toMatchObject({ unit: "s", limit: DAY, warnAt: 7 * DAY });
    expect(o.measured!.value).toBeGreaterThan(30 * DAY - 60);
    const ev = o.evidence as any;
    expect(ev.primary.token).toMatchObject({ source: "token", header: { alg: "ES256", kid: "k1" }, signature: "verified", claims: { aud: "orders" } });
    expect(ev.primary.token.claims.sub).toBeUndefined();
    expect(ev.standby.jwks.keys.map((k: any) => k.kid)).toEqual(["k1", "k2", "r1", "k3"]);
    expect(o.findings!.find((f) => f.change === "extra")!.message).toBe("standby JWKS also has k3");
  });

  it("fails when the standby JWKS lacks the primary's current key", async () => {
    const o = await run({ primary: { token: await sign(fresh()), jwks: `${base}/primary/jwks` }, standby: { jwks: `${base}/standby-missing/jwks` } });
    expect(o.status).toBe("fail");
    expect(rules(o)).toEqual(["jwks-parity"]);
    expect(o.findings![0]).toMatchObject({ change: "missing", path: "keys[kid=k1]", primary: { kid: "k1", kty: "EC", alg: "ES256" } });
    // Reports render it as drift: the line must name the key, not "(absent)".
    expect(findingText(o.findings![0]!)).toMatch(/^keys\[kid=k1\]: missing on standby \(primary \{"kid":"k1","kty":"EC","alg":"ES256","thumbprint":"[\w-]{43}"\}\); standby JWKS lacks kid k1 \(the primary token's current key\): tokens the primary signed with it would not verify after failover \[jwks-parity\]$/);
    expect(o.findings![0]!.message).toBe("standby JWKS lacks kid k1 (the primary token's current key): tokens the primary signed with it would not verify after failover");
    // The token's lifetime is not what failed: no measured value beside a parity failure; it is kept as the reading.
    expect(o.measured).toBeNull();
    expect(o.reading).toMatchObject({ unit: "s", limit: DAY, warnAt: 7 * DAY });
    expect(o.reading!.value).toBeGreaterThan(30 * DAY - 60);
  });

  it("fails when the same kid holds different key material on the standby", async () => {
    const o = await run({ primary: { token: await sign(fresh()), jwks: `${base}/primary/jwks` }, standby: { jwks: `${base}/standby-changed/jwks` } });
    expect(o.status).toBe("fail");
    expect(o.findings![0]).toMatchObject({ rule: "jwks-parity", change: "changed", path: "keys[kid=k1]" });
    expect(o.findings![0]!.message).toMatch(/^kid k1 \(the primary token's current key\) is a different key on the standby \(thumbprint .{10}… vs .{10}…\)$/);
  });

  it("fails a primary token that the standby's keys cannot verify", async () => {
    // No kid in the header: parity by kid cannot name it, verifying with the standby's keys does.
    const o = await run({ primary: { token: await sign(fresh(), keys.k1evil, null) }, standby: { jwks: `${base}/standby/jwks` } });
    expect(o.status).toBe("fail");
    expect(o.findings![0]!.message).toBe("primary token does not verify against the standby JWKS: no matching key verifies the signature");
    const ok = await run({ primary: { token: await sign(fresh(), keys.k2, null) }, standby: { jwks: `${base}/standby/jwks` } });
    expect(ok.status, ok.summary).toBe("pass");
    const both = await run({ primary: { token: await sign(fresh(), keys.k1evil, null), jwks: `${base}/standby-changed/jwks` }, standby: { jwks: `${base}/standby/jwks` } });
    expect(both.status).toBe("fail");
    expect(both.findings!.some((f) => f.rule === "signature" && f.message.startsWith("primary token does not verify against the standby JWKS"))).toBe(true);
  });

  it("warns and fails on time to expiry, with the thresholds configurable", async () => {
    const warn = await run({ primary: { token: await sign(fresh({ exp: now() + 3 * DAY })) }, standby: { token: await sign(fresh()) } });
    expect(warn.status).toBe("warn");
    expect(warn.findings![0]!.message).toMatch(/^primary token expires in (2d23h|3d) \(.*\), within the warn threshold 7d$/);
    const fail = await run({ primary: { token: await sign(fresh()) }, standby: { token: await sign(fresh({ exp: now() + 3600 })) } });
    expect(fail.status).toBe("fail");
    expect(fail.findings![0]!.message).toMatch(/^standby token expires in (59m\d+s|1h) .*within the fail threshold 1d$/);
    expect(fail.measured!.value).toBeLessThanOrEqual(3600);
    const tuned = await run({ primary: { token: await sign(fresh({ exp: now() + 3600 })) }, standby: { token: await sign(fresh()) }, warn: "30m", fail: "5m" });
    expect(tuned.status).toBe("pass");
    // The user's thresholds, as numbers: measured in seconds, evidence in ms.
    expect(tuned.measured).toMatchObject({ unit: "s", limit: 300, warnAt: 1800 });
    expect((tuned.evidence as unknown as JwtEvidence).thresholds).toEqual({ warnMs: 1_800_000, failMs: 300_000, clockToleranceMs: 60_000 });
  });

  it("judges expired, not-yet-valid and future-issued tokens with the clock tolerance", async () => {
    const expired = await run({ primary: { token: await sign(fresh({ exp: now() - 600 })) }, standby: { token: await sign(fresh()) } });
    expect(rules(expired)).toEqual(["expired"]);
    expect(expired.findings![0]!.message).toMatch(/^primary token expired 10m\ds? ago|^primary token expired 10m ago/);
    // 30 s past exp is inside the default 60 s tolerance: about to expire, not expired.
    const within = await run({ primary: { token: await sign(fresh({ exp: now() - 30 })) }, standby: { token: await sign(fresh()) } });
    expect(rules(within)).toEqual(["expiry"]);
    const nbf = await run({ primary: { token: await sign(fresh({ nbf: now() + 3600 })) }, standby: { token: await sign(fresh({ iat: now() + 3600 })) } });
    expect(rules(nbf)).toEqual(["not-yet-valid", "issued-in-future"]);
    const tolerant = await run({ primary: { token: await sign(fresh({ nbf: now() + 3600 })) }, standby: { token: await sign(fresh()) }, clockTolerance: "2h" });
    expect(tolerant.status).toBe("pass");
  });

  it("detects times written in milliseconds instead of reading them as year 57000", async () => {
    const msExp = Date.now() + 30 * DAY * 1000;
    const o = await run({ primary: { token: await sign(fresh({ exp: msExp, iat: Date.now() })) }, standby: { token: await sign(fresh()) } });
    expect(o.status).toBe("warn");
    expect(rules(o)).toEqual(["milliseconds-timestamp", "milliseconds-timestamp"]);
    expect(o.findings![0]!.message).toMatch(new RegExp(`^primary token: exp ${msExp} is in milliseconds, not seconds .*read as seconds it is the year \\d{5}, as milliseconds 20\\d\\d-`));
    expect(o.measured!.value).toBeLessThan(31 * DAY);
    expect(JSON.stringify(o)).not.toMatch(/years/);
  });

  it("is unknown/invalid-response for a token that is not a JWT", async () => {
    const o = await run({ primary: { token: "CANARY-this-is-not-a-jwt-51ab" }, standby: { token: await sign(fresh()) } });
    expect(o).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "primary token is not a JWT: expected 3 dot-separated segments, got 1" });
    const garbage = await run({ primary: { token: "aaaa.bbbb.cccc" }, standby: { token: await sign(fresh()) } });
    expect(garbage).toMatchObject({ status: "unknown", reason: "invalid-response", summary: "primary token is not a JWT: its header is not base64url-encoded JSON" });
    expect(JSON.stringify([o, garbage])).not.toMatch(/CANARY|aaaa\.bbbb/);
  });

  it("is unknown/invalid-response for a JWKS URL returning HTML or no keys", async () => {
    const html = await run({ primary: { jwks: `${base}/primary/jwks` }, standby: { jwks: `${base}/html` } });
    expect(html).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(html.summary).toMatch(/^standby http:\/\/127\.0\.0\.1:\d+\/html: expected JSON, got text\/html \(HTTP 200\)/);
    expect(html.summary).toContain("got text/html");
    const empty = await run({ primary: { jwks: `${base}/empty` }, standby: { jwks: `${base}/standby/jwks` } });
    expect(empty).toMatchObject({ status: "unknown", reason: "invalid-response", summary: `primary JWKS ${base}/empty has no keys` });
  });

  it("is unknown/unreachable when the standby issuer cannot be reached", async () => {
    const o = await run({ primary: { issuer: `${base}/oidc/primary` }, standby: { issuer: `${refused}/oidc/standby` } });
    expect(o).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(o.summary).toMatch(/^standby http:\/\/127\.0\.0\.1:\d+\/oidc\/standby\/\.well-known\/openid-configuration: connection refused \(ECONNREFUSED\)$/);
    expect((o.evidence as unknown as JwtEvidence).standby.errors).toEqual([{ reason: "unreachable", message: o.summary }]);
    expect((o.evidence as unknown as JwtEvidence).primary.jwks?.url).toBe(`${base}/primary/jwks`);
    const jwks = await run({ primary: { token: await sign(fresh()) }, standby: { jwks: `${refused}/jwks` } });
    expect(jwks).toMatchObject({ status: "unknown", reason: "unreachable", summary: `standby ${refused}/jwks: connection refused (ECONNREFUSED)` });
    const tokenUrl = await run({ primary: { url: `${refused}/token` }, standby: { jwks: `${base}/standby/jwks` } });
    expect(tokenUrl).toMatchObject({ status: "unknown", reason: "unreachable", summary: `primary token: ${refused}/token: connection refused (ECONNREFUSED)` });
  });

  it("finds keys through OIDC discovery and checks the token's issuer", async () => {
    const token = await sign(fresh());
    const o = await run({ primary: { token, issuer: `${base}/oidc/primary` }, standby: { token: await sign(fresh({ iss: `${base}/oidc/standby` })), issuer: `${base}/oidc/standby` } });
    expect(o.status, o.summary).toBe("pass");
    expect((o.evidence as any).standby.jwks).toMatchObject({ url: `${base}/standby/jwks`, issuer: `${base}/oidc/standby` });
    const wrongIss = await run({ primary: { token, issuer: `${base}/oidc/primary` }, standby: { token, issuer: `${base}/oidc/standby` } });
    expect(rules(wrongIss)).toEqual(["issuer-mismatch"]);
  });

  it("reads tokens from a command and from a token endpoint (text or JSON pointer)", async () => {
    const token = await sign(fresh());
    const cmd = await run({ primary: { command: [process.execPath, "-e", `process.stdout.write(${JSON.stringify(`  ${token}\n`)})`], jwks: `${base}/primary/jwks` }, standby: { url: `${base}/token/text` } });
    expect(cmd.status, cmd.summary).toBe("pass");
    expect((cmd.evidence as any).primary.token).toMatchObject({ source: "command", signature: "verified" });
    expect((cmd.evidence as any).standby.token.source).toBe("url");
    const json = await run({ primary: { url: `${base}/token/json`, pointer: "/access_token" }, standby: { token } });
    expect(json.status, json.summary).toBe("pass");
    const noPointer = await run({ primary: { url: `${base}/token/json` }, standby: { token } });
    expect(noPointer).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(noPointer.summary).toContain("set pointer");
    const denied = await run({ primary: { url: `${base}/token/denied` }, standby: { token } });
    expect(denied).toMatchObject({ status: "unknown", reason: "not-authorized" });
  });

  it("is unknown when the token command fails, hangs or does not exist", async () => {
    const token = await sign(fresh());
    const exit = await run({ primary: { command: [process.execPath, "-e", "process.exit(3)"] }, standby: { token } });
    expect(exit).toMatchObject({ status: "unknown", reason: "error", summary: `primary token: command ${process.execPath} exited with code 3` });
    const hang = await run({ primary: { command: [process.execPath, "-e", "setTimeout(() => {}, 60000)"] }, standby: { token } }, { timeoutMs: 700 });
    expect(hang).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(hang.summary).toMatch(/^primary token: command .+ (timed out after 700ms|did not finish before the check's deadline)$/);
    const empty = await run({ primary: { command: [process.execPath, "-e", "process.stdout.write('  \\n')"] }, standby: { token } });
    expect(empty).toMatchObject({ status: "unknown", reason: "invalid-response", summary: `primary token is empty (from command ${process.execPath})` });
    const missing = await run({ primary: { command: ["/nonexistent/token-helper"] }, standby: { token } });
    expect(missing).toMatchObject({ status: "unknown", reason: "unreadable-input", summary: "primary token: command /nonexistent/token-helper not found" });
  });

  it("never puts a token in its outcome, whatever happens", async () => {
    const canary = await sign(fresh({ sub: "CANARY-SUBJECT", exp: now() + 600, jti: "CANARY-JTI" }));
    const [, payload, signature] = canary.split(".");
    const outcomes = [
      await run({ primary: { token: canary, jwks: `${base}/standby-missing/jwks` }, standby: { jwks: `${base}/html` } }),
      await run({ primary: { command: [process.execPath, "-e", `process.stdout.write(${JSON.stringify(canary)}); process.exit(2)`] }, standby: { token: canary } }),
      await run({ primary: { token: `${canary}.x.y` }, standby: { token: canary, jwks: `${base}/primary/jwks` } }),
      await run({ primary: { url: `${base}/token/text` }, standby: { token: canary } }),
    ];
    const text = JSON.stringify(outcomes);
    for (const secret of [canary, payload!, signature!, "CANARY"]) expect(text).not.toContain(secret);
    expect(outcomes.map((o) => o.status)).toEqual(["fail", "fail", "fail", "fail"]);
    const shown = await run({ primary: { token: canary }, standby: { token: canary }, showSubject: true, warn: "1m", fail: "1m" });
    expect((shown.evidence as any).primary.token.claims.sub).toBe("CANARY-SUBJECT");
  });

  it("validates its options, naming the path and what was expected", () => {
    const issues = (raw: unknown) => {
      const r = parseOptions(check, raw);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    const b = { token: "b" };
    expect(issues({ primary: { token: "a", command: ["x"] }, standby: b })).toEqual(["primary: give one token source, not token and command"]);
    expect(issues({ primary: {}, standby: b })).toEqual(["primary: expected a token source (token, command or url) and/or keys (jwks or issuer)"]);
    expect(issues({ primary: { token: "a", pointer: "/x" }, standby: b })).toEqual(["primary: headers and pointer only apply to url"]);
    expect(issues({ primary: { jwks: "ftp://x" }, standby: b })).toEqual(["primary.jwks: expected an http:// or https:// URL"]);
    expect(issues({ primary: b, standby: { issuer: "id.example.com" } })).toEqual(["standby.issuer: expected an http:// or https:// URL"]);
    expect(issues({ primary: { url: "file:///etc/passwd" }, standby: b })).toEqual(["primary.url: expected an http:// or https:// URL"]);
    expect(issues({ primary: { command: [] }, standby: b })).toEqual(["primary.command: Too small: expected array to have >=1 items"]);
    expect(issues({ primary: { url: "https://a/t", pointer: "access_token" }, standby: b })).toEqual(["primary.pointer: expected a JSON pointer like /access_token"]);
    expect(issues({ primary: b, standby: b, warn: "a week" })).toEqual(['warn: expected a duration like 90s, 5m, 2h or 14d, got "a week"']);
    const ok = parseOptions(check, { primary: { jwks: "https://a/jwks" }, standby: { issuer: "https://b" } });
    expect(ok.success && ok.data).toMatchObject({ warn: 7 * DAY * 1000, fail: DAY * 1000, clockTolerance: 60_000, showSubject: false });
  });
});

// judgeTimes: a token's exp against warn/fail and the clock tolerance, at and around each limit.
const EXP = 1_900_000_000; // seconds
type TimeCase = { leftMs: number; warn?: string; fail?: string; clockTolerance?: string; claims?: JWTPayload };
const judge = ({ leftMs, warn = "7d", fail = "1d", clockTolerance = "60s", claims = { exp: EXP } }: TimeCase): string => {
  const o = check.options.parse({ primary: { token: "a" }, standby: { token: "b" }, warn, fail, clockTolerance });
  const v = judgeTimes("standby", claims, { ...expiryLimits(o), toleranceMs: o.clockTolerance }, new Date(EXP * 1000 - leftMs));
  return v.findings.map((f) => `${f.level} ${f.rule}`).join(", ") || "none";
};
const H = 3_600_000;
decisionTable<TimeCase, string>("jwt token times", judge, [
  { name: "beyond warn: nothing", input: { leftMs: 8 * 24 * H }, expected: "none" },
  { name: "exactly at warn: warn", input: { leftMs: 7 * 24 * H }, expected: "warn expiry" },
  { name: "exactly at fail: fail", input: { leftMs: 24 * H }, expected: "fail expiry" },
  { name: "warn below fail widened: inside fail fails", input: { leftMs: 3 * H, warn: "1h", fail: "4h" }, expected: "fail expiry" },
  { name: "warn below fail widened: beyond fail nothing", input: { leftMs: 5 * H, warn: "1h", fail: "4h" }, expected: "none" },
  { name: "past exp within the tolerance: expiring, not expired", input: { leftMs: -30_000 }, expected: "fail expiry" },
  { name: "past exp by exactly the tolerance: still expiring", input: { leftMs: -60_000 }, expected: "fail expiry" },
  { name: "past exp beyond the tolerance: expired", input: { leftMs: -60_001 }, expected: "fail expired" },
  { name: "no exp: never expires (info)", input: { leftMs: 0, claims: {} }, expected: "info no-exp" },
  { name: "exp in milliseconds: flagged and read as milliseconds", input: { leftMs: 8 * 24 * H, claims: { exp: EXP * 1000 } }, expected: "warn milliseconds-timestamp" },
  { name: "exp not a number: invalid claim", input: { leftMs: 0, claims: { exp: "tomorrow" as never } }, expected: "fail invalid-claim" },
  { name: "nbf beyond the tolerance ahead: not yet valid", input: { leftMs: 8 * 24 * H, claims: { exp: EXP, nbf: EXP } }, expected: "fail not-yet-valid" },
]);
