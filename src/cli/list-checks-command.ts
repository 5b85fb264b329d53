// `standby list-checks`: the kinds, one line each; `standby list-checks KIND`: that kind's manual,
// checks/KIND/README.md as shipped in the package.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allKinds, getKind, kinds } from "../../checks/registry.js";
import { didYouMean } from "../config/errors.js";
import { EXIT } from "../core/exit-codes.js";
import { packageRoot } from "./package-root.js";

export function listChecksCommand(kind: string | undefined, flags: { format: "text" | "json" }): number {
  if (kind !== undefined) return printManual(kind, flags);
  const rows = allKinds().map((d) => row(d.meta));
  if (flags.format === "json") {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.kind.length));
  for (const r of rows) process.stdout.write(`${r.kind.padEnd(width)}  ${r.description}\n${"".padEnd(width)}  default severity ${r.defaultSeverity}; docs: ${r.docs}\n`);
  process.stdout.write("\nstandby list-checks KIND prints that kind's manual\n");
  return EXIT.OK;
}

function row(m: { kind: string; title: string; description: string; defaultSeverity: string; docs: string }) {
  return { kind: m.kind, title: m.title, description: m.description, defaultSeverity: m.defaultSeverity, docs: m.docs };
}

function printManual(kind: string, flags: { format: "text" | "json" }): number {
  // Only a registered kind names a file: the argument never becomes a path of its own.
  const def = getKind(kind);
  if (!def) {
    process.stderr.write(`standby: unknown check kind '${safe(kind)}'${didYouMean(kind, kinds())}; the kinds are ${kinds().join(", ")}\n`);
    return EXIT.INVALID;
  }
  const root = packageRoot();
  let manual: string;
  try {
    if (root === null) throw new Error("no package.json of standby above the CLI");
    manual = readFileSync(join(root, def.meta.docs), "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    process.stderr.write(`standby: the manual of ${kind} is not in this installation: ${def.meta.docs} (${why})\n`);
    return EXIT.INTERNAL;
  }
  if (flags.format === "json") process.stdout.write(`${JSON.stringify({ ...row(def.meta), manual }, null, 2)}\n`);
  else process.stdout.write(manual.endsWith("\n") ? manual : `${manual}\n`);
  return EXIT.OK;
}

/** A kind as typed, for an error line: control characters made visible, clipped. */
function safe(text: string): string {
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
}
