import { writeFileSync } from "node:fs";
import { redact } from "../config/secrets.js";
import { scan } from "../engine/scan.js";
import { exitCodeFor, type FailOn } from "../engine/score.js";
import { selectChecks } from "../engine/select.js";
import { render, type Format } from "../report/index.js";
import { loadOrReport } from "./load-or-report.js";
import { useColor } from "./output.js";

export interface ScanFlags {
  config: string;
  format: Format;
  output?: string;
  only?: string[];
  failOn: FailOn;
  concurrency?: number;
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  const config = loadOrReport(flags.config);
  if (!config) return 2;
  const checks = selectChecks(config.checks, flags.only);
  if (checks.length === 0) {
    process.stderr.write(`standby: --only ${redact(flags.only?.join(",") ?? "")} matches no check; ids: ${config.checks.map((c) => c.id).join(", ")}\n`);
    return 2;
  }
  // Ctrl-C cancels running checks; they report unknown and the partial report is still printed.
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const report = await scan(config, checks, { concurrency: flags.concurrency, signal: cancel.signal });
    const out = render(report, flags.format, { color: !flags.output && flags.format === "text" && useColor(process.stdout) });
    if (flags.output) {
      writeFileSync(flags.output, out);
      process.stderr.write(`standby: ${report.status}, score ${report.score}/100; ${flags.format} report written to ${flags.output}\n`);
    } else {
      process.stdout.write(out);
    }
    return exitCodeFor(report.status, flags.failOn);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
