import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secrets } from "../../src/config/secrets.js";
import { sendWebhook, statusChanges, webhookPayload } from "../../src/history/notify.js";

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
      { name: "orders", status: "NOT_READY" as const, score: 40, points: { earned: 0, possible: 0, excluded: 0 } },
      { name: "search", status: "DEGRADED" as const, score: 90, points: { earned: 0, possible: 0, excluded: 0 } },
      { name: "new", status: "READY" as const, score: 100, points: { earned: 0, possible: 0, excluded: 0 } },
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
