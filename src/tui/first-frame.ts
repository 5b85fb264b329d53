// The first frame, drawn from the config alone before React and Ink load. Loading them (and the
// live controller, and Ink's first render) takes longer than loading and checking the config, so
// the check rows would otherwise appear only after that. This module imports neither: it writes
// the lines of screen.ts (the ones <App> renders) straight to the terminal, and <App>'s first
// render replaces them. test/tui/first-frame.test.tsx holds the two frames equal.
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import type { Line, Seg } from "./detail.js";
import type { Color } from "./format.js";
import { INITIAL_VIEW, selectedIndex, visibleRows, type CheckRow, type Snapshot } from "./model.js";
import { clipLine, columns, emptyListText, footer, headerLines, layout, listTop, rowLine, s, sizeOf, statusLine, tableHead, type Size } from "./screen.js";

export const ENTER_ALT_SCREEN = "\u001b[?1049h";
export const LEAVE_ALT_SCREEN = "\u001b[?1049l";
export const SHOW_CURSOR = "\u001b[?25h";

/** Cooked mode and the normal screen again, whatever state the terminal is in (it may be gone). */
export function restoreTerminal(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): void {
  try {
    if (stdin.isTTY && typeof stdin.setRawMode === "function") stdin.setRawMode(false);
  } catch {
    /* the terminal went away */
  }
  try {
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  } catch {
    /* the terminal went away */
  }
}
export const HIDE_CURSOR = "\u001b[?25l";
export const CLEAR = "\u001b[2J\u001b[H";
/** Synchronized output (DEC mode 2026), which Ink opens around each frame it writes. */
export const BEGIN_SYNC = "\u001b[?2026h";

/** One configured check as a row before anything ran (what the live controller starts with). */
export function initialRow(c: LoadedCheck): CheckRow {
  return { id: c.id, service: c.service.name, kind: c.kind, title: c.definition.meta.title, severity: c.severity, result: null, running: false, queued: false, runs: 0, lastRunAt: null, nextRunAt: null };
}

/** The snapshot of a TUI that has not run anything yet and has read no history. */
export function initialSnapshot(config: Pick<LoadedConfig, "file" | "minScore">, checks: readonly LoadedCheck[], refreshMs: number | null): Snapshot {
  return {
    configFile: config.file,
    minScore: config.minScore,
    rows: checks.map(initialRow),
    report: null,
    lastScanAt: null,
    lastScanMs: null,
    nextRun: null,
    refreshMs,
    trend: [],
    readings: {},
    problemSince: {},
    notes: [],
    historyFile: null,
  };
}

/**
 * The list screen of `snap` in the initial view, line by line, as <App> lays it out: the header,
 * the table (padded to the body's height), the status line and the footer. `nextKnown` as in
 * headerLines.
 */
export function frameLines(snap: Snapshot, size: Size, now: number, nextKnown = false): Line[] {
  const W = size.columns;
  const { bodyHeight } = layout(size);
  const view = INITIAL_VIEW;
  const rows = visibleRows(snap, view);
  const sel = selectedIndex(rows, view.selectedId);
  const clip = (l: Line): Line => clipLine(l, W);
  const lines: Line[] = headerLines(snap, now, W, nextKnown).map(clip);
  const cols = columns(W, rows);
  const listHeight = bodyHeight - 1;
  const body: Line[] = [clip(tableHead(cols))];
  if (rows.length === 0) body.push([s(emptyListText(snap.rows.length), { dim: true })]);
  const top = listTop(sel, rows.length, listHeight);
  rows.slice(top, top + listHeight).forEach((r, i) => {
    const { marker, symbol, rest } = rowLine(r, top + i === sel, cols, snap.problemSince[r.id], now, W);
    body.push([marker, symbol, s(" "), ...rest]);
  });
  while (body.length < bodyHeight) body.push([]);
  lines.push(...body.slice(0, bodyHeight));
  lines.push(clip(statusLine(view, sel >= 0 ? rows[sel]! : null, null, snap, now, 0, bodyHeight)));
  lines.push(clip(footer(view, sel, rows.length, snap.rows.length, W)));
  return lines;
}

const FG: Record<Color, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };

function styled(seg: Seg, color: boolean): string {
  const codes: number[] = [];
  if (seg.bold) codes.push(1);
  if (seg.dim) codes.push(2);
  if (color && seg.color) codes.push(FG[seg.color]);
  return codes.length ? `\u001b[${codes.join(";")}m${seg.text}\u001b[0m` : seg.text;
}

/** The lines as terminal text: styles as SGR codes (colors only with `color`), trailing blanks dropped. */
export function frameText(lines: readonly Line[], color: boolean): string {
  return lines
    .map((line) => {
      const segs = [...line];
      // Trailing blanks, as Ink trims them: no cell is written past the line's last character.
      while (segs.length && segs.at(-1)!.text.trimEnd() === "") segs.pop();
      if (segs.length) segs[segs.length - 1] = { ...segs.at(-1)!, text: segs.at(-1)!.text.trimEnd() };
      return segs.map((seg) => styled(seg, color)).join("");
    })
    .join("\n");
}

export interface FirstFrame {
  /** A SIGINT, SIGTERM or SIGHUP came while the TUI loaded: the caller stops instead of starting it. */
  readonly interrupted: boolean;
  /** The TUI has its own handlers now: drop the interim ones (the screen stays as it is). */
  handOver(): void;
  /** Gives the terminal back (main screen, cursor, cooked mode) and drops the interim handlers. */
  release(): void;
}

export interface PaintOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  config: Pick<LoadedConfig, "file" | "minScore">;
  checks: readonly LoadedCheck[];
  refreshMs: number | null;
  color: boolean;
  now?: number;
}

/**
 * Takes the terminal (alternate screen, raw input: keys typed now wait for the app instead of
 * echoing over the frame) and draws the first frame. Until handOver() a signal or the process
 * exiting gives the terminal back.
 */
export function paintFirstFrame(opts: PaintOptions): FirstFrame {
  const { stdout, stdin } = opts;
  let interrupted = false;
  let released = false;
  const onSignal = (): void => void (interrupted = true);
  const drop = (): void => {
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(sig, onSignal);
    process.off("exit", release);
  };
  function release(): void {
    drop();
    if (released) return;
    released = true;
    restoreTerminal(stdin, stdout);
  }
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, onSignal);
  process.on("exit", release);
  try {
    if (stdin.isTTY && typeof stdin.setRawMode === "function") stdin.setRawMode(true);
  } catch {
    /* Ink reports it if raw mode really cannot be had */
  }
  const snap = initialSnapshot(opts.config, opts.checks, opts.refreshMs);
  stdout.write(ENTER_ALT_SCREEN + CLEAR + HIDE_CURSOR + frameText(frameLines(snap, sizeOf(stdout), opts.now ?? Date.now()), opts.color));
  return {
    get interrupted() {
      return interrupted;
    },
    handOver: drop,
    release,
  };
}
