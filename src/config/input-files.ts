// `standby validate`: the local files that checks will read must be there (and the kubeconfig
// contexts they name, kube-context reaches, must be in their kubeconfig). Found by the reach tags
// of the option schemas (fileOption() in src/options/reach.ts), so a new kind is covered without a
// list to keep. Only validate asks: at scan time a missing file stays that check's
// unknown/unreadable-input (a file may appear between validate and scan, and the check says it).
import { statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { PathSegment } from "./errors.js";
import type { ReachAt } from "../options/reach.js";
import { fileRefusal, reachRefusal, type TrustPolicy } from "./trust.js";
import { kubeContextProblem } from "../probes/kubernetes/kubeconfig-file.js";

/** A path as the user finds it: relative to the current directory when inside it. */
function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}

type Kind = "file" | "directory" | "other" | "missing";
function kindOf(abs: string): Kind {
  try {
    const st = statSync(abs);
    return st.isFile() ? "file" : st.isDirectory() ? "directory" : "other";
  } catch (err) {
    // ENOTDIR: a parent is a file. Other errors (EACCES...) are left to the check, which names them.
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "missing" : "other";
  }
}

/**
 * The input files among `reaches` that do not exist, resolved against the config's directory.
 * A file the policy refuses (untrusted-config mode) is never looked at: its refusal is the error.
 */
export function missingInputFiles(reaches: readonly ReachAt[], baseDir: string, policy?: TrustPolicy): Array<{ path: PathSegment[]; message: string }> {
  const out: Array<{ path: PathSegment[]; message: string }> = [];
  for (const r of reaches) {
    // A kubeconfig context must be in its kubeconfig (a refused one is the refusal's to report).
    if (r.reach.kind === "kube-context") {
      const conn = { context: r.value, ...(r.reach.kubeconfig === undefined ? {} : { kubeconfig: r.reach.kubeconfig }) };
      const problem = policy && reachRefusal(r, baseDir, policy) ? null : kubeContextProblem(conn, baseDir);
      if (problem) out.push({ path: r.path, message: problem });
      continue;
    }
    if (r.reach.kind !== "file" || r.reach.exists === "none" || r.value === "") continue;
    const abs = resolve(baseDir, r.value);
    if (policy && fileRefusal(abs, r.value, policy)) continue;
    const where = shown(abs);
    const from = !isAbsolute(r.value) && where !== r.value ? ` (${r.value} is relative to the config file's directory)` : "";
    if (r.reach.exists === "directory") {
      if (kindOf(dirname(abs)) !== "directory") out.push({ path: r.path, message: `no such directory: ${shown(dirname(abs))}, where ${r.value} would be${from}` });
      continue;
    }
    const kind = kindOf(abs);
    if (kind === "missing") out.push({ path: r.path, message: `no such file: ${where}${from}` });
    else if (kind === "directory") out.push({ path: r.path, message: `${where} is a directory, not a file${from}` });
  }
  return out;
}
