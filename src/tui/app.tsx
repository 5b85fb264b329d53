// The Ink app: overview (status, score and its breakdown, services, timing, the check list worst
// first), drill-down, filter, sort, help. It reads a LiveSource (the live controller, or a fake in
// tests) through useSyncExternalStore and never waits for a check: keys only start runs.
import { Box, Text, useInput } from "ink";
import { useRef, useState, useSyncExternalStore, type ReactElement } from "react";
import { formatDuration } from "../core/duration.js";
import { formatQuantity, measuredLevel, undecidedNote } from "../report/format.js";
import { ColorContext, Segs, Spinner, TickContext, useNow, useSize, useTicker, type Size } from "./components.js";
import { detailLines, type Line, type Seg } from "./detail.js";
import { cell, clockTime, MEASURE_COLOR, OVERALL_COLOR, pad, relative, safe, SEVERITY_SHORT, since, sparkline, STATUS_COLOR, STATUS_SYMBOL, STATUS_WORD, type Color } from "./format.js";
import { BINDINGS, resolveKey, type Command, type KeyInfo } from "./keymap.js";
import { INITIAL_VIEW, naturalCompare, reduce, type Action, rowStatus, selectedIndex, visibleRows, type CheckRow, type Snapshot, type ViewState } from "./model.js";

export interface LiveSource {
  subscribe(fn: () => void): () => void;
  getSnapshot(): Snapshot;
  rerun(id: string): void;
  runAll(): void;
}

export interface AppProps {
  source: LiveSource;
  onQuit: () => void;
  color?: boolean;
  /** Fixed terminal size (tests); default: the real one, following resizes. */
  size?: Size;
  /** Clock (tests); and how often relative times refresh (0: never). */
  now?: () => number;
  clockMs?: number;
  spinnerMs?: number;
  objectives?: { rpo: number; rto: number };
  initialView?: Partial<ViewState>;
}

const HEADER_LINES = 4;

export function App(props: AppProps): ReactElement {
  const snap = useSyncExternalStore(props.source.subscribe, props.source.getSnapshot);
  // The view state lives in a ref too: a burst of keys is applied one by one within one event,
  // each key seeing the state the previous one left.
  const [view, setView] = useState<ViewState>(() => ({ ...INITIAL_VIEW, ...props.initialView }));
  const viewRef = useRef(view);
  const apply = (a: Action): void => {
    viewRef.current = reduce(viewRef.current, a);
    setView(viewRef.current);
  };
  const size = useSize(props.size);
  const now = useNow(props.now, props.clockMs ?? 1000);
  const anyRunning = snap.rows.some((r) => r.running);
  const tick = useTicker(anyRunning, props.spinnerMs ?? 90);
  const rows = visibleRows(snap, view);
  const sel = selectedIndex(rows, view.selectedId);
  const selected = sel >= 0 ? rows[sel]! : null;
  const detailRow = view.view === "detail" ? (snap.rows.find((r) => r.id === view.selectedId) ?? null) : null;
  // One line short of the terminal: a frame that fills it makes Ink clear and repaint the whole
  // screen on every update (flicker); one line less keeps its line-by-line updates.
  const height = Math.max(8, size.rows - 1);
  const bodyHeight = Math.max(1, height - HEADER_LINES - 2);
  const detail = detailRow
    ? detailLines({ row: detailRow, readings: snap.readings[detailRow.id] ?? [], problemSince: snap.problemSince[detailRow.id] ?? null, width: size.columns, now, rpoMs: props.objectives?.rpo, rtoMs: props.objectives?.rto })
    : [];

  useInput((input, key) => {
    // A burst of keys (typed fast, pasted, or sent by tmux) arrives as one string: replay it
    // key by key, so "/cache" followed by enter filters exactly as typing it would.
    const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.tab;
    if (!special && Array.from(input).length > 1) {
      for (const ch of Array.from(input)) handleKey(...charKey(ch));
    } else handleKey(input, key);
  });

  function handleKey(input: string, key: KeyInfo): void {
    const v = viewRef.current;
    const current = visibleRows(snap, v);
    if (v.editingFilter && !(key.ctrl && input === "c")) {
      if (key.return) apply({ type: "filterDone" });
      else if (key.escape) apply({ type: "filterCancel" });
      else if (key.backspace || key.delete) apply({ type: "filterBackspace" });
      else if (key.upArrow) apply({ type: "move", by: -1, rows: current });
      else if (key.downArrow) apply({ type: "move", by: 1, rows: current });
      else if (input && !key.ctrl && !key.meta && !key.tab) {
        const text = input.replace(/[\u0000-\u001f\u007f]/g, "");
        if (text) apply({ type: "filterInput", text });
      }
      return;
    }
    const cmd = resolveKey(input, key, v);
    if (cmd) run(cmd, v, current);
  }

  function run(cmd: Command, v: ViewState, current: CheckRow[]): void {
    const page = Math.max(1, bodyHeight - 1);
    const maxScroll = Math.max(0, detail.length - bodyHeight);
    const inDetail = v.view === "detail";
    switch (cmd) {
      case "quit":
        props.onQuit();
        return;
      case "help":
        apply({ type: "toggleHelp" });
        return;
      case "up":
      case "down":
      case "pageUp":
      case "pageDown": {
        const by = cmd === "up" ? -1 : cmd === "down" ? 1 : cmd === "pageUp" ? -page : page;
        apply(inDetail ? { type: "scroll", by, max: maxScroll } : { type: "move", by, rows: current });
        return;
      }
      case "top":
        apply(inDetail ? { type: "scrollTo", line: 0 } : { type: "moveTo", index: 0, rows: current });
        return;
      case "bottom":
        apply(inDetail ? { type: "scrollTo", line: maxScroll } : { type: "moveTo", index: -1, rows: current });
        return;
      case "open":
        apply({ type: "open", rows: current });
        return;
      case "back":
        apply({ type: "back" });
        return;
      case "rerun": {
        const id = inDetail ? v.selectedId : current[selectedIndex(current, v.selectedId)]?.id;
        if (id) props.source.rerun(id);
        return;
      }
      case "rerunAll":
        props.source.runAll();
        return;
      case "filter":
        apply({ type: "filterStart" });
        return;
      case "clearFilter":
        apply({ type: "clearFilters" });
        return;
      case "failures":
        apply({ type: "toggleFailures" });
        return;
      case "sort":
        apply({ type: "cycleSort" });
        return;
    }
  }

  const W = size.columns;
  let body: ReactElement;
  if (view.help) body = <Help width={W} height={bodyHeight} notes={snap.notes} />;
  else if (view.view === "detail" && detailRow) {
    const top = Math.min(view.detailScroll, Math.max(0, detail.length - bodyHeight));
    body = (
      <Box flexDirection="column" height={bodyHeight}>
        {detail.slice(top, top + bodyHeight).map((l, i) => (
          <Segs key={i} line={l} width={W} />
        ))}
      </Box>
    );
  } else body = <CheckList rows={rows} selected={sel} width={W} height={bodyHeight} snap={snap} now={now} />;

  return (
    <ColorContext.Provider value={props.color !== false}>
      <TickContext.Provider value={tick}>
        <Box flexDirection="column" width={W} height={height}>
          {headerLines(snap, now, W).map((l, i) => (
            <Segs key={i} line={l} width={W} />
          ))}
          {body}
          <Segs line={statusLine(view, selected, detailRow, snap, now, detail.length, bodyHeight)} width={W} />
          <Segs line={footer(view, sel, rows.length, snap.rows.length, W)} width={W} />
        </Box>
      </TickContext.Provider>
    </ColorContext.Provider>
  );
}

/** The key a single character of a burst stands for. */
export function charKey(ch: string): [string, KeyInfo] {
  if (ch === "\r" || ch === "\n") return ["", { return: true }];
  if (ch === "\u001b") return ["", { escape: true }];
  if (ch === "\u007f" || ch === "\b") return ["", { backspace: true }];
  if (ch === "\t") return ["", { tab: true }];
  const code = ch.charCodeAt(0);
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ctrl: true }];
  return [ch, {}];
}

const s = (text: string, style: Omit<Seg, "text"> = {}): Seg => ({ text, ...style });

function headerLines(snap: Snapshot, now: number, width: number): Line[] {
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
  l4.push(s(" · next ", { dim: true }), s(snap.nextRun ? `${clockTime(snap.nextRun.at, now)} ${relative(snap.nextRun.at, now)}` : "on demand (r, R)"));
  if (snap.nextRun) l4.push(s(` (${safe(snap.nextRun.what)})`, { dim: true }));
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

interface Columns {
  id: number;
  kind: number;
  measured: number;
  age: number;
  summary: number;
}

function columns(width: number, rows: readonly CheckRow[]): Columns {
  const fixed = 2 + 2 + 5 + 5; // marker, symbol, word, severity
  const age = 7;
  const kind = width >= 100 ? Math.min(16, Math.max(4, ...rows.map((r) => r.kind.length)) + 1) : 0;
  const measured = width >= 90 ? 16 : 0;
  const idMax = Math.max(8, ...rows.map((r) => Array.from(r.id).length)) + 1;
  const id = Math.min(idMax, Math.max(12, Math.floor(width * 0.3)));
  const summary = Math.max(8, width - fixed - id - kind - measured - age);
  return { id, kind, measured, age, summary };
}

function measuredText(r: CheckRow): string {
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

function CheckList(p: { rows: CheckRow[]; selected: number; width: number; height: number; snap: Snapshot; now: number }): ReactElement {
  const cols = columns(p.width, p.rows);
  const listHeight = p.height - 1;
  const top = Math.max(0, Math.min(p.selected - Math.floor(listHeight / 2), p.rows.length - listHeight));
  const shown = p.rows.slice(top, top + listHeight);
  const head: Line = [
    s(`    ${cell("STAT", 5)}${cell("SEV", 5)}${cell("CHECK", cols.id)}${cols.kind ? cell("KIND", cols.kind) : ""}${cell("SUMMARY", cols.summary)}${cols.measured ? cell("MEASURED", cols.measured) : ""}${"FOR".padStart(cols.age - 1)}`, { dim: true }),
  ];
  return (
    <Box flexDirection="column" height={p.height}>
      <Segs line={head} width={p.width} />
      {p.rows.length === 0 ? (
        <Text dimColor>{p.snap.rows.length === 0 ? "  no checks configured" : "  no check matches (/ to change the filter, f for all statuses)"}</Text>
      ) : (
        shown.map((r, i) => <Row key={r.id} row={r} selected={top + i === p.selected} cols={cols} since={p.snap.problemSince[r.id]} now={p.now} width={p.width} />)
      )}
    </Box>
  );
}

function Row(p: { row: CheckRow; selected: boolean; cols: Columns; since: string | undefined; now: number; width: number }): ReactElement {
  const { row, cols } = p;
  const st = rowStatus(row);
  const problem = st === "fail" || st === "warn" || st === "unknown";
  const line: Line = [
    s(p.selected ? "› " : "  ", { bold: true, color: "cyan" }),
    s(`${STATUS_WORD[st].padEnd(5)}`, { bold: true, color: STATUS_COLOR[st] }),
    s(cell(SEVERITY_SHORT[row.severity], 5), { dim: row.severity === "info" || row.severity === "low" }),
    s(cell(safe(row.id), cols.id), { bold: p.selected }),
  ];
  if (cols.kind) line.push(s(cell(safe(row.kind), cols.kind), { dim: true }));
  line.push(s(cell(row.result ? safe(row.result.summary) : row.running ? "running…" : row.queued ? "queued" : "waiting", cols.summary)));
  if (cols.measured) line.push(s(cell(measuredText(row), cols.measured), { color: measuredColor(row) ?? (problem ? STATUS_COLOR[st] : undefined) }));
  line.push(s((problem ? persisted(p.since, p.now) : "").padStart(cols.age - 1), { color: "yellow" }));
  // The status symbol (or a spinner while running) sits between the marker and the word.
  return (
    <Box>
      <Segs line={line.slice(0, 1)} />
      {row.running ? <Spinner /> : <Segs line={[s(STATUS_SYMBOL[st], { color: STATUS_COLOR[st], bold: true })]} />}
      <Text> </Text>
      <Segs line={line.slice(1)} width={p.width - 4} />
    </Box>
  );
}

function statusLine(v: ViewState, selected: CheckRow | null, detailRow: CheckRow | null, snap: Snapshot, now: number, detailLength: number, bodyHeight: number): Line {
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
    if (shown < total) state(s(`(of ${total})`, { dim: true }), 9);
    if (v.filter) {
      state(s(`filter "${safe(v.filter)}"`, { color: "cyan" }), 18);
      filterItem = items.at(-1)!;
    }
    if (v.failuresOnly) state(s("failures only", { color: "yellow" }), 19);
    state(s(`sort ${v.sort}`, { dim: true }), 8);
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

function Help({ width, height, notes }: { width: number; height: number; notes: string[] }): ReactElement {
  const keyW = Math.min(22, Math.max(...BINDINGS.map((b) => b.keys.length)) + 2);
  const lines: Line[] = [[s("Keys", { bold: true, color: "cyan" })]];
  for (const b of BINDINGS) lines.push([s(`  ${pad(b.keys, keyW)}`, { bold: true }), s(b.what), s(b.where === "everywhere" ? "" : `  (${b.where})`, { dim: true })]);
  lines.push([]);
  lines.push([s("Columns: STAT status · SEV severity · MEASURED value/limit · FOR how long the problem has persisted (history)", { dim: true })]);
  for (const n of notes.slice(0, 3)) lines.push([s(safe(n), { dim: true })]);
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(0, height).map((l, i) => (
        <Segs key={i} line={l} width={width} />
      ))}
    </Box>
  );
}
