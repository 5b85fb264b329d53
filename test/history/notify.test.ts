import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secrets } from "../../src/core/secrets.js";
import { sendWebhook, statusChanges, webhookPayload } from "../../src/history/notify.js";
import { ROOT, runCli } from "../helpers/cli.js";

let server: Server;
let base = "";
const received: Array<{ path: string; body: unknown }> = [];
let plan: number[] = []; // status codes to answer, in order; 0 = never answer

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(body) });
      const code = plan.shift() ?? 200;
      if (code === 0) return; // hang
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const hook = (path: string, extra = {}) => ({ url: `${base}${path}`, format: "json" as const, timeoutMs: 500, retries: 3, ...extra });
const report = { status: "NOT_READY" as const, score: 40, startedAt: "2026-01-01T00:00:00.000Z" };
const changes = [{ service: "orders", from: "READY" as const, to: "NOT_READY" as const, score: 40 }];

describe("webhook notifications", () => {
  it("status changes only for services with a known, different previous status", () => {
    const prev = new Map([["orders", "READY" as const], ["search", "DEGRADED" as const]]);
    const services = [
      { name: "orders", status: "NOT_READY" as const, score: 40, points: { earned: 0, possible: 0, excluded: 0, undecided: 0 } },
      { name: "search", status: "DEGRADED" as const, score: 90, points: { earned: 0, possible: 0, excluded: 0, undecided: 0 } },
      { name: "new", status: "READY" as const, score: 100, points: { earned: 0, possible: 0, excluded: 0, undecided: 0 } },
    ];
    expect(statusChanges({ services }, prev)).toEqual([{ service: "orders", from: "READY", to: "NOT_READY", score: 40 }]);
    expect(statusChanges({ services }, prev, new Set(["search"]))).toEqual([]);
  });

  it("retries with backoff until delivered", async () => {
    received.length = 0;
    plan = [500, 503, 200];
    const waits: number[] = [];
    const ok = await sendWebhook(hook("/json"), webhookPayload("json", changes, report), { backoffMs: (n) => (waits.push(n), 5) });
    expect(ok).toBe(true);
    expect(received).toHaveLength(3);
    expect(waits).toEqual([1, 2]);
    expect(received[0]!.body).toEqual({ event: "standby.status_changed", at: report.startedAt, status: "NOT_READY", score: 40, changes });
  });

  it("slack payload is a text message", () => {
    const p = webhookPayload("slack", changes, report) as { text: string };
    expect(p.text).toContain("*orders*: READY → *NOT_READY* (score 40)");
  });

  it("gives up after the retries, logs once (redacted, URL by origin only), never throws", async () => {
    secrets.add("s3cr3t-hook-path");
    try {
      plan = [500, 500, 500, 500];
      received.length = 0;
      const logs: string[] = [];
      const ok = await sendWebhook(hook("/services/s3cr3t-hook-path"), { x: 1 }, { backoffMs: () => 1, log: (l) => logs.push(l) });
      expect(ok).toBe(false);
      expect(received).toHaveLength(4);
      expect(logs).toEqual([`standby: notify: webhook ${base} failed (HTTP 500); the status change was not delivered`]);
    } finally {
      secrets.clear();
    }
  });

  it("times out a hanging endpoint per attempt; a 4xx is not retried; a refused connection is logged", async () => {
    const logs: string[] = [];
    plan = [0, 0];
    const t0 = Date.now();
    expect(await sendWebhook(hook("/hang", { timeoutMs: 100, retries: 1 }), {}, { backoffMs: () => 1, log: (l) => logs.push(l) })).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(logs[0]).toMatch(/timed out after 100ms/);
    plan = [404];
    received.length = 0;
    expect(await sendWebhook(hook("/gone"), {}, { backoffMs: () => 1, log: (l) => logs.push(l) })).toBe(false);
    expect(received).toHaveLength(1);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await sendWebhook({ ...hook("/"), url: `http://127.0.0.1:${port}/x`, retries: 0 }, {}, { log: (l) => logs.push(l) })).toBe(false);
    expect(logs[2]).toMatch(/ECONNREFUSED/);
  });
});

describe("standby scan notifies on a status change (real CLI, real receiver)", () => {
  it("posts once when the service's status changes, keeps the secret URL out of every output, and a dead hook never fails the scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-notify-"));
    cpSync(join(ROOT, "examples/quickstart/configs"), join(dir, "configs"), { recursive: true });
    const standbyFile = join(dir, "standby-flags.yaml");
    writeFileSync(
      join(dir, "standby.yml"),
      `version: 1
scoring: { minScore: 0 }
notify:
  webhook: { url: "${base}/hook/\${env:HOOK_TOKEN}", format: slack, timeout: 300ms, retries: 1 }
services:
  - name: orders
    checks:
      - id: flags
        kind: config-drift
        severity: high
        primary: { file: configs/primary/flags.yaml }
        standby: { file: standby-flags.yaml }
`,
    );
    const canary = "CANARY-hook-7f3e1c";
    const scan = () => runCli(["scan", "-c", join(dir, "standby.yml"), "-f", "json", "--fail-on", "never"], { env: { HOOK_TOKEN: canary } });
    received.length = 0;
    plan = [];
    cpSync(join(dir, "configs/primary/flags.yaml"), standbyFile);
    const first = await scan(); // READY, first time seen: not a change
    expect(JSON.parse(first.stdout).status).toBe("READY");
    const same = await scan(); // READY again: no change
    expect(same.code).toBe(0);
    expect(received).toHaveLength(0);

    cpSync(join(dir, "configs/standby/flags.yaml"), standbyFile);
    const changed = await scan();
    expect(JSON.parse(changed.stdout).status).toBe("NOT_READY");
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe(`/hook/${canary}`);
    expect((received[0]!.body as { text: string }).text).toContain("*orders*: READY → *NOT_READY*");

    // The hook now fails every attempt: logged by origin only, the scan goes on with its own exit code.
    plan = [500, 500];
    cpSync(join(dir, "configs/primary/flags.yaml"), standbyFile);
    const dead = await runCli(["scan", "-c", join(dir, "standby.yml"), "-f", "json"], { env: { HOOK_TOKEN: canary } });
    expect(dead.code).toBe(0);
    expect(JSON.parse(dead.stdout).status).toBe("READY");
    expect(received).toHaveLength(3);
    expect(dead.stderr).toContain(`standby: notify: webhook ${base} failed (HTTP 500)`);
    for (const r of [first, same, changed, dead]) expect(r.stdout + r.stderr).not.toContain(canary);
    expect(readFileSync(join(dir, ".standby/history.jsonl"), "utf8")).not.toContain(canary);
  }, 30_000);
});
