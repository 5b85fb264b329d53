// Readiness beside configuration: a standby workload whose pods are not available cannot take the
// primary's traffic, however well its spec matches. Read from the objects as served (status
// included), before normalisation.
import type { Finding } from "../../../src/engine/types.js";
import type { KubeObject } from "../../../src/probes/kubernetes/index.js";

export interface ReadinessPaths {
  desired: string;
  available: string;
}

function at(obj: KubeObject, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** A count the API server omits when it is the default (replicas 1; availableReplicas 0, omitted when zero). */
function count(v: unknown, absent: number): number | null {
  if (v === undefined || v === null) return absent;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null;
}

/** A readiness that cannot be judged: the counts are not counts (a broken or hostile server). */
export interface NotJudged {
  notJudged: string;
}

/**
 * The standby's available pods against its own desired count and against the primary's available
 * pods; null when the standby is ready. The finding's path is relative to the object. A count that
 * is not one, on either side, is not judged: the check cannot say the standby is ready (unknown).
 */
export function readinessFinding(paths: ReadinessPaths, primary: KubeObject, standby: KubeObject): Finding | NotJudged | null {
  const desired = count(at(standby, paths.desired), 1);
  const available = count(at(standby, paths.available), 0);
  const primaryAvailable = count(at(primary, paths.available), 0);
  const bad = [desired === null ? `the standby's ${paths.desired}` : "", available === null ? `the standby's ${paths.available}` : "", primaryAvailable === null ? `the primary's ${paths.available}` : ""].filter(Boolean);
  if (desired === null || available === null || primaryAvailable === null) {
    return { notJudged: `${bad.join(" and ")} ${bad.length > 1 ? "are not counts" : "is not a count"} (the API server reports non-negative integers): readiness not judged` };
  }
  const short: string[] = [];
  if (available < desired) short.push(`below its own ${paths.desired} of ${desired}`);
  if (available < primaryAvailable) short.push(`below the primary's ${primaryAvailable} available`);
  if (short.length === 0) return null;
  return {
    message: `${paths.available} is ${available} on standby, ${short.join(" and ")}`,
    path: paths.available,
    change: "weaker",
    primary: primaryAvailable,
    standby: available,
    rule: "readiness",
    why: "a standby whose pods are not available cannot take the primary's traffic",
  };
}
