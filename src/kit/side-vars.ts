// Side-var substitution (DESIGN.md "Drift normalisation"): each primary side-var value inside a
// primary string becomes the standby value of the same var, so `orders.use1.example.com` is
// compared with its `orders.usw2.example.com` twin. The one substituter every kind uses.

/** Replaces primary side-var values inside strings by the standby value of the same var. */
export interface Substituter {
  /** Names of the vars that take part (values are not secrets, but evidence only needs names). */
  readonly names: readonly string[];
  apply(text: string): string;
}

/**
 * Pairs vars by name; skips empty primary values and identical values. Longest primary value
 * first, so `us-east-1` is replaced whole before a shorter var (`us`, `1`) could break it; equal
 * lengths in code-point order, so two vars with the same value always resolve the same way.
 */
export function makeSubstituter(primary: Readonly<Record<string, string>>, standby: Readonly<Record<string, string>>): Substituter | null {
  const pairs: Array<[string, string, string]> = [];
  for (const [name, from] of Object.entries(primary)) {
    const to = standby[name];
    if (typeof from !== "string" || from === "" || typeof to !== "string" || from === to) continue;
    pairs.push([name, from, to]);
  }
  if (pairs.length === 0) return null;
  pairs.sort((a, b) => b[1].length - a[1].length || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  const map = new Map<string, string>();
  for (const [, from, to] of pairs) if (!map.has(from)) map.set(from, to);
  const re = new RegExp([...map.keys()].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const replace = (m: string): string => map.get(m) ?? m;
  return {
    names: pairs.map((p) => p[0]).sort(),
    apply: (text) => text.replace(re, replace),
  };
}

/** The substitution as a function (identity when no var differs between the sides). */
export function substitution(primary: Readonly<Record<string, string>>, standby: Readonly<Record<string, string>>): (text: string) => string {
  const sub = makeSubstituter(primary, standby);
  return sub ? sub.apply : (text) => text;
}
