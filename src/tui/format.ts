// Text helpers for the TUI: every dynamic string goes through `safe` (redacted, control characters
// made visible: a hostile evidence string must not drive the terminal), status words and colors,
// relative times and the sparkline.
import { formatDuration } from "../core/duration.js";
import { redact } from "../core/secrets.js";
import type { CheckStatus, OverallStatus, Severity } from "../engine/types.js";
import { visibleControls, type MeasureLevel } from "../report/format.js";
export { sparkline } from "../report/format.js";
import type { RowStatus } from "./model.js";

export function safe(text: unknown): string {
  return visibleControls(redact(typeof text === "string" ? text : String(text)));
}

/** Clip to `max` columns (code points) with an ellipsis. */
export function fitWidth(text: string, max: number): string {
  if (max <= 0) return "";
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return max === 1 ? "…" : chars.slice(0, max - 1).join("") + "…";
}

/** A table cell: clipped to width - 1 and padded, so neighbouring columns keep a space between them. */
export function cell(text: string, width: number): string {
  return width <= 1 ? " ".repeat(Math.max(0, width)) : pad(text, width - 1) + " ";
}

export function pad(text: string, width: number): string {
  const t = fitWidth(text, width);
  return t + " ".repeat(Math.max(0, width - Array.from(t).length));
}

export type Color = "red" | "green" | "yellow" | "magenta" | "cyan" | "blue" | "gray" | "white";

export const STATUS_COLOR: Record<RowStatus, Color> = { pass: "green", warn: "yellow", fail: "red", unknown: "magenta", skipped: "gray", pending: "cyan" };
export const OVERALL_COLOR: Record<OverallStatus, Color> = { READY: "green", DEGRADED: "yellow", UNKNOWN: "magenta", NOT_READY: "red" };
export const MEASURE_COLOR: Record<MeasureLevel, Color> = { fail: "red", warn: "yellow", ok: "green" };
export const STATUS_SYMBOL: Record<RowStatus, string> = { pass: "✓", warn: "!", fail: "✗", unknown: "?", skipped: "-", pending: "·" };
export const STATUS_WORD: Record<RowStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", unknown: "UNKN", skipped: "SKIP", pending: "WAIT" };
export const SEVERITY_SHORT: Record<Severity, string> = { critical: "crit", high: "high", medium: "med", low: "low", info: "info" };

export function checkWord(s: CheckStatus, reason: string | null | undefined): string {
  return s === "unknown" ? `UNKNOWN (${reason ?? "error"})` : STATUS_WORD[s];
}

/** "3d4h" from an ISO time to now; "" when absent. */
export function since(iso: string | null | undefined, now: number): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const ms = Math.max(0, now - t);
  return ms < 1000 ? "now" : formatDuration(ms);
}

/** "in 4m12s" / "4m12s ago". */
export function relative(iso: string | null | undefined, now: number): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "?";
  const d = t - now;
  if (Math.abs(d) < 1000) return "now";
  return d > 0 ? `in ${formatDuration(d)}` : `${formatDuration(-d)} ago`;
}

/** 14:03:07 (local), with the date when more than a day away. */
export function clockTime(iso: string | null | undefined, now: number): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "-";
  const hh = (n: number) => String(n).padStart(2, "0");
  const time = `${hh(d.getHours())}:${hh(d.getMinutes())}:${hh(d.getSeconds())}`;
  const today = new Date(now);
  const sameDay = Math.abs(d.getTime() - now) < 86_400_000 || (d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate());
  return sameDay ? time : `${d.getFullYear()}-${hh(d.getMonth() + 1)}-${hh(d.getDate())} ${time}`;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}
