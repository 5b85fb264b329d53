// HTTP for standby watch: /metrics (Prometheus text), /healthz, /report.json. GET and HEAD only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { render } from "../report/index.js";
import { PROMETHEUS_CONTENT_TYPE } from "../report/prometheus.js";
import type { WatchEngine } from "./engine.js";

export interface ListenAddress {
  host: string;
  port: number;
}

/** "127.0.0.1:9464", "[::1]:9464", ":9464" (all interfaces: say so explicitly), "9464" (loopback). */
export function parseListen(text: string): ListenAddress | null {
  const t = text.trim();
  let host: string;
  let port: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(t);
  if (v6) [host, port] = [v6[1]!, v6[2]!];
  else if (/^\d+$/.test(t)) [host, port] = ["127.0.0.1", t];
  else {
    const i = t.lastIndexOf(":");
    if (i < 0) return null;
    [host, port] = [t.slice(0, i) || "0.0.0.0", t.slice(i + 1)];
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n > 65535) return null;
  return { host, port: n };
}

/** `current`: the engine serving now (a config reload swaps it). */
export function startServer(current: () => WatchEngine, addr: ListenAddress): Promise<Server> {
  const server = createServer((req, res) => {
    const engine = current();
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      return;
    }
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (path === "/metrics") return send(200, PROMETHEUS_CONTENT_TYPE, engine.metrics());
      if (path === "/healthz") {
        const s = engine.stats();
        const body = JSON.stringify({ status: engine.stopped ? "stopping" : "ok", uptimeSeconds: Math.round((Date.now() - engine.startedAt) / 1000), ...s }) + "\n";
        return send(engine.stopped ? 503 : 200, "application/json", body);
      }
      if (path === "/report.json") {
        const report = engine.latestReport();
        if (!report) return send(503, "application/json", JSON.stringify({ error: "no check has finished yet" }) + "\n");
        return send(200, "application/json", render(report, "json"));
      }
      if (path === "/") return send(200, "text/plain; charset=utf-8", "standby watch: /metrics /healthz /report.json\n");
      send(404, "text/plain", "not found\n");
    } catch {
      send(500, "text/plain", "internal error\n");
    }
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

export function addressOf(server: Server): string {
  const a = server.address() as AddressInfo;
  return a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
