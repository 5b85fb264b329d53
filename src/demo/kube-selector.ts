// Label selectors as the API server parses them (k8s.io/apimachinery/pkg/labels): requirements
// separated by commas outside parentheses: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
// `k` (exists), `!k` (does not exist). Used by the loopback API server (kube-api-server.ts).

export type LabelTest = (labels: Record<string, string>) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function split(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

function values(list: string, whole: string): string[] {
  const vs = list.split(",").map((v) => v.trim());
  for (const v of vs) if (!VALUE.test(v)) throw new Error(`unable to parse requirement: invalid label value: "${v}" in "${whole}"`);
  return vs;
}

/** The matcher of a selector; throws with the API server's wording for a selector it cannot parse. */
export function parseLabelSelector(selector: string): LabelTest {
  if (selector.trim() === "") return () => true;
  const tests: LabelTest[] = split(selector).map((req) => {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(req))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      if (!KEY.test(key)) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
      const set = new Set(values(list, req));
      return op === "in" ? (l) => Object.hasOwn(l, key) && set.has(l[key]!) : (l) => !Object.hasOwn(l, key) || !set.has(l[key]!);
    }
    if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(req))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      if (!KEY.test(key)) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
      values(value, req);
      return op === "!=" ? (l) => l[key] !== value : (l) => Object.hasOwn(l, key) && l[key] === value;
    }
    if ((m = /^(!?)\s*(\S+)$/.exec(req)) && KEY.test(m[2]!)) {
      const key = m[2]!;
      return m[1] ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
    }
    throw new Error(`unable to parse requirement: found '${req}', expected: in, notin, =, ==, !=, or identifier`);
  });
  return (labels) => tests.every((t) => t(labels));
}
