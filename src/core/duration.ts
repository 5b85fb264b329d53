// Durations as users write them: 90s, 5m, 2h, 14d (also 500ms, 1h30m). Parsed to milliseconds.
import { z } from "zod";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

export const DURATION_HINT = "a duration like 90s, 5m, 2h or 14d";

export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (!WHOLE.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

/**
 * Why `v` (a number as YAML gives it) is no duration, or null for a bare 0 where 0 is allowed:
 * any other bare number could mean seconds, minutes or hours, so its unit must be written.
 */
function bareNumberProblem(v: number, positive: boolean): string | null {
  if (!Number.isFinite(v)) return `expected ${DURATION_HINT}, got ${v}`;
  if (v < 0) return positive ? "must be greater than 0" : "cannot be negative";
  if (v === 0) return positive ? "must be greater than 0" : null;
  return `a bare number is ambiguous: write ${v}s, ${v}m or ${v}h`;
}

function durationSchema(positive: boolean) {
  return z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const text = typeof v === "string" ? v.trim() : "";
      // "2" quoted is the same bare number as 2.
      const bare = typeof v === "number" ? v : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
      if (bare !== null) {
        const problem = bareNumberProblem(bare, positive);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
        return problem ? z.NEVER : 0;
      }
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: `expected ${DURATION_HINT}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      if (positive && ms === 0) {
        ctx.addIssue({ code: "custom", message: "must be greater than 0" });
        return z.NEVER;
      }
      return ms;
    })
    .meta({
      description: positive ? `${DURATION_HINT}, more than 0` : DURATION_HINT,
      examples: ["90s", "5m", "2h", "14d"],
      // For editors (`standby schema`): a string with its unit; a bare 0 only where 0 is allowed.
      anyOf: positive ? [{ type: "string", pattern: `^(?=.*[1-9])${WHOLE.source.slice(1)}` }] : [{ type: "string", pattern: WHOLE.source }, { const: 0 }],
    });
}

/** Zod schema: a duration with its unit (90s, 5m), parsed to milliseconds; 0 may be written bare. */
export const duration = durationSchema(false);

/** A duration that must be more than 0: a timeout, an objective, a budget, an interval. */
export const positiveDuration = durationSchema(true);

/**
 * Human form of a duration in ms, the one every output uses: at most two adjacent units, largest
 * first, the rest rounded down (4m12s, 2h, 13d4h, 850ms; 100d, not 100d4s; 195d, not 195d1s).
 * Rounding down never shows more time than there is: an expiry 13d23h59m away reads 13d23h.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.floor(abs)}ms`;
  const seconds = Math.floor(abs / 1000);
  const units = [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const;
  const i = units.findIndex(([, size]) => seconds >= size);
  const [unit, size] = units[i]!;
  let text = `${Math.floor(seconds / size)}${unit}`;
  const next = units[i + 1];
  // Only the next smaller unit, and only when it is not zero: 100d4s is 100d.
  if (next && Math.floor((seconds % size) / next[1]) > 0) text += `${Math.floor((seconds % size) / next[1])}${next[0]}`;
  return sign + text;
}

/** A percentage or absolute tolerance: "15%" or 2. */
export const tolerance = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?%$/, "expected a percentage like 15% or a number"),
]);
