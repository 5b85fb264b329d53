// HTTP caching arithmetic of RFC 9111 as pure functions: the current age of a response
// (section 4.2.3), its freshness lifetime (4.2.1, with the heuristic of 4.2.2) and the CDN
// headers worth showing as evidence. All times are epoch milliseconds; ages are milliseconds.

export type CacheControl = Record<string, string | true>;

/** `max-age=60, no-cache="set-cookie", public` -> { "max-age": "60", "no-cache": "set-cookie", public: true } */
export function parseCacheControl(header: string | null | undefined): CacheControl {
  const out: CacheControl = {};
  if (!header) return out;
  const re = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))?\s*(?:,|$)/g;
  for (let m = re.exec(header); m && m[0] !== ""; m = re.exec(header)) {
    const name = m[1]!.toLowerCase();
    // RFC 9111 4.2.1: when a directive repeats, the first one wins (conservative caches differ; be predictable).
    if (Object.hasOwn(out, name)) continue;
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
    out[name] = value === undefined ? true : value;
  }
  return out;
}

/** delta-seconds (RFC 9111 1.2.2): non-negative integer; anything else is null. */
export function parseDeltaSeconds(value: string | true | null | undefined): number | null {
  if (typeof value !== "string" || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** An HTTP-date (IMF-fixdate, obsolete RFC 850 and asctime forms): epoch ms or null. */
export function parseHttpDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : ms;
}

export interface AgeInput {
  /** The Age header value (delta-seconds as text), if any. */
  age?: string | null;
  /** The Date header value, if any. */
  date?: string | null;
  /** When the request was sent (epoch ms). */
  requestTime: number;
  /** When the response was received (epoch ms). */
  responseTime: number;
  /** When the age is evaluated (epoch ms); defaults to responseTime. */
  now?: number;
}

export interface AgeBreakdown {
  ageValue: number;
  dateValue: number | null;
  apparentAge: number;
  responseDelay: number;
  correctedAgeValue: number;
  correctedInitialAge: number;
  residentTime: number;
  currentAge: number;
}

/**
 * RFC 9111 4.2.3:
 *   apparent_age = max(0, response_time - date_value)
 *   response_delay = response_time - request_time
 *   corrected_age_value = age_value + response_delay
 *   corrected_initial_age = max(apparent_age, corrected_age_value)
 *   resident_time = now - response_time
 *   current_age = corrected_initial_age + resident_time
 * A missing or invalid Age counts as 0; a missing Date leaves apparent_age 0 (RFC 9110 6.6.1:
 * the recipient would have stamped the response with its own receipt time).
 */
export function currentAge(input: AgeInput): AgeBreakdown {
  const ageSeconds = parseDeltaSeconds(input.age ?? null);
  const ageValue = (ageSeconds ?? 0) * 1000;
  const dateValue = parseHttpDate(input.date ?? null);
  const apparentAge = dateValue === null ? 0 : Math.max(0, input.responseTime - dateValue);
  const responseDelay = Math.max(0, input.responseTime - input.requestTime);
  const correctedAgeValue = ageValue + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, (input.now ?? input.responseTime) - input.responseTime);
  return {
    ageValue,
    dateValue,
    apparentAge,
    responseDelay,
    correctedAgeValue,
    correctedInitialAge,
    residentTime,
    currentAge: correctedInitialAge + residentTime,
  };
}

export type FreshnessSource = "s-maxage" | "max-age" | "expires" | "heuristic" | "none";

export interface FreshnessInput {
  cacheControl?: string | null;
  expires?: string | null;
  date?: string | null;
  lastModified?: string | null;
  /** A shared cache (CDN, proxy) honours s-maxage; a private (browser) cache does not. Default true. */
  shared?: boolean;
  /** Fraction of (Date - Last-Modified) used heuristically (RFC 9111 4.2.2 suggests 10%). */
  heuristicFraction?: number;
  /** Used for Expires/heuristic arithmetic when the response has no valid Date (epoch ms). */
  responseTime?: number;
}

export interface Freshness {
  /** Freshness lifetime in ms (0 when the response is not cacheable as fresh). */
  lifetime: number;
  source: FreshnessSource;
  /** Directives that stop reuse without revalidation (no-store, no-cache, private for a shared cache). */
  restrictions: string[];
}

/** RFC 9111 4.2.1: s-maxage (shared caches), then max-age, then Expires - Date, then the heuristic. */
export function freshnessLifetime(input: FreshnessInput): Freshness {
  const shared = input.shared ?? true;
  const cc = parseCacheControl(input.cacheControl);
  const restrictions = ["no-store", "no-cache", "must-revalidate", "proxy-revalidate"].filter((d) => d in cc);
  if (shared && "private" in cc) restrictions.push("private");
  if (shared) {
    const s = parseDeltaSeconds(cc["s-maxage"]);
    if (s !== null) return { lifetime: s * 1000, source: "s-maxage", restrictions };
  }
  const m = parseDeltaSeconds(cc["max-age"]);
  if (m !== null) return { lifetime: m * 1000, source: "max-age", restrictions };
  const date = parseHttpDate(input.date) ?? input.responseTime ?? null;
  if (input.expires !== undefined && input.expires !== null) {
    // An invalid Expires (e.g. "0") means already expired (RFC 9111 5.3).
    const exp = parseHttpDate(input.expires);
    const lifetime = exp === null || date === null ? 0 : Math.max(0, exp - date);
    return { lifetime, source: "expires", restrictions };
  }
  const lm = parseHttpDate(input.lastModified);
  if (lm !== null && date !== null) {
    const fraction = input.heuristicFraction ?? 0.1;
    return { lifetime: Math.max(0, Math.round((date - lm) * fraction)), source: "heuristic", restrictions };
  }
  return { lifetime: 0, source: "none", restrictions };
}

/** Headers CDNs and proxies use to say what they did; shown as evidence, never trusted as the age. */
export const CDN_HEADERS = [
  "age",
  "cache-status",
  "x-cache",
  "x-cache-hits",
  "x-cache-status",
  "cf-cache-status",
  "x-served-by",
  "x-amz-cf-pop",
  "x-proxy-cache",
  "via",
  "cdn-cache-control",
  "surrogate-control",
] as const;

/** The CDN headers present in a response (lower-cased names). */
export function cdnEvidence(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const out: Record<string, string> = {};
  for (const h of CDN_HEADERS) if (lower[h] !== undefined) out[h] = lower[h]!;
  return out;
}

/** What the CDN headers claim about the hit, when they claim anything: "hit", "miss", "stale", ... */
export function cdnVerdict(headers: Record<string, string>): string | null {
  const e = cdnEvidence(headers);
  const text = [e["cf-cache-status"], e["x-cache"], e["x-cache-status"], e["x-proxy-cache"], e["cache-status"]].filter(Boolean).join(" ").toLowerCase();
  if (!text) return null;
  for (const word of ["stale", "expired", "revalidated", "updating", "hit", "miss", "bypass", "dynamic"]) if (text.includes(word)) return word;
  return "other";
}

/** Opaque tag of an entity-tag, for a weak comparison (RFC 9110 8.8.3.2): W/"x" equals "x". */
export function etagOpaque(etag: string | null | undefined): string | null {
  if (!etag) return null;
  return etag.trim().replace(/^W\//, "");
}
