// Address arithmetic for shared-fate: are two addresses in the same network prefix?
import { isIP } from "node:net";

function v4(addr: string): bigint {
  return addr.split(".").reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function v6(addr: string): bigint {
  let a = addr.toLowerCase();
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
  const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (m) {
    const n = v4(m[1]!);
    a = `${a.slice(0, m.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = a.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill("0") : [];
  return [...h, ...fill, ...t].reduce((acc, x) => (acc << 16n) | BigInt(parseInt(x || "0", 16)), 0n);
}

/** True when a and b are of the same family and share their first v4Bits / v6Bits bits. */
export function sameNetwork(a: string, b: string, v4Bits: number, v6Bits: number): boolean {
  const fa = isIP(a);
  const fb = isIP(b);
  if (fa === 0 || fa !== fb) return false;
  const [x, y, width, bits] = fa === 4 ? [v4(a), v4(b), 32n, BigInt(v4Bits)] : [v6(a), v6(b), 128n, BigInt(v6Bits)];
  const shift = width - bits;
  return x >> shift === y >> shift;
}

/** "10.1.2.0/24", "2001:db8:1::/48": the network an address is in, for messages. */
export function networkOf(addr: string, v4Bits: number, v6Bits: number): string {
  if (isIP(addr) === 4) {
    const n = (v4(addr) >> BigInt(32 - v4Bits)) << BigInt(32 - v4Bits);
    return `${[24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 255n)).join(".")}/${v4Bits}`;
  }
  const n = (v6(addr) >> BigInt(128 - v6Bits)) << BigInt(128 - v6Bits);
  const words: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) words.push(((n >> s) & 0xffffn).toString(16));
  return `${words.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}/${v6Bits}`;
}
