// Broken and hostile servers on loopback for the fail-safe attacks (issue 15 review): each one
// stands for a way a standby (or the network in front of it) fails to give an answer.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A TCP server that does `onConnection` with every socket; all sockets destroyed on close. */
export async function tcp(onConnection: (sock: Socket) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => undefined);
    onConnection(sock);
  });
  return listen(server, sockets);
}

/** Accepts and never says a word. */
export const silent = (): Promise<Listening> => tcp(() => undefined);

/** Answers whatever it is sent with bytes that are no protocol at all, then closes. */
export const garbage = (): Promise<Listening> => tcp((s) => s.once("data", () => s.end("\x00\x01garbage\xff\xfe not a protocol\r\n\r\n")));

/** Reads a TLS ClientHello and answers with the first bytes of a ServerHello record, then nothing. */
export const halfTls = (): Promise<Listening> =>
  tcp((s) =>
    s.once("data", () => {
      // TLS record header: handshake (22), TLS 1.2, length 512; then the ServerHello type and 3 of its bytes.
      s.write(Buffer.from([0x16, 0x03, 0x03, 0x02, 0x00, 0x02, 0x00, 0x01]));
    }),
  );

/** An HTTP server answering every request with `handler`. */
export async function http(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createHttpServer(handler);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return listen(server, sockets);
}

export const status = (code: number, body = "", type = "text/plain"): Promise<Listening> =>
  http((_req, res) => {
    res.writeHead(code, { "content-type": type });
    res.end(body);
  });

export interface Udp {
  port: number;
  address: string;
  close(): Promise<void>;
}

/** A UDP "DNS server" that answers each query with `answer(query)` (null: stay silent). */
export async function udpDns(answer: (query: Buffer) => Buffer | null): Promise<Udp> {
  const sock: UdpSocket = createSocket("udp4");
  sock.on("error", () => undefined);
  sock.on("message", (q, from) => {
    if (q.length < 12) return;
    const a = answer(q);
    if (a) sock.send(a, from.port, from.address);
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  const port = sock.address().port;
  return { port, address: `127.0.0.1:${port}`, close: () => new Promise((r) => sock.close(() => r())) };
}

/** The query's name, lower case, without the trailing dot. */
export function queryName(q: Buffer): string {
  const labels: string[] = [];
  let pos = 12;
  while (pos < q.length && q[pos]! !== 0) {
    const n = q[pos]!;
    labels.push(q.subarray(pos + 1, pos + 1 + n).toString("latin1"));
    pos += 1 + n;
  }
  return labels.join(".").toLowerCase();
}

/** The query echoed back as an answer with `rcode` and no records (REFUSED = 5, SERVFAIL = 2). */
export function rcodeAnswer(q: Buffer, rcode: number): Buffer {
  const a = Buffer.from(q);
  a[2] = 0x80 | (q[2]! & 0x01); // QR, RD copied
  a[3] = 0x80 | rcode; // RA
  a.writeUInt16BE(0, 6);
  a.writeUInt16BE(0, 8);
  a.writeUInt16BE(0, 10);
  return a;
}

/**
 * A resolver in front of `upstreamPort` (an NSD): relays each question, except that names
 * matching `drop` are never answered and names matching `refuse` get REFUSED, `servfail` SERVFAIL,
 * `nxdomain` NXDOMAIN (a name that does not exist anywhere, as a recursive resolver says it).
 */
export async function relayResolver(upstreamPort: number, rules: { drop?: RegExp; refuse?: RegExp; servfail?: RegExp; nxdomain?: RegExp }): Promise<Udp> {
  const sock: UdpSocket = createSocket("udp4");
  sock.on("error", () => undefined);
  sock.on("message", (q, client) => {
    if (q.length < 12) return;
    const name = queryName(q);
    if (rules.drop?.test(name)) return;
    if (rules.refuse?.test(name)) return void sock.send(rcodeAnswer(q, 5), client.port, client.address);
    if (rules.servfail?.test(name)) return void sock.send(rcodeAnswer(q, 2), client.port, client.address);
    if (rules.nxdomain?.test(name)) return void sock.send(rcodeAnswer(q, 3), client.port, client.address);
    const up = createSocket("udp4");
    up.on("error", () => up.close());
    up.once("message", (answer) => {
      up.close();
      sock.send(answer, client.port, client.address);
    });
    up.send(q, upstreamPort, "127.0.0.1");
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  const port = sock.address().port;
  return { port, address: `127.0.0.1:${port}`, close: () => new Promise((r) => sock.close(() => r())) };
}

/** Speaks RESP, but answers every command with `reply` (default +OK): a Redis in name only. */
export const fakeRedis = (reply: (command: string) => string = () => "+OK\r\n"): Promise<Listening> =>
  tcp((s) => {
    let buf = "";
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      // Requests are arrays of bulk strings: "*N\r\n$len\r\narg\r\n...".
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        let pos = m[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const b = /^\$(\d+)\r\n/.exec(buf.slice(pos));
          if (!b) return;
          const len = Number(b[1]);
          if (buf.length < pos + b[0].length + len + 2) return;
          args.push(buf.slice(pos + b[0].length, pos + b[0].length + len));
          pos += b[0].length + len + 2;
        }
        buf = buf.slice(pos);
        s.write(reply(args.join(" ").toUpperCase()));
      }
    });
  });

function encodeName(name: string): Buffer {
  const parts = name.split(".").filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "latin1")]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** One resource record: owner, type (SOA = 6, A = 1), class IN, TTL, RDATA. */
export function rr(owner: string, type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(owner), head, rdata]);
}

export function soaRdata(mname: string, rname: string, minimum: number): Buffer {
  const nums = Buffer.alloc(20);
  [1, 3600, 900, 604800, minimum].forEach((n, i) => nums.writeUInt32BE(n, i * 4));
  return Buffer.concat([encodeName(mname), encodeName(rname), nums]);
}

export const aRdata = (ip: string): Buffer => Buffer.from(ip.split(".").map(Number));

/** An authoritative (AA) answer to `q` with the given answer records and no authority section. */
export function authoritativeAnswer(q: Buffer, answers: Buffer[]): Buffer {
  // The question section ends after the name and its 4 bytes of type and class.
  let pos = 12;
  while (q[pos]! !== 0) pos += 1 + q[pos]!;
  const question = q.subarray(12, pos + 5);
  const head = Buffer.alloc(12);
  q.copy(head, 0, 0, 2);
  head[2] = 0x84; // QR, AA
  head[3] = 0x00;
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(answers.length, 6);
  return Buffer.concat([head, question, ...answers]);
}

/** The query type (A = 1, SOA = 6, ...). */
export function queryType(q: Buffer): number {
  let pos = 12;
  while (q[pos]! !== 0) pos += 1 + q[pos]!;
  return q.readUInt16BE(pos + 1);
}

export interface Filtered {
  port: number;
  close(): Promise<void>;
}

/**
 * A port on loopback whose SYNs go unanswered, as behind a firewall that drops: a child process
 * listens with a backlog of one and never accepts (its event loop is blocked right after it has
 * printed the port), and connections fill the queue until one hangs; from then on the kernel
 * drops every new SYN and a connect hangs.
 */
export async function filteredPort(): Promise<Filtered> {
  const { spawn } = await import("node:child_process");
  const { connect } = await import("node:net");
  // Writes to a pipe are synchronous on Linux: the port is out before the loop blocks.
  const child = spawn(process.execPath, ["-e", 'const s=require("net").createServer();s.listen({port:0,host:"127.0.0.1",backlog:1},()=>{console.log(s.address().port);for(;;){}})'], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim())));
    child.once("error", reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    }
  };
  for (let i = 0; i < 16; i++) {
    const s = connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    const connected = await new Promise<boolean>((resolve) => {
      s.once("connect", () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) {
      s.destroy();
      return { port, close };
    }
    fillers.push(s);
  }
  await close();
  throw new Error("could not fill the accept queue of the filtered port");
}

/** Listens on a free loopback port; close() destroys the open sockets first, so it never waits on a client. */
async function listen(server: Server | HttpServer, sockets: Set<Socket>): Promise<Listening> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
