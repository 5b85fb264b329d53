// The Ink app: overview (status, score and its breakdown, services, timing, the check list worst
// first), drill-down, filter, sort, help. It reads a LiveSource (the live controller, or a fake in
// tests) through useSyncExternalStore and never waits for a check: keys only start runs.
import { Box, Text, useInput } from "ink";
import { useRef, useState, useSyncExternalStore, type ReactElement } from "react";
import { ColorContext, Segs, Spinner, TickContext, useNow, useSize, useTicker } from "./components.js";
import { detailLines, type Line } from "./detail.js";
import { pad, safe } from "./format.js";
import { BINDINGS, resolveKey, type Command, type KeyInfo } from "./keymap.js";
import { INITIAL_VIEW, reduce, type Action, selectedIndex, visibleRows, type CheckRow, type Snapshot, type ViewState } from "./model.js";
import { columns, emptyListText, footer, headerLines, layout, listTop, rowLine, s, statusLine, tableHead, type Columns, type Size } from "./screen.js";

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
  const { height, bodyHeight } = layout(size);
  // The detail page of a view state. A key handler computes it again from the state it sees: the
  // handler Ink calls can be the previous render's (its effect re-subscribes after the frame is
  // drawn), and a page length taken from that render would clamp the first scroll to nothing.
  const detailOf = (v: ViewState, sn: Snapshot): { row: CheckRow | null; lines: Line[] } => {
    const row = v.view === "detail" ? (sn.rows.find((r) => r.id === v.selectedId) ?? null) : null;
    const lines = row
      ? detailLines({ row, readings: sn.readings[row.id] ?? [], problemSince: sn.problemSince[row.id] ?? null, width: size.columns, now, rpoMs: props.objectives?.rpo, rtoMs: props.objectives?.rto })
      : [];
    return { row, lines };
  };
  const { row: detailRow, lines: detail } = detailOf(view, snap);

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
    const current = visibleRows(props.source.getSnapshot(), v);
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
    const inDetailNow = v.view === "detail";
    const maxScroll = inDetailNow ? Math.max(0, detailOf(v, props.source.getSnapshot()).lines.length - bodyHeight) : 0;
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

function CheckList(p: { rows: CheckRow[]; selected: number; width: number; height: number; snap: Snapshot; now: number }): ReactElement {
  const cols = columns(p.width, p.rows);
  const listHeight = p.height - 1;
  const top = listTop(p.selected, p.rows.length, listHeight);
  const shown = p.rows.slice(top, top + listHeight);
  return (
    <Box flexDirection="column" height={p.height}>
      <Segs line={tableHead(cols)} width={p.width} />
      {p.rows.length === 0 ? (
        <Text dimColor>{emptyListText(p.snap.rows.length)}</Text>
      ) : (
        shown.map((r, i) => <Row key={r.id} row={r} selected={top + i === p.selected} cols={cols} since={p.snap.problemSince[r.id]} now={p.now} width={p.width} />)
      )}
    </Box>
  );
}

function Row(p: { row: CheckRow; selected: boolean; cols: Columns; since: string | undefined; now: number; width: number }): ReactElement {
  const { marker, symbol, rest } = rowLine(p.row, p.selected, p.cols, p.since, p.now, p.width);
  // The status symbol (or a spinner while running) sits between the marker and the word.
  return (
    <Box>
      <Segs line={[marker]} />
      {p.row.running ? <Spinner /> : <Segs line={[symbol]} />}
      <Text> </Text>
      <Segs line={rest} />
    </Box>
  );
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
