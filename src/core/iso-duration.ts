// ISO 8601 durations as AWS returns them (DRS lagDuration "PT1M30.5S", "P1DT2H"): weeks, days,
// hours, minutes and (fractional) seconds. Years and months have no fixed length in ms, so they
// are refused rather than guessed; so is anything else that is not a duration.
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/** Milliseconds of an ISO 8601 duration, or null when `text` is not one this parser can measure. */
export function parseIsoDuration(text: unknown): number | null {
  if (typeof text !== "string" || text.length > 64) return null;
  const m = ISO_DURATION.exec(text);
  // "P" and "PT" alone match the pattern but state nothing.
  if (!m || m.slice(1).every((g) => g === undefined) || text.endsWith("T")) return null;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i]!;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}
