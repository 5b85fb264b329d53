// Redirects (issue 14, item 5): configured headers reach only the origin they were configured
// for; https never downgrades to http. Real HTTP(S) servers on loopback.
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest, MAX_REDIRECTS } from "../../src/probes/http.js";
import { ProbeError } from "../../src/probes/errors.js";
import { runCli } from "../helpers/cli.js";
import { issue, selfSigned } from "../helpers/pki.js";

const SECRET_HEADERS = { authorization: "Bearer tok-123456", "x-api-key": "key-abcdef", "private-token": "pt-987654", cookie: "s=1" };

let other: Server;
let otherBase = "";
const seenByOther: IncomingHttpHeaders[] = [];
let origin: Server;
let base = "";
const seenByOrigin: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];

async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  other = createServer((req, res) => {
    seenByOther.push(req.headers);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ at: "other" }));
  });
  otherBase = await listen(other);
  origin = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seenByOrigin.push({ url: req.url ?? "", method: req.method ?? "", headers: req.headers, body });
      const to = (status: number, location: string): void => {
        res.statusCode = status;
        res.setHeader("location", location);
        res.end("moved");
      };
      if (req.url === "/cross") return to(302, `${otherBase}/landed`);
      if (req.url === "/same") return to(301, "/final");
      if (req.url === "/see-other") return to(303, "/final");
      if (req.url === "/keep-method") return to(307, "/final");
      if (req.url === "/loop") return to(302, "/loop");
      if (req.url === "/no-location") {
        res.statusCode = 302;
        return res.end();
      }
      if (req.url === "/bad-scheme") return to(302, "file:///etc/passwd");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ at: "origin", path: req.url }));
    });
  });
  base = await listen(origin);
});
afterAll(() => {
  other.close();
  origin.close();
});

describe("redirects", () => {
  it("a cross-origin redirect drops every configured header (x-api-key and private-token too)", async () => {
    seenByOther.length = 0;
    const res = await httpRequest(`${base}/cross`, { headers: { ...SECRET_HEADERS, accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ at: "other" });
    expect(res.url).toBe(`${otherBase}/landed`);
    expect(seenByOther).toHaveLength(1);
    const h = seenByOther[0]!;
    for (const name of Object.keys(SECRET_HEADERS)) expect(h[name], name).toBeUndefined();
    expect(h.accept).toBe("application/json");
  });

  it("a same-origin redirect keeps them", async () => {
    seenByOrigin.length = 0;
    const res = await httpRequest(`${base}/same`, { headers: SECRET_HEADERS });
    expect(JSON.parse(res.body)).toEqual({ at: "origin", path: "/final" });
    const last = seenByOrigin.at(-1)!;
    expect(last.url).toBe("/final");
    expect(last.headers["x-api-key"]).toBe("key-abcdef");
    expect(last.headers.authorization).toBe("Bearer tok-123456");
  });

  it("303 continues as GET without body; 307 keeps method and body", async () => {
    seenByOrigin.length = 0;
    await httpRequest(`${base}/see-other`, { method: "POST", body: "x=1", headers: { "content-type": "text/plain" } });
    expect(seenByOrigin.at(-1)).toMatchObject({ url: "/final", method: "GET", body: "" });
    await httpRequest(`${base}/keep-method`, { method: "POST", body: "x=1", headers: { "content-type": "text/plain" } });
    expect(seenByOrigin.at(-1)).toMatchObject({ url: "/final", method: "POST", body: "x=1" });
  });

  it("a redirect loop, a missing Location and a non-http scheme are invalid responses", async () => {
    const err = (url: string) => httpRequest(url).then(() => null, (e: unknown) => e as ProbeError);
    const loop = await err(`${base}/loop`);
    expect(loop).toBeInstanceOf(ProbeError);
    expect(loop!.reason).toBe("invalid-response");
    expect(loop!.message).toContain(`more than ${MAX_REDIRECTS} redirects`);
    expect((await err(`${base}/no-location`))!.message).toMatch(/without a Location header/);
    expect((await err(`${base}/bad-scheme`))!.message).toMatch(/unsupported scheme file:/);
  });

  it("in untrusted-config mode a redirect leaves allowed-hosts only to be refused (the other host is never asked)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-redirect-hosts-"));
    try {
      writeFileSync(join(dir, "b.json"), "{}");
      writeFileSync(
        join(dir, "standby.yml"),
        `version: 1\nservices:\n  - name: api\n    checks:\n      - id: hop\n        kind: config-drift\n        primary: { url: "${base}/cross" }\n        standby: { file: b.json }\n`,
      );
      seenByOther.length = 0;
      const allowed = new URL(base).host;
      const r = await runCli(["scan", "-c", "standby.yml", "-f", "json", "--no-history", "--untrusted-config", "--allowed-hosts", allowed], { cwd: dir });
      const check = (JSON.parse(r.stdout) as { checks: { status: string; reason: string; summary: string }[] }).checks[0]!;
      expect(check.status).toBe("unknown");
      expect(check.reason).toBe("not-authorized");
      expect(check.summary).toMatch(/redirect to http:\/\/127\.0\.0\.1:\d+ is refused in untrusted-config mode: .* is not in allowed-hosts/);
      expect(seenByOther).toHaveLength(0);
      // The same config trusted follows the redirect.
      const trusted = await runCli(["scan", "-c", "standby.yml", "-f", "json", "--no-history"], { cwd: dir });
      expect(seenByOther).toHaveLength(1);
      expect(trusted.stdout).toContain('"id": "hop"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("https to http is refused (config-drift through the CLI, the CA trusted by NODE_EXTRA_CA_CERTS)", async () => {
    const ca = await selfSigned({ cn: "redirect test CA", notAfterDays: 30, ca: true });
    const leaf = await issue(ca, { cn: "127.0.0.1", sans: ["127.0.0.1"], notAfterDays: 30 });
    const tls = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => {
      res.statusCode = 302;
      res.setHeader("location", `${otherBase}/landed`);
      res.end();
    });
    tls.listen(0, "127.0.0.1");
    await once(tls, "listening");
    const dir = mkdtempSync(join(tmpdir(), "standby-redirect-"));
    try {
      const port = (tls.address() as AddressInfo).port;
      writeFileSync(join(dir, "ca.pem"), ca.certPem);
      writeFileSync(join(dir, "b.json"), "{}");
      writeFileSync(
        join(dir, "standby.yml"),
        `version: 1\nservices:\n  - name: api\n    checks:\n      - id: downgrade\n        kind: config-drift\n        primary: { url: "https://127.0.0.1:${port}/config", headers: { x-api-key: "\${env:KEY}" } }\n        standby: { file: b.json }\n`,
      );
      seenByOther.length = 0;
      const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", "json", "--no-history"], { env: { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), KEY: "key-abcdef" } });
      const check = (JSON.parse(r.stdout) as { checks: { status: string; reason: string; summary: string }[] }).checks[0]!;
      expect(check.status).toBe("unknown");
      expect(check.reason).toBe("invalid-response");
      expect(check.summary).toMatch(/from https to http/);
      expect(seenByOther).toHaveLength(0);
    } finally {
      tls.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
