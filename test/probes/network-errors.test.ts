// One classifier, every transport: a refused port, a silent server and a bad name read the same
// in HTTP, TCP, TLS, PostgreSQL, MySQL and Redis: reason, target and the cause in words.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProbeError } from "../../src/probes/errors.js";
import { httpRequest } from "../../src/probes/http.js";
import { withMysql } from "../../src/probes/mysql.js";
import { networkCause, networkError } from "../../src/probes/network-error.js";
import { withPostgres } from "../../src/probes/postgres.js";
import { withRedis } from "../../src/probes/redis.js";
import { tcpConnect } from "../../src/probes/tcp.js";
import { readTlsChain } from "../../src/probes/tls.js";
import { decisionTable } from "../helpers/decision-table.js";

decisionTable("networkCause", (code: string | undefined) => networkCause(code), [
  { name: "refused", input: "ECONNREFUSED", expected: { reason: "unreachable", words: "connection refused" } },
  { name: "reset", input: "ECONNRESET", expected: { reason: "unreachable", words: "connection reset" } },
  { name: "no route", input: "EHOSTUNREACH", expected: { reason: "unreachable", words: "no route to host" } },
  { name: "unknown host", input: "ENOTFOUND", expected: { reason: "unreachable", words: "host not found" } },
  { name: "temporary DNS failure", input: "EAI_AGAIN", expected: { reason: "unreachable" } },
  { name: "connect timeout", input: "ETIMEDOUT", expected: { reason: "timeout" } },
  { name: "undici's own timeouts", input: "UND_ERR_HEADERS_TIMEOUT", expected: { reason: "timeout" } },
  { name: "a TLS failure", input: "CERT_HAS_EXPIRED", expected: { reason: "unreachable", words: "TLS handshake failed" } },
  { name: "not a network code", input: "ER_PARSE_ERROR", expected: null as never },
  { name: "no code", input: undefined, expected: null as never },
]);

describe("an HTTP parse failure, as each Node.js fetch throws it", () => {
  // undici's HTTPParserError: Node.js 20 gives it the llhttp code, Node.js 24 (undici 7) leaves `code` undefined.
  const parserError = (code: string | undefined) => {
    const cause = Object.assign(new Error("Response does not match the HTTP/1.1 protocol (Expected HTTP/)"), { name: "HTTPParserError", code, data: "GET /secret" });
    return new TypeError("fetch failed", { cause });
  };
  it("with or without the HPE_ code: invalid-response, not valid HTTP, no echo of the bytes", () => {
    expect(networkError(parserError("HPE_INVALID_CONSTANT"), "standby http://h/x")).toMatchObject({ reason: "invalid-response", message: "standby http://h/x: the answer is not valid HTTP (HPE_INVALID_CONSTANT)" });
    expect(networkError(parserError(undefined), "standby http://h/x")).toMatchObject({ reason: "invalid-response", message: "standby http://h/x: the answer is not valid HTTP (HTTPParserError)" });
    expect(networkError(new TypeError("fetch failed", { cause: new Error("other") }), "x")).toBeNull();
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<ProbeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeError);
  return err as ProbeError;
}

describe("every transport words a refused port the same way", () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });
  const opts = { timeoutMs: 3000 };
  const cases: Array<[string, () => Promise<unknown>]> = [
    ["HTTP", () => httpRequest(`http://127.0.0.1:${port}/config`, opts)],
    ["TCP", () => tcpConnect("127.0.0.1", port, opts)],
    ["TLS", () => readTlsChain({ address: "127.0.0.1", port, servername: "localhost", timeoutMs: 3000 })],
    ["PostgreSQL", () => withPostgres(`postgres://u:CANARY-pw-7@127.0.0.1:${port}/db`, opts, async () => 1)],
    ["MySQL", () => withMysql(`mysql://u:CANARY-pw-7@127.0.0.1:${port}/db`, opts, async () => 1)],
    ["Redis", () => withRedis(`redis://:CANARY-pw-7@127.0.0.1:${port}`, opts, async () => 1)],
  ];
  for (const [name, attempt] of cases) {
    it(name, async () => {
      const err = await rejection(attempt());
      expect(err.reason).toBe("unreachable");
      expect(err.message).toContain(`127.0.0.1:${port}`);
      expect(err.message).toMatch(/connection refused \(ECONNREFUSED\)$/);
      expect(err.message).not.toContain("CANARY-pw-7");
    });
  }
});

describe("a server that accepts and never answers: timed out after the probe's timeout, in those words", () => {
  let silent: Server;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });
  const cases: Array<[string, () => Promise<unknown>]> = [
    ["HTTP", () => httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 300 })],
    ["TLS", () => readTlsChain({ address: "127.0.0.1", port, servername: "localhost", timeoutMs: 300 })],
    ["PostgreSQL", () => withPostgres(`postgres://u:p@127.0.0.1:${port}/db`, { timeoutMs: 300 }, async () => 1)],
    ["Redis", () => withRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 300 }, async () => 1)],
  ];
  for (const [name, attempt] of cases) {
    it(name, async () => {
      const err = await rejection(attempt());
      expect(err.reason).toBe("timeout");
      expect(err.message).toContain(`127.0.0.1:${port}`);
      expect(err.message).toContain("timed out after 300ms");
    });
  }
});

describe("HTTP specifics", () => {
  it("a port the Fetch standard blocks says so instead of 'request failed'", async () => {
    const err = await rejection(httpRequest("http://127.0.0.1:9/config", { timeoutMs: 1000 }));
    expect(err.message).toBe("http://127.0.0.1:9/config: fetch refuses to connect to this port (the Fetch standard's blocked ports: 1, 9, 6000, 10080...)");
  });
  it("a name that does not resolve is unreachable: host not found", async () => {
    const err = await rejection(httpRequest("http://standby.example.invalid/config", { timeoutMs: 3000 }));
    expect(err.reason).toBe("unreachable");
    expect(err.message).toMatch(/^http:\/\/standby\.example\.invalid\/config: (host not found|name lookup failed \(temporary\)) \((ENOTFOUND|EAI_AGAIN)\)$/);
  });
});
