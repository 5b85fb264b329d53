// Opening the history's files: never through a symbolic link (O_NOFOLLOW, and lstat where the
// platform lacks it), never blocking on a FIFO (O_NONBLOCK), and only as regular files. A planted
// `history.jsonl -> ~/.bashrc` is an error that names the link, not a file appended to.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from "node:fs";

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** The history cannot be read or written: the message names the file and why. */
export class HistoryFileError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "HistoryFileError";
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

export function linkError(path: string): HistoryFileError {
  return new HistoryFileError(`${path} is a symbolic link; the history is never read or written through a link (replace it with a regular file, or point history.file / --history at the real one)`, "ELOOP");
}

function describe(path: string, err: unknown): HistoryFileError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return linkError(path);
  if (code === "EISDIR") return new HistoryFileError(`${path} is a directory`, code);
  return new HistoryFileError(`${path}: ${code ?? (err as Error).message}`, code);
}

/**
 * Opens `path` with `flags` as a regular file, not following a final symbolic link; null when it
 * does not exist and `flags` does not create it. Throws HistoryFileError.
 */
export interface Opened {
  fd: number;
  st: Stats;
}

export function openRegular(path: string, flags: number, mode = 0o666): Opened | null {
  try {
    if (lstatSync(path).isSymbolicLink()) throw linkError(path);
  } catch (err) {
    if (err instanceof HistoryFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw describe(path, err);
    if (!(flags & constants.O_CREAT)) return null;
  }
  let fd: number;
  try {
    fd = openSync(path, flags | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !(flags & constants.O_CREAT)) return null;
    throw describe(path, err);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new HistoryFileError(`${path} is ${kindOf(st)}, not a history file`, "EFTYPE");
  }
  return { fd, st };
}

export const READ = constants.O_RDONLY;
/** Append, and read the last byte (to start a record on a fresh line after a torn one). */
export const APPEND = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;
