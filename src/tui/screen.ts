// What the screen says, as styled lines, with no React and no Ink: the header, the check table,
// the status line and the footer. <App> renders these lines through Ink; the first frame
// (first-frame.ts) writes the same lines straight to the terminal before Ink and React have loaded.
import { formatDuration } from "../core/duration.js";
import { formatQuantity, measuredLevel, undecidedNote } from "../report/format.js";
import type { Line, Seg } from "./detail.js";
import { cell, clockTime, MEASURE_COLOR, OVERALL_COLOR, relative, safe, SEVERITY_SHORT, since, sparkline, STATUS_COLOR, STATUS_SYMBOL, STATUS_WORD, type Color } from "./format.js";
import { naturalCompare, rowStatus, type CheckRow, type Snapshot, type ViewState } from "./model.js";

export const s = (text: string, style: Omit<Seg, "text"> = {}): Seg => ({ text, ...style });

export interface Size {
  columns: number;
  rows: number;
}

/** The terminal size to draw for: what the stream reports, 80x24 when it does not, at least 20x8. */
export function sizeOf(stream: { columns?: number; rows?: number } | undefined): Size {
  return { columns: Math.max(20, stream?.columns || 80), rows: Math.max(8, stream?.rows || 24) };
}

export const HEADER_LINES = 4;

/** The frame's height and the body's (between the header and the status and footer lines). */
export function layout(size: Size): { height: number; bodyHeight: number } {
  // One line short of the terminal: a frame that fills it makes Ink clear and repaint the whole
  // screen on every update (flicker); one line less keeps its line-by-line updates.
  const height = Math.max(8, size.rows - 1);
  return { height, bodyHeight: Math.max(1, height - HEADER_LINES - 2) };
}

/**
 * A line clipped to `width` columns: a segment that does not fit is cut with an ellipsis and the
 * rest dropped (what <Segs> draws).
 */
export function clipLine(line: Line, width: number | undefined): Line {
  if (width === undefined) return line;
  let used = 0;
  const out: Line = [];
  for (const seg of line) {
    const room = width - used;
    if (room <= 0) break;
    const chars = Array.from(seg.text);
    const text = chars.length > room ? chars.slice(0, Math.max(0, room - 1)).join("") + "…" : seg.text;
    used += Array.from(text).length;
    out.push(text === seg.text ? seg : { ...seg, text });
  }
  return out;
}

/**
 * The four header lines. Without `nextKnown` (the first frame, drawn before the schedules are
 * read) the next run is left out rather than guessed.
 */
export function headerLines(snap: Snapshot, now: number, width: number, nextKnown = true): Line[] {
  const r = snap.report;
  const running = snap.rows.filter((x) => x.running).length;
  const queued = snap.rows.filter((x) => x.queued).length;
  const done = snap.rows.filter((x) => x.result).length;
  const l1: Line = [s("standby ", { bold: true })];
  // Until every check has reported, the roll-up is of a part: say so instead of a confident status.
  const partial = running + queued > 0 || done < snap.rows.length;
  if (r && partial) {
    l1.push(s("PARTIAL", { bold: true, color: "cyan" }), s(`  so far ${r.status}, score ${r.score}/100`, { dim: true }));
  } else if (r) {
    l1.push(s(r.status, { bold: true, color: OVERALL_COLOR[r.status] }), s(`  score ${r.score}/100`, { bold: true }), s(` (min ${r.minScore})`, { dim: true }));
  } else l1.push(s("scanning…", { color: "cyan" }));
  if (snap.trend.length > 1) {
    const shown = snap.trend.slice(-Math.max(5, Math.min(30, width - 60)));
    l1.push(s("  trend ", { dim: true }), s(sparkline(shown), { color: "cyan" }));
  }
  if (running + queued > 0) l1.push(s(`  running ${running}${queued ? ` · queued ${queued}` : ""} · ${done}/${snap.rows.length} done`, { color: "cyan" }));
  const l2: Line = [];
  if (r) {
    l2.push(s(`points ${fmtNum(r.points.earned)}/${fmtNum(r.points.possible)}`, { dim: true }));
    const costs = r.checks
      .map((c) => ({ c, cost: c.points.possible - c.points.earned }))
      .filter((x) => x.cost > 0)
      .sort((a, b) => b.cost - a.cost || naturalCompare(a.c.id, b.c.id));
    if (costs.length === 0) l2.push(s(" · no check costs points", { dim: true }));
    for (const { c, cost } of costs) l2.push(s(" · "), s(`-${fmtNum(cost)}`, { color: STATUS_COLOR[c.status] }), s(` ${safe(c.id)}`));
    if (r.points.excluded) l2.push(s(` · ${r.points.excluded} skipped`, { dim: true }));
    if (undecidedNote(r)) l2.push(s(` · ${undecidedNote(r)}`, { color: OVERALL_COLOR.UNKNOWN }));
  } else l2.push(s(`${snap.rows.length} checks, results stream in as they finish`, { dim: true }));
  const l3: Line = [];
  for (const [i, svc] of (r?.services ?? []).entries()) {
    if (i > 0) l3.push(s(" · ", { dim: true }));
    l3.push(s(`${safe(svc.name)} `, { bold: true }), s(svc.status, { color: OVERALL_COLOR[svc.status] }), s(` ${svc.score}`));
  }
  if (l3.length === 0) l3.push(s("services: waiting for results", { dim: true }));
  const l4: Line = [
    s(snap.lastScanAt || running === 0 ? "last " : "first scan ", { dim: true }),
    s(snap.lastScanAt ? `${clockTime(snap.lastScanAt, now)} (${formatDuration(snap.lastScanMs ?? 0)})` : running > 0 ? "running" : "-"),
  ];
  if (snap.refreshMs) l4.push(s(` · refresh ${formatDuration(snap.refreshMs)}`, { dim: true }));
  if (nextKnown || snap.nextRun) {
    l4.push(s(" · next ", { dim: true }), s(snap.nextRun ? `${clockTime(snap.nextRun.at, now)} ${relative(snap.nextRun.at, now)}` : "on demand (r, R)"));
    if (snap.nextRun) l4.push(s(` (${safe(snap.nextRun.what)})`, { dim: true }));
  }
  return [l1, l2, l3, l4];
}

/** How long a problem has persisted: "3d4h", or "new" within the first second. */
function persisted(iso: string | undefined, now: number): string {
  const t = since(iso, now);
  return t === "now" ? "new" : t;
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}

export interface Columns {
  id: number;
  kind: number;
  measured: number;
  age: number;
  summary: number;
}

export function columns(width: number, rows: readonly CheckRow[]): Columns {
  const fixed = 2 + 2 + 5 + 5; // marker, symbol, word, severity
  const age = 7;
  const kind = width >= 100 ? Math.min(16, Math.max(4, ...rows.map((r) => r.kind.length)) + 1) : 0;
  const measured = width >= 90 ? 16 : 0;
  const idMax = Math.max(8, ...rows.map((r) => Array.from(r.id).length)) + 1;
  const id = Math.min(idMax, Math.max(12, Math.floor(width * 0.3)));
  const summary = Math.max(8, width - fixed - id - kind - measured - age);
  return { id, kind, measured, age, summary };
}

export function measuredText(r: CheckRow): string {
  const m = r.result?.measured;
  if (!m) return "";
  const v = formatQuantity(m.value, m.unit);
  return m.limit !== undefined && m.limit !== null ? `${v}/${formatQuantity(m.limit, m.unit)}` : v;
}

/** The measured value's colour against the check's own limit/warnAt (none without a limit). */
function measuredColor(r: CheckRow): Color | undefined {
  const m = r.result?.measured;
  const level = m ? measuredLevel(m, { status: r.result!.status }) : null;
  return level ? MEASURE_COLOR[level] : undefined;
}

/** The table's column titles. */
export function tableHead(cols: Columns): Line {
  return [
    s(`    ${cell("STAT", 5)}${cell("SEV", 5)}${cell("CHECK", cols.id)}${cols.kind ? cell("KIND", cols.kind) : ""}${cell("SUMMARY", cols.summary)}${cols.measured ? cell("MEASURED", cols.measured) : ""}${"FOR".padStart(cols.age - 1)}`, { dim: true }),
  ];
}

/** The first of `count` rows to show in `listHeight` lines, keeping the selection in the middle. */
export function listTop(selected: number, count: number, listHeight: number): number {
  return Math.max(0, Math.min(selected - Math.floor(listHeight / 2), count - listHeight));
}

/** What the list says when it has no rows. */
export function emptyListText(configured: number): string {
  return configured === 0 ? "  no checks configured" : "  no check matches (/ to change the filter, esc for every check)";
}

/**
 * One row of the check table: the marker, the status symbol (a spinner takes its place while the
 * check runs) and the rest, clipped to the width left after marker, symbol and a space.
 */
export function rowLine(row: CheckRow, selected: boolean, cols: Columns, problemSince: string | undefined, now: number, width: number): { marker: Seg; symbol: Seg; rest: Line } {
  const st = rowStatus(row);
  const problem = st === "fail" || st === "warn" || st === "unknown";
  const rest: Line = [
    s(`${STATUS_WORD[st].padEnd(5)}`, { bold: true, color: STATUS_COLOR[st] }),
    s(cell(SEVERITY_SHORT[row.severity], 5), { dim: row.severity === "info" || row.severity === "low" }),
    s(cell(safe(row.id), cols.id), { bold: selected }),
  ];
  if (cols.kind) rest.push(s(cell(safe(row.kind), cols.kind), { dim: true }));
  rest.push(s(cell(row.result ? safe(row.result.summary) : row.running ? "running…" : row.queued ? "queued" : "waiting", cols.summary)));
  if (cols.measured) rest.push(s(cell(measuredText(row), cols.measured), { color: measuredColor(row) ?? (problem ? STATUS_COLOR[st] : undefined) }));
  rest.push(s((problem ? persisted(problemSince, now) : "").padStart(cols.age - 1), { color: "yellow" }));
  return { marker: s(selected ? "› " : "  ", { bold: true, color: "cyan" }), symbol: s(STATUS_SYMBOL[st], { color: STATUS_COLOR[st], bold: true }), rest: clipLine(rest, width - 4) };
}

export function statusLine(v: ViewState, selected: CheckRow | null, detailRow: CheckRow | null, snap: Snapshot, now: number, detailLength: number, bodyHeight: number): Line {
  if (v.view === "detail" && detailRow) {
    const top = Math.min(v.detailScroll, Math.max(0, detailLength - bodyHeight));
    const end = Math.min(detailLength, top + bodyHeight);
    return [s(`lines ${top + 1}-${end} of ${detailLength}`, { dim: true }), s(detailRow.running ? "  re-running…" : detailRow.queued ? "  re-run queued" : "", { color: "cyan" })];
  }
  if (!selected) return [s(snap.notes[0] ? safe(snap.notes[0]) : "", { dim: true })];
  const r = selected.result;
  const parts: Line = [s(`${safe(selected.id)}: `, { bold: true })];
  if (r) {
    parts.push(s(`${safe(selected.kind)} · `, { dim: true }));
    const m = measuredText(selected);
    if (m) parts.push(s(`measured ${m} · `));
    const since_ = snap.problemSince[selected.id];
    if (since_ && (r.status === "fail" || r.status === "warn" || r.status === "unknown")) {
      const p = persisted(since_, now);
      parts.push(s(p === "new" ? "new problem · " : `problem for ${p} · `, { color: "yellow" }));
    }
    parts.push(s(safe(r.summary)));
  } else parts.push(s(selected.running ? "running…" : selected.queued ? "queued: waits for a free slot (defaults.concurrency)" : "waiting to run", { color: "cyan" }));
  return parts;
}

/** One piece of the footer; `drop` orders what goes first when the line is too narrow (0: never). */
interface FooterItem {
  seg: Seg;
  drop: number;
  state?: boolean;
}

const hint = (text: string, drop: number): FooterItem => ({ seg: s(text, { dim: true }), drop });
/** What the footer never drops: how to get help and how to leave, at any width. */
const ESSENTIAL: readonly FooterItem[] = [hint("? help", 0), hint("q quit", 0)];
const textWidth = (text: string): number => Array.from(text).length;
const lineWidth = (l: Line): number => l.reduce((n, x) => n + textWidth(x.text), 0);

function footerLine(items: readonly FooterItem[]): Line {
  const line: Line = [];
  const state = items.filter((i) => i.state);
  const hints = items.filter((i) => !i.state);
  state.forEach((i, n) => line.push(...(n > 0 ? [s(" ")] : []), i.seg));
  if (state.length) line.push(s("   "));
  hints.forEach((i, n) => line.push(...(n > 0 ? [s(" · ", { dim: true })] : []), i.seg));
  return line;
}

/**
 * The footer: the list's position (`12/340`: selected row / visible rows) and state, then the key
 * hints. When the line is too narrow the least useful hint goes first, then the state (a long
 * filter is clipped before it goes); `? help` and `q quit` stay at every width.
 */
export function footer(v: ViewState, selected: number, shown: number, total: number, columns: number): Line {
  if (v.editingFilter) return [s("/", { bold: true, color: "cyan" }), s(v.filter), s("█", { color: "cyan" }), s("  enter keep · esc clear", { dim: true })];
  if (v.help) return [s("any key closes the help", { dim: true })];
  const items: FooterItem[] = [];
  const state = (seg: Seg, drop: number): void => void items.push({ seg, drop, state: true });
  let filterItem: FooterItem | null = null;
  if (v.view === "detail") {
    items.push(hint("esc back", 6), hint("↑↓ scroll", 4), hint("PgUp/PgDn", 2), hint("r re-run", 3));
  } else {
    state(s(`${shown === 0 ? 0 : selected + 1}/${shown}`, { bold: true }), 20);
    if (shown < total) state(s(`(of ${total})`, { dim: true }), 8);
    if (v.filter) {
      state(s(`filter "${safe(v.filter)}"`, { color: "cyan" }), 18);
      filterItem = items.at(-1)!;
    }
    if (v.failuresOnly) state(s("failures only", { color: "yellow" }), 19);
    state(s(`sort ${v.sort}`, { dim: true }), 5);
    if (v.filter || v.failuresOnly) items.push(hint("esc clear", 10));
    items.push(hint("↑↓ move", 4), hint("enter details", 7), hint("/ filter", 6), hint("f failures", 3), hint("s sort", 2), hint("r/R re-run", 1));
  }
  items.push(...ESSENTIAL);
  let line = footerLine(items);
  while (lineWidth(line) > columns) {
    const next = items.filter((i) => i.drop > 0).reduce<FooterItem | null>((a, b) => (a === null || b.drop < a.drop ? b : a), null);
    if (next === null) break;
    if (next === filterItem) {
      // Clip the filter to the room left rather than hide that one is on.
      const room = columns - (lineWidth(line) - textWidth(next.seg.text));
      if (room >= 'filter "x…"'.length) {
        next.seg = { ...next.seg, text: `filter "${Array.from(safe(v.filter)).slice(0, room - 'filter "…"'.length).join("")}…"` };
        filterItem = null;
        line = footerLine(items);
        continue;
      }
    }
    items.splice(items.indexOf(next), 1);
    line = footerLine(items);
  }
  return line;
}

