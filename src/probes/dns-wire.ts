// The DNS wire format (RFC 1035) for the few record types standby reads: encode one question,
// decode a whole message (name compression, SOA, TXT, AAAA with zero-run compression).
// Malformed input is a ProbeError("invalid-response"), never an exception of another kind.
import { ProbeError } from "./errors.js";

export const RR_TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41 } as const;
export type RrTypeName = keyof typeof RR_TYPES;
const TYPE_NAMES = new Map<number, string>(Object.entries(RR_TYPES).map(([k, v]) => [v, k]));

export const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"] as const;

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface ResourceRecord {
  name: string;
  type: string;
  class: number;
  /** seconds */
  ttl: number;
  /** A/AAAA: address; NS/CNAME: target name; SOA: SoaData; TXT: joined strings; others: hex. */
  data: string | SoaData;
}

export interface DnsMessage {
  id: number;
  flags: { qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean };
  rcode: string;
  questions: { name: string; type: string }[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** "udp" or "tcp" */
  transport: string;
}

/** Lower-case, no trailing dot. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\.$/, "").toLowerCase();
}

export function encodeQuery(id: number, name: string, type: RrTypeName, options: { rd?: boolean; edns?: boolean } = {}): Buffer {
  const labels = normaliseName(name).split(".").filter(Boolean);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(options.rd ? 0x0100 : 0, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(options.edns === false ? 0 : 1, 10);
  parts.push(header);
  for (const l of labels) {
    const b = Buffer.from(l, "ascii");
    if (b.length === 0 || b.length > 63) throw new ProbeError("error", `invalid DNS name ${JSON.stringify(name)}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const q = Buffer.alloc(4);
  q.writeUInt16BE(RR_TYPES[type], 0);
  q.writeUInt16BE(1, 2);
  parts.push(q);
  if (options.edns !== false) {
    // OPT pseudo-RR: root name, type 41, UDP payload 1232 (the DNS flag day size), no options.
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(RR_TYPES.OPT, 1);
    opt.writeUInt16BE(1232, 3);
    parts.push(opt);
  }
  return Buffer.concat(parts);
}

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProbeError("invalid-response", "truncated DNS message");
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    for (let hops = 0; ; ) {
      if (pos >= this.buf.length) throw new ProbeError("invalid-response", "truncated DNS name");
      const len = this.buf[pos]!;
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new ProbeError("invalid-response", "truncated DNS name pointer");
        if (++hops > 64) throw new ProbeError("invalid-response", "DNS name compression loop");
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1]!;
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) throw new ProbeError("invalid-response", "truncated DNS label");
      labels.push(this.buf.toString("ascii", pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
    return labels.join(".").toLowerCase();
  }
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const typeNum = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  r.need(rdlen);
  const end = r.pos + rdlen;
  const type = TYPE_NAMES.get(typeNum) ?? `TYPE${typeNum}`;
  let data: string | SoaData;
  switch (typeNum) {
    case RR_TYPES.A:
      data = [...r.buf.subarray(r.pos, end)].join(".");
      break;
    case RR_TYPES.AAAA: {
      const words: string[] = [];
      for (let i = r.pos; i < end; i += 2) words.push(r.buf.readUInt16BE(i).toString(16));
      data = compressV6(words);
      break;
    }
    case RR_TYPES.NS:
    case RR_TYPES.CNAME:
      data = r.name();
      break;
    case RR_TYPES.SOA:
      data = { mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    case RR_TYPES.TXT: {
      const strings: string[] = [];
      for (let i = r.pos; i < end; ) {
        const n = r.buf[i]!;
        strings.push(r.buf.toString("utf8", i + 1, i + 1 + n));
        i += 1 + n;
      }
      data = strings.join("");
      break;
    }
    default:
      data = r.buf.toString("hex", r.pos, end);
  }
  r.pos = end;
  return { name, type, class: cls, ttl, data };
}

function compressV6(words: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < words.length; ) {
    if (words[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(":");
  return `${words.slice(0, best).join(":")}::${words.slice(best + bestLen).join(":")}`;
}

export function decodeMessage(buf: Buffer, transport = "udp"): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const f = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions: DnsMessage["questions"] = [];
  for (let i = 0; i < counts[0]!; i++) {
    const name = r.name();
    const t = r.u16();
    r.u16();
    questions.push({ name, type: TYPE_NAMES.get(t) ?? `TYPE${t}` });
  }
  const section = (n: number) => {
    const out: ResourceRecord[] = [];
    for (let i = 0; i < n; i++) out.push(readRecord(r));
    return out;
  };
  const answers = section(counts[1]!);
  const authorities = section(counts[2]!);
  // Additional records are best effort: a malformed OPT should not hide a good answer.
  let additionals: ResourceRecord[] = [];
  try {
    additionals = section(counts[3]!).filter((rr) => rr.type !== "OPT");
  } catch {
    additionals = [];
  }
  return {
    id,
    flags: { qr: Boolean(f & 0x8000), aa: Boolean(f & 0x0400), tc: Boolean(f & 0x0200), rd: Boolean(f & 0x0100), ra: Boolean(f & 0x0080) },
    rcode: RCODES[f & 0x0f] ?? `RCODE${f & 0x0f}`,
    questions,
    answers,
    authorities,
    additionals,
    transport,
  };
}
