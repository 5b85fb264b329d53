// The TUI's data: what the live controller publishes (a snapshot) and the pure view state
// (selection, filter, sort, overlays) with its reducer. No Ink, no React: tested directly.
import type { CheckReport, CheckStatus, Report, Severity } from "../engine/types.js";

/** One configured check as the screen shows it: its latest result (if any) and whether it runs now. */
export interface CheckRow {
  id: string;
  service: string;
  kind: string;
  title: string;
  severity: Severity;
  result: CheckReport | null;
  /** Holds a run slot and runs now. */
  running: boolean;
  /** Asked to run, waiting for a free slot (at most `concurrency` run at once). */
  queued: boolean;
  /** Runs finished since the TUI started. */
  runs: number;
  /** When its latest result started (ISO). */
  lastRunAt: string | null;
  /** Next scheduled run of this check (ISO), from its cron schedule. */
  nextRunAt: string | null;
}

/** One past measurement of a check, from the history (and this session). */
export interface Reading {
  at: string;
  status: CheckStatus;
  value?: number;
}

export interface Snapshot {
  configFile: string;
  minScore: number;
  rows: CheckRow[];
  /** Report over the latest result of every check that has one (null until one finished). */
  report: Report | null;
  /** When the latest full scan (all checks) started and how long it took. */
  lastScanAt: string | null;
  lastScanMs: number | null;
  /** The next run of anything: the earliest check schedule or the --refresh timer. */
  nextRun: { at: string; what: string } | null;
  refreshMs: number | null;
  /** Overall scores of past complete scans, oldest first (history + this session). */
  trend: number[];
  /** Per check id: recent readings, oldest first. */
  readings: Record<string, Reading[]>;
  /** Per check id: since when its current problem persists (ISO), from the history. */
  problemSince: Record<string, string>;
  /** Lines worth telling the user once (history off, notes from the history file). */
  notes: string[];
  historyFile: string | null;
}

export const SORTS = ["worst", "id", "service", "kind", "persisting", "duration"] as const;
export type SortMode = (typeof SORTS)[number];

export interface ViewState {
  view: "list" | "detail";
  selectedId: string | null;
  filter: string;
  /** The filter line has the keyboard. */
  editingFilter: boolean;
  failuresOnly: boolean;
  sort: SortMode;
  help: boolean;
  detailScroll: number;
}

export const INITIAL_VIEW: ViewState = {
  view: "list",
  selectedId: null,
  filter: "",
  editingFilter: false,
  failuresOnly: false,
  sort: "worst",
  help: false,
  detailScroll: 0,
};

/** Display status of a row: its result's status, or pending before the first result. */
export type RowStatus = CheckStatus | "pending";

export function rowStatus(r: CheckRow): RowStatus {
  return r.result ? r.result.status : "pending";
}

const STATUS_RANK: Record<RowStatus, number> = { fail: 0, unknown: 1, warn: 2, pending: 3, pass: 4, skipped: 5 };
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** A failure in the `f` sense: anything not passing (fail, unknown, warn). */
export function isProblem(r: CheckRow): boolean {
  const s = rowStatus(r);
  return s === "fail" || s === "unknown" || s === "warn";
}

/** Status words a filter word may be: the word on screen and the word in reports alike. */
const STATUS_WORDS: Record<string, RowStatus> = {
  fail: "fail",
  warn: "warn",
  warning: "warn",
  unknown: "unknown",
  unkn: "unknown",
  pass: "pass",
  skip: "skipped",
  skipped: "skipped",
  wait: "pending",
  pending: "pending",
};
const SEVERITY_WORDS: Record<string, Severity> = { critical: "critical", crit: "critical", high: "high", medium: "medium", med: "medium", low: "low", info: "info" };

/**
 * Every word of the filter must match (`orders fail` narrows like a search box). A status word
 * (fail, warn, unknown, pass, skipped, pending, and the screen's UNKN, SKIP, WAIT) matches the
 * rows with that status, a severity word (critical, high, medium, low, info, crit, med) the rows
 * of that severity, exactly: `fail` is the failing checks, not every summary that says failover.
 * Any other word is a substring of the id, kind, service, title, summary or unknown reason.
 */
export function matchesFilter(r: CheckRow, filter: string): boolean {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const status = rowStatus(r);
  let hay: string | null = null;
  return words.every((w) => {
    const st = STATUS_WORDS[w];
    if (st) return status === st;
    const sev = SEVERITY_WORDS[w];
    if (sev) return r.severity === sev;
    hay ??= [r.id, r.kind, r.service, r.title, r.result?.summary ?? "", r.result?.reason ?? ""].join("\n").toLowerCase();
    return hay.includes(w);
  });
}

let collator: Intl.Collator | null = null;
/** Natural order: `a-4` before `a-20` (numbers compared as numbers), the same on every machine. */
export function naturalCompare(a: string, b: string): number {
  collator ??= new Intl.Collator("en", { numeric: true });
  return collator.compare(a, b);
}

export function sortRows(rows: readonly CheckRow[], mode: SortMode, since: Record<string, string> = {}): CheckRow[] {
  const byId = (a: CheckRow, b: CheckRow): number => naturalCompare(a.id, b.id);
  const worst = (a: CheckRow, b: CheckRow): number =>
    STATUS_RANK[rowStatus(a)] - STATUS_RANK[rowStatus(b)] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || byId(a, b);
  const cmp: Record<SortMode, (a: CheckRow, b: CheckRow) => number> = {
    worst,
    id: byId,
    service: (a, b) => naturalCompare(a.service, b.service) || worst(a, b),
    kind: (a, b) => naturalCompare(a.kind, b.kind) || worst(a, b),
    persisting: (a, b) => {
      const sa = since[a.id] ? Date.parse(since[a.id]!) : Infinity;
      const sb = since[b.id] ? Date.parse(since[b.id]!) : Infinity;
      return sa - sb || worst(a, b);
    },
    duration: (a, b) => (b.result?.durationMs ?? -1) - (a.result?.durationMs ?? -1) || worst(a, b),
  };
  return [...rows].sort(cmp[mode]);
}

/** The rows the list shows, in order. */
export function visibleRows(snap: Pick<Snapshot, "rows" | "problemSince">, v: Pick<ViewState, "filter" | "failuresOnly" | "sort">): CheckRow[] {
  const rows = snap.rows.filter((r) => (!v.failuresOnly || isProblem(r)) && matchesFilter(r, v.filter));
  return sortRows(rows, v.sort, snap.problemSince);
}

/** The selected row among the visible ones: the remembered id, else the first. */
export function selectedIndex(rows: readonly CheckRow[], selectedId: string | null): number {
  if (rows.length === 0) return -1;
  const i = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);
  return i >= 0 ? i : 0;
}

export type Action =
  | { type: "move"; by: number; rows: readonly CheckRow[] }
  | { type: "moveTo"; index: number; rows: readonly CheckRow[] }
  | { type: "open"; rows: readonly CheckRow[] }
  | { type: "back" }
  | { type: "scroll"; by: number; max: number }
  | { type: "scrollTo"; line: number }
  | { type: "filterStart" }
  | { type: "filterInput"; text: string }
  | { type: "filterBackspace" }
  | { type: "filterDone" }
  | { type: "filterCancel" }
  | { type: "clearFilters" }
  | { type: "toggleFailures" }
  | { type: "cycleSort" }
  | { type: "toggleHelp" }
  | { type: "closeHelp" };

export function reduce(s: ViewState, a: Action): ViewState {
  switch (a.type) {
    case "move":
    case "moveTo": {
      if (a.rows.length === 0) return s;
      const cur = selectedIndex(a.rows, s.selectedId);
      const target = a.type === "move" ? cur + a.by : a.index < 0 ? a.rows.length + a.index : a.index;
      const i = Math.max(0, Math.min(a.rows.length - 1, target));
      return { ...s, selectedId: a.rows[i]!.id };
    }
    case "open": {
      const i = selectedIndex(a.rows, s.selectedId);
      if (i < 0) return s;
      return { ...s, view: "detail", selectedId: a.rows[i]!.id, detailScroll: 0 };
    }
    case "back":
      return { ...s, view: "list", detailScroll: 0 };
    case "scroll":
      return { ...s, detailScroll: Math.max(0, Math.min(Math.max(0, a.max), s.detailScroll + a.by)) };
    case "scrollTo":
      return { ...s, detailScroll: Math.max(0, a.line) };
    case "filterStart":
      // A new filter each time: at 3 AM nobody wants to backspace over the last one first.
      return { ...s, editingFilter: true, view: "list", filter: "" };
    case "filterInput":
      return { ...s, filter: s.filter + a.text };
    case "filterBackspace":
      return { ...s, filter: Array.from(s.filter).slice(0, -1).join("") };
    case "filterDone":
      return { ...s, editingFilter: false };
    case "filterCancel":
      return { ...s, editingFilter: false, filter: "" };
    case "clearFilters":
      return { ...s, filter: "", failuresOnly: false };
    case "toggleFailures":
      return { ...s, failuresOnly: !s.failuresOnly };
    case "cycleSort":
      return { ...s, sort: SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length]! };
    case "toggleHelp":
      return { ...s, help: !s.help };
    case "closeHelp":
      return { ...s, help: false };
  }
}
