// A real Redis primary with a replica on 127.0.0.1 for tests: no persistence, temp dir, free ports.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Socket } from "node:net";
import { findBinary, freePort, removeDir, startProcess, tempDir, waitFor, type Proc } from "./common.js";

function bins() {
  return { server: findBinary(["/usr/bin/redis-server", "redis-server"]) };
}

export function redisMissing(): string | null {
  return bins().server ? null : "redis-server (Debian package redis-server)";
}

/** One raw RESP command over a fresh socket (keeps the test helper free of the driver under test). */
export function redisCommand(port: number, args: string[], password?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    let buf = "";
    const enc = (a: string[]) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join("")}`;
    const cmds = password ? [enc(["AUTH", password]), enc(args)] : [enc(args)];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis ${args[0]} on ${port} timed out`));
    }, 5000);
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("data", (d) => {
      buf += d.toString("utf8");
      const replies = parseReplies(buf);
      if (replies && replies.length >= cmds.length) {
        clearTimeout(timer);
        sock.destroy();
        const last = replies[replies.length - 1]!;
        if (last.startsWith("-")) reject(new Error(last.slice(1)));
        else resolve(last);
      }
    });
    sock.connect(port, "127.0.0.1", () => sock.write(cmds.join("")));
  });
}

/** Minimal RESP reader: flattens each top-level reply to text; null while incomplete. */
function parseReplies(buf: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const readOne = (): string | null => {
    const eol = buf.indexOf("\r\n", i);
    if (eol < 0) return null;
    const type = buf[i];
    const line = buf.slice(i + 1, eol);
    i = eol + 2;
    if (type === "+" || type === ":") return line;
    if (type === "-") return `-${line}`;
    if (type === "$") {
      const n = Number(line);
      if (n < 0) return "";
      const b = Buffer.from(buf.slice(i), "utf8");
      if (b.length < n + 2) return null;
      const s = b.subarray(0, n).toString("utf8");
      i += s.length + 2;
      return s;
    }
    if (type === "*") {
      const n = Number(line);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) {
        const p = readOne();
        if (p === null) return null;
        parts.push(p);
      }
      return parts.join("\n");
    }
    return line;
  };
  while (i < buf.length) {
    const r = readOne();
    if (r === null) return null;
    out.push(r);
  }
  return out;
}

export class RedisNode {
  proc: Proc | null = null;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly dir: string,
    readonly password?: string,
  ) {}

  get url(): string {
    return this.password ? `redis://:${this.password}@127.0.0.1:${this.port}` : `redis://127.0.0.1:${this.port}`;
  }

  async start(extra: string[] = []): Promise<void> {
    const log = join(this.dir, `${this.name}.log`);
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir, "--dbfilename", `${this.name}.rdb`, "--logfile", log];
    args.push("--repl-diskless-sync-delay", "0");
    if (this.password) args.push("--requirepass", this.password, "--masterauth", this.password);
    this.proc = startProcess(bins().server!, [...args, ...extra], join(this.dir, `${this.name}.out`));
    await waitFor(`redis ${this.name} on ${this.port}`, async () => (await this.cmd("PING")) === "PONG", 15_000, log);
  }

  cmd(...args: string[]): Promise<string> {
    return redisCommand(this.port, args, this.password);
  }

  async info(): Promise<Record<string, string>> {
    const text = await this.cmd("INFO", "replication");
    const out: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      const at = line.indexOf(":");
      if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.proc?.stop("SIGTERM");
    this.proc = null;
  }
}

export interface RedisPair {
  primary: RedisNode;
  replica: RedisNode;
  dir: string;
  stop(): Promise<void>;
}

export async function startRedisPair(password?: string): Promise<RedisPair> {
  if (!bins().server) throw new Error(`Redis not found: ${redisMissing()}`);
  const dir = tempDir("redis");
  const primary = new RedisNode("primary", await freePort(), dir, password);
  const replica = new RedisNode("replica", await freePort(), dir, password);
  const stop = async () => {
    await Promise.all([primary.stop().catch(() => undefined), replica.stop().catch(() => undefined)]);
    removeDir(dir);
  };
  try {
    await primary.start();
    await replica.start(["--replicaof", "127.0.0.1", String(primary.port)]);
    await waitFor("redis replica link up", async () => (await replica.info()).master_link_status === "up", 15_000);
    return { primary, replica, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Re-point the replica at the primary and wait for its link and offsets to settle. */
export async function relinkRedis(pair: RedisPair): Promise<void> {
  await pair.replica.cmd("REPLICAOF", "127.0.0.1", String(pair.primary.port));
  await waitFor("redis replica link up", async () => {
    const [p, r] = [await pair.primary.info(), await pair.replica.info()];
    return r.master_link_status === "up" && r.master_sync_in_progress === "0" && p.master_repl_offset === r.slave_repl_offset;
  }, 15_000);
}

/** A Redis Sentinel (redis-server --sentinel) monitoring the pair's primary as `masterName`. */
export async function startSentinel(pair: RedisPair, masterName: string): Promise<RedisNode> {
  const port = await freePort();
  const conf = join(pair.dir, `sentinel-${port}.conf`);
  writeFileSync(
    conf,
    [`port ${port}`, "bind 127.0.0.1", `dir ${pair.dir}`, `sentinel monitor ${masterName} 127.0.0.1 ${pair.primary.port} 1`, `sentinel down-after-milliseconds ${masterName} 60000`]
      .concat(pair.primary.password ? [`sentinel auth-pass ${masterName} ${pair.primary.password}`] : [])
      .join("\n") + "\n",
  );
  const node = new RedisNode(`sentinel-${port}`, port, pair.dir);
  node.proc = startProcess(bins().server!, [conf, "--sentinel"], join(pair.dir, `sentinel-${port}.out`));
  await waitFor(`sentinel on ${port}`, async () => (await node.cmd("SENTINEL", "get-master-addr-by-name", masterName)).includes(String(pair.primary.port)), 15_000);
  return node;
}
