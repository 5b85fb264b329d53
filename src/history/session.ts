// History for one command run: where the file is, what it knows, and appending to it.
import { resolve } from "node:path";
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { redact } from "../core/secrets.js";
import type { CheckReport, Report } from "../engine/types.js";
import { Schedule } from "../schedule/cron.js";
import { recordOf, type HistoryRecord } from "./record.js";
import { HistoryState } from "./state.js";
import { DEFAULT_MAX_BYTES, effectiveMaxBytes, HistoryWriter, visitHistory } from "./store.js";

export interface HistoryFlags {
  /** --history FILE (relative to cwd); commander sets false for --no-history. */
  history?: string | boolean;
}

/** The history file for this run, or null when history is off (--no-history or history.enabled: false). */
export function historyFile(config: Pick<LoadedConfig, "history" | "baseDir">, flags: HistoryFlags): string | null {
  if (flags.history === false) return null;
  if (typeof flags.history === "string") return resolve(flags.history);
  if (config.history && !config.history.enabled) return null;
  return config.history?.file ?? resolve(config.baseDir, ".standby/history.jsonl");
}

export class HistorySession {
  readonly writer: HistoryWriter;
  readonly state: HistoryState;
  readonly notes: string[];

  /** Reads the history (its tail, streaming); throws HistoryFileError when it cannot (a link, a directory...). */
  constructor(
    readonly file: string,
    maxBytes = DEFAULT_MAX_BYTES,
  ) {
    const { note } = effectiveMaxBytes(maxBytes);
    this.writer = new HistoryWriter(file, maxBytes);
    const state = new HistoryState();
    const { notes } = visitHistory(file, (r) => state.apply(r));
    this.state = state;
    this.notes = note ? [note, ...notes] : notes;
  }

  /** Appends the record and folds it into the state. Logs (never throws) when the disk says no. */
  append(record: HistoryRecord, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): boolean {
    try {
      for (const note of this.writer.append(record)) log(redact(`standby: history: ${note}`));
    } catch (err) {
      log(redact(`standby: history: cannot append to ${this.file}: ${(err as Error).message}`));
      this.state.apply(record);
      return false;
    }
    this.state.apply(record);
    return true;
  }

  record(report: Report, checks: readonly CheckReport[], src: "scan" | "watch", partial: boolean, services?: ReadonlySet<string>): HistoryRecord {
    return recordOf(report, checks, src, partial, services);
  }
}

/** Services all of whose configured checks are among `ran`. */
export function fullyCovered(config: Pick<LoadedConfig, "checks">, ran: ReadonlySet<string>): Set<string> {
  const out = new Set<string>(config.checks.map((c) => c.service.name));
  for (const c of config.checks) if (!ran.has(c.id)) out.delete(c.service.name);
  return out;
}

/** `scan --due`: checks that never ran, or whose last run is older than their previous occurrence. */
export function dueChecks(checks: readonly LoadedCheck[], state: HistoryState, now: Date): { due: LoadedCheck[]; notDue: Array<{ check: LoadedCheck; next: Date }> } {
  const due: LoadedCheck[] = [];
  const notDue: Array<{ check: LoadedCheck; next: Date }> = [];
  for (const c of checks) {
    const schedule = new Schedule(c.schedule, c.timezone);
    const last = state.lastRun.get(c.id);
    const previous = schedule.previous(now);
    if (!last || (previous !== null && Date.parse(last.at) < previous.getTime())) due.push(c);
    else notDue.push({ check: c, next: schedule.next(now) });
  }
  return { due, notDue };
}
