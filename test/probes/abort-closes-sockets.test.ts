// A check that ends (its deadline, a cancelled scan) must not leave its connection open: a socket
// that stays half-open against a server that never answers keeps `standby scan` alive after the
// report is written (the Redis driver held it for seconds; MySQL until its connect timeout).
// Each probe here talks to a real TCP server that accepts and stays silent; the probe is aborted;
// no socket to that server may be left holding the process.
// (Node's fetch may open a fresh idle keep-alive connection after an abort; it is unref'd and
// idles out, so it is not the probe's connection and does not hold the process.)
import { createServer, Socket, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJson } from "../../src/probes/http.js";
import { withMysql } from "../../src/probes/mysql.js";
import { withPostgres } from "../../src/probes/postgres.js";
import { withRedis } from "../../src/probes/redis.js";
import { readTlsChain } from "../../src/probes/tls.js";
import { waitFor } from "../helpers/servers/common.js";

let server: Server;
let port = 0;
const open = new Set<Socket>();
const accepted: Socket[] = [];

/** Client sockets to the silent server that keep the event loop alive (ref'd). */
function refSocketsToServer(): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => h instanceof Socket && h.remotePort === port && !h.destroyed).length;
}

beforeAll(async () => {
  // pauseOnConnect: the server never reads, so a client's FIN alone is never noticed.
  server = createServer({ pauseOnConnect: true }, (sock) => {
    accepted.push(sock);
    open.add(sock);
    sock.on("close", () => open.delete(sock));
    sock.on("error", () => undefined);
    // Never reads, never answers (a wedged process): a client that only half-closes (FIN) is
    // not noticed, so the socket stays until the client destroys it.
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  for (const s of open) s.destroy();
  server.close();
});

const timeout = () => Object.assign(new Error("deadline"), { name: "TimeoutError" });

const probes: Array<[string, (signal: AbortSignal) => Promise<unknown>]> = [
  ["redis", (signal) => withRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 5000, signal }, (s) => s.info("replication"))],
  ["postgres", (signal) => withPostgres(`postgres://u:p@127.0.0.1:${port}/db`, { timeoutMs: 5000, signal }, (s) => s.query("SELECT 1"))],
  ["mysql", (signal) => withMysql(`mysql://u:p@127.0.0.1:${port}/db`, { timeoutMs: 5000, signal }, (s) => s.query("SELECT 1"))],
  ["http", (signal) => fetchJson(`http://127.0.0.1:${port}/config`, { timeoutMs: 5000, signal })],
  ["tls", (signal) => readTlsChain({ address: "127.0.0.1", port, timeoutMs: 5000, signal })],
];

describe("an aborted probe closes its connection", () => {
  it.each(probes)("%s", async (_name, probe) => {
    const before = accepted.length;
    const ac = new AbortController();
    const run = probe(ac.signal);
    await waitFor("the probe's connection", async () => accepted.length > before, 5000);
    ac.abort(timeout());
    await expect(run).rejects.toMatchObject({ reason: "timeout" });
    // No socket to the server is left to hold the process (a half-closed one would be, for as
    // long as the wedged server does not read).
    await waitFor("no socket to the server holding the process", async () => refSocketsToServer() === 0, 1000);
  });
});
