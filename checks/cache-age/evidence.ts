// What a cache-age result carries for renderers: the budget the age was judged against (ms), and
// what the one source (`source`) read. The measured value is in seconds (or a ratio for warmth
// alone); `measured.limit`/`warnAt` are the same budget in that unit.
import type { FreshnessSource } from "../../src/probes/http-cache.js";

interface Budget {
  /** Oldest acceptable age: `max`, by default objectives.rpo. */
  limitMs: number;
  /** Age from which it warns: `warnAt` (80% of the limit by default, or a duration). */
  warnAtMs: number;
}

/** RFC 9111 4.2.3 current age and 4.2.1 freshness of the standby's response, all in ms. */
export interface Rfc9111Evidence {
  ageHeader: string | null;
  date: string | null;
  apparentAgeMs: number;
  responseDelayMs: number;
  correctedAgeValueMs: number;
  correctedInitialAgeMs: number;
  residentTimeMs: number;
  currentAgeMs: number;
  freshnessLifetimeMs: number;
  freshnessFrom: FreshnessSource;
  /** Directives that stop reuse without revalidation (no-store, no-cache, private). */
  restrictions: string[];
  fresh: boolean;
}

export interface ParityEvidence {
  primary: string | null;
  standby: string | null;
  same: boolean;
}

export interface HttpCacheEvidence extends Budget {
  source: "http";
  /** The standby URL as answered (after redirects), without query string. */
  url: string;
  status: number;
  rfc9111: Rfc9111Evidence;
  /** What the CDN's headers claim (HIT, MISS): evidence, never the measured age. */
  cdn: { headers: Record<string, string>; claims: string | null; note: string };
  validators: { etag: string | null; lastModified: string | null };
  /** With `timestamp`: the content's own timestamp (ISO) and age, the age that is judged. */
  content?: { pointer: string; timestamp: string; ageMs: number };
  /** With `primary`: each parity field on both sides. */
  parity?: Record<string, ParityEvidence>;
  /** With `primary` and `timestamp` on both sides: how far the standby's content is behind. */
  primaryContent?: { timestamp: string; standbyBehindMs: number | null };
}

export interface RedisCacheEvidence extends Budget {
  source: "redis";
  standby: { target: string; keys: number };
  heartbeat?: { key: string; timestamp: string; ageMs: number };
  warmth?: { primaryKeys: number; standbyKeys: number; ratio: number; minWarmth: number };
}

export interface FileCacheEvidence extends Budget {
  source: "file";
  /** The path as written in the config. */
  file: string;
  /** Absent when the artifact does not exist (a fail finding). */
  modified?: string;
  ageMs?: number;
}

/** The standby could not be read (the check is unknown): the budget only. */
export interface UnreadCacheEvidence extends Budget {
  source: "http" | "redis" | "file";
  unread: true;
}

export type CacheAgeEvidence = HttpCacheEvidence | RedisCacheEvidence | FileCacheEvidence | UnreadCacheEvidence;
