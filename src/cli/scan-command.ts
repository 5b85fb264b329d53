import { redact } from "../core/secrets.js";
import { scan } from "../engine/scan.js";
import { exitCodeFor, type FailOn } from "../engine/score.js";
import { selectChecks } from "../engine/select.js";
import type { Report } from "../engine/types.js";
import { render, type Format } from "../report/index.js";
import { loadOrReport } from "./load-or-report.js";
import type { UntrustedFlags } from "./untrusted-flags.js";
import { outputProblem, useColor, writeReport } from "./output.js";
import { EXIT } from "../core/exit-codes.js";

export interface ScanFlags extends UntrustedFlags {
  config: string;
  format: Format;
  output?: string;
  only?: string[];
  failOn: FailOn;
  concurrency?: number;
  /** --history FILE, or false for --no-history */
  history?: string | boolean;
  due?: boolean;
  shard?: string;
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  if (flags.output) {
    const problem = outputProblem(flags.output);
    if (problem) {
      process.stderr.write(`standby: -o: cannot write the report: ${redact(problem)}\n`);
      return EXIT.INVALID;
    }
  }
  const config = loadOrReport(flags.config, flags);
  if (!config) return EXIT.INVALID;
  let checks = selectChecks(config.checks, flags.only);
  if (checks.length === 0) {
    process.stderr.write(`standby: --only ${redact(flags.only?.join(",") ?? "")} matches no check; ids: ${config.checks.map((c) => c.id).join(", ")}\n`);
    return EXIT.INVALID;
  }
  let shard: { index: number; count: number } | undefined;
  if (flags.shard !== undefined) {
    const { resolveShard, selectShard } = await import("../schedule/shard.js");
    const resolved = resolveShard(flags.shard);
    if ("error" in resolved) {
      process.stderr.write(`standby: ${redact(resolved.error)}\n`);
      return EXIT.INVALID;
    }
    shard = resolved.shard;
    checks = selectShard(checks, shard);
  }

  const { historyFile, HistorySession, dueChecks, fullyCovered } = await import("../history/session.js");
  const file = historyFile(config, flags);
  if (flags.due && !file) {
    const why = flags.history === false ? "drop --no-history" : "the config turns it off (history.enabled: false)";
    process.stderr.write(`standby: --due needs the history (it decides what is due from the last runs); ${why}\n`);
    return EXIT.INVALID;
  }
  let session: InstanceType<typeof HistorySession> | null = null;
  if (file) {
    try {
      session = new HistorySession(file, config.history?.maxBytes);
      for (const note of session.notes) process.stderr.write(`standby: history: ${redact(note)}\n`);
    } catch (err) {
      process.stderr.write(`standby: history: cannot read ${redact(file)}: ${redact((err as Error).message)}; going on without it\n`);
    }
  }
  if (flags.due) {
    // The history named above cannot be read (a link, a directory, a FIFO): a usage problem, said above.
    if (!session) return EXIT.INVALID;
    const { due, notDue } = dueChecks(checks, session.state, new Date());
    if (due.length === 0) {
      const next = notDue.sort((a, b) => a.next.getTime() - b.next.getTime())[0];
      process.stderr.write(`standby: no check is due${next ? `; next: ${next.check.id} at ${next.next.toISOString()}` : ""}\n`);
      return EXIT.OK;
    }
    checks = due;
  }

  // Ctrl-C cancels running checks; they report unknown and the partial report is still printed.
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let report: Report = await scan(config, checks, { concurrency: flags.concurrency, signal: cancel.signal });
    if (shard) report.shard = { ...shard, services: config.services.map((s) => s.name) };
    if (session && !cancel.signal.aborted && checks.length > 0) {
      const { annotateReport } = await import("../history/state.js");
      report = annotateReport(report, session.state);
      const ran = new Set(checks.map((c) => c.id));
      const covered = fullyCovered(config, ran);
      const hook = config.notify?.webhook;
      let changes: import("../history/notify.js").StatusChange[] = [];
      let notifyMod: typeof import("../history/notify.js") | null = null;
      if (hook) {
        notifyMod = await import("../history/notify.js");
        changes = notifyMod.statusChanges(report, session.state.services, covered);
      }
      session.append(session.record(report, report.checks, "scan", checks.length < config.checks.length, covered));
      if (hook && notifyMod && changes.length > 0) await notifyMod.sendWebhook(hook, notifyMod.webhookPayload(hook.format, changes, report), { signal: cancel.signal });
    }
    const out = render(report, flags.format, { color: !flags.output && flags.format === "text" && useColor(process.stdout) });
    if (flags.output) {
      if (!writeReport(flags.output, out)) return EXIT.INVALID;
      process.stderr.write(`standby: ${report.status}, score ${report.score}/100; ${flags.format} report written to ${flags.output}\n`);
    } else {
      process.stdout.write(out);
    }
    if (shard && checks.length === 0) {
      process.stderr.write(`standby: shard ${shard.index}/${shard.count} has no checks; nothing to judge (merge the shards' reports with \`standby merge\`)\n`);
      return EXIT.OK;
    }
    return exitCodeFor(report.status, flags.failOn);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
