// replication-lag: how much data would the standby lose if it were promoted now? Measures the
// time (and where the engine has it, byte/offset) lag of the standby behind the primary against
// `max` (default: objectives.rpo), the honest way: positions compared with the primary's, never
// a standby's view of itself alone. Engines load their driver on first use. See README.md.
import { z } from "zod";
import { duration } from "../../src/core/duration.js";
import { budgetLimits, budgetOptions, connectionOption, defineCheck, ProbeError, readSides, type CheckContext, type CheckOutcome, type Side } from "../../src/kit/index.js";
import { awsAccessShape } from "../../src/probes/aws/options.js";
import { describeTarget } from "../../src/probes/target.js";
import { decide } from "./decide.js";
import { heartbeatFormatIssues } from "./heartbeat-options.js";
import type { Engine, EngineEvidence, ReplicationLagEvidence } from "./evidence.js";
import type { HeartbeatSettings, LagInput, LagReading, SideReader } from "./measure.js";
import { isTimeZone } from "./pt-ts.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

const connection = connectionOption().describe("Connection string (postgres://, mysql://, redis://); use ${env:NAME} for the password");

/** engine aws-drs: the region's AWS Elastic Disaster Recovery and which source servers it protects. */
const drsSchema = z
  .strictObject({
    ...awsAccessShape("AWS DRS", "AWS Elastic Disaster Recovery holds the source servers (the recovery region)"),
    sourceServerIds: z
      .array(z.string().regex(/^s-[0-9a-zA-Z]{17}$/, "expected a DRS source server id like s-1234567890abcdef0"))
      .min(1)
      .max(4000)
      .refine((ids) => new Set(ids).size === ids.length, "expected each source server id once (one is listed twice)")
      .optional()
      .describe("Source servers by id"),
    tags: z.record(z.string().min(1), z.string()).optional().describe("Source servers carrying all these tags"),
  })
  .refine((d) => (d.sourceServerIds === undefined) !== (d.tags === undefined), { message: "expected exactly one of sourceServerIds or tags" })
  .refine((d) => d.tags === undefined || Object.keys(d.tags).length > 0, { message: "expected at least one tag", path: ["tags"] })
  .describe("AWS Elastic Disaster Recovery: region, credentials (as for AWS Config), and the source servers by id or tags");

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
      engine: z
        .enum(["postgres", "mysql", "redis", "heartbeat", "aws-drs"])
        .describe("How to measure: the database engine, heartbeat (a timestamp row), or aws-drs (AWS Elastic Disaster Recovery's source servers)"),
      primary: connection.optional().describe("Primary's connection string (required except for a read-only heartbeat and aws-drs)"),
      standby: connection.optional().describe("Standby's connection string (required except for aws-drs)"),
      drs: drsSchema.optional(),
      ...budgetOptions("rpo", "Lag limit"),
      maxBytes: z.number().int().positive().optional().describe("Fail when more than this many WAL/binlog/offset bytes are not replayed"),
      wait: duration.optional().describe("How long to wait for the standby to reach the primary's position; default min(max, half the check timeout)"),
      heartbeat: z
        .strictObject({
          format: z.enum(["standby", "pt-heartbeat"]).default("standby").describe("standby: the check's own row (id, ts_ms); pt-heartbeat: Percona's heartbeat table"),
          table: z.string().regex(IDENT, "expected a table name like standby_heartbeat or db.standby_heartbeat").optional().describe("Default standby_heartbeat, or heartbeat with format pt-heartbeat"),
          id: z.string().min(1).max(128).optional().describe("Row key; default the check id"),
          write: z.boolean().default(false).describe("Let the check write the heartbeat row on the primary (the only write it makes)"),
          clockSkew: duration.default(1000).describe("Allowance for clock differences between the writer and the checker"),
          serverId: z.number().int().min(1).max(4294967295).optional().describe("pt-heartbeat: the server_id of the primary's row; default the primary's @@server_id"),
          timeZone: z.string().refine(isTimeZone, "expected UTC, local or a time zone name like Europe/Berlin").default("UTC").describe("pt-heartbeat: the zone of its ts (UTC with --utc; else the writer's zone)"),
        })
        .optional()
        .describe("Heartbeat row; with engine postgres or mysql, it gives the time lag"),
    })
    .superRefine((o, ctx) => {
      if (o.engine === "aws-drs") {
        if (!o.drs) ctx.addIssue({ code: "custom", path: ["drs"], message: "engine aws-drs reads AWS Elastic Disaster Recovery: set drs to { region, sourceServerIds | tags }" });
        for (const key of ["primary", "standby", "heartbeat", "wait"] as const) {
          if (o[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `engine aws-drs reads its lag from AWS DRS: ${key} does not apply` });
        }
        return;
      }
      if (o.drs) ctx.addIssue({ code: "custom", path: ["drs"], message: `drs applies to engine aws-drs only (engine is ${o.engine})` });
      if (o.standby === undefined) ctx.addIssue({ code: "custom", path: ["standby"], message: `engine ${o.engine} reads the standby: set standby to its connection string` });
      const readOnlyHeartbeat = o.engine === "heartbeat" && !o.heartbeat?.write;
      if (!o.primary && !readOnlyHeartbeat) {
        ctx.addIssue({ code: "custom", path: ["primary"], message: `engine ${o.engine} compares the standby with the primary: set primary to its connection string` });
      }
      if (o.heartbeat && o.engine === "redis") ctx.addIssue({ code: "custom", path: ["heartbeat"], message: "heartbeat works with SQL engines (postgres, mysql), not redis" });
      if (o.heartbeat) for (const issue of heartbeatFormatIssues(o.heartbeat, o.standby ?? "")) ctx.addIssue({ code: "custom", ...issue, path: ["heartbeat", issue.path] });
    }),

  async run(options, ctx): Promise<CheckOutcome<ReplicationLagEvidence>> {
    const limits = budgetLimits(options, ctx.objectives.rpo);
    if (options.engine === "aws-drs") {
      const { measureDrs, describeServers } = await import("./drs.js");
      const reading = tagged("aws-drs", await ctx.reading(`standby AWS DRS (${options.drs!.region})`, () => measureDrs(options.drs!, ctx)));
      const out = decide({ engine: options.engine, reading, limits, maxBytes: options.maxBytes });
      return out.status === "pass" ? { ...out, summary: `${describeServers(reading.evidence)}: ${out.summary}` } : out;
    }
    // Waiting longer than the check's own timeout would only turn into a timeout.
    const waitMs = Math.min(options.wait ?? Math.min(limits.limitMs, ctx.timeoutMs / 2), ctx.timeoutMs * 0.8);
    const hb: HeartbeatSettings | undefined =
      options.engine === "heartbeat" || options.heartbeat
        ? {
            format: options.heartbeat?.format ?? "standby",
            table: options.heartbeat?.table ?? (options.heartbeat?.format === "pt-heartbeat" ? "heartbeat" : "standby_heartbeat"),
            id: options.heartbeat?.id ?? ctx.check.id,
            write: options.heartbeat?.write ?? false,
            clockSkewMs: options.heartbeat?.clockSkew ?? 1000,
            serverId: options.heartbeat?.serverId,
            timeZone: options.heartbeat?.timeZone ?? "UTC",
          }
        : undefined;
    const input: LagInput = {
      primary: options.primary,
      standby: options.standby!,
      side: sideReader(ctx, { primary: options.primary, standby: options.standby! }),
      probe: { timeoutMs: ctx.timeoutMs, signal: ctx.signal },
      waitMs,
      now: () => ctx.now(),
    };
    const reading = await measure(options.engine, input, hb);
    return decide({ engine: options.engine, reading, limits, maxBytes: options.maxBytes });
  },
});

/**
 * Each side read under readSides' label ("standby postgres://monitor@db2:5432/orders"); a side
 * that cannot be read ends the measurement as the check's unknown, in readSides' words.
 */
function sideReader(ctx: Pick<CheckContext, "reading">, urls: { primary?: string | undefined; standby: string }): SideReader {
  return async <T>(side: Side, read: () => Promise<T>): Promise<T> => {
    // Engines read the primary only when it is configured (the options require it otherwise).
    const got = await readSides(ctx, { [side]: describeTarget(urls[side]!) }, read);
    const failed = got.undecided[0];
    if (failed) throw new ProbeError(failed.reason, failed.message);
    return got[side] as T;
  };
}

async function measure(engine: Exclude<Engine, "aws-drs">, input: LagInput, hb: HeartbeatSettings | undefined): Promise<LagReading<EngineEvidence>> {
  const { measureHeartbeat } = await import("./heartbeat.js");
  if (engine === "heartbeat") return tagged(engine, await measureHeartbeat(input, hb!));
  if (engine === "redis") return tagged(engine, await (await import("./redis.js")).measureRedis(input));
  const reading = engine === "postgres" ? tagged(engine, await (await import("./postgres.js")).measurePostgres(input)) : tagged(engine, await (await import("./mysql.js")).measureMysql(input));
  if (!hb) return reading;
  // A configured heartbeat gives the time lag; the engine still gives bytes, threads and pitfalls.
  // A heartbeat whose writer stopped gives only an upper bound: the engine's own measure, when it
  // has one, says more.
  const beat = await measureHeartbeat(input, hb);
  const timed = beat.lagMs === null || (beat.atMost && reading.lagMs !== null) ? reading : beat;
  return {
    lagMs: timed.lagMs,
    atLeast: timed.atLeast,
    atMost: timed.atMost,
    basis: timed.basis,
    bytes: reading.bytes,
    findings: [...reading.findings, ...beat.findings],
    evidence: { ...reading.evidence, engineLagMs: reading.lagMs, engineBasis: reading.basis, heartbeat: beat.evidence },
  };
}

function tagged<K extends Engine, E extends object>(engine: K, r: LagReading<E>): LagReading<{ engine: K } & E> {
  return { ...r, evidence: { engine, ...r.evidence } };
}
