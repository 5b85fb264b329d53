// Each kind's own Prometheus families, derived from its `measured` and its evidence
// (checks/<kind>/evidence.ts) in base units: instants as Unix timestamps in seconds, durations in
// seconds, sizes in bytes, ratios as 0..1. Evidence is read by the kind's own field names (a
// renamed field breaks the build) and checked at run time (a report can come from an older
// version's history or a merged file: a wrong type is an absent sample, never a crash).
// Kinds without families of their own get the generic `standby_check_measured_*` families, from
// `measured` converted to the base unit its unit names.
import type { CacheAgeEvidence } from "../../checks/cache-age/evidence.js";
import type { AwsCredentialsEvidence } from "../../checks/aws-credentials/evidence.js";
import type { ConfigDriftEvidence } from "../../checks/config-drift/evidence.js";
import type { DnsFailoverEvidence } from "../../checks/dns-failover/evidence.js";
import type { DrillRecencyEvidence } from "../../checks/drill-recency/evidence.js";
import type { JwtEvidence } from "../../checks/jwt/evidence.js";
import type { ReplicationLagEvidence } from "../../checks/replication-lag/evidence.js";
import type { TlsCertificateEvidence } from "../../checks/tls-certificate/evidence.js";
import { CHANGE_KINDS, SIDES, type CheckReport } from "../engine/types.js";
import type { FamilyDef, MetricType, Sample } from "./prometheus.js";
import { readEvidence, type EvidenceReader } from "./evidence-reader.js";

/** One check's result, and when it was measured (ms since the epoch; null when unknown). */
export interface CheckSample {
  check: CheckReport;
  at: number | null;
}

export interface KindFamily {
  def: FamilyDef;
  samples(s: CheckSample): Sample[];
}

// ---- reading evidence ------------------------------------------------------------------------

const evidence = <E>(c: CheckReport): EvidenceReader<E> => readEvidence<E>(c.evidence);

// ---- helpers -----------------------------------------------------------------------------------

const family = (name: string, help: string, labels: readonly string[] = ["service", "check"], type: MetricType = "gauge"): FamilyDef => ({ name, type, help, labels });

const labelsOf = (c: CheckReport) => ({ service: c.service, check: c.id });

/** One sample of a per-check family, none when there is no value. */
function one(c: CheckReport, v: number | null): Sample[] {
  return v === null || !Number.isFinite(v) ? [] : [[labelsOf(c), v]];
}

type MeasuredField = "value" | "limit" | "warnAt";
/** A field of `measured` (or of the `reading` set aside for it) when its unit is one of `units`. */
function measured(c: CheckReport, field: MeasuredField, units: readonly string[]): number | null {
  const m = c.measured ?? c.reading;
  if (!m || !units.includes(m.unit)) return null;
  const v = m[field];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const DAY_S = 86_400;
const ms = (v: number | null): number | null => (v === null ? null : v / 1000);
const first = (...vs: Array<number | null>): number | null => vs.find((v) => v !== null) ?? null;
const min = (vs: number[]): number | null => (vs.length ? Math.min(...vs) : null);
/** `measured` seconds (or days) ahead of when the result was measured, as a Unix timestamp in seconds. */
const secondsAhead = (s: CheckSample, seconds: number | null): number | null => (seconds === null || s.at === null ? null : s.at / 1000 + seconds);
const daysAhead = (s: CheckSample, days: number | null): number | null => secondsAhead(s, days === null ? null : days * DAY_S);

/** A family of a kind: samples only from that kind's checks. */
function of(kind: string, def: FamilyDef, value: (s: CheckSample) => number | null): KindFamily & { kind: string } {
  return { kind, def, samples: (s) => (s.check.kind === kind ? one(s.check, value(s)) : []) };
}

// ---- the kinds' own families ---------------------------------------------------------------------

const tls = (c: CheckReport) => evidence<TlsCertificateEvidence>(c);
/** The earliest notAfter of every chain either side presented (what the check judges), ms. */
function tlsEarliest(c: CheckReport): number | null {
  const e = tls(c);
  const all = SIDES.flatMap((side) => (e.obj(side)?.list("addresses") ?? []).flatMap((a) => a.list("chain").map((cert) => cert.time("notAfter"))));
  return min(all.filter((t): t is number => t !== null));
}

/** JWT NumericDate: seconds, or milliseconds above 1e11 (as checks/jwt/claims.ts reads it). */
function numericDateMs(v: number | null): number | null {
  if (v === null || v < 0 || v > 8.64e15) return null;
  return v > 1e11 ? v : v * 1000;
}
const jwt = (c: CheckReport) => evidence<JwtEvidence>(c);
function jwtEarliest(c: CheckReport): number | null {
  const e = jwt(c);
  const exps = SIDES.map((side) => {
    const exp = e.obj(side)?.obj("token")?.obj("claims")?.num("exp");
    return exp === undefined ? null : numericDateMs(exp);
  });
  return min(exps.filter((t): t is number => t !== null));
}

const aws = (c: CheckReport) => evidence<AwsCredentialsEvidence>(c);
const lag = (c: CheckReport) => evidence<ReplicationLagEvidence>(c);
const dns = (c: CheckReport) => evidence<DnsFailoverEvidence>(c).obj("breakdown");
const cache = (c: CheckReport) => evidence<CacheAgeEvidence>(c);
const drill = (c: CheckReport) => evidence<DrillRecencyEvidence>(c);
const drift = (c: CheckReport) => evidence<ConfigDriftEvidence>(c);

const KIND_FAMILIES: Array<KindFamily & { kind: string }> = [
  // tls-certificate
  of(
    "tls-certificate",
    family("standby_tls_certificate_expiry_timestamp_seconds", "The earliest notAfter of every certificate either side presented (leaf, intermediates, root), seconds since the Unix epoch."),
    (s) => first(ms(tlsEarliest(s.check)), daysAhead(s, measured(s.check, "value", ["d"]))),
  ),
  of(
    "tls-certificate",
    family("standby_tls_certificate_expiry_limit_seconds", "The check fails when the earliest expiry is closer than this (its `fail` threshold)."),
    (s) => first(ms(tls(s.check).obj("thresholds")?.num("failMs") ?? null), mul(measured(s.check, "limit", ["d"]), DAY_S)),
  ),
  of(
    "tls-certificate",
    family("standby_tls_certificate_expiry_warn_seconds", "The check warns when the earliest expiry is closer than this (its `warn` threshold)."),
    (s) => first(ms(tls(s.check).obj("thresholds")?.num("warnMs") ?? null), mul(measured(s.check, "warnAt", ["d"]), DAY_S)),
  ),
  // jwt
  of(
    "jwt",
    family("standby_jwt_expiry_timestamp_seconds", "The earliest exp of the tokens read (either side), seconds since the Unix epoch."),
    (s) => first(ms(jwtEarliest(s.check)), secondsAhead(s, measured(s.check, "value", ["s"]))),
  ),
  of(
    "jwt",
    family("standby_jwt_expiry_limit_seconds", "The check fails when a token expires sooner than this (its `fail` threshold)."),
    (s) => first(ms(jwt(s.check).obj("thresholds")?.num("failMs") ?? null), measured(s.check, "limit", ["s"])),
  ),
  of(
    "jwt",
    family("standby_jwt_expiry_warn_seconds", "The check warns when a token expires sooner than this (its `warn` threshold)."),
    (s) => first(ms(jwt(s.check).obj("thresholds")?.num("warnMs") ?? null), measured(s.check, "warnAt", ["s"])),
  ),
  // aws-credentials
  of(
    "aws-credentials",
    family(
      "standby_aws_credentials_certificate_expiry_timestamp_seconds",
      "The earliest notAfter of the standby's in-use ACM certificates, seconds since the Unix epoch (from the days left, one decimal, when the result was measured).",
    ),
    (s) => daysAhead(s, measured(s.check, "value", ["d"])),
  ),
  of(
    "aws-credentials",
    family("standby_aws_credentials_certificate_expiry_limit_seconds", "The check fails when an in-use certificate expires sooner than this (its `fail` threshold)."),
    (s) => first(ms(aws(s.check).obj("thresholds")?.num("failMs") ?? null), mul(measured(s.check, "limit", ["d"]), DAY_S)),
  ),
  of(
    "aws-credentials",
    family("standby_aws_credentials_certificate_expiry_warn_seconds", "The check warns when an in-use certificate expires sooner than this (its `warn` threshold)."),
    (s) => first(ms(aws(s.check).obj("thresholds")?.num("warnMs") ?? null), mul(measured(s.check, "warnAt", ["d"]), DAY_S)),
  ),
  // replication-lag
  of(
    "replication-lag",
    family("standby_replication_lag_seconds", "How far behind the primary the standby is in time (absent when no time lag can be claimed)."),
    (s) => first(ms(lag(s.check).num("lagMs")), measured(s.check, "value", ["s"])),
  ),
  of("replication-lag", family("standby_replication_lag_limit_seconds", "The time lag above which the check fails (max, or objectives.rpo)."), (s) => first(ms(lag(s.check).num("limitMs")), measured(s.check, "limit", ["s"]))),
  of("replication-lag", family("standby_replication_lag_warn_seconds", "The time lag from which the check warns."), (s) => first(ms(lag(s.check).num("warnAtMs")), measured(s.check, "warnAt", ["s"]))),
  of(
    "replication-lag",
    family("standby_replication_lag_bytes", "Bytes (WAL, binlog, replication offset) the standby has not applied, from the furthest position it has (absent when not comparable)."),
    (s) => lag(s.check).num("bytesBehind"),
  ),
  of("replication-lag", family("standby_replication_lag_limit_bytes", "The byte lag above which the check fails (maxBytes; absent when not set)."), (s) => lag(s.check).num("maxBytes")),
  // dns-failover
  of(
    "dns-failover",
    family("standby_dns_failover_seconds", "Estimated DNS failover time: health-check detection + record TTL + client caching."),
    // No estimate without the record's TTL (measured is null then).
    (s) => (s.check.measured ? first(ms(dns(s.check)?.num("estimateMs") ?? null), measured(s.check, "value", ["s"])) : null),
  ),
  of("dns-failover", family("standby_dns_failover_limit_seconds", "The failover time above which the check fails (max, or objectives.rto)."), (s) => first(ms(dns(s.check)?.num("limitMs") ?? null), measured(s.check, "limit", ["s"]))),
  of("dns-failover", family("standby_dns_failover_warn_seconds", "The failover time from which the check warns."), (s) => first(ms(dns(s.check)?.num("warnAtMs") ?? null), measured(s.check, "warnAt", ["s"]))),
  // cache-age
  of("cache-age", family("standby_cache_age_seconds", "Age of the standby's cached copy that the budget judges (content timestamp, heartbeat, RFC 9111 age or file mtime)."), (s) => measured(s.check, "value", ["s"])),
  of("cache-age", family("standby_cache_age_limit_seconds", "The age above which the check fails (max, or objectives.rpo)."), (s) => first(ms(cache(s.check).num("limitMs")), measured(s.check, "limit", ["s"]))),
  of("cache-age", family("standby_cache_age_warn_seconds", "The age from which the check warns."), (s) => first(ms(cache(s.check).num("warnAtMs")), measured(s.check, "warnAt", ["s"]))),
  of("cache-age", family("standby_cache_warmth_ratio", "Redis: the standby's key count over the primary's, 0 to 1."), (s) => first(cache(s.check).obj("warmth")?.num("ratio") ?? null, measured(s.check, "value", ["ratio"]))),
  of("cache-age", family("standby_cache_warmth_limit_ratio", "Redis: the warmth below which the check fails (minWarmth)."), (s) => first(cache(s.check).obj("warmth")?.num("minWarmth") ?? null, measured(s.check, "limit", ["ratio"]))),
  // drill-recency
  of(
    "drill-recency",
    family("standby_drill_last_timestamp_seconds", "When the last successful failover drill happened, seconds since the Unix epoch."),
    (s) => first(ms(drill(s.check).time("lastDrill")), s.at === null ? null : sub(s.at / 1000, measured(s.check, "value", ["s"]))),
  ),
  of(
    "drill-recency",
    family(
      "standby_drill_required_timestamp_seconds",
      "The oldest drill that still covers the latest slot whose grace is over (enforced slot minus grace), seconds since the Unix epoch: an older last drill fails.",
    ),
    (s) => {
      const slot = drill(s.check).time("enforcedSlot");
      const grace = drill(s.check).num("graceMs");
      return slot !== null && grace !== null ? (slot - grace) / 1000 : null;
    },
  ),
  of("drill-recency", family("standby_drill_next_slot_timestamp_seconds", "When the next drill is due by the cadence, seconds since the Unix epoch."), (s) => ms(drill(s.check).time("nextSlot"))),
  // split-brain
  of("split-brain", family("standby_split_brain_writable_nodes", "Nodes that accept writes (more than 1 is split brain; absent when a node did not answer)."), (s) => measured(s.check, "value", ["writable"])),
  // config-drift
  of("config-drift", family("standby_config_drift_compared_values", "Scalar values of the normalised primary that were compared (absent when nothing was compared)."), (s) => drift(s.check).num("compared")),
];

function mul(v: number | null, k: number): number | null {
  return v === null ? null : v * k;
}
function sub(a: number, b: number | null): number | null {
  return b === null ? null : a - b;
}

/** Drift differences by change kind: one family with a fixed `change` label over changed, missing, extra, weaker. */
const DRIFT_CHANGES = CHANGE_KINDS;
const driftDifferences: KindFamily & { kind: string } = {
  kind: "config-drift",
  def: family("standby_config_drift_differences", "Differences between the sides by change kind (accepted and informational ones not counted; all of them, even past the findings shown).", [
    "service",
    "check",
    "change",
  ]),
  samples(s) {
    if (s.check.kind !== "config-drift") return [];
    const e = drift(s.check);
    const counts = DRIFT_CHANGES.map((k) => e.num(k));
    if (counts.some((n) => n === null)) return [];
    return DRIFT_CHANGES.map((change, i) => [{ ...labelsOf(s.check), change }, counts[i]!] as const);
  },
};

const ALL_KIND_FAMILIES = [...KIND_FAMILIES, driftDifferences];

/** Kinds that have families of their own: the generic families leave them out. */
export const KINDS_WITH_FAMILIES: ReadonlySet<string> = new Set(ALL_KIND_FAMILIES.map((f) => f.kind));

export function kindFamilies(): readonly KindFamily[] {
  return ALL_KIND_FAMILIES;
}

/** Families per kind, in output order (README tables and tests read this). */
export function familiesByKind(): Record<string, FamilyDef[]> {
  const out: Record<string, FamilyDef[]> = {};
  for (const f of ALL_KIND_FAMILIES) (out[f.kind] ??= []).push(f.def);
  return out;
}

// ---- generic families for kinds without their own -------------------------------------------

type Base = "seconds" | "bytes" | "ratio" | "";
/** Units a `measured` may name, and the base unit they convert to: value * mul / div. Anything else is dimensionless. */
const UNITS: Record<string, readonly [base: Base, mul: number, div?: number]> = {
  ns: ["seconds", 1, 1e9],
  us: ["seconds", 1, 1e6],
  µs: ["seconds", 1, 1e6],
  ms: ["seconds", 1, 1e3],
  s: ["seconds", 1],
  sec: ["seconds", 1],
  second: ["seconds", 1],
  seconds: ["seconds", 1],
  min: ["seconds", 60],
  minute: ["seconds", 60],
  minutes: ["seconds", 60],
  h: ["seconds", 3600],
  hour: ["seconds", 3600],
  hours: ["seconds", 3600],
  d: ["seconds", DAY_S],
  day: ["seconds", DAY_S],
  days: ["seconds", DAY_S],
  w: ["seconds", 7 * DAY_S],
  week: ["seconds", 7 * DAY_S],
  weeks: ["seconds", 7 * DAY_S],
  B: ["bytes", 1],
  byte: ["bytes", 1],
  bytes: ["bytes", 1],
  kB: ["bytes", 1e3],
  KB: ["bytes", 1e3],
  MB: ["bytes", 1e6],
  GB: ["bytes", 1e9],
  TB: ["bytes", 1e12],
  KiB: ["bytes", 1024],
  MiB: ["bytes", 1024 ** 2],
  GiB: ["bytes", 1024 ** 3],
  TiB: ["bytes", 1024 ** 4],
  ratio: ["ratio", 1],
  "%": ["ratio", 1, 100],
  percent: ["ratio", 1, 100],
};

/** The base unit a `measured` unit converts to, and the conversion. */
export function baseUnit(unit: string): { base: Base; convert: (v: number) => number } {
  const [base, mul, div = 1] = Object.hasOwn(UNITS, unit) ? UNITS[unit]! : (["", 1] as const);
  return { base, convert: (v) => (v * mul) / div };
}

const BASES: readonly Base[] = ["seconds", "bytes", "ratio", ""];
const FIELDS: ReadonlyArray<readonly [MeasuredField, string, string]> = [
  ["value", "measured", "The value a check of a kind without its own families measured"],
  ["limit", "limit", "The limit such a check compares its measured value with (above or below, by kind)"],
  ["warnAt", "warn", "The value from which such a check warns"],
];

const GENERIC: KindFamily[] = FIELDS.flatMap(([field, word, help]) =>
  BASES.map((base): KindFamily => {
    const name = `standby_check_${word}${base ? `_${base}` : ""}`;
    const unitText = base === "" ? ", in the unit its kind documents (no base unit)" : base === "ratio" ? ", as a ratio (percentages / 100)" : `, in ${base}`;
    return {
      def: family(name, `${help}${unitText}.`),
      samples(s) {
        const m = s.check.measured;
        if (!m || KINDS_WITH_FAMILIES.has(s.check.kind)) return [];
        const unit = baseUnit(m.unit);
        const v = m[field];
        if (unit.base !== base || typeof v !== "number") return [];
        return [[labelsOf(s.check), unit.convert(v)]];
      },
    };
  }),
);

export function genericMeasuredFamilies(): readonly KindFamily[] {
  return GENERIC;
}
