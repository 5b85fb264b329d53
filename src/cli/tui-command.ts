// `standby tui`: the interactive terminal UI. Ink and React load here (lazily, never for scan or
// --version). Without a terminal (stdout or stdin not a TTY, raw mode unavailable, TERM=dumb) it
// prints the text report instead of hanging.
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { parseDuration } from "../core/duration.js";
import { redact } from "../core/secrets.js";
import { selectChecks } from "../engine/select.js";
import { loadOrReport } from "./load-or-report.js";
import type { UntrustedFlags } from "./untrusted-flags.js";
import { useColor } from "./output.js";
import { EXIT } from "../core/exit-codes.js";

export interface TuiFlags extends UntrustedFlags {
  config: string;
  only?: string[];
  refresh?: string;
  /** --history FILE, or false for --no-history */
  history?: string | boolean;
}

/** The smallest --refresh: a faster loop would only measure itself. */
export const MIN_REFRESH_MS = 1000;
/** Without --refresh the screen stays current on its own: every check again every 30s. */
export const DEFAULT_REFRESH_MS = 30_000;

/** --refresh: a duration of at least 1s, 30s when not given, 0 (or 0s) for never (null). */
export function parseRefresh(value: string | undefined): number | null | "invalid" {
  if (value === undefined) return DEFAULT_REFRESH_MS;
  if (value.trim() === "0") return null;
  const ms = parseDuration(value);
  if (ms === 0) return null;
  if (ms === null || ms < MIN_REFRESH_MS) return "invalid";
  return ms;
}

/** Can we take over this terminal? Both ends a TTY, raw mode switchable, not TERM=dumb. */
export function interactiveTerminal(stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): boolean {
  if (!stdout.isTTY || !stdin.isTTY || process.env.TERM === "dumb") return false;
  if (typeof stdin.setRawMode !== "function") return false;
  try {
    stdin.setRawMode(true);
    stdin.setRawMode(false);
    return true;
  } catch {
    return false;
  }
}

export async function tuiCommand(flags: TuiFlags): Promise<number> {
  const config = loadOrReport(flags.config, flags);
  if (!config) return EXIT.INVALID;
  const refresh = parseRefresh(flags.refresh);
  if (refresh === "invalid") {
    process.stderr.write(`standby: --refresh expects a duration of at least 1s like 30s or 5m (0 for never), got '${redact(flags.refresh ?? "")}'\n`);
    return EXIT.INVALID;
  }
  const checks = selectChecks(config.checks, flags.only);
  if (checks.length === 0) {
    process.stderr.write(`standby: --only ${redact(flags.only?.join(",") ?? "")} matches no check; ids: ${config.checks.map((c) => c.id).join(", ")}\n`);
    return EXIT.INVALID;
  }
  if (!interactiveTerminal()) return textFallback(flags);
  return openTui(config, checks, { refreshMs: refresh, history: flags.history });
}

/** Not a terminal: one scan, the text report on stdout (the same as `standby scan`). */
export async function textFallback(flags: Pick<TuiFlags, "config" | "only" | "history" | keyof UntrustedFlags>): Promise<number> {
  process.stderr.write("standby: not an interactive terminal; printing the text report (run `standby tui` in a terminal for the live view)\n");
  const { scanCommand } = await import("./scan-command.js");
  return scanCommand({ config: flags.config, format: "text", failOn: "not-ready", only: flags.only, history: flags.history, untrustedConfig: flags.untrustedConfig, allowedEnv: flags.allowedEnv, allowedHosts: flags.allowedHosts });
}

export async function openTui(config: LoadedConfig, checks: readonly LoadedCheck[], opts: { refreshMs: number | null; history?: string | boolean; onExit?: () => Promise<void> | void }): Promise<number> {
  const color = useColor(process.stdout);
  // The check rows are on screen before React, Ink and the live controller load (they take longer
  // than the config did): the first frame is drawn from the config alone and the app replaces it.
  const { paintFirstFrame } = await import("../tui/first-frame.js");
  const screen = paintFirstFrame({ stdout: process.stdout, stdin: process.stdin, config, checks, refreshMs: opts.refreshMs, color });
  let tui: typeof import("../tui/run.js");
  let file: string | null;
  try {
    const { historyFile } = await import("../history/session.js");
    file = historyFile(config, { history: opts.history });
    tui = await loadTui();
  } catch (err) {
    screen.release();
    throw err;
  }
  if (screen.interrupted) {
    screen.release();
    await opts.onExit?.();
    return EXIT.INTERRUPTED;
  }
  screen.handOver();
  return tui.runTui({ config, checks, refreshMs: opts.refreshMs, historyFile: file, color, onExit: opts.onExit, screenTaken: true });
}

/**
 * Loads the Ink app. Ink decides once, at import, whether it runs "in CI" (the CI variable) and
 * then draws nothing until exit; a person at a real terminal is not a CI log, so the variable is
 * hidden during that one import (and restored at once: checks and their commands still see it).
 * Exported for its test.
 */
export async function loadTui(): Promise<typeof import("../tui/run.js")> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // React picks its build from NODE_ENV at import: the development build is slower and its
  // warnings are not for an on-call engineer.
  process.env.NODE_ENV ??= "production";
  // Ink's layout engine (yoga, WebAssembly inlined as a data: URL) fetches its own bytes when a
  // global fetch exists: that loads Node's whole HTTP client (undici) and decodes base64 in
  // JavaScript, tens of milliseconds before the app's first frame. Without fetch: atob.
  const g = globalThis as { fetch?: typeof fetch };
  const savedFetch = g.fetch;
  g.fetch = undefined;
  try {
    return await import("../tui/run.js");
  } finally {
    g.fetch = savedFetch;
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}
