// --shard I/N: a stable subset of checks, by FNV-1a (32-bit) of the check id modulo N.
// Adding or removing a check never moves the others between shards.
export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count || count > 10_000) return null;
  return { index, count };
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function inShard(id: string, shard: Shard): boolean {
  return fnv1a(id) % shard.count === shard.index - 1;
}

export function selectShard<T extends { id: string }>(checks: readonly T[], shard: Shard | undefined): T[] {
  return shard ? checks.filter((c) => inShard(c.id, shard)) : [...checks];
}
