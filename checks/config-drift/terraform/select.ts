// Which instances of a state a side compares: by address glob and/or type, data sources left out
// unless asked for. Globs match the resource address (module.app.aws_lb.web) or the instance
// address (module.app.aws_lb.web["a"]): `*` stays within one dot-separated part, `**` crosses parts.
import { ProbeError } from "../../../src/kit/index.js";
import type { ParsedState, StateInstance, TerraformStateSource } from "../../../src/probes/terraform-state/index.js";

/** `*`: anything but a dot, where a quoted for_each key (["eu.west"], JSON-escaped) counts as one run whatever it holds. */
const ONE_PART = '(?:"(?:[^"\\\\]|\\\\.)*"|[^."])*';

export function addressGlob(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += ONE_PART;
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
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
