// Every key the TUI understands, in one table: the help overlay lists it and `resolveKey` obeys it,
// so the two cannot disagree.
import type { ViewState } from "./model.js";

/** The subset of Ink's Key that the TUI reads (kept structural so tests need no Ink). */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
  tab?: boolean;
  meta?: boolean;
}

export type Command =
  | "quit"
  | "up"
  | "down"
  | "pageUp"
  | "pageDown"
  | "top"
  | "bottom"
  | "open"
  | "back"
  | "rerun"
  | "rerunAll"
  | "filter"
  | "clearFilter"
  | "failures"
  | "sort"
  | "help";

export interface Binding {
  keys: string;
  what: string;
  where: "everywhere" | "list" | "details" | "filter";
}

export const BINDINGS: readonly Binding[] = [
  { keys: "↑ ↓  k j", what: "move the selection (details: scroll)", where: "everywhere" },
  { keys: "PgUp PgDn  ^u ^d", what: "a page up / down", where: "everywhere" },
  { keys: "g G  Home End", what: "first / last", where: "everywhere" },
  { keys: "enter  →  l", what: "details: full evidence of the check", where: "list" },
  { keys: "esc  ←  h  backspace", what: "back to the list", where: "details" },
  { keys: "r", what: "re-run the selected check now", where: "everywhere" },
  { keys: "R", what: "re-run every check now", where: "everywhere" },
  { keys: "/", what: "new filter: text, or words like fail, critical", where: "list" },
  { keys: "enter / esc", what: "keep the filter / clear it", where: "filter" },
  { keys: "esc", what: "clear the filter and failures only", where: "list" },
  { keys: "f", what: "failures only (fail, unknown, warn) on / off", where: "list" },
  { keys: "s", what: "cycle the sort: worst, id, service, kind, persisting, duration", where: "list" },
  { keys: "?", what: "this help (any key closes it)", where: "everywhere" },
  { keys: "q  ^c", what: "quit (the terminal is restored)", where: "everywhere" },
];

/** Decide what a key press means in the current view state, or null to ignore it. */
export function resolveKey(input: string, key: KeyInfo, s: Pick<ViewState, "view" | "editingFilter" | "help">): Command | null {
  if (key.ctrl && input === "c") return "quit";
  if (s.help) return "help"; // any key closes the overlay
  if (key.upArrow || (!key.ctrl && input === "k")) return "up";
  if (key.downArrow || (!key.ctrl && input === "j")) return "down";
  if (key.pageUp || (key.ctrl && input === "u")) return "pageUp";
  if (key.pageDown || (key.ctrl && input === "d") || (s.view === "detail" && input === " ")) return "pageDown";
  if (key.home || input === "g") return "top";
  if (key.end || input === "G") return "bottom";
  if (s.view === "detail" && (key.escape || key.leftArrow || key.backspace || key.delete || input === "h")) return "back";
  if (s.view === "list" && (key.return || key.rightArrow || input === "l")) return "open";
  if (s.view === "list" && key.escape) return "clearFilter";
  switch (input) {
    case "q":
      return "quit";
    case "r":
      return "rerun";
    case "R":
      return "rerunAll";
    case "/":
      return "filter";
    case "f":
      return "failures";
    case "s":
      return "sort";
    case "?":
      return "help";
  }
  return null;
}
