// References that are well formed but have no value: a secret that is not set (an unset or empty
// ${env:}, a ${file:} that does not exist), or any reference offline (validate --offline reads
// none). What becomes of them depends on the mode (README "Secrets"):
// - strict (validate): each is a config error at its place;
// - per-check (scan, watch, tui, the Action): inside a check (or a service's vars) it makes only
//   the checks that need it unknown/not-configured; in notify.webhook it turns notifications off;
//   anywhere else (objectives, defaults, history..., a check's id, kind or severity) it is still a
//   config error, since a default standing in for it could change verdicts;
// - offline: none is an error, nothing depending on one is judged.
// Schema complaints about a value that holds one are echoes of the missing value (load.ts drops them).
import type { z } from "zod";
import type { CheckDefinition } from "../engine/types.js";
import type { PathSegment } from "./errors.js";
import type { RefError } from "./refs.js";

export type RefMode = "strict" | "per-check" | "offline";

export interface Unresolved {
  /** Become config issues. */
  errors: RefError[];
  /** Have no value, and are no error: schema complaints under their paths are echoes. `note` says what follows. */
  quiet: Array<RefError & { note: string }>;
  /** Why a check cannot run, by "serviceIndex/checkIndex" ("*" for every check of a service). */
  byCheck: Map<string, string[]>;
  /** notify.webhook holds one: no notification is sent. */
  webhookOff: boolean;
}

const isCheckPath = (p: PathSegment[]): boolean => p[0] === "services" && typeof p[1] === "number" && p[2] === "checks" && typeof p[3] === "number";
const isVarsPath = (p: PathSegment[]): boolean => p[0] === "services" && typeof p[1] === "number" && (p[2] === "primary" || p[2] === "standby");

export function splitUnresolved(refErrors: readonly RefError[], mode: RefMode): Unresolved {
  const out: Unresolved = { errors: [], quiet: [], byCheck: new Map(), webhookOff: false };
  const add = (key: string, why: string): void => void out.byCheck.set(key, [...(out.byCheck.get(key) ?? []), why]);
  for (const e of refErrors) {
    if (!e.unresolved || mode === "strict") {
      out.errors.push(e);
      continue;
    }
    const p = e.path;
    let then = "";
    // A check to run needs these: without its id or kind it cannot even be listed (it would vanish
    // from the report), and its severity weighs its unknown in the verdict.
    if (mode === "per-check" && isCheckPath(p) && (p[4] === "kind" || p[4] === "id" || p[4] === "severity")) {
      out.errors.push({ path: p, message: `a check's ${p[4]} must be known to load the config: ${e.unresolved}` });
      continue;
    }
    if (isCheckPath(p)) {
      add(`${p[1]}/${p[3]}`, e.unresolved);
      then = "this check does not run (unknown/not-configured)";
    } else if (isVarsPath(p)) {
      add(`${p[1]}/*`, e.unresolved);
      then = "the checks of this service do not run (unknown/not-configured)";
    } else if (p[0] === "notify" && p[1] === "webhook") {
      out.webhookOff = true;
      then = "no webhook notification is sent";
    } else if (mode !== "offline") {
      out.errors.push(e);
      continue;
    }
    out.quiet.push({ ...e, note: mode === "offline" ? e.unresolved : `${e.unresolved}: ${then}` });
  }
  return out;
}

/** `path` is `prefix` or inside it. */
export function isUnder(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/** Why check `ci` of service `si` cannot run, or null when it can. */
export function notConfiguredWhy(u: Unresolved, si: number, ci: number): string | null {
  const why = [...(u.byCheck.get(`${si}/*`) ?? []), ...(u.byCheck.get(`${si}/${ci}`) ?? [])];
  return why.length > 0 ? [...new Set(why)].join("; ") : null;
}

/** The kind, with a run() that reports the missing secret instead of reading anything. */
export function notConfigured(definition: CheckDefinition, why: string): CheckDefinition {
  return { ...definition, run: async () => ({ status: "unknown" as const, reason: "not-configured" as const, summary: why }) };
}

/**
 * Parses `value` with `schema` where the only problems are echoes of values that are not known
 * (`isEcho`): each such value is removed (then its enclosing object, while the schema requires the
 * key), so that defaults stand in and the rest is still judged. Array items are never removed (the
 * indexes that positions are found by would shift): a value the schema cannot do without stays a
 * failure. `value` itself is not changed.
 */
export function parseAround<S extends z.ZodType>(schema: S, value: unknown, isEcho: (path: PathSegment[]) => boolean): ReturnType<S["safeParse"]> {
  let copy = value;
  const climbed = new Map<string, number>();
  for (let round = 0; ; round++) {
    const parsed = schema.safeParse(copy, { reportInput: true }) as ReturnType<S["safeParse"]>;
    if (parsed.success || round >= 100) return parsed;
    const issues = parsed.error!.issues;
    if (!issues.every((i) => isEcho(i.path as PathSegment[]))) return parsed;
    const at = issues[0]!.path as PathSegment[];
    const key = JSON.stringify(at);
    const up = climbed.get(key) ?? 0;
    climbed.set(key, up + 1);
    const cut = at.slice(0, at.length - up);
    if (cut.length === 0 || typeof cut[cut.length - 1] === "number") return parsed;
    if (copy === value) copy = structuredClone(value);
    removeAt(copy, cut);
  }
}

function removeAt(root: unknown, path: PathSegment[]): void {
  let node = root;
  for (const seg of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[seg as string];
  }
  if (node !== null && typeof node === "object" && !Array.isArray(node)) delete (node as Record<string, unknown>)[path[path.length - 1] as string];
}
