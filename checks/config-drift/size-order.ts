// Instance class size order: db.r6g.large < db.r6g.xlarge < db.r6g.2xlarge < ... < db.r6g.metal.
// Only classes of the same family (everything before the last dot) are ordered; across families
// (db.r6g vs db.r7g, m5 vs c5) there is no honest order, so the caller reports a plain change.

const NAMED: Record<string, number> = { nano: 0.25, micro: 0.5, small: 1, medium: 2, large: 4, xlarge: 8 };

export interface InstanceClass {
  family: string;
  /** Relative size units: large = 4, xlarge = 8, 2xlarge = 16; metal is larger than any size. */
  units: number;
}

export function parseInstanceClass(text: string): InstanceClass | null {
  const dot = text.lastIndexOf(".");
  if (dot <= 0 || dot === text.length - 1) return null;
  const family = text.slice(0, dot);
  const size = text.slice(dot + 1).toLowerCase();
  if (size in NAMED) return { family, units: NAMED[size]! };
  const m = /^(\d+)xlarge$/.exec(size);
  if (m) return { family, units: 8 * Number(m[1]) };
  const metal = /^metal(?:-(\d+)xl)?$/.exec(size);
  if (metal) return { family, units: metal[1] ? 8 * Number(metal[1]) : Number.MAX_SAFE_INTEGER };
  return null;
}

/** Negative when `a` is smaller than `b`, 0 same size, positive larger; null when not comparable. */
export function compareInstanceClass(a: string, b: string): number | null {
  const x = parseInstanceClass(a);
  const y = parseInstanceClass(b);
  if (!x || !y || x.family !== y.family) return null;
  return Math.sign(x.units - y.units);
}
