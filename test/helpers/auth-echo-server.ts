// A loopback HTTP server that echoes each request's Authorization header into what it answers,
// so a secret sent as a header reaches a compared document (and an error message).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface AuthEchoServer {
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/**
 * `/fail` answers 500 with the header in a text body; any other path answers a JSON document
 * `{ side: <path>, seenAuth: "<header> <path>", ...fields(req) }`.
 */
export async function startAuthEchoServer(fields: (req: IncomingMessage) => Record<string, unknown>): Promise<AuthEchoServer> {
  const server = createServer((req, res) => {
    if (req.url === "/fail") {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`upstream rejected ${req.headers.authorization}`);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ side: req.url, seenAuth: `${req.headers.authorization} ${req.url}`, ...fields(req) }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
