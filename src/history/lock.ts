// The rotation lock: FILE.lock created with O_EXCL (atomic on local file systems; a link there is
// not followed) holding "pid host time". Only rotation takes it, appends never wait. A lock
// whose process is gone (same host) or older than LOCK_STALE_MS is stale and removed; a writer
// that cannot get the lock in LOCK_WAIT_MS appends without rotating (the file grows a little past
// its limit and the next writer rotates), so a writer never fails because of another.
import { closeSync, constants, lstatSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";

export const LOCK_STALE_MS = 10_000;
export const LOCK_WAIT_MS = 3_000;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export interface Lock {
  path: string;
  ino: number;
  mtimeMs: number;
}

function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the lock at `path` (as lstat saw it) was left by a writer that is gone. */
function isStale(path: string, mtimeMs: number, now: number): boolean {
  if (now - mtimeMs > LOCK_STALE_MS) return true;
  let text = "";
  try {
    const fd = openSync(path, constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0));
    try {
      const buf = Buffer.alloc(256);
      text = buf.toString("utf8", 0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const [pid, host] = text.split(" ");
  return host === hostname() && Number(pid) > 0 && !alive(Number(pid));
}

/** Takes the lock, or returns null after `waitMs`. */
export function acquireLock(path: string, waitMs = LOCK_WAIT_MS): Lock | null {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o644);
      try {
        writeSync(fd, `${process.pid} ${hostname()} ${new Date().toISOString()}\n`);
      } finally {
        closeSync(fd);
      }
      const st = lstatSync(path);
      return { path, ino: st.ino, mtimeMs: st.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") return null;
    }
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // released in between: try again at once
    }
    if (!st.isFile() || isStale(path, st.mtimeMs, Date.now())) {
      // Remove only the lock judged stale, not one a faster writer took since (same inode number
      // and time: a new file may reuse the number).
      try {
        const again = lstatSync(path);
        if (again.ino === st.ino && again.mtimeMs === st.mtimeMs) {
          unlinkSync(path);
          continue;
        }
      } catch {
        /* gone already (try again), or not removable (a directory): the deadline decides */
      }
    }
    if (Date.now() >= deadline) return null;
    sleep(Math.min(2 + attempt, 20));
  }
}

export function releaseLock(lock: Lock): void {
  try {
    const st = lstatSync(lock.path);
    if (st.ino === lock.ino && st.mtimeMs === lock.mtimeMs) unlinkSync(lock.path);
  } catch {
    /* removed as stale by another writer */
  }
}
