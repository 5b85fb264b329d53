// Writing a report into a directory that someone else may have filled (a checked-out pull
// request): never through a symbolic link, never half-written. The path is checked first so a
// planted link is refused with a clear error; the data then goes to a fresh temp file in the
// same directory (O_EXCL: a link there is not followed either) renamed over the path, so a link
// planted in between is replaced, not followed, and a reader never sees half a report.
import { randomBytes } from "node:crypto";
import { closeSync, constants, lstatSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Refused before anything is written: the message says why and what to do. */
export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafePathError";
  }
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Why `path` must not be written (shown as `shown`), or null when it is a regular file or absent.
 * Throws the fs error when it cannot even be looked at (EACCES, ENAMETOOLONG...).
 */
export function unsafeTarget(path: string, shown = path): string | null {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  if (st.isSymbolicLink()) return `${shown} is a symbolic link; standby never writes through a link (remove it, or choose another path)`;
  if (st.isDirectory()) return `${shown} is a directory`;
  if (!st.isFile()) return `${shown} is not a regular file`;
  return null;
}

/** Replaces `path` with `data`; throws UnsafePathError for a link or a non-file, the fs error otherwise. */
export function writeFileSafely(path: string, data: string | Uint8Array, shown = path): void {
  const problem = unsafeTarget(path, shown);
  if (problem) throw new UnsafePathError(problem);
  // Short enough for NAME_MAX whatever the report's name; hidden, so globs for reports skip it.
  const tmp = join(dirname(path), `.${basename(path).slice(0, 80)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o666);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* closed already */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* renamed or never created */
    }
    throw err;
  }
}
