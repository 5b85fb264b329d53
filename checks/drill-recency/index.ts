// drill-recency: untested failover paths decay. Given the drill cadence (cron, time zone) and
// evidence of the last successful drill (file, HTTP JSON field, command output), fail when a
// scheduled drill was missed beyond its grace period and say when the next one is due.
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { redact } from "../../src/core/secrets.js";
import { duration, formatDuration } from "../../src/core/duration.js";
import { commandOption, fileOption, httpUrlOption } from "../../src/options/reach.js";
import { defineCheck, type CheckContext, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { KiB } from "../../src/probes/byte-cap.js";
import { describeCommand, runCommand } from "../../src/probes/command.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { fetchJson } from "../../src/probes/http.js";
import { getPointer, jsonPointer, parseJsonText } from "../../src/probes/json-pointer.js";
import { readTextFile } from "../../src/probes/file.js";
import { requireTimestamp } from "../../src/probes/timestamp.js";
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

type Source = z.output<typeof fileSource> | z.output<typeof urlSource> | z.output<typeof commandSource>;

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
      lastDrill: z.union([fileSource, urlSource, commandSource]).describe("Where the last successful drill's timestamp comes from"),
      grace: duration.prefault("3d").describe("How late (or early) a drill may be against its slot"),
      warnBefore: duration.prefault("1d").describe("Warn this long before the next slot when it has no drill yet"),
    })
    .superRefine((v, issue) => {
      // An unknown zone is reported on cadenceTimezone; still check the expression itself.
      const p = cronProblem(v.cadence, isTimeZone(v.cadenceTimezone) ? v.cadenceTimezone : "UTC");
      if (p) issue.addIssue({ code: "custom", path: ["cadence"], message: p });
    }),

  async run(options, ctx): Promise<CheckOutcome> {
    const tz = options.cadenceTimezone;
    const now = ctx.now();
    const fmt = (d: Date) => formatInZone(d, tz);
    let last: { at: number; from: string };
    try {
      last = await readLastDrill(options.lastDrill, ctx);
    } catch (err) {
      if (isProbeError(err)) return { status: "unknown", reason: err.reason, summary: `last drill: ${err.message}` };
      throw err;
    }
    const grace = options.grace;
    const next = nextAfter(options.cadence, tz, now);
    const due = latestBefore(options.cadence, tz, now);
    const enforced = latestElapsed(options.cadence, tz, now, grace);
    const age = now.getTime() - last.at;
    const evidence: Record<string, unknown> = {
      cadence: options.cadence,
      timezone: tz,
      lastDrill: new Date(last.at).toISOString(),
      lastDrillFrom: last.from,
      previousSlot: due?.toISOString() ?? null,
      enforcedSlot: enforced?.toISOString() ?? null,
      nextSlot: next.toISOString(),
      graceMs: grace,
    };
    const findings: Finding[] = [];
    const nextText = `next drill due ${fmt(next)} (in ${formatDuration(next.getTime() - now.getTime())})`;
    const lastText = age >= 0 ? `last drill ${formatDuration(age)} ago` : `last drill stamped ${formatDuration(-age)} in the future`;
    if (-age > FUTURE_TOLERANCE_MS) {
      findings.push({ level: "warn", message: `the last drill's timestamp ${new Date(last.at).toISOString()} is in the future (clock skew or wrong time zone?)`, path: "lastDrill" });
    }

    const required = enforced ? enforced.getTime() - grace : null;
    const measured = { value: Math.max(0, Math.round(age / 1000)), unit: "s", ...(required !== null ? { limit: Math.round((now.getTime() - required) / 1000) } : {}) };
    if (enforced && required !== null && last.at < required) {
      findings.push({
        message: `the drill scheduled ${fmt(enforced)} was missed: ${lastText} (${new Date(last.at).toISOString()}), grace ${formatDuration(grace)} ended ${fmt(new Date(enforced.getTime() + grace))}`,
        path: "lastDrill",
        rule: "an untested failover path decays: drill on the declared cadence",
      });
      return { status: "fail", summary: `overdue: ${lastText}, the drill scheduled ${fmt(enforced)} was missed; ${nextText}`, measured, findings, evidence };
    }
    if (due && enforced?.getTime() !== due.getTime() && last.at < due.getTime() - grace) {
      const overdueAt = new Date(due.getTime() + grace);
      findings.push({
        level: "warn",
        message: `the drill scheduled ${fmt(due)} is not recorded yet; overdue after ${fmt(overdueAt)} (in ${formatDuration(overdueAt.getTime() - now.getTime())})`,
        path: "lastDrill",
      });
      return { status: "warn", summary: `drill due: scheduled ${fmt(due)}, ${lastText}; overdue in ${formatDuration(overdueAt.getTime() - now.getTime())}`, measured, findings, evidence };
    }
    if (next.getTime() - now.getTime() <= options.warnBefore && last.at < next.getTime() - grace) {
      findings.push({ level: "warn", message: `${nextText} and no drill for it is recorded yet`, path: "nextSlot" });
      return { status: "warn", summary: `${lastText}; ${nextText}`, measured, findings, evidence };
    }
    const status = findings.length > 0 ? "warn" : "pass";
    return { status, summary: `${lastText}, on schedule; ${nextText}`, measured, findings, evidence };
  },
});

async function readLastDrill(source: Source, ctx: CheckContext): Promise<{ at: number; from: string }> {
  if ("file" in source) {
    const full = isAbsolute(source.file) ? source.file : resolve(ctx.baseDir, source.file);
    if (source.mtime) {
      try {
        return { at: (await stat(full)).mtimeMs, from: `mtime of ${source.file}` };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new ProbeError("unreachable", `drill record ${source.file} does not exist`, { code });
        throw new ProbeError("error", `cannot stat ${source.file}${code ? ` (${code})` : ""}`, code ? { code } : {});
      }
    }
    const text = await readTextFile(source.file, ctx.baseDir, "drill record", ctx.signal);
    const what = `drill record ${source.file}`;
    const value = source.pointer ? pointed(parseJsonText(text, what), source.pointer, what) : text.trim();
    return { at: requireTimestamp(value, source.pointer ? `${what} ${source.pointer}` : what), from: source.pointer ? `${source.file} ${source.pointer}` : source.file };
  }
  if ("url" in source) {
    const doc = await fetchJson(source.url, { headers: source.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    const what = `drill endpoint`;
    return { at: requireTimestamp(pointed(doc, source.pointer, what), `${what} ${source.pointer}`), from: `HTTP ${source.pointer}` };
  }
  const name = describeCommand(source.command);
  const res = await runCommand(source.command, { cwd: ctx.baseDir, timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES });
  if (res.exitCode !== 0) {
    const tail = res.stderr.trim().split(/\r?\n/).pop() ?? "";
    const why = res.exitCode === null ? `was killed by ${res.signal}` : `exited with ${res.exitCode}`;
    throw new ProbeError("error", `command ${name} ${why}${tail ? `: ${redact(tail.slice(0, 200))}` : ""}`);
  }
  const what = `output of ${name}`;
  const value = source.pointer ? pointed(parseJsonText(res.stdout, what), source.pointer, what) : (res.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop() ?? "");
  return { at: requireTimestamp(value, what), from: `command ${name}` };
}

function pointed(doc: unknown, ptr: string, what: string): unknown {
  const v = getPointer(doc, ptr);
  if (v === undefined) throw new ProbeError("invalid-response", `${what} has nothing at ${ptr}`);
  return v;
}
