// Terminal lifecycle of the TUI: the alternate screen, raw input through Ink, and a terminal that
// is always restored: on q, Ctrl-C, SIGTERM/SIGHUP, an uncaught exception or a rejected promise.
import { render, type Instance } from "ink";
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { redact } from "../core/secrets.js";
import { App } from "./app.js";
import { LiveScan, type CheckRunner } from "./live.js";
import { EXIT } from "../core/exit-codes.js";
import { BEGIN_SYNC, CLEAR, ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, restoreTerminal } from "./first-frame.js";

export { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN };

export interface TuiOptions {
  config: LoadedConfig;
  checks?: readonly LoadedCheck[];
  refreshMs?: number | null;
  historyFile?: string | null;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  runCheck?: CheckRunner;
  /** Called once the terminal is restored (the demo stops its servers here). */
  onExit?: () => Promise<void> | void;
  /** paintFirstFrame() has taken the terminal and drawn the first frame: the app replaces it. */
  screenTaken?: boolean;
}

/**
 * The first frame (first-frame.ts) stays on screen until Ink's first frame replaces it: the clear
 * goes out with Ink's first write, inside the synchronized update Ink opens for its frame, so the
 * screen is never blank in between (Ink's first render takes tens of milliseconds).
 */
function replaceOnFirstWrite(stdout: NodeJS.WriteStream): () => void {
  const own = Object.prototype.hasOwnProperty.call(stdout, "write");
  const write = stdout.write;
  const call = write as (...a: unknown[]) => boolean;
  let patched = true;
  const unpatch = (): void => {
    if (!patched) return;
    patched = false;
    if (own) stdout.write = write;
    else delete (stdout as { write?: unknown }).write;
  };
  stdout.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    unpatch();
    if (typeof chunk !== "string") {
      call.call(stdout, CLEAR);
      return call.call(stdout, chunk, ...rest);
    }
    const text = chunk.startsWith(BEGIN_SYNC) ? BEGIN_SYNC + CLEAR + chunk.slice(BEGIN_SYNC.length) : CLEAR + chunk;
    return call.call(stdout, text, ...rest);
  } as typeof stdout.write;
  return unpatch;
}

/** Runs the TUI until the user quits. Resolves with the exit code (OK, or INTERRUPTED on a signal). */
export async function runTui(opts: TuiOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const live = new LiveScan({
    config: opts.config,
    checks: opts.checks,
    refreshMs: opts.refreshMs ?? null,
    historyFile: opts.historyFile ?? null,
    historyMaxBytes: opts.config.history?.maxBytes,
    runCheck: opts.runCheck,
  });

  let ink: Instance | null = null;
  let restored = false;
  let resolveQuit!: (code: number) => void;
  const quitting = new Promise<number>((r) => (resolveQuit = r));

  /** Idempotent and synchronous: safe from 'exit' and crash handlers. */
  let unpatchWrite = (): void => undefined;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    unpatchWrite();
    try {
      ink?.unmount();
    } catch {
      /* already gone */
    }
    restoreTerminal(stdin, stdout);
  };

  let crashed = false;
  const onCrash = (err: unknown): void => {
    restore();
    if (crashed) return; // a second error while cleaning up (a hung-up terminal): one exit path
    crashed = true;
    // A hung-up terminal (write EIO/EPIPE) is the user leaving, not a bug: clean up quietly.
    const gone = (err as NodeJS.ErrnoException | null)?.code === "EIO" || (err as NodeJS.ErrnoException | null)?.code === "EPIPE";
    try {
      if (!gone) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`standby: internal error in the terminal UI: ${redact(message)}\n`);
        if (process.env.STANDBY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
      }
    } catch {
      /* stderr is the same dead terminal */
    }
    void Promise.resolve(live.stop(200))
      .then(() => opts.onExit?.())
      .catch(() => undefined)
      .finally(() => process.exit(gone ? EXIT.HANGUP : EXIT.INTERNAL));
  };
  const onSignal = (): void => resolveQuit(EXIT.INTERRUPTED);
  const onExit = (): void => restore();
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("exit", onExit);

  try {
    if (opts.screenTaken) unpatchWrite = replaceOnFirstWrite(stdout);
    else stdout.write(ENTER_ALT_SCREEN + CLEAR);
    ink = render(<App source={live} onQuit={() => resolveQuit(EXIT.OK)} color={opts.color} objectives={opts.config.objectives} />, {
      stdout,
      stdin,
      exitOnCtrlC: false, // Ctrl-C is a key like q: the app quits and restores the terminal
      patchConsole: true,
    });
    // A render error never reaches 'uncaughtException': Ink catches it, draws its error screen,
    // unmounts (keys stop working) and rejects this promise. Without this the TUI would hang there.
    ink.waitUntilExit().then(() => resolveQuit(EXIT.OK), onCrash);
    live.start();
    const code = await quitting;
    restore();
    await live.stop();
    await opts.onExit?.();
    return code;
  } finally {
    restore();
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    process.off("exit", onExit);
  }
}
