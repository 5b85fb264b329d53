// drill-recency: untested failover paths decay. Given the drill cadence (cron, time zone) and
// evidence of the last successful drill (file, HTTP JSON field, command output), fail when a
// scheduled drill was missed beyond its grace period and say when the next one is due.
import { z } from "zod";
import { redact } from "../../src/core/secrets.js";
import { duration, formatDuration } from "../../src/core/duration.js";
import { commandOption, defineCheck, fileOption, httpUrlOption, ProbeError, sideMessage, verdict, type CheckContext, type CheckOutcome, type Finding, type Measured } from "../../src/kit/index.js";
import { KiB } from "../../src/probes/byte-cap.js";
import { describeCommand, runCommand } from "../../src/probes/command.js";
import { fileModifiedAt, readTextFile } from "../../src/probes/file.js";
import { describeUrl, fetchJson } from "../../src/probes/http.js";
import { jsonPointer, parseJsonText, requirePointer } from "../../src/probes/json-pointer.js";
import { requireTimestamp } from "../../src/probes/timestamp.js";
import { awsFisSource, readFisSource, type AwsFisDrillSource } from "./aws-fis.js";
import type { DrillRecencyEvidence, FisDrillEvidence } from "./evidence.js";
import { cronProblem, formatInZone, isTimeZone, latestBefore, latestElapsed, nextAfter } from "./schedule.js";

/** A timestamp (or a small JSON document) is bytes; more output stops the command: invalid-response. */
const MAX_COMMAND_OUTPUT_BYTES = 256 * KiB;

/** A drill timestamp this far in the future is suspicious (clock skew, wrong zone). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const fileSource = z.strictObject({
  file: fileOption().describe("File holding the timestamp (relative to the config file)"),
  pointer: jsonPointer.optional().describe("JSON pointer to the timestamp when the file is JSON"),
  mtime: z.boolean().default(false).describe("Use the file's modification time instead of its content"),
});
const urlSource = z.strictObject({
  url: httpUrlOption(),
  headers: z.record(z.string(), z.string()).optional(),
  pointer: jsonPointer.describe("JSON pointer to the timestamp in the response"),
});
const commandSource = z.strictObject({
  command: commandOption().describe("argv, run without a shell, in the config file's directory"),
  pointer: jsonPointer.optional().describe("JSON pointer when the command prints JSON; else its last non-empty line"),
});

type Source = z.output<typeof fileSource> | z.output<typeof urlSource> | z.output<typeof commandSource> | AwsFisDrillSource;

export default defineCheck({
  meta: {
    kind: "drill-recency",
    title: "Failover drills on schedule",
    description: "Fails when the last successful failover drill is older than the cadence (cron) allows and says when the next one is due",
    defaultSeverity: "medium",
    docs: "checks/drill-recency/README.md",
  },
  options: z
    .object({
      cadence: z.string().min(1).describe('Cron expression of the drill schedule, e.g. "0 10 1 */3 *"'),
      cadenceTimezone: z.string().default("UTC").refine(isTimeZone, "expected an IANA time zone like Europe/Berlin").describe("IANA time zone of the cadence"),
      lastDrill: z.union([fileSource, urlSource, commandSource, awsFisSource]).describe("Where the last successful drill's timestamp comes from"),
      grace: duration.prefault("3d").describe("How late (or early) a drill may be against its slot"),
      warnBefore: duration.prefault("1d").describe("Warn this long before the next slot when it has no drill yet"),
    })
    .superRefine((v, issue) => {
      // An unknown zone is reported on cadenceTimezone; still check the expression itself.
      const p = cronProblem(v.cadence, isTimeZone(v.cadenceTimezone) ? v.cadenceTimezone : "UTC");
      if (p) issue.addIssue({ code: "custom", path: ["cadence"], message: p });
    }),

  async run(options, ctx): Promise<CheckOutcome<DrillRecencyEvidence>> {
    const source = options.lastDrill;
    const last = "awsFis" in source
      ? await ctx.reading(`FIS experiments in ${source.awsFis.region}`, () => readFisSource(source, ctx, options.cadenceTimezone))
      : await ctx.reading("last drill", () => readLastDrill(source, ctx));
    return judgeDrill({ ...last, now: ctx.now(), cadence: options.cadence, timezone: options.cadenceTimezone, graceMs: options.grace, warnBeforeMs: options.warnBefore });
  },
});

export interface DrillInput {
  /** The last successful drill (epoch ms; null: none on record) and where that came from. */
  at: number | null;
  from: string;
  /** With no drill on record: why, in words (the failure's headline). */
  noDrill?: string;
  /** What the source adds (awsFis: a failed attempt after the last drill). */
  findings?: Finding[];
  fis?: FisDrillEvidence;
  now: Date;
  cadence: string;
  timezone: string;
  graceMs: number;
  warnBeforeMs: number;
}

/**
 * The last drill against the cadence: a slot whose grace is over and that no drill covers fails;
 * a slot still in its grace, or the next slot within warnBefore, without a drill warns. A drill
 * covers a slot when it is no older than the slot minus the grace (a little early counts).
 */
export function judgeDrill(input: DrillInput): CheckOutcome<DrillRecencyEvidence> {
  const { at, from, now, cadence, timezone, graceMs, warnBeforeMs } = input;
  const fmt = (d: Date) => formatInZone(d, timezone);
  const t = now.getTime();
  const next = nextAfter(cadence, timezone, now);
  const due = latestBefore(cadence, timezone, now);
  const enforced = latestElapsed(cadence, timezone, now, graceMs);
  const age = at === null ? Infinity : t - at;
  const lastText = age >= 0 ? `last drill ${formatDuration(age)} ago` : `last drill stamped ${formatDuration(-age)} in the future`;
  const nextText = `next drill due ${fmt(next)} (in ${formatDuration(next.getTime() - t)})`;
  const findings: Finding[] = [];
  // The instants a drill must be newer than: to cover the enforced slot (fail), a due or the next slot (warn).
  const required = enforced ? enforced.getTime() - graceMs : null;
  const dueFrom = due && enforced?.getTime() !== due.getTime() ? due.getTime() - graceMs : null;
  const nextFrom = next.getTime() - t <= warnBeforeMs ? next.getTime() - graceMs : null;
  if (at === null) {
    // No successful drill on record at all (awsFis: no completed experiment): missed, never a pass.
    findings.push({ message: input.noDrill ?? `no successful drill on record in ${from}`, path: "lastDrill", rule: "no-drill", why: "an untested failover path decays: drill on the declared cadence" });
  } else {
    if (-age > FUTURE_TOLERANCE_MS) {
      findings.push({ level: "warn", message: `the last drill's timestamp ${new Date(at).toISOString()} is in the future (clock skew or wrong time zone?)`, path: "lastDrill", rule: "future-timestamp" });
    }
    if (enforced && required !== null && at < required) {
      findings.push({
        message: `the drill scheduled ${fmt(enforced)} was missed: ${lastText} (${new Date(at).toISOString()}), grace ${formatDuration(graceMs)} ended ${fmt(new Date(enforced.getTime() + graceMs))}`,
        path: "lastDrill",
        rule: "drill-missed",
        why: "an untested failover path decays: drill on the declared cadence",
      });
    } else if (due && dueFrom !== null && at < dueFrom) {
      const overdueAt = new Date(due.getTime() + graceMs);
      findings.push({ level: "warn", message: `the drill scheduled ${fmt(due)} is not recorded yet; overdue after ${fmt(overdueAt)} (in ${formatDuration(overdueAt.getTime() - t)})`, path: "lastDrill", rule: "drill-due" });
    } else if (nextFrom !== null && at < nextFrom) {
      findings.push({ level: "warn", message: `the next slot is within ${formatDuration(warnBeforeMs)} and no drill for it is recorded yet`, path: "nextSlot", rule: "drill-soon" });
    }
  }
  // What the source adds (a failed attempt after the last drill) comes after the schedule's word.
  findings.push(...(input.findings ?? []));
  const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
  const warnFrom = Math.max(dueFrom ?? -Infinity, nextFrom ?? -Infinity);
  const measured: Measured | null =
    at === null
      ? null
      : {
          value: seconds(age),
          unit: "s",
          ...(required !== null ? { limit: seconds(t - required) } : {}),
          ...(Number.isFinite(warnFrom) ? { warnAt: seconds(t - warnFrom) } : {}),
        };
  const evidence: DrillRecencyEvidence = {
    cadence,
    timezone,
    lastDrill: at === null ? null : new Date(at).toISOString(),
    lastDrillFrom: from,
    previousSlot: due?.toISOString() ?? null,
    enforcedSlot: enforced?.toISOString() ?? null,
    nextSlot: next.toISOString(),
    graceMs,
    warnBeforeMs,
    ...(input.fis ? { fis: input.fis } : {}),
  };
  const out = verdict({ findings, undecided: [], measured, evidence, passSummary: () => `${lastText}, on schedule` });
  // Every summary says when the next drill is due.
  return { ...out, summary: `${out.summary}; ${nextText}` };
}

/** The last drill's timestamp; messages name the record (file, URL, command) and the cause. */
async function readLastDrill(source: Exclude<Source, AwsFisDrillSource>, ctx: CheckContext): Promise<{ at: number; from: string }> {
  if ("file" in source) {
    if (source.mtime) return { at: await fileModifiedAt(source.file, ctx.baseDir, "drill record", ctx.signal), from: `mtime of ${source.file}` };
    const text = await readTextFile(source.file, ctx.baseDir, "drill record", ctx.signal);
    const what = `drill record ${source.file}`;
    const value = source.pointer ? requirePointer(parseJsonText(text, what), source.pointer, what) : text.trim();
    return { at: requireTimestamp(value, source.pointer ? `${what} ${source.pointer}` : what), from: source.pointer ? `${source.file} ${source.pointer}` : source.file };
  }
  if ("url" in source) {
    const what = `drill endpoint ${describeUrl(source.url)}`;
    // "drill endpoint http://ops/drills: connection refused": what was read, then the probe's words.
    const doc = await fetchJson(source.url, { headers: source.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal }).catch((err: unknown) => {
      if (!(err instanceof ProbeError)) throw err;
      throw new ProbeError(err.reason, sideMessage("drill endpoint", describeUrl(source.url), err.message), { ...(err.code ? { code: err.code } : {}), ...(err.status ? { status: err.status } : {}) });
    });
    return { at: requireTimestamp(requirePointer(doc, source.pointer, what), `${what} ${source.pointer}`), from: `HTTP ${source.pointer}` };
  }
  const name = describeCommand(source.command);
  const res = await runCommand(source.command, { cwd: ctx.baseDir, timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES });
  if (res.exitCode !== 0) {
    const tail = res.stderr.trim().split(/\r?\n/).pop() ?? "";
    const why = res.exitCode === null ? `was killed by ${res.signal}` : `exited with ${res.exitCode}`;
    throw new ProbeError("error", `command ${name} ${why}${tail ? `: ${redact(tail.slice(0, 200))}` : ""}`);
  }
  const what = `output of ${name}`;
  const value = source.pointer ? requirePointer(parseJsonText(res.stdout, what), source.pointer, what) : (res.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop() ?? "");
  return { at: requireTimestamp(value, what), from: `command ${name}` };
}
