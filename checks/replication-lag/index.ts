// replication-lag: how much data would the standby lose if it were promoted now? Measures the
// time (and where the engine has it, byte/offset) lag of the standby behind the primary against
// `max` (default: objectives.rpo), the honest way: positions compared with the primary's, never
// a standby's view of itself alone. Engines load their driver on first use. See README.md.
import { z } from "zod";
import { duration, formatDuration } from "../../src/core/duration.js";
import { connectionOption } from "../../src/options/reach.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { isProbeError } from "../../src/probes/errors.js";
import type { HeartbeatSettings, LagInput, LagReading } from "./measure.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
const PERCENT = /^(\d{1,2}(\.\d+)?|100)%$/;

const connection = connectionOption().describe("Connection string (postgres://, mysql://, redis://); use ${env:NAME} for the password");

export default defineCheck({
  meta: {
    kind: "replication-lag",
    title: "Replication lag within RPO",
    description: "Measures how far the standby replays behind the primary (PostgreSQL, MySQL/MariaDB, Redis, heartbeat) against the RPO",
    defaultSeverity: "critical",
    docs: "checks/replication-lag/README.md",
  },
  options: z
    .object({
      engine: z.enum(["postgres", "mysql", "redis", "heartbeat"]).describe("How to measure: the database engine, or heartbeat (a timestamp row)"),
      primary: connection.optional().describe("Primary's connection string (required except for a read-only heartbeat)"),
      standby: connection.describe("Standby's connection string"),
      max: duration.optional().describe("Lag limit; default objectives.rpo"),
      warnAt: z
        .union([z.string().regex(PERCENT, "expected a percentage like 80%"), duration])
        .default("80%")
        .describe("Warn from this lag: a percentage of max (80%) or a duration"),
      maxBytes: z.number().int().positive().optional().describe("Fail when more than this many WAL/binlog/offset bytes are not replayed"),
      wait: duration.optional().describe("How long to wait for the standby to reach the primary's position; default min(max, half the check timeout)"),
      heartbeat: z
        .strictObject({
          table: z.string().regex(IDENT, "expected a table name like standby_heartbeat or db.standby_heartbeat").default("standby_heartbeat"),
          id: z.string().min(1).max(128).optional().describe("Row key; default the check id"),
          write: z.boolean().default(false).describe("Let the check write the heartbeat row on the primary (the only write it makes)"),
          clockSkew: duration.default(1000).describe("Allowance for clock differences between the writer and the checker"),
        })
        .optional()
        .describe("Heartbeat row (pt-heartbeat style); with engine postgres or mysql, it gives the time lag"),
    })
    .superRefine((o, ctx) => {
      const readOnlyHeartbeat = o.engine === "heartbeat" && !o.heartbeat?.write;
      if (!o.primary && !readOnlyHeartbeat) {
        ctx.addIssue({ code: "custom", path: ["primary"], message: `engine ${o.engine} compares the standby with the primary: set primary to its connection string` });
      }
      if (o.heartbeat && o.engine === "redis") ctx.addIssue({ code: "custom", path: ["heartbeat"], message: "heartbeat works with SQL engines (postgres, mysql), not redis" });
    }),

  async run(options, ctx): Promise<CheckOutcome> {
    const maxMs = options.max ?? ctx.objectives.rpo;
    const warnAtMs = typeof options.warnAt === "string" ? (maxMs * Number(options.warnAt.slice(0, -1))) / 100 : options.warnAt;
    // Waiting longer than the check's own timeout would only turn into a timeout.
    const waitMs = Math.min(options.wait ?? Math.min(maxMs, ctx.timeoutMs / 2), ctx.timeoutMs * 0.8);
    const hb: HeartbeatSettings | undefined =
      options.engine === "heartbeat" || options.heartbeat
        ? {
            table: options.heartbeat?.table ?? "standby_heartbeat",
            id: options.heartbeat?.id ?? ctx.check.id,
            write: options.heartbeat?.write ?? false,
            clockSkewMs: options.heartbeat?.clockSkew ?? 1000,
          }
        : undefined;
    const input: LagInput = {
      primary: options.primary,
      standby: options.standby,
      probe: { timeoutMs: ctx.timeoutMs, signal: ctx.signal },
      waitMs,
      now: () => ctx.now(),
      heartbeat: hb,
    };

    let reading: LagReading;
    try {
      reading = await measure(options.engine, input, hb);
    } catch (err) {
      if (isProbeError(err)) return { status: "unknown", reason: err.reason, summary: err.message };
      throw err;
    }
    return decide(options.engine, reading, maxMs, warnAtMs, options.maxBytes);
  },
});

async function measure(engine: "postgres" | "mysql" | "redis" | "heartbeat", input: LagInput, hb: HeartbeatSettings | undefined): Promise<LagReading> {
  const { measureHeartbeat } = await import("./heartbeat.js");
  if (engine === "heartbeat") return measureHeartbeat(input, hb!);
  let reading: LagReading;
  if (engine === "postgres") reading = await (await import("./postgres.js")).measurePostgres(input);
  else if (engine === "mysql") reading = await (await import("./mysql.js")).measureMysql(input);
  else reading = await (await import("./redis.js")).measureRedis(input);
  if (!hb) return reading;
  // A configured heartbeat gives the time lag; the engine still gives bytes, threads and pitfalls.
  const beat = await measureHeartbeat(input, hb);
  return {
    lagMs: beat.lagMs,
    atLeast: beat.atLeast,
    basis: beat.basis,
    bytes: reading.bytes,
    findings: [...reading.findings, ...beat.findings],
    evidence: { ...reading.evidence, engineLagMs: reading.lagMs, engineBasis: reading.basis, heartbeat: beat.evidence },
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** Status from the lag against max/warnAt, then the pitfalls found (a fail finding fails the check). */
export function decide(engine: string, r: LagReading, maxMs: number, warnAtMs: number, maxBytes?: number): CheckOutcome {
  const findings: Finding[] = [...r.findings];
  if (maxBytes !== undefined && r.bytes !== null && r.bytes > maxBytes) {
    findings.push({ message: `${r.bytes} bytes not replayed, more than maxBytes ${maxBytes}`, rule: "max-bytes" });
  }
  let lagStatus: "pass" | "warn" | "fail" | "unknown";
  if (r.lagMs === null) lagStatus = "unknown";
  else if (r.lagMs >= maxMs) lagStatus = "fail";
  else if (r.lagMs >= warnAtMs) lagStatus = "warn";
  else lagStatus = r.atLeast ? "unknown" : "pass";

  const failing = findings.filter((f) => (f.level ?? "fail") === "fail");
  const warning = findings.filter((f) => f.level === "warn");
  const limits = `limit ${formatDuration(maxMs)}, warns at ${formatDuration(warnAtMs)}`;
  const verb = engine === "redis" ? "lags" : "replays";
  let lagText: string;
  if (r.lagMs === null && r.basis === "not-receiving") lagText = "level with the primary for now, but receiving nothing: no time lag can be claimed";
  else if (r.lagMs === null && r.basis === "not-replicating") lagText = "level with the primary for now, but not replicating: no time lag can be claimed";
  else if (r.lagMs === null && r.basis === "full-sync") lagText = "no time lag can be claimed until the full sync completes";
  else if (r.lagMs === null) lagText = "time lag cannot be measured";
  else if (r.basis === "caught-up") lagText = "standby is caught up with the primary's current position";
  else if (r.atLeast) lagText = `standby ${verb} at least ${formatDuration(r.lagMs)} behind primary`;
  else lagText = `standby ${verb} ${formatDuration(r.lagMs)} behind primary`;
  const bytesText = r.bytes === null ? "" : `; ${r.bytes} byte${r.bytes === 1 ? "" : "s"} behind`;
  const lagSummary = `${lagText} (${limits})${bytesText}`;

  const measured = r.lagMs === null ? null : { value: seconds(r.lagMs), unit: "s", limit: seconds(maxMs), warnAt: seconds(warnAtMs) };
  const evidence = { ...r.evidence, lagBasis: r.basis, lagIsLowerBound: Boolean(r.atLeast) };
  if (failing.length > 0) {
    return { status: "fail", summary: `${failing[0]!.message}; ${lagSummary}`, measured, findings, evidence };
  }
  if (lagStatus === "fail") return { status: "fail", summary: lagSummary, measured, findings, evidence };
  if (lagStatus === "unknown") {
    const why = r.atLeast ? `${lagSummary}: could not see it catch up within the wait` : lagSummary;
    return { status: "unknown", reason: r.atLeast ? "timeout" : "invalid-response", summary: why, measured, findings, evidence };
  }
  if (lagStatus === "warn" || warning.length > 0) {
    return { status: "warn", summary: lagStatus === "warn" ? lagSummary : `${warning[0]!.message}; ${lagSummary}`, measured, findings, evidence };
  }
  return { status: "pass", summary: lagSummary, measured, findings, evidence };
}
