// A URL that is a secret (issue 14, item 4): `url: ${env:SECRET_URL}` with a capability path and a
// signed query. The server answers 502 with an error page that echoes the path and query; neither
// may appear in any output: every report format, the history, the Action's summary, annotations
// and report files, and watch's /report.json and /metrics.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, workspace } from "./action/helpers.js";
import { BIN, runCli } from "./helpers/cli.js";

const CAPABILITY = "cap-9d1e7c55aa";
const SIGNATURE = "SIG-4f2b8e61";
const USERINFO = "hookuser:hookpass-77";
let server: Server;
let secretUrl = "";
let secretUrlWithUser = "";
let port = 0;
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith(`/${CAPABILITY}`)) {
      res.writeHead(502, { "content-type": "text/html" }).end(`<h1>Bad gateway</h1><p>upstream for ${req.url} failed (${decodeURIComponent(req.url)})</p>`);
    } else res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  secretUrl = `http://127.0.0.1:${port}/${CAPABILITY}/config?sig=${SIGNATURE}&v=2`;
  secretUrlWithUser = `http://${USERINFO}@127.0.0.1:${port}/${CAPABILITY}/other?sig=${SIGNATURE}`;
});
afterAll(() => {
  server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CHECKS = `      - id: secret-url-drift
        kind: config-drift
        severity: high
        primary: { url: "\${env:SECRET_URL}" }
        standby: { file: b.json }
      - id: secret-url-with-user
        kind: config-drift
        primary: { file: b.json }
        standby: { url: "\${env:SECRET_URL_USER}" }
`;

function configDir(extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "standby-secret-url-"));
  dirs.push(dir);
  writeFileSync(join(dir, "b.json"), "{}");
  writeFileSync(join(dir, "standby.yml"), `version: 1\nscoring: { minScore: 0 }\n${extra}services:\n  - name: api\n    checks:\n${CHECKS}`);
  return dir;
}

function expectNoLeak(text: string, where: string): void {
  for (const s of [CAPABILITY, SIGNATURE, "hookpass-77"]) expect(text, `${where} leaks ${s}`).not.toContain(s);
}

describe("a secret URL", () => {
  it("is named by its origin only, in every format and in the history", async () => {
    const dir = configDir();
    for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
      const r = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", format], { env: { SECRET_URL: secretUrl, SECRET_URL_USER: secretUrlWithUser } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain("secret-url-drift");
      expectNoLeak(r.stdout + r.stderr, format);
      if (format === "json") {
        const [check, withUser] = (JSON.parse(r.stdout) as { checks: { status: string; reason: string; summary: string }[] }).checks;
        // Userinfo became Basic auth (fetch refuses it in the URL): the server was reached.
        expect(withUser!.summary).toContain("HTTP 502");
        expect(check!).toMatchObject({ status: "unknown", reason: "invalid-response" });
        // The failure is still explained: status, origin and an excerpt of the page.
        expect(check!.summary).toContain("HTTP 502");
        expect(check!.summary).toContain(`http://127.0.0.1:${port}`);
        expect(check!.summary).toContain("Bad gateway");
        expect(check!.summary).toContain("upstream for *** failed");
      }
    }
    const history = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".jsonl"));
    expect(history.length).toBeGreaterThan(0);
    for (const f of history) expectNoLeak(readFileSync(join(dir, f), "utf8"), `history ${f}`);
  });

  it("never reaches the Action's summary, annotations, outputs or report files", async () => {
    const ws = workspace();
    dirs.push(ws);
    writeFileSync(join(ws, "b.json"), "{}");
    writeFileSync(join(ws, "standby.yml"), `version: 1\nscoring: { minScore: 0 }\nservices:\n  - name: api\n    checks:\n${CHECKS}`);
    const r = await runAction(ws, { format: "text,markdown,junit,prometheus" }, { SECRET_URL: secretUrl, SECRET_URL_USER: secretUrlWithUser });
    expect(r.outputs.status).toBe("UNKNOWN");
    expect(r.summary).toContain("secret-url-drift");
    expect(r.commands.some((c) => c.command === "error" || c.command === "warning")).toBe(true);
    const rest = r.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n");
    for (const [where, text] of [["stdout", rest], ["stderr", r.stderr], ["summary", r.summary], ["outputs", r.outputsRaw]] as const) expectNoLeak(text, where);
    for (const f of readdirSync(ws).filter((x) => x.startsWith("standby-report"))) expectNoLeak(readFileSync(join(ws, f), "utf8"), f);
    // Each part is masked for the runner's own log, too.
    expect(r.stdout).toContain(`::add-mask::${CAPABILITY}`);
    expect(r.stdout).toContain(`::add-mask::${SIGNATURE}`);
  });

  it("never reaches watch's /report.json and /metrics", async () => {
    const dir = configDir(`defaults: { schedule: "* * * * * *" }\nwatch: { jitter: 10ms }\n`);
    const child = spawn(process.execPath, [BIN, "watch", "-c", join(dir, "standby.yml"), "--listen", "127.0.0.1:0", "--no-history"], {
      cwd: dir,
      env: { ...process.env, SECRET_URL: secretUrl, SECRET_URL_USER: secretUrlWithUser },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    try {
      const end = Date.now() + 15_000;
      let base = "";
      let report = "";
      while (Date.now() < end) {
        base ||= /http:\/\/127\.0\.0\.1:\d+/.exec(log)?.[0] ?? "";
        if (base) {
          const res = await fetch(`${base}/report.json`).catch(() => null);
          if (res?.ok) {
            report = await res.text();
            if (report.includes("secret-url-drift")) break;
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(report, log).toContain("HTTP 502");
      expectNoLeak(report, "/report.json");
      expectNoLeak(await (await fetch(`${base}/metrics`)).text(), "/metrics");
      expectNoLeak(log, "watch log");
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);
});
