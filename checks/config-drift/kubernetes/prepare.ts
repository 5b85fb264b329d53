// Kubernetes objects as they really are, made comparable: `status` is what the cluster observes,
// not configuration, so only the paths under it that a rule reads are kept (readiness reads
// status.availableReplicas on its own, from the object as served); Secret values become hashes
// (secret.ts). Identity and server bookkeeping are left to the common rules (rules/k8s-common.ts).
import { GlobSet, type GlobState } from "../paths.js";
import type { KubeObject } from "../../../src/probes/kubernetes/index.js";
import { setOwn } from "../../../src/core/own-property.js";
import { SecretHasher } from "./secret.js";

export interface PrepareRules {
  /** Paths a rule compares (not ignores): user and pack rules, atLeast, tolerance. */
  read: readonly string[];
  /** The kind is v1 Secret: hash its values. */
  secret: boolean;
}

export class KubePreparer {
  private readonly status: GlobSet | null;
  private readonly hasher: SecretHasher | null;

  constructor(rules: PrepareRules) {
    // A rule speaks for its path and everything below it.
    const under = rules.read.filter((p) => mayReachStatus(p)).map((p) => `${p}.**`);
    this.status = under.length > 0 ? new GlobSet(under) : null;
    this.hasher = rules.secret ? new SecretHasher() : null;
  }

  /** A copy fit for the judge; the object itself is not changed. */
  prepare(obj: KubeObject): KubeObject {
    let out = this.hasher ? this.hasher.hash(obj) : obj;
    if ("status" in out) {
      const kept = this.status ? keep(out.status, this.status, this.status.step(this.status.start, "status")) : undefined;
      const copy: KubeObject = { ...out };
      delete copy.status;
      if (kept !== undefined) copy.status = kept;
      out = copy;
    }
    return out;
  }
}

/** `status.x`, `**.x`, `*.x`: a pattern whose first segment can be `status`. */
function mayReachStatus(pattern: string): boolean {
  const first = pattern.split(".")[0] ?? "";
  return first === "status" || first.includes("*");
}

/** The parts of `v` on or under a matched path; undefined when none. */
function keep(v: unknown, globs: GlobSet, st: GlobState): unknown {
  if (st.accept >= 0) return v;
  if (st.dead || v === null || typeof v !== "object") return undefined;
  if (Array.isArray(v)) {
    // Positions are not path segments: every item is matched with the array's state.
    const items = v.map((item) => keep(item, globs, st));
    return items.some((i) => i !== undefined) ? items.map((i) => i ?? null) : undefined;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    const kept = keep(child, globs, globs.step(st, k));
    if (kept !== undefined) setOwn((out ??= {}), k, kept);
  }
  return out;
}
