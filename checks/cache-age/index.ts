// cache-age: how old is what the standby would serve? HTTP responses (RFC 9111 current age and
// freshness, a body timestamp, parity with the primary), a Redis heartbeat key and the standby
// cache's warmth, or a cached file's modification age. See README.md.
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { formatDuration } from "../../src/core/duration.js";
import { budgetLevel, budgetLimits, budgetOptions, connectionOption, defineCheck, describeBudget, fileOption, httpUrlOption, ProbeError, readSides, verdict } from "../../src/kit/index.js";
import type { BudgetLimits, CheckContext, CheckOutcome, Finding, Measured, Side, Undecided } from "../../src/kit/index.js";
import { fileModifiedAt } from "../../src/probes/file.js";
import { cdnEvidence, cdnVerdict, currentAge, etagOpaque, freshnessLifetime, parseHttpDate, type AgeBreakdown, type Freshness } from "../../src/probes/http-cache.js";
import { describeUrl, httpRequest, type HttpResponse } from "../../src/probes/http.js";
import { getPointer, jsonPointer, parseJsonText } from "../../src/probes/json-pointer.js";
import { withRedis } from "../../src/probes/redis.js";
import { describeTarget } from "../../src/probes/target.js";
import { requireTimestamp } from "../../src/probes/timestamp.js";
import type { CacheAgeEvidence, FileCacheEvidence, HttpCacheEvidence, ParityEvidence, RedisCacheEvidence, UnreadCacheEvidence } from "./evidence.js";

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
  // A missing artifact in its directory is a finding, not a config mistake: validate wants the directory.
  .union([fileOption("directory"), z.strictObject({ path: fileOption("directory") })])
  .transform((v) => (typeof v === "string" ? { path: v } : v))
  .describe("Cached artifact whose modification time is its age (relative to the config file)");

type HttpOptions = z.output<typeof httpSchema>;
type RedisOptions = z.output<typeof redisSchema>;
type Unbudgeted<E> = E extends unknown ? Omit<E, "limitMs" | "warnAtMs"> : never;

/** What the one source read: the age it measured (or none), its own findings, the sides it could not read. */
interface Reading {
  /** Age in ms that the budget judges, or null when this source measured none. */
  age: number | null;
  ageLabel: string;
  findings: Finding[];
  undecided: Undecided[];
  evidence: Unbudgeted<CacheAgeEvidence>;
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
      ...budgetOptions("rpo", "Oldest acceptable age"),
    })
    .superRefine((v, issue) => {
      const n = [v.http, v.redis, v.file].filter((x) => x !== undefined).length;
      if (n !== 1) issue.addIssue({ code: "custom", message: "expected exactly one source: http, redis or file" });
      if (v.redis && !v.redis.heartbeatKey && !v.redis.primary) {
        issue.addIssue({ code: "custom", path: ["redis"], message: "expected heartbeatKey (age) or primary (warmth), or both" });
      }
    }),

  async run(options, ctx): Promise<CheckOutcome<CacheAgeEvidence>> {
    const limits = budgetLimits(options, ctx.objectives.rpo);
    const part = options.http ? await httpAge(options.http, ctx) : options.redis ? await redisAge(options.redis, ctx) : await fileAge(options.file!.path, ctx);
    const aged = part.age === null ? null : judgeAge({ ageMs: part.age, label: part.ageLabel, limits });
    const ageText = part.age === null ? [] : [`${part.ageLabel} ${formatDuration(part.age)} old (${describeBudget(limits, "RPO")})`];
    return verdict({
      findings: aged ? [aged, ...part.findings] : part.findings,
      undecided: part.undecided,
      measured: measuredOf(part, limits),
      // measured is the age (or the warmth): absent when the check fails on anything else (content parity).
      measuredRules: part.age !== null ? ["over-limit", "near-limit"] : ["cold-cache"],
      evidence: { ...part.evidence, limitMs: limits.limitMs, warnAtMs: limits.warnAtMs },
      passSummary: () => [...ageText, ...part.notes].join("; "),
    });
  },
});

export interface AgeInput {
  ageMs: number;
  /** What is this old: "content", "cached response", "heartbeat", "file x". */
  label: string;
  limits: BudgetLimits;
}

/** The age against the budget: a failure over the limit, a warning from warnAt, else nothing. */
export function judgeAge({ ageMs, label, limits }: AgeInput): Finding | null {
  const level = budgetLevel(ageMs, limits);
  const age = formatDuration(ageMs);
  if (level === "fail") {
    const limit = `${formatDuration(limits.limitMs)} limit${limits.fromObjective ? " (RPO)" : ""}`;
    return { message: `${label} is ${age} old, over the ${limit}`, path: "age", rule: "over-limit", why: "a failover would serve content this old" };
  }
  if (level === "warn") return { level: "warn", message: `${label} is ${age} old, past the warning at ${formatDuration(limits.warnAtMs)}`, path: "age", rule: "near-limit" };
  return null;
}

/** The age in seconds with the budget in seconds; the warmth ratio when no age was measured. */
function measuredOf(part: Reading, limits: BudgetLimits): Measured | null {
  if (part.age !== null) return { value: Math.round(part.age / 1000), unit: "s", limit: Math.round(limits.limitMs / 1000), warnAt: Math.round(limits.warnAtMs / 1000) };
  if (part.measuredRatio) return { value: round3(part.measuredRatio.value), unit: "ratio", limit: part.measuredRatio.limit };
  return null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The standby could not be read: nothing measured, the check is undecided. */
function unread(source: UnreadCacheEvidence["source"], undecided: Undecided[]): Reading {
  return { age: null, ageLabel: source, findings: [], undecided, evidence: { source, unread: true }, notes: [] };
}

/** Targets as messages name them: the standby always, the primary when configured. */
function sideTargets(standby: string, primary: string | undefined, describe: (u: string) => string): Partial<Record<Side, string>> {
  return { standby: describe(standby), ...(primary !== undefined ? { primary: describe(primary) } : {}) };
}

// ---- HTTP ------------------------------------------------------------------------------------

interface Fetched {
  res: HttpResponse;
  age: AgeBreakdown;
  freshness: Freshness;
  json: unknown;
  /** The content's own timestamp (epoch ms) at `timestamp`; the primary's may be absent. */
  contentAt?: number;
}

async function fetchSide(side: Side, target: string, options: HttpOptions, ctx: CheckContext): Promise<Fetched> {
  const requestTime = ctx.now().getTime();
  const res = await httpRequest(side === "standby" ? options.url : options.primary!, { headers: options.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  const responseTime = Math.max(requestTime, ctx.now().getTime());
  if (res.status === 401 || res.status === 403) throw new ProbeError("not-authorized", `${res.url} answered HTTP ${res.status}`, { status: res.status });
  if (res.status < 200 || res.status > 299) throw new ProbeError("invalid-response", `${res.url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, { status: res.status });
  const h = res.headers;
  const age = currentAge({ age: h.age, date: h.date, requestTime, responseTime, now: responseTime });
  const freshness = freshnessLifetime({ cacheControl: h["cache-control"], expires: h.expires, date: h.date, lastModified: h["last-modified"], shared: options.shared, responseTime });
  const needsJson = options.timestamp !== undefined || options.version !== undefined;
  const json = needsJson ? parseJsonText(res.body, `${target}: the body`) : undefined;
  if (!options.timestamp) return { res, age, freshness, json };
  const raw = getPointer(json, options.timestamp);
  // The standby's content age is what is judged: it must be there. The primary's only adds a comparison.
  if (raw === undefined && side === "standby") throw new ProbeError("invalid-response", `${target}: the body has nothing at ${options.timestamp}`);
  return raw === undefined ? { res, age, freshness, json } : { res, age, freshness, json, contentAt: requireTimestamp(raw, `${target}: ${options.timestamp}`) };
}

async function httpAge(options: HttpOptions, ctx: CheckContext): Promise<Reading> {
  const targets = sideTargets(options.url, options.primary, describeUrl);
  const read = await readSides(ctx, targets, (side) => fetchSide(side, targets[side]!, options, ctx));
  const { standby, primary, undecided } = read;
  if (!standby) return unread("http", undecided);
  const findings: Finding[] = [];
  const notes: string[] = [];
  const h = standby.res.headers;
  const { age, freshness } = standby;
  const fresh = freshness.lifetime > age.currentAge;
  const evidence: Unbudgeted<HttpCacheEvidence> = {
    source: "http",
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
  const contentAge = standby.contentAt === undefined ? null : Math.max(0, ctx.now().getTime() - standby.contentAt);
  if (options.timestamp && standby.contentAt !== undefined && contentAge !== null) {
    evidence.content = { pointer: options.timestamp, timestamp: new Date(standby.contentAt).toISOString(), ageMs: contentAge };
  }

  if (!fresh && freshness.source !== "none") {
    findings.push({
      level: "warn",
      message: `the standby serves a stale response: current age ${formatDuration(age.currentAge)} exceeds its freshness lifetime ${formatDuration(freshness.lifetime)} (${freshness.source})`,
      path: "freshness",
      rule: "stale-response",
      why: "RFC 9111 4.2: a response is fresh while its current age is below its freshness lifetime",
    });
  }
  notes.push(`HTTP current age ${formatDuration(age.currentAge)}, fresh for ${formatDuration(freshness.lifetime)} (${freshness.source})`);
  const claims = cdnVerdict(h);
  if (claims) notes.push(`CDN says ${claims}`);

  if (primary) {
    const fields: ParityField[] = options.parity ?? (["etag", "last-modified", ...(options.version ? (["version"] as const) : [])] as ParityField[]);
    const pv = sideValues(primary, options);
    const sv = sideValues(standby, options);
    const parity: Record<string, ParityEvidence> = {};
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
          rule: "content-parity",
          why: "after a failover clients would get different content than the primary serves now",
        });
      }
    }
    evidence.parity = parity;
    if (primary.contentAt !== undefined) {
      const behind = standby.contentAt === undefined ? null : Math.max(0, primary.contentAt - standby.contentAt);
      evidence.primaryContent = { timestamp: new Date(primary.contentAt).toISOString(), standbyBehindMs: behind };
      if (behind !== null && behind > 0) notes.push(`standby content ${formatDuration(behind)} behind the primary's`);
    }
  }
  return contentAge !== null
    ? { age: contentAge, ageLabel: "content", findings, undecided, evidence, notes }
    : { age: age.currentAge, ageLabel: "cached response", findings, undecided, evidence, notes };
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
  const key = options.heartbeatKey;
  const read = await readSides(ctx, sideTargets(options.url, options.primary, describeTarget), (side) =>
    withRedis(side === "standby" ? options.url : options.primary!, opts, async (s) => {
      const raw = side === "standby" && key ? await s.call("GET", key) : null;
      const heartbeat = raw === null || raw === undefined ? null : requireTimestamp(String(raw), `${s.target} heartbeat key ${key}`);
      return { heartbeat, keys: keyCount(await s.call("DBSIZE"), s.target), target: s.target };
    }),
  );
  const { standby, primary, undecided } = read;
  if (!standby) return unread("redis", undecided);
  const findings: Finding[] = [];
  const notes: string[] = [];
  const evidence: Unbudgeted<RedisCacheEvidence> = { source: "redis", standby: { target: standby.target, keys: standby.keys } };
  let age: number | null = null;
  if (key && standby.heartbeat === null) {
    findings.push({ message: `heartbeat key ${key} is missing on the standby (${standby.target})`, path: "heartbeat", rule: "heartbeat-missing", why: "the application's writes do not reach the standby cache" });
  } else if (key && standby.heartbeat !== null) {
    age = Math.max(0, ctx.now().getTime() - standby.heartbeat);
    evidence.heartbeat = { key, timestamp: new Date(standby.heartbeat).toISOString(), ageMs: age };
  }
  let ratio: { value: number; limit: number } | undefined;
  if (primary) {
    const warmth = primary.keys === 0 ? 1 : standby.keys / primary.keys;
    ratio = { value: warmth, limit: options.minWarmth };
    evidence.warmth = { primaryKeys: primary.keys, standbyKeys: standby.keys, ratio: round3(warmth), minWarmth: options.minWarmth };
    notes.push(`warmth ${pct(warmth)} (${standby.keys}/${primary.keys} keys, minimum ${pct(options.minWarmth)})`);
    if (warmth < options.minWarmth) {
      findings.push({
        message: `the standby cache holds ${standby.keys} keys, ${pct(warmth)} of the primary's ${primary.keys} (minimum ${pct(options.minWarmth)})`,
        path: "warmth",
        primary: primary.keys,
        standby: standby.keys,
        rule: "cold-cache",
        why: "a cold standby cache sends every request to the database after failover (thundering herd)",
      });
    }
  }
  return { age, ageLabel: "heartbeat", findings, undecided, evidence, notes, ...(age === null && ratio ? { measuredRatio: ratio } : {}) };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** DBSIZE answers an integer; anything else (a proxy's +OK, a nil) is no key count to judge warmth by. */
function keyCount(reply: unknown, target: string): number {
  if (typeof reply === "number" && Number.isSafeInteger(reply) && reply >= 0) return reply;
  throw new ProbeError("invalid-response", `${target}: DBSIZE did not answer a key count (got ${reply === null ? "nil" : `a ${typeof reply}`})`);
}

// ---- File ------------------------------------------------------------------------------------

async function fileAge(path: string, ctx: CheckContext): Promise<Reading> {
  // A missing artifact in its directory is this kind's own finding (nothing cached to serve), not
  // an unreadable input. Without its directory either, a wrong path cannot be told from a missing
  // cache: an unreadable input, like any other failure (permission denied), the side undecided.
  const notThere = async (err: unknown): Promise<null> => {
    if (!(err instanceof ProbeError && err.code === "ENOENT")) throw err;
    const dir = dirname(path);
    const full = isAbsolute(dir) ? dir : resolve(ctx.baseDir, dir);
    if (await stat(full).then((st) => st.isDirectory(), () => false)) return null;
    throw new ProbeError("unreadable-input", `standby ${path}: no such file, and no directory ${dir} either (ENOENT)`, { code: "ENOENT" });
  };
  const read = await readSides(ctx, { standby: path }, () => fileModifiedAt(path, ctx.baseDir, "standby", ctx.signal).catch(notThere));
  if (read.standby === undefined) return unread("file", read.undecided);
  const mtime = read.standby;
  if (mtime === null) {
    const findings = [{ message: `cached artifact ${path} does not exist`, path: "file", rule: "artifact-missing", why: "the standby has nothing cached to serve" }];
    return { age: null, ageLabel: "file", findings, undecided: [], evidence: { source: "file", file: path }, notes: [] };
  }
  const age = Math.max(0, ctx.now().getTime() - mtime);
  const evidence: Unbudgeted<FileCacheEvidence> = { source: "file", file: path, modified: new Date(mtime).toISOString(), ageMs: age };
  return { age, ageLabel: `file ${path}`, findings: [], undecided: [], evidence, notes: [] };
}
