// Run a command without a shell (argv array), with a deadline, the caller's signal and a bound
// on captured output. The exit status is returned, not judged: the caller decides what it means.
import { spawn } from "node:child_process";
import { ByteCap, MiB } from "./byte-cap.js";
import { abortedError, ProbeError, timedOut } from "./errors.js";

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1 * MiB;
/** After SIGTERM, a command gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface CommandOptions {
  cwd?: string;
  /** Extra environment variables (added to the current environment). */
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** More than this on stdout (or stderr, counted apart) stops the command: invalid-response. */
  maxOutputBytes?: number;
}

export interface CommandResult {
  exitCode: number | null;
  /** The signal that ended the command, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `argv[0]` only, for messages: arguments may carry secrets. */
export function describeCommand(argv: readonly string[]): string {
  return argv[0] ?? "(empty command)";
}

export function runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  if (argv.length === 0 || !argv[0]) return Promise.reject(new ProbeError("error", "empty command"));
  const what = describeCommand(argv);
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (options.signal?.aborted) return Promise.reject(commandAborted(options.signal, what));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      shell: false,
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const outCap = new ByteCap({ limit: max, what: `command ${what}: stdout` });
    const errCap = new ByteCap({ limit: max, what: `command ${what}: stderr` });
    let stopped: ProbeError | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (why: ProbeError) => {
      stopped ??= why;
      // Nothing more is read: a grandchild that keeps the pipes open (sh -c "yes; :") can then
      // neither fill memory nor hold the process after the report (it gets SIGPIPE instead).
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        killTimer ??= setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
      }
    };
    const onAbort = () => stop(commandAborted(options.signal!, what));
    const timer = setTimeout(() => stop(timedOut(`command ${what}`, timeoutMs)), timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const collect = (chunks: Buffer[], cap: ByteCap, chunk: Buffer): void => {
      if (stopped) return;
      if (cap.add(chunk.length)) stop(cap.exceeded!);
      else chunks.push(chunk);
    };
    child.stdout!.on("data", (c: Buffer) => collect(out, outCap, c));
    child.stderr!.on("data", (c: Buffer) => collect(err, errCap, c));

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    child.once("error", (e: NodeJS.ErrnoException) => {
      settle(() => {
        const code = e.code ?? "";
        // A program named in the config that is not there (or not executable) is a local input to
        // fix, like a missing file: nothing was learnt about the standby.
        if (code === "ENOENT") reject(new ProbeError("unreadable-input", `command ${what} not found`, { code }));
        else if (code === "EACCES") reject(new ProbeError("unreadable-input", `command ${what} is not executable (${code})`, { code }));
        else reject(new ProbeError("error", `command ${what} could not start${code ? ` (${code})` : ""}`, code ? { code } : {}));
      });
    });
    child.once("close", (exitCode, signal) => {
      settle(() => {
        if (stopped) return reject(stopped);
        resolve({
          exitCode,
          signal,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
          ms: performance.now() - t0,
        });
      });
    });
  });
}

function commandAborted(signal: AbortSignal, what: string): ProbeError {
  return abortedError(signal, `command ${what} did not finish before the check's deadline`, `command ${what} was cancelled`);
}
