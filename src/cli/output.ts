// Terminal helpers: color decisions and error printing (redacted, no stack traces).
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { EXIT } from "../core/exit-codes.js";
import { redact } from "../core/secrets.js";
import { UnsafePathError, unsafeTarget, writeFileSafely } from "../fs/safe-write.js";

/** NO_COLOR (https://no-color.org) wins; FORCE_COLOR forces; otherwise only on a TTY. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && process.env.TERM !== "dumb";
}

/**
 * Why a report cannot be written to `path`, or null. Checked before the scan runs: a typo in -o
 * must not cost a whole scan (and its history record) and then end as an internal error. A
 * symbolic link is refused (a link planted in a checkout must not redirect the report onto
 * another file); the report is written as a new file renamed into place, so its directory must
 * be writable.
 */
export function outputProblem(path: string): string | null {
  const full = resolve(path);
  const dir = dirname(full);
  try {
    const unsafe = unsafeTarget(full, path);
    if (unsafe) return unsafe;
    if (!statSync(dir).isDirectory()) return `${dirname(path)} is not a directory`;
    accessSync(dir, constants.W_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `the directory ${dirname(path)} does not exist` : `cannot create files in ${dirname(path)} (${code})`;
  }
}

/** Writes the report (never through a link, never half-written); false (after saying why) when that fails after all. */
export function writeReport(path: string, text: string): boolean {
  try {
    writeFileSafely(resolve(path), text, path);
    return true;
  } catch (err) {
    const why = err instanceof UnsafePathError ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
    process.stderr.write(`standby: cannot write the report to ${redact(path)}: ${redact(why)}\n`);
    return false;
  }
}

/**
 * `standby schema | head -1`: the reader took what it wanted and closed the pipe. The rest of the
 * output has no one to read it, so stdout's EPIPE ends the process quietly with code 0 (no
 * "Unhandled 'error' event" trace); on stderr it is ignored (there is no one left to tell).
 * Other write errors stay errors.
 */
export function exitQuietlyWhenReaderCloses(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): void {
  stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(EXIT.OK);
  });
  stderr.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

export function printError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`standby: internal error: ${redact(message)}\n`);
  if (process.env.STANDBY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
}
