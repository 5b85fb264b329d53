// `standby history`: the score and status over time (a sparkline and the latest records) and the
// checks that flap (how often each check's status changed over the window).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDuration } from "../core/duration.js";
import { redact } from "../core/secrets.js";
import type { HistoryRecord } from "../history/record.js";
import { readHistory, DEFAULT_HISTORY_FILE } from "../history/store.js";
import { parseYaml } from "../config/yaml-document.js";
import { sparkline } from "../report/format.js";
import { DEFAULT_CONFIG } from "./defaults.js";
import { loadOrReport } from "./load-or-report.js";
import { EXIT } from "../core/exit-codes.js";

export interface HistoryFlags {
  config: string;
  history?: string;
  format: "text" | "json";
  last?: number;
  since?: string;
}

export interface Flapper {
  id: string;
  service: string;
  changes: number;
  runs: number;
  statuses: string[];
}

export function flappers(records: readonly HistoryRecord[]): Flapper[] {
  const byCheck = new Map<string, Flapper>();
  for (const r of records) {
    for (const e of r.checks) {
      let f = byCheck.get(e.id);
      if (!f) byCheck.set(e.id, (f = { id: e.id, service: e.svc, changes: 0, runs: 0, statuses: [] }));
      f.runs += 1;
      if (f.statuses.length > 0 && f.statuses[f.statuses.length - 1] !== e.st) f.changes += 1;
      f.statuses.push(e.st);
    }
  }
  return [...byCheck.values()].sort((a, b) => b.changes - a.changes || a.id.localeCompare(b.id));
}

function resolveFile(flags: HistoryFlags): string | null {
  if (flags.history) return resolve(flags.history);
  if (!existsSync(flags.config)) {
    if (flags.config !== DEFAULT_CONFIG) {
      // A mistyped -c must not quietly show another history (the one in the current directory).
      process.stderr.write(`standby: ${redact(flags.config)}: file not found (it locates the history; or give --history FILE)\n`);
      return null;
    }
    // No config here: the default file in the current directory, if any.
    return resolve(DEFAULT_HISTORY_FILE);
  }
  // Only the history settings matter here: read them from the YAML without resolving
  // ${env:} secrets, so an on-call engineer can look at history without every credential set.
  const parsed = parseYaml(readFileSync(flags.config, "utf8"), flags.config);
  if (!parsed.yaml) {
    loadOrReport(flags.config); // prints the issues
    return null;
  }
  const settings = (parsed.yaml.value as { history?: { enabled?: unknown; file?: unknown } } | null)?.history;
  if (settings?.enabled === false) return null;
  const file = typeof settings?.file === "string" && !settings.file.includes("${") ? settings.file : DEFAULT_HISTORY_FILE;
  return resolve(dirname(resolve(flags.config)), file);
}

export async function historyCommand(flags: HistoryFlags): Promise<number> {
  const file = resolveFile(flags);
  if (!file) return EXIT.INVALID;
  let sinceMs: number | undefined;
  if (flags.since !== undefined) {
    const d = parseDuration(flags.since);
    if (d === null) {
      process.stderr.write(`standby: --since expects a duration like 12h or 7d, got '${redact(flags.since)}'\n`);
      return EXIT.INVALID;
    }
    sinceMs = Date.now() - d;
  }
  // Read from the tail, streaming: only the window asked for is kept.
  let read;
  try {
    read = readHistory(file, { sinceMs, last: flags.last });
  } catch (err) {
    process.stderr.write(`standby: history: cannot read ${redact(file)}: ${redact((err as Error).message)}\n`);
    return EXIT.INVALID;
  }
  const { records, notes } = read;
  for (const n of notes) process.stderr.write(`standby: history: ${redact(n)}\n`);
  const trend = records.filter((r) => !r.partial);
  const flaps = flappers(records);

  if (flags.format === "json") {
    const out = {
      file,
      records: records.length,
      from: records[0]?.at ?? null,
      to: records[records.length - 1]?.at ?? null,
      trend: trend.map((r) => ({ at: r.at, status: r.status, score: r.score, source: r.src })),
      flapping: flaps.filter((f) => f.changes > 0).map(({ id, service, changes, runs }) => ({ id, service, changes, runs })),
      notes,
    };
    process.stdout.write(redact(JSON.stringify(out, null, 2)) + "\n");
    return EXIT.OK;
  }

  const lines: string[] = [];
  if (records.length === 0) {
    lines.push(`standby history: no records in ${file}${sinceMs !== undefined ? " for this window" : ""}`);
    process.stdout.write(redact(lines.join("\n")) + "\n");
    return EXIT.OK;
  }
  lines.push(`standby history  ${file}`);
  lines.push(`${records.length} record${records.length === 1 ? "" : "s"} from ${records[0]!.at} to ${records[records.length - 1]!.at}`);
  if (trend.length > 0) {
    const shown = trend.slice(-60);
    const scores = shown.map((r) => r.score);
    const last = trend[trend.length - 1]!;
    lines.push("");
    lines.push(`score  ${sparkline(scores)}  last ${last.score} (min ${Math.min(...scores)}, max ${Math.max(...scores)}${trend.length > shown.length ? `, last ${shown.length} of ${trend.length}` : ""})`);
    let since = trend.length - 1;
    while (since > 0 && trend[since - 1]!.status === last.status) since -= 1;
    lines.push(`status ${last.status} since ${trend[since]!.at} (${trend.length - since} record${trend.length - since === 1 ? "" : "s"})`);
    lines.push("", "  when                      status     score  source");
    for (const r of trend.slice(-10)) lines.push(`  ${r.at.padEnd(24)}  ${r.status.padEnd(9)}  ${String(r.score).padStart(5)}  ${r.src}`);
  } else {
    lines.push("", "only partial scans (--only, --due, --shard) in this window: no overall score trend");
  }
  const flapping = flaps.filter((f) => f.changes > 0);
  lines.push("");
  if (flapping.length === 0) lines.push("No check changed status in this window.");
  else {
    lines.push("Checks that changed status (most changes first)");
    const w = Math.min(40, Math.max(...flapping.map((f) => f.id.length)));
    for (const f of flapping.slice(0, 15)) {
      lines.push(`  ${f.id.padEnd(w)}  ${String(f.changes).padStart(3)} change${f.changes === 1 ? " " : "s"} in ${f.runs} runs  ${f.statuses.slice(-12).join(" ")}`);
    }
  }
  process.stdout.write(redact(lines.join("\n")) + "\n");
  return EXIT.OK;
}
