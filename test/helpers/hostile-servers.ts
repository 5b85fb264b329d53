// Hostile servers on loopback for the bounded-reads tests: plain net servers that speak just
// enough of a protocol to get a client to read, then send a reply that never ends. Writes honour
// backpressure, so the server side stays small however long the client keeps reading.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface Hostile {
  port: number;
  /** Bytes the server has written so far (all connections). */
  sent(): number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Write `head`, then `chunk` (default: 64 KiB of "a") until the client goes away. */
export function streamForever(sock: Socket, head: Buffer, count: (n: number) => void, chunk: Buffer = CHUNK): void {
  let open = true;
  sock.on("close", () => (open = false));
  const pump = (): void => {
    while (open) {
      count(chunk.length);
      if (!sock.write(chunk)) return void sock.once("drain", pump);
    }
  };
  count(head.length);
  sock.write(head);
  pump();
}

/** A TCP server; `onConnection` gets each socket and a byte counter. */
export async function tcpServer(onConnection: (sock: Socket, count: (n: number) => void) => void): Promise<Hostile> {
  let total = 0;
  const count = (n: number): void => void (total += n);
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => undefined);
    onConnection(sock, count);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    sent: () => total,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * Redis: whatever the client sends first is answered by a 2 GiB bulk string that never ends, or
 * ("array") by an array of 2^31-1 empty arrays: 4 bytes on the wire, an object each in the client.
 */
export function redisBomb(mode: "bulk" | "array" = "bulk"): Promise<Hostile> {
  if (mode === "array") {
    const chunk = Buffer.from("*0\r\n".repeat(16 * 1024));
    return tcpServer((sock, count) => sock.once("data", () => streamForever(sock, Buffer.from("*2147483647\r\n"), count, chunk)));
  }
  return tcpServer((sock, count) => sock.once("data", () => streamForever(sock, Buffer.from("$2147483648\r\n"), count)));
}

function pgMessage(code: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(code, 0, "latin1");
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/**
 * PostgreSQL. "error": the startup message is answered by an ErrorResponse that claims 2 GiB and
 * never ends. "rows": the startup succeeds (AuthenticationOk, ReadyForQuery) and the first query
 * gets a one-column RowDescription followed by DataRows without end: many small complete
 * messages, each becoming a row object in the driver.
 */
export function postgresBomb(mode: "error" | "rows"): Promise<Hostile> {
  return tcpServer((sock, count) => {
    if (mode === "error") {
      const head = Buffer.alloc(5);
      head.write("E", 0, "latin1");
      head.writeUInt32BE(0x7fff_fff0, 1);
      return void sock.once("data", () => streamForever(sock, head, count));
    }
    let phase = 0;
    sock.on("data", () => {
      if (phase++ === 0) {
        const auth = pgMessage("R", Buffer.from([0, 0, 0, 0]));
        const ready = pgMessage("Z", Buffer.from("I"));
        return void sock.write(Buffer.concat([auth, ready]));
      }
      if (phase !== 2) return;
      // RowDescription: one text column "v".
      const field = Buffer.concat([Buffer.from("v\0"), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0])]);
      const desc = pgMessage("T", Buffer.concat([Buffer.from([0, 1]), field]));
      // DataRow: one column holding "1"; a 64 KiB chunk of them.
      const row = pgMessage("D", Buffer.from([0, 1, 0, 0, 0, 1, 0x31]));
      const chunk = Buffer.concat(Array.from({ length: Math.floor(CHUNK.length / row.length) }, () => row));
      streamForever(sock, desc, count, chunk);
    });
  });
}

/**
 * MySQL: the server speaks first, so the greeting itself is the endless packet: 16 MiB - 1
 * payloads (the most one packet holds) chained without end, which a client must join.
 */
export function mysqlBomb(): Promise<Hostile> {
  return tcpServer((sock, count) => {
    let seq = 0;
    let left = 0;
    const header = (): Buffer => Buffer.from([0xff, 0xff, 0xff, seq++ & 0xff]);
    // A chunk source that inserts a packet header every 0xffffff payload bytes.
    let open = true;
    sock.on("close", () => (open = false));
    const pump = (): void => {
      while (open) {
        let out: Buffer;
        if (left === 0) {
          out = header();
          left = 0xffffff;
        } else {
          out = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
          left -= out.length;
        }
        count(out.length);
        if (!sock.write(out)) return void sock.once("drain", pump);
      }
    };
    pump();
  });
}

function mysqlPacket(seq: number, body: Buffer): Buffer {
  const head = Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, (body.length >> 16) & 0xff, seq & 0xff]);
  return Buffer.concat([head, body]);
}

/**
 * MySQL that accepts anyone and answers the first query with a one-column result set whose rows
 * never end: 5 bytes on the wire each (an empty string), a row object each in the client.
 */
export function mysqlRowsBomb(): Promise<Hostile> {
  return tcpServer((sock, count) => {
    const caps = 0x0001 | 0x0008 | 0x0200 | 0x2000 | 0x8000 | 0x80000; // long password, db, 4.1, transactions, secure, plugin auth
    const greeting = Buffer.concat([
      Buffer.from([10]),
      Buffer.from("5.7.99-hostile\0"),
      Buffer.from([1, 0, 0, 0]),
      Buffer.from("abcdefgh\0"),
      Buffer.from([caps & 0xff, (caps >> 8) & 0xff, 33, 2, 0, (caps >> 16) & 0xff, (caps >> 24) & 0xff, 21]),
      Buffer.alloc(10),
      Buffer.from("ijklmnopqrst\0"),
      Buffer.from("mysql_native_password\0"),
    ]);
    sock.write(mysqlPacket(0, greeting));
    let phase = 0;
    sock.on("data", () => {
      if (phase++ === 0) return void sock.write(mysqlPacket(2, Buffer.from([0, 0, 0, 2, 0, 0, 0])));
      if (phase !== 2) return;
      const lenenc = (t: string): Buffer => Buffer.concat([Buffer.from([t.length]), Buffer.from(t)]);
      const column = Buffer.concat([lenenc("def"), lenenc(""), lenenc(""), lenenc(""), lenenc("v"), lenenc(""), Buffer.from([0x0c, 33, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0])]);
      const eof = Buffer.from([0xfe, 0, 0, 2, 0]);
      let seq = 1;
      const head = Buffer.concat([mysqlPacket(seq++, Buffer.from([1])), mysqlPacket(seq++, column), mysqlPacket(seq++, eof)]);
      // Rows carry consecutive sequence ids; a chunk of 256 rows keeps them in step.
      const rows = Buffer.concat(Array.from({ length: 256 * 50 }, (_, i) => mysqlPacket(seq + i, Buffer.from([0]))));
      streamForever(sock, head, count, rows);
    });
  });
}

/** A DNS message header (12 bytes) with the given id and flags, no records. */
export function dnsHeader(id: number, flags: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  return h;
}

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;

/**
 * DNS over TCP that never stops answering: an endless run of well-framed, header-only answers
 * that carry another id than the query's (a client waiting for its own id reads them all).
 */
export function dnsTcpBomb(): Promise<Hostile> {
  return tcpServer((sock, count) => {
    sock.once("data", (q: Buffer) => {
      const id = q.length >= 4 ? q.readUInt16BE(2) : 0;
      const msg = dnsHeader((id + 1) & 0xffff, QR | AA);
      const framed = Buffer.concat([Buffer.from([0, msg.length]), msg]);
      const chunk = Buffer.concat(Array.from({ length: Math.floor(CHUNK.length / framed.length) }, () => framed));
      streamForever(sock, Buffer.alloc(0), count, chunk);
    });
  });
}

export interface HostileUdp {
  port: number;
  close(): Promise<void>;
}

/**
 * DNS over UDP on the same port as a TCP server: answers every query with the truncated (TC)
 * bit, so the client asks again over TCP. With `flood`, every query is answered instead by a
 * stream of datagrams carrying another id (a client waiting for its own id reads them all).
 */
export async function dnsUdp(port: number, mode: "truncate" | "flood"): Promise<HostileUdp> {
  const sock: UdpSocket = createSocket("udp4");
  let closed = false;
  sock.on("error", () => undefined);
  sock.on("message", (q, from) => {
    if (q.length < 12) return;
    const id = q.readUInt16BE(0);
    if (mode === "truncate") return void sock.send(dnsHeader(id, QR | AA | TC), from.port, from.address);
    const junk = Buffer.concat([dnsHeader((id + 1) & 0xffff, QR | AA), Buffer.alloc(8 * 1024)]);
    let n = 0;
    const burst = (): void => {
      for (let i = 0; i < 64 && n < 4096 && !closed; i++, n++) sock.send(junk, from.port, from.address, () => undefined);
      if (n < 4096 && !closed) setImmediate(burst);
    };
    burst();
  });
  await new Promise<void>((r) => sock.bind(port, "127.0.0.1", r));
  return {
    port,
    close: () => {
      closed = true;
      return new Promise((r) => sock.close(() => r()));
    },
  };
}
