// Which instances of a state a side compares: by address glob and/or type, data sources left out
// unless asked for. Globs match the resource address (module.app.aws_lb.web) or the instance
// address (module.app.aws_lb.web["a"]): `*` stays within one dot-separated part, `**` crosses parts.
// Everything else in a glob is literal.
import { ProbeError } from "../../../src/kit/index.js";
import type { ParsedState, StateInstance, TerraformStateSource } from "../../../src/probes/terraform-state/index.js";

type GlobToken = "*" | "**" | { lit: string };

/**
 * A glob as a matcher. `*` matches any run without a dot outside quotes (a for_each key such as
 * ["eu.west"] is one run whatever it holds), `**` any run at all, every other character itself.
 * Matched by dynamic programming, never by a backtracking regex: `***************q` against a
 * long address would otherwise block the event loop, which no check timeout can interrupt.
 */
export function addressGlob(glob: string): { test(address: string): boolean } {
  const toks: GlobToken[] = [];
  for (let i = 0; i < glob.length; ) {
    if (glob[i] !== "*") toks.push({ lit: glob[i++]! });
    else {
      let j = i;
      while (glob[j] === "*") j++;
      // A run of stars is one token: `***` is `**`.
      toks.push(j - i > 1 ? "**" : "*");
      i = j;
    }
  }
  return { test: (address) => globMatch(toks, address) };
}

/** Whether each character is a dot that separates parts (not inside a quoted key). */
function separators(address: string): boolean[] {
  const out: boolean[] = [];
  let quoted = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i]!;
    out.push(!quoted && c === ".");
    if (quoted && c === "\\") {
      out.push(false);
      i++;
    } else if (c === '"') quoted = !quoted;
  }
  return out;
}

function globMatch(toks: readonly GlobToken[], address: string): boolean {
  const sep = separators(address);
  const n = address.length;
  // can[i]: the tokens so far can match address[0, i).
  let can = new Array<boolean>(n + 1).fill(false);
  can[0] = true;
  for (const t of toks) {
    const next = new Array<boolean>(n + 1).fill(false);
    if (typeof t === "object") {
      for (let i = 0; i < n; i++) if (can[i] && address[i] === t.lit) next[i + 1] = true;
    } else {
      for (let i = 0; i <= n; i++) {
        if (can[i] || (i > 0 && next[i - 1] && (t === "**" || !sep[i - 1]))) next[i] = true;
      }
    }
    can = next;
  }
  return can[n]!;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The instances the source selects; an address that appears twice means a corrupt state. */
export function selectInstances(state: ParsedState, src: TerraformStateSource, what: string): StateInstance[] {
  const globs = list(src.address).map(addressGlob);
  const types = new Set(list(src.type));
  const seen = new Set<string>();
  const out: StateInstance[] = [];
  for (const inst of state.instances) {
    if (inst.mode === "data" && !src.dataSources) continue;
    if (types.size > 0 && !types.has(inst.type)) continue;
    if (globs.length > 0 && !globs.some((g) => g.test(inst.resource) || g.test(inst.address))) continue;
    if (seen.has(inst.address)) throw new ProbeError("invalid-response", `${what}: lists ${inst.address} twice (a corrupt state)`);
    seen.add(inst.address);
    out.push(inst);
  }
  return out;
}
