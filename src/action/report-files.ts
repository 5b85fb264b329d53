// Where the Action writes its reports, and writing them: inside the workspace only (after
// resolving every directory's links) and never through a link planted in the checkout. A
// report-path that is a link, or leads outside the workspace, is refused before the scan runs
// (an input error, exit 2); if a link appears at the path while the scan runs, the rename
// replaces the link itself and the file it pointed to is left untouched.
import { extname } from "node:path";
import { pathInside } from "../fs/inside.js";
import { unsafeTarget, UnsafePathError, writeFileSafely } from "../fs/safe-write.js";
import { render, type Format } from "../report/index.js";
import type { Report } from "../engine/types.js";

const EXTENSIONS: Record<Exclude<Format, "json">, string> = {
  text: ".txt",
  markdown: ".md",
  junit: ".xml",
  prometheus: ".prom",
};

export interface ReportTarget {
  format: Format;
  /** As configured (absolute, lexical): what outputs and messages show. */
  path: string;
  /** Where it is written: its directory resolved inside the workspace. */
  real: string;
}

/** The JSON report at `reportPath`, then each extra format beside it. Throws UnsafePathError. */
export function reportTargets(workspace: string, reportPath: string, formats: readonly Format[], show: (abs: string) => string): ReportTarget[] {
  const base = extname(reportPath).toLowerCase() === ".json" ? reportPath.slice(0, -5) : reportPath;
  const wanted: Array<[Format, string]> = [["json", reportPath], ...formats.filter((f) => f !== "json").map((f): [Format, string] => [f, base + EXTENSIONS[f as Exclude<Format, "json">]])];
  return wanted.map(([format, path]) => {
    const real = pathInside(workspace, path, `input 'report-path': ${show(path)}`);
    const problem = unsafeTarget(real, `input 'report-path': ${show(path)}`);
    if (problem) throw new UnsafePathError(problem);
    return { format, path, real };
  });
}

/** Writes every report; throws UnsafePathError (or the fs error) at the first that cannot be written. */
export function writeReports(report: Report, targets: readonly ReportTarget[], show: (abs: string) => string): void {
  for (const t of targets) writeFileSafely(t.real, render(report, t.format, { color: false }), show(t.path));
}
