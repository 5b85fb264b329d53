// pt-heartbeat's `ts` text: a wall-clock time with no zone, as its Perl `ts()` writes it:
// sprintf("%d-%02d-%02dT%02d:%02d:%02d", ...) plus ".%06f" microseconds when the time has a
// fraction ("2026-12-03T07:20:01.000950"), in UTC with --utc, else the writer's local time. The
// first row of --create-table is NOW() / UTC_TIMESTAMP() ("2026-12-03 07:20:01"). Which zone
// the wall time is in cannot be read from it: the option says.

/** "UTC", "local" (the zone of the machine running standby) or an IANA zone name. */
export type PtTimeZone = string;

const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** True for "UTC", "local" and zone names this Node knows (Intl). */
export function isTimeZone(zone: string): boolean {
  if (zone === "UTC" || zone === "local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const HOUR = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `epochMs`, in ms (Europe/Berlin in winter: 3_600_000). */
function offsetAt(epochMs: number, zone: string | undefined): number {
  const key = zone ?? "";
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(key, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(epochMs)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * Epoch ms (with the microseconds as a fraction) of a pt-heartbeat ts read as a wall time in
 * `zone`; null when it is no such timestamp (a typo, another format, an impossible date).
 */
export function parsePtTs(raw: string, zone: PtTimeZone): number | null {
  const m = TS.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls Feb 30 over into March: an impossible date is no timestamp.
  if (new Date(wall).getUTCDate() !== d) return null;
  if (zone === "UTC") return wall + frac;
  const tz = zone === "local" ? undefined : zone;
  // The instant is wall - offset, for the zone's offset at that instant. Offsets differ within
  // a day only around a change (daylight saving): try the offsets half a day before and after.
  const offsets = new Set([offsetAt(wall - 14 * HOUR, tz), offsetAt(wall, tz), offsetAt(wall + 14 * HOUR, tz)]);
  const instants = [...offsets].map((o) => wall - o);
  const valid = instants.filter((e) => e + offsetAt(e, tz) === wall);
  // The earliest: the repeated hour of autumn as its first occurrence (the older beat: a lag
  // too large, never too small); a wall time skipped in spring, as the earliest it can mean.
  return Math.min(...(valid.length ? valid : instants)) + frac;
}
