// Untrusted-config mode: a standby.yml from someone else (a pull request) runs no command, reads
// ${env:} only from the allowlist (never the runner's credentials), reads files only inside the
// workspace once symlinks are resolved, and connects only to allowed-hosts when given. Each
// refusal is a config error at its line. Through the loader, the built CLI and the bundled Action.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { allowed, parseHostPattern, type HostPattern } from "../../src/config/hosts.js";
import { loadConfigText } from "../../src/config/load.js";
import { secrets } from "../../src/core/secrets.js";
import type { UntrustedSettings } from "../../src/config/trust.js";
import { apiConfig, lineOf, runAction, workspace } from "../action/helpers.js";
import { runCli } from "../helpers/cli.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "standby-untrusted-")));
const ws = join(root, "ws");
const outside = join(root, "outside");
mkdirSync(ws);
mkdirSync(outside);
writeFileSync(join(ws, "a.json"), '{"a":1}\n');
writeFileSync(join(ws, "token.txt"), "inside-token\n");
writeFileSync(join(outside, "secret.txt"), "OUTSIDE-SECRET-7781\n");
// A link planted in the repository, pointing out of it.
symlinkSync(join(outside, "secret.txt"), join(ws, "innocent.txt"));
symlinkSync(outside, join(ws, "linked-dir"));

afterEach(() => secrets.clear());

const HEAD = "version: 1\nservices:\n  - name: api\n    checks:\n";
const mode = (extra: Partial<UntrustedSettings> = {}): UntrustedSettings => ({ workspace: ws, allowedEnv: ["ORDERS_TOKEN", "GITHUB_TOKEN"], ...extra });

function errors(checks: string, untrusted: UntrustedSettings | undefined, env: NodeJS.ProcessEnv = {}, top = ""): string[] {
  try {
    loadConfigText(HEAD + checks + top, { baseDir: ws, displayName: "standby.yml", env, untrusted });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map(formatIssue);
  }
}

const drift = (id: string, primary: string, standby: string) => `      - id: ${id}\n        kind: config-drift\n        primary: ${primary}\n        standby: ${standby}\n`;

describe("untrusted-config mode in the loader: each refusal at its line, saying why", () => {
  it("command sources: drill-recency's command and jwt's token command", () => {
    const checks =
      `      - id: drill\n        kind: drill-recency\n        cadence: "0 10 1 * *"\n        lastDrill: { command: ["/bin/sh", "-c", "curl evil"] }\n` +
      `      - id: token\n        kind: jwt\n        primary: { command: ["gh", "auth", "token"] }\n        standby: { jwks: "https://idp.example.com/jwks" }\n`;
    expect(errors(checks, undefined)).toEqual([]);
    expect(errors(checks, mode())).toEqual([
      "standby.yml:8:31: services[0].checks[0].lastDrill.command: command sources are not allowed in untrusted-config mode: a config from someone else must not run programs",
      "standby.yml:11:29: services[0].checks[1].primary.command: command sources are not allowed in untrusted-config mode: a config from someone else must not run programs",
    ]);
  });

  it("${env:} only for allowed names, and never GITHUB_TOKEN, ACTIONS_* or RUNNER_* even when listed", () => {
    const env = { ORDERS_TOKEN: "orders-tok-1", OTHER: "other-secret-2", GITHUB_TOKEN: "ghs_x", ACTIONS_RUNTIME_TOKEN: "rt", RUNNER_TEMP: "/tmp" };
    const h = (v: string) => `{ url: "https://api.example.com/c", headers: { X-Token: "${v}" } }`;
    const checks =
      drift("ok", "{ file: a.json }", h("${env:ORDERS_TOKEN}")) +
      drift("other", "{ file: a.json }", h("${env:OTHER}")) +
      drift("gh", "{ file: a.json }", h("${env:GITHUB_TOKEN}")) +
      drift("rt", "{ file: a.json }", h("${env:ACTIONS_RUNTIME_TOKEN}")) +
      drift("runner", "{ file: a.json }", h("${env:RUNNER_TEMP}"));
    expect(errors(checks, undefined, env)).toEqual([]);
    secrets.clear();
    const errs = errors(checks, mode({ allowedEnv: ["ORDERS_TOKEN", "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN"] }), env);
    expect(errs).toEqual([
      "standby.yml:12:74: services[0].checks[1].standby.headers.X-Token: ${env:OTHER} is not allowed in untrusted-config mode: OTHER is not in allowed-env",
      "standby.yml:16:74: services[0].checks[2].standby.headers.X-Token: ${env:GITHUB_TOKEN} is never readable in untrusted-config mode: GITHUB_TOKEN, ACTIONS_* and RUNNER_* hold the runner's own credentials",
      "standby.yml:20:74: services[0].checks[3].standby.headers.X-Token: ${env:ACTIONS_RUNTIME_TOKEN} is never readable in untrusted-config mode: GITHUB_TOKEN, ACTIONS_* and RUNNER_* hold the runner's own credentials",
      "standby.yml:24:74: services[0].checks[4].standby.headers.X-Token: ${env:RUNNER_TEMP} is never readable in untrusted-config mode: GITHUB_TOKEN, ACTIONS_* and RUNNER_* hold the runner's own credentials",
    ]);
    // A refused name is never read: its value is not a secret of this run.
    expect(secrets.redact("other-secret-2")).toBe("other-secret-2");
  });

  it("${file:} and every file option stay inside the workspace after resolving symlinks", () => {
    const checks =
      drift("inside", "{ file: a.json }", '{ url: "https://api.example.com/${file:token.txt}" }') +
      drift("ref-out", "{ file: a.json }", '{ url: "https://api.example.com/${file:../outside/secret.txt}" }') +
      drift("ref-link", "{ file: a.json }", '{ url: "https://api.example.com/${file:innocent.txt}" }') +
      drift("opt-abs", `{ file: ${join(outside, "secret.txt")} }`, "{ file: linked-dir/secret.txt }") +
      `      - id: tls\n        kind: tls-certificate\n        primary: { pemFile: innocent.txt }\n        standby: { host: a.example.com, caFile: /etc/ssl/certs/ca-certificates.crt }\n` +
      `      - id: cache\n        kind: cache-age\n        file: ../outside/secret.txt\n` +
      `      - id: drill\n        kind: drill-recency\n        cadence: "0 10 1 * *"\n        lastDrill: { file: ../outside/secret.txt, mtime: true }\n` +
      `      - id: lag\n        kind: replication-lag\n        engine: postgres\n        primary: "postgres://db.example.com/app?sslrootcert=/etc/passwd"\n        standby: "postgres://db2.example.com/app?sslrootcert=ca.pem"\n`;
    const errs = errors(checks, mode(), {}, "history: { file: /tmp/elsewhere/history.jsonl }\n");
    const outsideMsg = "is outside the workspace " + ws;
    expect(errs.map((e) => e.replace(ws, "WS").replace(join(outside, "secret.txt"), "OUT"))).toEqual([
      `standby.yml:12:25: services[0].checks[1].standby.url: \${file:../outside/secret.txt} is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:16:25: services[0].checks[2].standby.url: \${file:innocent.txt} is outside the workspace WS (it resolves to OUT): files are confined to the workspace in untrusted-config mode`,
      `standby.yml:19:26: services[0].checks[3].primary.file: OUT is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:20:26: services[0].checks[3].standby.file: linked-dir/secret.txt is outside the workspace WS (it resolves to OUT): files are confined to the workspace in untrusted-config mode`,
      `standby.yml:23:29: services[0].checks[4].primary.pemFile: innocent.txt is outside the workspace WS (it resolves to OUT): files are confined to the workspace in untrusted-config mode`,
      `standby.yml:24:49: services[0].checks[4].standby.caFile: /etc/ssl/certs/ca-certificates.crt is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:27:15: services[0].checks[5].file: ../outside/secret.txt is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:31:28: services[0].checks[6].lastDrill.file: ../outside/secret.txt is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:35:18: services[0].checks[7].primary: the connection string reads /etc/passwd is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      // pg opens sslrootcert from the process's directory (here the test runner's, outside WS).
      `standby.yml:36:18: services[0].checks[7].standby: the connection string reads ca.pem (the driver opens it from the current directory ${process.cwd()}) is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
      `standby.yml:37:18: history.file: /tmp/elsewhere/history.jsonl is outside the workspace WS: files are confined to the workspace in untrusted-config mode`,
    ]);
    expect(errs.join("\n")).toContain(outsideMsg);
    // Nothing outside was read: its content is in no message and not a registered secret.
    expect(errs.join("\n")).not.toContain("OUTSIDE-SECRET");
    expect(secrets.redact("OUTSIDE-SECRET-7781")).toBe("OUTSIDE-SECRET-7781");
    expect(errors(checks, undefined, {}, "history: { file: /tmp/elsewhere/history.jsonl }\n")).toEqual([]);
  });

  it("network targets only to allowed-hosts when given: URLs, connection strings (and their query's host), servers, hosts, the webhook", () => {
    const checks =
      drift("ok", '{ url: "https://api.example.com/config" }', '{ url: "http://127.0.0.1:8080/config" }') +
      drift("evil", '{ url: "https://api.example.com.evil.test/config" }', '{ url: "http://127.0.0.1:9999/x" }') +
      `      - id: lag\n        kind: replication-lag\n        engine: postgres\n        primary: "postgres://u@db.example.com:5432/app?host=evil.test"\n        standby: "postgres://u@db.example.com:5432/app"\n` +
      `      - id: sb\n        kind: split-brain\n        engine: redis\n        primary: "redis://cache.example.com:6379"\n        standby: "redis://cache.example.com:6379?path=/var/run/docker.sock"\n        nodes: { dr: "redis://10.9.9.9:6379" }\n` +
      `      - id: dns\n        kind: dns-failover\n        name: orders.example.com\n        nameservers: ["1.1.1.1"]\n        healthCheck: { interval: 10s, failureThreshold: 3 }\n        standby: { host: orders.example.net, port: 443 }\n` +
      `      - id: tls\n        kind: tls-certificate\n        primary: { host: www.example.com }\n        standby: { host: www.example.com, addresses: ["203.0.113.9"] }\n` +
      `      - id: aws\n        kind: aws-credentials\n        primary: { region: us-east-1, endpoint: "http://169.254.169.254/latest" }\n        standby: { region: us-west-2 }\n` +
      `      - id: jwt\n        kind: jwt\n        primary: { url: "https://idp.example.com/token", jwks: "https://keys.evil.test/jwks" }\n        standby: { issuer: "https://idp.example.com" }\n`;
    const top = 'notify: { webhook: { url: "https://hooks.evil.test/x" } }\n';
    const allowedHosts = ["*.example.com", "127.0.0.1:8080"];
    const errs = errors(checks, mode({ allowedHosts }), {}, top);
    const list = "(*.example.com, 127.0.0.1:8080)";
    const not = (t: string) => `${t} is not in allowed-hosts ${list}: network targets are limited to them in untrusted-config mode`;
    expect(errs).toEqual([
      `standby.yml:11:25: services[0].checks[1].primary.url: ${not("api.example.com.evil.test:443")}`,
      `standby.yml:12:25: services[0].checks[1].standby.url: ${not("127.0.0.1:9999")}`,
      `standby.yml:16:18: services[0].checks[2].primary: ${not("evil.test:5432")}`,
      `standby.yml:22:18: services[0].checks[3].standby: ${not("the Unix socket /var/run/docker.sock")}`,
      `standby.yml:23:22: services[0].checks[3].nodes.dr: ${not("10.9.9.9:6379")}`,
      `standby.yml:27:23: services[0].checks[4].nameservers[0]: ${not("1.1.1.1:53")}`,
      `standby.yml:29:26: services[0].checks[4].standby.host: ${not("orders.example.net:443")}`,
      `standby.yml:33:55: services[0].checks[5].standby.addresses[0]: ${not("203.0.113.9:443")}`,
      `standby.yml:36:49: services[0].checks[6].primary.endpoint: ${not("169.254.169.254:80")}`,
      `standby.yml:40:64: services[0].checks[7].primary.jwks: ${not("keys.evil.test:443")}`,
      `standby.yml:42:27: notify.webhook.url: ${not("hooks.evil.test:443")}`,
    ]);
    // Without allowed-hosts any host is fine (commands, env and files are still confined).
    expect(errors(checks, mode(), {}, top)).toEqual([]);
  });

  it("a URL in an option no kind tagged is a network target too; labels (descriptions, side vars) are not", () => {
    const checks =
      `      - id: fate\n        kind: shared-fate\n        description: "runbook https://wiki.evil.test/x"\n        primary: { identity: "https://login.evil.test", hosts: [a.example.com] }\n        standby: { identity: "https://login.evil.test", hosts: [b.evil.test] }\n`;
    const errs = errors(checks, mode({ allowedHosts: ["*.example.com"] }), {}, "");
    expect(errs).toEqual([
      "standby.yml:9:65: services[0].checks[0].standby.hosts[0]: b.evil.test is not in allowed-hosts (*.example.com): network targets are limited to them in untrusted-config mode",
    ]);
  });

  it("allowed-hosts patterns: a wildcard covers subdomains only, a port pins the port, case and a trailing dot do not matter", () => {
    const ps = ["*.example.com", "db.internal:5432", "[::1]", "10.0.0.5"].map((p) => parseHostPattern(p) as HostPattern);
    const ok = (host: string, port?: number) => allowed(port === undefined ? { host } : { host, port }, ps);
    expect(ok("a.example.com", 443)).toBe(true);
    expect(ok("a.b.EXAMPLE.com.", 443)).toBe(true);
    expect(ok("example.com", 443)).toBe(false);
    expect(ok("evilexample.com", 443)).toBe(false);
    expect(ok("db.internal", 5432)).toBe(true);
    expect(ok("db.internal", 6379)).toBe(false);
    expect(ok("::1", 6379)).toBe(true);
    expect(ok("10.0.0.5", 1)).toBe(true);
    expect(ok("10.0.0.6", 1)).toBe(false);
    expect(allowed({ socket: "/run/x.sock" }, ps)).toBe(false);
    expect(parseHostPattern("http://x.com")).toMatch(/expected a host name/);
    expect(parseHostPattern("x.com:0")).toMatch(/invalid port/);
  });
});

describe("--untrusted-config through the built CLI", () => {
  const marker = join(root, "cli-command-ran");
  const cfg = join(ws, "cli.yml");
  beforeAll(() => {
    writeFileSync(
      cfg,
      apiConfig(
        `      - id: drill\n        kind: drill-recency\n        cadence: "0 0 1 1 *"\n        lastDrill: { command: ["${process.execPath}", "-e", "require('fs').writeFileSync('${marker}', 'x'); console.log(new Date().toISOString())"] }\n` +
          `      - id: env\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { file: "a.json", pointer: "\${env:CLI_SECRET}" }\n` +
          `      - id: file\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { file: "\${file:innocent.txt}" }\n` +
          `      - id: net\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { url: "http://127.0.0.1:9/x" }\n`,
      ) + "history: { enabled: false }\n",
    );
  });

  it("validate and scan refuse each escape with exit 2 and file:line:column; nothing runs", async () => {
    const args = ["--untrusted-config", "--allowed-hosts", "*.example.com"];
    const v = await runCli(["validate", "-c", "cli.yml", ...args], { cwd: ws, env: { CLI_SECRET: "/a" } });
    expect(v.code).toBe(2);
    const lines = v.stderr.trim().split("\n");
    expect(lines[0]).toBe("standby: invalid config (4 problems):");
    expect(lines.slice(1).map((l) => l.trim().replace(/: .*?: /, ": ").slice(0, 60))).toEqual([
      expect.stringMatching(/^cli\.yml:10:31: command sources are not allowed/),
      expect.stringMatching(/^cli\.yml:14:45: \$\{env:CLI_SECRET\} is not allowed in untrusted/),
      expect.stringMatching(/^cli\.yml:18:26: \$\{file:innocent\.txt\} is outside the workspa/),
      expect.stringMatching(/^cli\.yml:22:25: 127\.0\.0\.1:9 is not in allowed-hosts/),
    ]);
    expect(v.stderr).not.toContain("OUTSIDE-SECRET");
    const s = await runCli(["scan", "-c", "cli.yml", ...args, "--allowed-env", "NOPE"], { cwd: ws, env: { CLI_SECRET: "/a" } });
    expect(s.code).toBe(2);
    expect(s.stdout).toBe("");
    expect(existsSync(marker)).toBe(false);
  });

  it("without the flag the same config is trusted: the command runs", async () => {
    // Trusted, ${file:innocent.txt} is read through its link; its text names no file, which validate
    // reports (redacted): the only problem. Offline nothing is read and the config is valid.
    const v = await runCli(["validate", "-c", "cli.yml"], { cwd: ws, env: { CLI_SECRET: "/a" } });
    expect(v.code).toBe(2);
    expect(v.stderr).toContain("invalid config (1 problem)");
    expect(v.stderr).toContain("cli.yml:18:26: services[0].checks[2].standby.file: no such file: ***");
    expect(v.stderr).not.toContain("OUTSIDE-SECRET");
    expect((await runCli(["validate", "--offline", "-c", "cli.yml"], { cwd: ws })).code).toBe(0);
    const s = await runCli(["scan", "-c", "cli.yml", "--only", "drill", "-f", "json"], { cwd: ws, env: { CLI_SECRET: "/a" } });
    expect(JSON.parse(s.stdout).checks[0].status).toBe("pass");
    expect(existsSync(marker)).toBe(true);
  });

  it("--allowed-env names what ${env:} may read; --allowed-env alone is a usage error", async () => {
    const ok = await runCli(["validate", "-c", "cli.yml", "--untrusted-config", "--allowed-env", "OTHER,CLI_SECRET"], { cwd: ws, env: { CLI_SECRET: "/a" } });
    expect(ok.code).toBe(2);
    expect(ok.stderr).toContain("standby: invalid config (2 problems):");
    expect(ok.stderr).not.toContain("CLI_SECRET");
    const alone = await runCli(["validate", "-c", "cli.yml", "--allowed-env", "CLI_SECRET"], { cwd: ws });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe("standby: --allowed-env applies in untrusted-config mode only: add --untrusted-config\n");
    const bad = await runCli(["validate", "-c", "cli.yml", "--untrusted-config", "--allowed-hosts", "https://x.com"], { cwd: ws });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected a host name, *.domain, an address or one of those with :port");
  });
});

describe("the Action: untrusted-config mode by event, trust-config: true opts out", () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.url} ${req.headers.authorization ?? ""}`);
      res.setHeader("content-type", "application/json");
      res.end('{"a":1}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  function escapes(): { dir: string; yml: string; marker: string } {
    const dir = workspace();
    const out = mkdtempSync(join(tmpdir(), "standby-action-outside-"));
    writeFileSync(join(out, "secret.txt"), "ACTION-OUTSIDE-SECRET-4410\n");
    writeFileSync(join(dir, "a.json"), '{"a":1}');
    const marker = join(out, "command-ran");
    const yml =
      apiConfig(
        `      - id: cmd\n        kind: drill-recency\n        cadence: "0 0 1 1 *"\n        lastDrill: { command: ["${process.execPath}", "-e", "require('fs').writeFileSync('${marker}', 'x'); console.log(new Date().toISOString())"] }\n` +
          `      - id: env\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { url: "http://127.0.0.1:${port}/env", headers: { Authorization: "Bearer \${env:ACTIONS_RUNTIME_TOKEN}" } }\n` +
          `      - id: file\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { url: "http://127.0.0.1:${port}/file", headers: { Authorization: "\${file:${join(out, "secret.txt")}}" } }\n` +
          `      - id: net\n        kind: config-drift\n        primary: { file: a.json }\n        standby: { url: "http://localhost:${port}/net" }\n`,
      ) + "history: { enabled: false }\n";
    writeFileSync(join(dir, "standby.yml"), yml);
    return { dir, yml, marker };
  }
  const inputs = () => ({ "allowed-hosts": `127.0.0.1:${port}` });

  it("on pull_request: exit 2, each of the four escapes annotated on its line, nothing run, read or sent", async () => {
    const { dir, yml, marker } = escapes();
    hits.length = 0;
    const r = await runAction(dir, { ...inputs(), "allowed-env": "ACTIONS_RUNTIME_TOKEN" }, { GITHUB_EVENT_NAME: "pull_request", ACTIONS_RUNTIME_TOKEN: "runtime-tok-99" });
    expect(r.code).toBe(2);
    expect(r.outputs["failure-reason"]).toBe("invalid-config");
    expect(r.stdout).toContain("standby: untrusted-config mode: the pull_request event (trust-config: true opts out)");
    const errs = r.commands.filter((c) => c.command === "error");
    expect(errs.map((e) => [e.properties.file, e.properties.line, e.message.replace(/^services\[0\]\.checks\[\d\]\.[\w.]+: /, "")])).toEqual([
      ["standby.yml", String(lineOf(yml, "command:")), expect.stringMatching(/^command sources are not allowed in untrusted-config mode/)],
      ["standby.yml", String(lineOf(yml, "env:ACTIONS")), expect.stringMatching(/^\$\{env:ACTIONS_RUNTIME_TOKEN\} is never readable in untrusted-config mode/)],
      ["standby.yml", String(lineOf(yml, "secret.txt")), expect.stringMatching(/^\$\{file:.*secret\.txt\} is outside the workspace/)],
      ["standby.yml", String(lineOf(yml, "/net")), expect.stringMatching(new RegExp(`^localhost:${port} is not in allowed-hosts \\(127\\.0\\.0\\.1:${port}\\)`))],
    ]);
    expect(r.stdout + r.summary).not.toContain("ACTION-OUTSIDE-SECRET");
    expect(existsSync(marker)).toBe(false);
    expect(hits).toEqual([]);
  });

  it("pull_request_target, workflow_run and trust-config: false are untrusted too; push is trusted", async () => {
    for (const [event, trust, untrusted] of [["pull_request_target", "", true], ["workflow_run", "", true], ["push", "false", true], ["push", "", false]] as const) {
      const { dir } = escapes();
      const r = await runAction(dir, { ...inputs(), "trust-config": trust, only: "net" }, { GITHUB_EVENT_NAME: event, ACTIONS_RUNTIME_TOKEN: "runtime-tok-99" });
      expect([event, trust, r.outputs["failure-reason"]]).toEqual([event, trust, untrusted ? "invalid-config" : ""]);
    }
  });

  it("trust-config: true on pull_request: the same config runs (command, env, file, any host)", async () => {
    const { dir, marker } = escapes();
    hits.length = 0;
    const r = await runAction(dir, { ...inputs(), "trust-config": "true" }, { GITHUB_EVENT_NAME: "pull_request", ACTIONS_RUNTIME_TOKEN: "runtime-tok-99" });
    expect(r.outputs["failure-reason"]).not.toBe("invalid-config");
    expect(r.stdout).toContain("standby: trusted config: trust-config: true");
    expect(existsSync(marker)).toBe(true);
    expect(hits.sort()).toEqual(["/env Bearer runtime-tok-99", "/file ACTION-OUTSIDE-SECRET-4410", "/net "]);
    const report = JSON.parse((await import("node:fs")).readFileSync(join(dir, "standby-report.json"), "utf8")) as { checks: Array<{ id: string; status: string }> };
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([["cmd", "pass"], ["env", "pass"], ["file", "pass"], ["net", "pass"]]);
  });

  it("a bad trust-config or allowed-hosts input is exit 2", async () => {
    const { dir } = escapes();
    const r = await runAction(dir, { "trust-config": "yes" });
    expect(r.code).toBe(2);
    expect(r.commands.find((c) => c.command === "error")!.message).toContain("input 'trust-config': expected true, false or empty");
    const h = await runAction(dir, { "allowed-hosts": "https://x.com/" });
    expect(h.code).toBe(2);
    expect(h.commands.find((c) => c.command === "error")!.message).toContain("input 'allowed-hosts'");
  });
});
