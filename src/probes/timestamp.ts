// Timestamps as applications write them into heartbeats and records: ISO 8601 / RFC 3339
// strings, HTTP dates, or epoch numbers (seconds or milliseconds, also as numeric strings).
import { ProbeError } from "./errors.js";

/** Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const SECONDS_LIMIT = 1e11;

/** Epoch milliseconds, or null when `value` is not a recognisable timestamp. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) return null;
    return value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value !== "string") return null;
  const t = value.trim();
  if (t === "") return null;
  if (/^\d+(\.\d+)?$/.test(t)) return parseTimestamp(Number(t));
  // Date.parse accepts ISO 8601 and RFC 2822 / IMF-fixdate; a bare date-time without zone
  // would be local time, which is ambiguous: require a zone for ISO forms.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** parseTimestamp or an invalid-response ProbeError that describes (not quotes) the value. */
export function requireTimestamp(value: unknown, what: string): number {
  const ms = parseTimestamp(value);
  if (ms === null) {
    const shape = typeof value === "string" ? `a string of ${value.length} characters` : value === null ? "null" : `a ${typeof value}`;
    throw new ProbeError(
      "invalid-response",
      `${what} is not a timestamp (got ${shape}; expected ISO 8601 with a zone like 2026-11-25T02:17:00Z, or epoch seconds/milliseconds)`,
    );
  }
  return ms;
}
