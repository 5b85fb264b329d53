// Side-var substitution (DESIGN.md "Drift normalisation"): each primary side-var value inside a
// primary string becomes the standby value of the same var, so `orders.use1.example.com` is
// compared with its `orders.usw2.example.com` twin. For checks that compare names across sides.

/** Returns the substitution, or identity when no var differs between the sides. */
export function sideVarSubstitution(primary: Record<string, string>, standby: Record<string, string>): (text: string) => string {
  const map = new Map<string, string>();
  // Longest value first, so `us-east-1` is replaced whole before a shorter var could split it.
  const pairs = Object.entries(primary)
    .filter(([name, from]) => from !== "" && typeof standby[name] === "string" && standby[name] !== from)
    .sort((a, b) => b[1].length - a[1].length);
  for (const [name, from] of pairs) if (!map.has(from)) map.set(from, standby[name]!);
  if (map.size === 0) return (text) => text;
  const re = new RegExp([...map.keys()].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(re, (m) => map.get(m)!);
}
