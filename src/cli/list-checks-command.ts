import { allKinds } from "../../checks/registry.js";
import { EXIT } from "../core/exit-codes.js";

export function listChecksCommand(flags: { format: "text" | "json" }): number {
  const rows = allKinds().map((d) => ({ kind: d.meta.kind, title: d.meta.title, description: d.meta.description, defaultSeverity: d.meta.defaultSeverity, docs: d.meta.docs }));
  if (flags.format === "json") {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.kind.length));
  for (const r of rows) process.stdout.write(`${r.kind.padEnd(width)}  ${r.description}\n${"".padEnd(width)}  default severity ${r.defaultSeverity}; docs: ${r.docs}\n`);
  return EXIT.OK;
}
