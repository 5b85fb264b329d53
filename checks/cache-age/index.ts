// cache-age: how old is what the standby would serve? HTTP responses (RFC 9111 current age and
// freshness, a body timestamp, parity with the primary), a Redis heartbeat key and the standby
// cache's warmth, or a cached file's modification age. See README.md.
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { createHash } from "node:crypto";
import { z } from "zod";
import { duration, formatDuration } from "../../src/core/duration.js";
import { connectionOption, fileOption, httpUrlOption } from "../../src/options/reach.js";
import { defineCheck, type CheckContext, type CheckOutcome, type CheckStatus, type Finding } from "../../src/engine/types.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { cdnEvidence, cdnVerdict, currentAge, etagOpaque, freshnessLifetime, parseHttpDate, type AgeBreakdown, type Freshness } from "../../src/probes/http-cache.js";
import { httpRequest, type HttpResponse } from "../../src/probes/http.js";
import { getPointer, jsonPointer, parseJsonText } from "../../src/probes/json-pointer.js";
import { withRedis } from "../../src/probes/redis.js";
import { requireTimestamp } from "../../src/probes/timestamp.js";

/** Share of `max` at which an age warns, unless `warnAt` is set. */
export const WARN_RATIO = 0.8;
export const DEFAULT_MIN_WARMTH = 0.8;

const url = httpUrlOption();
const PARITY = ["etag", "last-modified", "version", "body"] as const;
type ParityField = (typeof PARITY)[number];

const httpSchema = z
  .strictObject({
    url: url.describe("What the standby serves (through its CDN or directly)"),
    primary: url.optional().describe("The primary's equivalent URL: enables parity findings"),
    headers: z.record(z.string(), z.string()).optional().describe("Request headers for both URLs; use ${env:NAME} for tokens"),
    timestamp: jsonPointer.optional().describe("JSON pointer to a content timestamp in the body (e.g. /generatedAt): the honest age"),
    version: jsonPointer.optional().describe("JSON pointer to a content version compared between the sides"),
    parity: z.array(z.enum(PARITY)).optional().describe("What must match the primary: etag, last-modified, version, body"),
    shared: z.boolean().default(true).describe("Freshness as a shared cache (CDN) computes it: s-maxage first"),
  })
  .describe("HTTP source");

const redisSchema = z
  .strictObject({
    url: connectionOption().describe("Standby Redis connection string (redis:// or rediss://)"),
    primary: connectionOption().optional().describe("Primary Redis connection string: enables the warmth ratio"),
    heartbeatKey: z.string().min(1).optional().describe("Key whose value is the timestamp the application last wrote"),
    minWarmth: z.number().min(0).max(1).default(DEFAULT_MIN_WARMTH).describe("Minimum standby/primary key count ratio"),
  })
  .describe("Redis source");

const fileSchema = z
  .union([fileOption(), z.strictObject({ path: fileOption() })])
  .transform((v) => (typeof v === "string" ? { path: v } : v))
  .describe("Cached artifact whose modification time is its age (relative to the config file)");

type HttpOptions = z.output<typeof httpSchema>;
type RedisOptions = z.output<typeof redisSchema>;

interface Reading {
  /** Age in ms that the thresholds judge, or null when this source measured none. */
  age: number | null;
  ageLabel: string;
  findings: Finding[];
  evidence: Record<string, unknown>;
  /** Extra summary text. */
  notes: string[];
  measuredRatio?: { value: number; limit: number };
}

export default defineCheck({
  meta: {
    kind: "cache-age",
    title: "Standby cache age and warmth",
    description: "Age of what the standby serves (HTTP age per RFC 9111, body timestamp, parity), Redis heartbeat age and warmth, cached file age",
    defaultSeverity: "medium",
    docs: "checks/cache-age/README.md",
  },
  options: z
    .object({
      http: httpSchema.optional(),
      redis: redisSchema.optional(),
      file: fileSchema.optional(),
      max: duration.optional().describe("Oldest acceptable age; default objectives.rpo"),
      warnAt: duration.optional().describe("Age that warns; default 80% of max"),
    })
    .superRefine((v, issue) => {
      const n = [v.http, v.redis, v.file].filter((x) => x !== undefined).length;
      if (n !== 1) issue.addIssue({ code: "custom", message: "expected exactly one source: http, redis or file" });
      if (v.redis && !v.redis.heartbeatKey && !v.redis.primary) {
        issue.addIssue({ code: "custom", path: ["redis"], message: "expected heartbeatKey (age) or primary (warmth), or both" });
      }
    }),

  async run(options, ctx): Promise<CheckOutcome> {
    const max = options.max ?? ctx.objectives.rpo;
    const warnAt = options.warnAt ?? max * WARN_RATIO;
    let part: Reading;
    try {
      if (options.http) part = await httpAge(options.http, ctx);
      else if (options.redis) part = await redisAge(options.redis, ctx);
      else part = await fileAge(options.file!.path, ctx);
    } catch (err) {
      if (isProbeError(err)) return { status: "unknown", reason: err.reason, summary: err.message };
      throw err;
    }
    const findings = part.findings;
    let status: CheckStatus = "pass";
    const parts: string[] = [];
    if (part.age !== null) {
      const limitText = `limit ${formatDuration(max)}${options.max === undefined ? " (RPO)" : ""}`;
      parts.push(`${part.ageLabel} ${formatDuration(part.age)} old (${limitText})`);
      if (part.age > max) {
        findings.unshift({ message: `${part.ageLabel} is ${formatDuration(part.age)} old, over the ${formatDuration(max)} limit`, path: "age", rule: "a failover would serve content this old" });
      } else if (part.age > warnAt) {
        findings.unshift({ level: "warn", message: `${part.ageLabel} is ${formatDuration(part.age)} old, past the warning at ${formatDuration(warnAt)}`, path: "age" });
      }
    }
    parts.push(...part.notes);
    if (findings.some((f) => (f.level ?? "fail") === "fail")) status = "fail";
    else if (findings.some((f) => f.level === "warn")) status = "warn";
    const bad = findings.filter((f) => (f.level ?? "fail") !== "info" && f.path !== "age");
    if (bad.length > 0) parts.push(`${bad.length} finding${bad.length === 1 ? "" : "s"}: ${bad[0]!.message}${bad.length > 1 ? ", ..." : ""}`);
    const measured =
      part.age !== null
        ? { value: Math.round(part.age / 1000), unit: "s", limit: Math.round(max / 1000), warnAt: Math.round(warnAt / 1000) }
        : part.measuredRatio
          ? { value: round3(part.measuredRatio.value), unit: "ratio", limit: part.measuredRatio.limit }
          : null;
    return { status, summary: parts.join("; "), measured, findings, evidence: { ...part.evidence, maxMs: max, warnAtMs: warnAt } };
  },
});

const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ---- HTTP ------------------------------------------------------------------------------------

interface Fetched {
  res: HttpResponse;
  age: AgeBreakdown;
  freshness: Freshness;
  json: unknown;
}

async function fetchSide(target: string, options: HttpOptions, ctx: CheckContext, side: string): Promise<Fetched> {
  const requestTime = ctx.now().getTime();
  const res = await httpRequest(target, { headers: options.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  const responseTime = Math.max(requestTime, ctx.now().getTime());
  if (res.status === 401 || res.status === 403) throw new ProbeError("not-authorized", `${side} ${res.url} answered HTTP ${res.status}`, { status: res.status });
  if (res.status < 200 || res.status > 299) throw new ProbeError("invalid-response", `${side} ${res.url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, { status: res.status });
  const h = res.headers;
  const age = currentAge({ age: h.age, date: h.date, requestTime, responseTime, now: responseTime });
  const freshness = freshnessLifetime({
    cacheControl: h["cache-control"],
    expires: h.expires,
    date: h.date,
    lastModified: h["last-modified"],
    shared: options.shared,
    responseTime,
  });
  const needsJson = options.timestamp !== undefined || options.version !== undefined;
  const json = needsJson ? parseJsonText(res.body, `${side} body from ${res.url}`) : undefined;
  return { res, age, freshness, json };
}

async function httpAge(options: HttpOptions, ctx: CheckContext): Promise<Reading> {
  const [standby, primary] = await Promise.all([
    fetchSide(options.url, options, ctx, "standby"),
    options.primary ? fetchSide(options.primary, options, ctx, "primary") : Promise.resolve(null),
  ]);
  const findings: Finding[] = [];
  const notes: string[] = [];
  const h = standby.res.headers;
  const { age, freshness } = standby;
  const fresh = freshness.lifetime > age.currentAge;
  const evidence: Record<string, unknown> = {
    url: standby.res.url,
    status: standby.res.status,
    rfc9111: {
      ageHeader: h.age ?? null,
      date: h.date ?? null,
      apparentAgeMs: age.apparentAge,
      responseDelayMs: age.responseDelay,
      correctedAgeValueMs: age.correctedAgeValue,
      correctedInitialAgeMs: age.correctedInitialAge,
      residentTimeMs: age.residentTime,
      currentAgeMs: age.currentAge,
      freshnessLifetimeMs: freshness.lifetime,
      freshnessFrom: freshness.source,
      restrictions: freshness.restrictions,
      fresh,
    },
    cdn: { headers: cdnEvidence(h), claims: cdnVerdict(h), note: "reported by the CDN; evidence, not the measured age" },
    validators: { etag: h.etag ?? null, lastModified: h["last-modified"] ?? null },
  };

  // The honest age: a timestamp the application wrote into the content.
  let contentAge: number | null = null;
  if (options.timestamp) {
    const raw = getPointer(standby.json, options.timestamp);
    if (raw === undefined) throw new ProbeError("invalid-response", `standby body from ${standby.res.url} has nothing at ${options.timestamp}`);
    const ts = requireTimestamp(raw, `standby ${options.timestamp}`);
    contentAge = Math.max(0, ctx.now().getTime() - ts);
    evidence.content = { pointer: options.timestamp, timestamp: new Date(ts).toISOString(), ageMs: contentAge };
  }

  if (!fresh && freshness.source !== "none") {
    findings.push({
      level: "warn",
      message: `the standby serves a stale response: current age ${formatDuration(age.currentAge)} exceeds its freshness lifetime ${formatDuration(freshness.lifetime)} (${freshness.source})`,
      path: "freshness",
      rule: "RFC 9111 4.2: a response is fresh while its current age is below its freshness lifetime",
    });
  }
  notes.push(`HTTP current age ${formatDuration(age.currentAge)}, fresh for ${formatDuration(freshness.lifetime)} (${freshness.source})`);
  const claims = cdnVerdict(h);
  if (claims) notes.push(`CDN says ${claims}`);

  if (primary) {
    const fields: ParityField[] = options.parity ?? (["etag", "last-modified", ...(options.version ? (["version"] as const) : [])] as ParityField[]);
    const pv = sideValues(primary, options);
    const sv = sideValues(standby, options);
    const parity: Record<string, unknown> = {};
    for (const field of fields) {
      const p = pv[field];
      const s = sv[field];
      parity[field] = { primary: p.shown, standby: s.shown, same: p.key === s.key };
      if (p.key === null && s.key === null) continue;
      if (p.key !== s.key) {
        findings.push({
          message: `${field}: the standby serves ${s.shown ?? "none"}, the primary ${p.shown ?? "none"}`,
          path: `parity.${field}`,
          change: s.key === null ? "missing" : "changed",
          primary: p.shown,
          standby: s.shown,
          rule: "after a failover clients would get different content than the primary serves now",
        });
      }
    }
    evidence.parity = parity;
    if (options.timestamp && primary.json !== undefined) {
      const raw = getPointer(primary.json, options.timestamp);
      if (raw !== undefined) {
        const pts = requireTimestamp(raw, `primary ${options.timestamp}`);
        const behind = contentAge === null ? null : Math.max(0, pts - (ctx.now().getTime() - contentAge));
        evidence.primaryContent = { timestamp: new Date(pts).toISOString(), standbyBehindMs: behind };
        if (behind !== null && behind > 0) notes.push(`standby content ${formatDuration(behind)} behind the primary's`);
      }
    }
  }
  return contentAge !== null
    ? { age: contentAge, ageLabel: "content", findings, evidence, notes }
    : { age: age.currentAge, ageLabel: "cached response", findings, evidence, notes };
}

function sideValues(f: Fetched, options: HttpOptions): Record<ParityField, { key: string | null; shown: string | null }> {
  const h = f.res.headers;
  const lm = parseHttpDate(h["last-modified"]);
  const ver = options.version ? getPointer(f.json, options.version) : undefined;
  const verText = ver === undefined ? null : typeof ver === "string" ? ver : JSON.stringify(ver);
  const hash = createHash("sha256").update(f.res.body).digest("hex");
  return {
    etag: { key: etagOpaque(h.etag), shown: h.etag ?? null },
    "last-modified": { key: lm === null ? (h["last-modified"] ?? null) : String(lm), shown: h["last-modified"] ?? null },
    version: { key: verText, shown: verText },
    body: { key: hash, shown: `sha256:${hash.slice(0, 12)}` },
  };
}

// ---- Redis -----------------------------------------------------------------------------------

async function redisAge(options: RedisOptions, ctx: CheckContext): Promise<Reading> {
  const opts = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
  const findings: Finding[] = [];
  const notes: string[] = [];
  const evidence: Record<string, unknown> = {};
  const standby = await withRedis(options.url, opts, async (s) => {
    const heartbeat = options.heartbeatKey ? await s.call("GET", options.heartbeatKey) : undefined;
    const dbsize = Number(await s.call("DBSIZE"));
    return { heartbeat, dbsize, target: s.target };
  });
  evidence.standby = { target: standby.target, keys: standby.dbsize };
  let age: number | null = null;
  if (options.heartbeatKey) {
    if (standby.heartbeat === null || standby.heartbeat === undefined) {
      findings.push({
        message: `heartbeat key ${options.heartbeatKey} is missing on the standby (${standby.target})`,
        path: "heartbeat",
        rule: "the application's writes do not reach the standby cache",
      });
    } else {
      const ts = requireTimestamp(String(standby.heartbeat), `heartbeat key ${options.heartbeatKey} on the standby`);
      age = Math.max(0, ctx.now().getTime() - ts);
      evidence.heartbeat = { key: options.heartbeatKey, timestamp: new Date(ts).toISOString(), ageMs: age };
    }
  }
  let ratio: { value: number; limit: number } | undefined;
  if (options.primary) {
    const primaryKeys = await withRedis(options.primary, opts, async (s) => Number(await s.call("DBSIZE")));
    const warmth = primaryKeys === 0 ? 1 : standby.dbsize / primaryKeys;
    ratio = { value: warmth, limit: options.minWarmth };
    evidence.warmth = { primaryKeys, standbyKeys: standby.dbsize, ratio: round3(warmth), minWarmth: options.minWarmth };
    notes.push(`warmth ${pct(warmth)} (${standby.dbsize}/${primaryKeys} keys, minimum ${pct(options.minWarmth)})`);
    if (warmth < options.minWarmth) {
      findings.push({
        message: `the standby cache holds ${standby.dbsize} keys, ${pct(warmth)} of the primary's ${primaryKeys} (minimum ${pct(options.minWarmth)})`,
        path: "warmth",
        primary: primaryKeys,
        standby: standby.dbsize,
        rule: "a cold standby cache sends every request to the database after failover (thundering herd)",
      });
    }
  }
  return { age, ageLabel: "heartbeat", findings, evidence, notes, ...(age === null && ratio ? { measuredRatio: ratio } : {}) };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

// ---- File ------------------------------------------------------------------------------------

async function fileAge(path: string, ctx: CheckContext): Promise<Reading> {
  const full = isAbsolute(path) ? path : resolve(ctx.baseDir, path);
  let mtime: number;
  try {
    mtime = (await stat(full)).mtimeMs;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      return {
        age: null,
        ageLabel: "file",
        findings: [{ message: `cached artifact ${path} does not exist`, path: "file", rule: "the standby has nothing cached to serve" }],
        evidence: { file: path },
        notes: [],
      };
    }
    if (code === "EACCES" || code === "EPERM") throw new ProbeError("not-authorized", `cannot stat ${path} (${code})`, { code });
    throw new ProbeError("error", `cannot stat ${path}${code ? ` (${code})` : ""}`, code ? { code } : {});
  }
  const age = Math.max(0, ctx.now().getTime() - mtime);
  return { age, ageLabel: `file ${path}`, findings: [], evidence: { file: path, modified: new Date(mtime).toISOString(), ageMs: age }, notes: [] };
}
