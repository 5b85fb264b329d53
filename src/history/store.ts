// The append-only JSONL history store.
//
// Durability: each record is one line written by a single write on an O_APPEND descriptor, so a
// process killed at any moment leaves every earlier line intact and at most a torn last line.
// The reader skips a torn or corrupt line (with a note) and keeps going; the writer starts its
// record on a new line when the file does not end with one, so a torn fragment never swallows
// the next record. No fsync per record: a crash of the process loses nothing (the data is in the
// kernel once the call returns); only a power loss or kernel crash can lose the last records.
// `watch` fsyncs on shutdown, and rotation fsyncs before renaming.
//
// Size: when the file passes maxBytes (default 10 MiB, at most MAX_HISTORY_BYTES), it is renamed
// to FILE.1 (replacing the previous FILE.1) and a new FILE starts; the reader reads FILE.1 then
// FILE. So the history keeps between maxBytes and 2 x maxBytes of the most recent records.
//
// Concurrency: appends need no lock (one O_APPEND write per line). Rotation takes FILE.lock
// (lock.ts) and, holding it, rotates only if FILE is still the file it measured: concurrent
// writers rotate a generation once, never rename a fresh file over FILE.1, never fail on a
// rename another writer did first. A writer that measured the old file before the rename appends
// to it as FILE.1: the record is kept.
//
// Safety and bounds: no file is opened through a symbolic link or as anything but a regular file
// (files.ts); readers stream the last READ_LIMIT_BYTES (tail.ts), whatever the file's size, and
// any read error other than "no history yet" is thrown, never taken for an empty history.
import { closeSync, fsyncSync, lstatSync, mkdirSync, readSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { APPEND, HistoryFileError, openRegular, READ, type Opened } from "./files.js";
import { acquireLock, releaseLock } from "./lock.js";
import { isRecord, type HistoryRecord } from "./record.js";
import { Reorder } from "./reorder.js";
import { lineStart, linesOf, type ReadCounter } from "./tail.js";

export { HistoryFileError } from "./files.js";

export const DEFAULT_HISTORY_FILE = ".standby/history.jsonl";
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** The largest history.maxSizeMb honoured: two generations of it parse in a few hundred ms. */
export const MAX_HISTORY_BYTES = 16 * 1024 * 1024;
/** Readers read at most this much from the end: two full generations at the cap, with room. */
export const READ_LIMIT_BYTES = 40 * 1024 * 1024;
/** A line longer than this is not a record this version wrote; it is skipped unread. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const MIB = 1024 * 1024;
const mib = (n: number): string => `${(n / MIB).toFixed(n < 10 * MIB ? 1 : 0)} MiB`;

export interface ReadStats {
  /** Bytes of FILE.1 + FILE. */
  totalBytes: number;
  /** Bytes actually read (bounded by READ_LIMIT_BYTES plus a line, whatever totalBytes is). */
  bytesRead: number;
}

export interface ReadResult {
  records: HistoryRecord[];
  /** Human notes about skipped lines ("torn last line ...") and a history read only in part. */
  notes: string[];
  stats: ReadStats;
}

export interface ReadOptions {
  /** Bytes read at most, from the end (default READ_LIMIT_BYTES). */
  limitBytes?: number;
}

/** The maxBytes a writer uses for a configured one, and a note when it was lowered. */
export function effectiveMaxBytes(maxBytes: number): { maxBytes: number; note?: string } {
  if (maxBytes <= MAX_HISTORY_BYTES) return { maxBytes };
  return { maxBytes: MAX_HISTORY_BYTES, note: `history.maxSizeMb ${(maxBytes / MIB).toFixed(0)} is above the limit of ${MAX_HISTORY_BYTES / MIB} (a larger history slows every scan that reads it); ${MAX_HISTORY_BYTES / MIB} is used` };
}

export class HistoryWriter {
  private dirReady = false;
  private readonly maxBytes: number;

  constructor(
    readonly file: string,
    maxBytes = DEFAULT_MAX_BYTES,
  ) {
    this.maxBytes = effectiveMaxBytes(maxBytes).maxBytes;
  }

  /**
   * Appends one record. Throws HistoryFileError (a link, a directory...) or the fs error when the
   * record could not be written; returns notes about what went wrong short of that (rotation).
   */
  append(record: HistoryRecord): string[] {
    if (!this.dirReady) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.dirReady = true;
    }
    const line = JSON.stringify(record) + "\n";
    const len = Buffer.byteLength(line);
    const notes: string[] = [];
    let { fd, st } = openRegular(this.file, APPEND)!;
    try {
      if (st.size > 0 && st.size + len > this.maxBytes) ({ fd, st } = this.rotate(fd, st, len, notes));
      let prefix = "";
      if (st.size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, st.size - 1);
        if (last[0] !== 0x0a) prefix = "\n"; // a torn line from a killed writer: keep it on its own line
      }
      // One write call per record (the fd is O_APPEND): never interleaved within a line.
      writeSync(fd, prefix + line);
    } finally {
      closeSync(fd);
    }
    return notes;
  }

  /** Rotates FILE if it is still the one measured (under the lock); returns the fd to append to. */
  private rotate(fd: number, st: Opened["st"], len: number, notes: string[]): Opened {
    const lock = acquireLock(`${this.file}.lock`);
    try {
      const current = lstatOrNull(this.file);
      if (!current || current.ino !== st.ino || current.dev !== st.dev) {
        // Rotated by another writer while we waited: append to the new FILE, rotating it only if
        // it is itself full already.
        closeSync(fd);
        fd = -1;
        ({ fd, st } = openRegular(this.file, APPEND)!);
        if (st.size === 0 || st.size + len <= this.maxBytes) return { fd, st };
      }
      if (!lock) {
        notes.push(`${this.file}: could not take ${this.file}.lock to rotate; appended without rotating`);
        return { fd, st };
      }
      try {
        fsyncSync(fd);
        renameSync(this.file, `${this.file}.1`);
      } catch (err) {
        notes.push(`${this.file}: cannot rotate to ${this.file}.1 (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); appended without rotating`);
        return { fd, st };
      }
      closeSync(fd);
      fd = -1;
      return openRegular(this.file, APPEND)!;
    } catch (err) {
      if (fd >= 0) closeSync(fd);
      throw err;
    } finally {
      if (lock) releaseLock(lock);
    }
  }

  /** Flush to stable storage (watch calls it on shutdown). */
  sync(): void {
    try {
      const opened = openRegular(this.file, READ);
      if (!opened) return;
      try {
        fsyncSync(opened.fd);
      } finally {
        closeSync(opened.fd);
      }
    } catch {
      /* nothing to flush through a link or a directory: append said so already */
    }
  }
}

function lstatOrNull(path: string): { ino: number; dev: number } | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

interface Generation {
  path: string;
  fd: number;
  size: number;
}

/** FILE first, then FILE.1 (a rotation in between makes them the same file: read it once). */
function openGenerations(file: string): Generation[] {
  const out: Generation[] = [];
  try {
    const current = openRegular(file, READ);
    const previous = openRegular(`${file}.1`, READ);
    if (previous) {
      if (current && previous.st.ino === current.st.ino && previous.st.dev === current.st.dev) closeSync(previous.fd);
      else out.push({ path: `${file}.1`, fd: previous.fd, size: previous.st.size });
    }
    if (current) out.push({ path: file, fd: current.fd, size: current.st.size });
    return out;
  } catch (err) {
    for (const g of out) closeSync(g.fd);
    throw err;
  }
}

/**
 * Calls `visit` with each record of the last `limitBytes` of FILE.1 + FILE, in time order,
 * streaming (memory does not grow with the file). A missing history is empty; any other problem
 * throws HistoryFileError.
 */
export function visitHistory(file: string, visit: (r: HistoryRecord) => void, opts: ReadOptions = {}): { notes: string[]; stats: ReadStats } {
  const limit = opts.limitBytes ?? READ_LIMIT_BYTES;
  const notes: string[] = [];
  const counter: ReadCounter = { bytes: 0 };
  let gens: Generation[];
  try {
    gens = openGenerations(file);
  } catch (err) {
    if (err instanceof HistoryFileError) throw err;
    throw new HistoryFileError(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const totalBytes = gens.reduce((n, g) => n + g.size, 0);
  const reorder = new Reorder(visit);
  try {
    // The budget goes to the newest bytes: FILE, then the end of FILE.1.
    let budget = limit;
    const shares = gens.map(() => 0);
    for (let i = gens.length - 1; i >= 0; i--) {
      shares[i] = Math.min(gens[i]!.size, budget);
      budget -= shares[i]!;
    }
    gens.forEach((g, i) => {
      if (shares[i]! === 0) return;
      const start = lineStart(g.fd, g.size - shares[i]!, g.size, counter);
      readLines(g, start, counter, reorder, notes);
    });
    reorder.flush();
  } catch (err) {
    throw new HistoryFileError(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    for (const g of gens) closeSync(g.fd);
  }
  if (totalBytes > limit) notes.unshift(`${file}: ${mib(totalBytes)} of history, more than the ${mib(limit)} read limit: only the last ${mib(limit)} was read (older records are not used)`);
  return { notes, stats: { totalBytes, bytesRead: counter.bytes } };
}

function readLines(g: Generation, start: number, counter: ReadCounter, reorder: Reorder, notes: string[]): void {
  let corrupt = 0;
  for (const line of linesOf(g.fd, start, g.size, MAX_LINE_BYTES, counter)) {
    if ("tooLong" in line) {
      corrupt += 1;
      continue;
    }
    if (line.text.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch {
      parsed = undefined;
    }
    if (isRecord(parsed)) reorder.push(parsed, line.text.length);
    else if (!line.complete) notes.push(`${g.path}: skipped a torn last line (an interrupted write)`);
    else corrupt += 1;
  }
  if (corrupt > 0) notes.push(`${g.path}: skipped ${corrupt} unreadable line${corrupt === 1 ? "" : "s"} (interrupted writes or foreign data)`);
}

/**
 * The records of the last `limitBytes` (FILE.1 then FILE) in time order; only those at or after
 * `sinceMs`, only the last `last`. Skips torn and corrupt lines with notes; throws HistoryFileError.
 */
export function readHistory(file: string, opts: ReadOptions & { sinceMs?: number; last?: number } = {}): ReadResult {
  let records: HistoryRecord[] = [];
  const keep = opts.last !== undefined && opts.last > 0 ? opts.last : Infinity;
  const { notes, stats } = visitHistory(
    file,
    (r) => {
      if (opts.sinceMs !== undefined && Date.parse(r.at) < opts.sinceMs) return;
      records.push(r);
      if (records.length >= 2 * keep) records = records.slice(-keep); // bounded by `last`, amortised
    },
    opts,
  );
  if (records.length > keep) records = records.slice(-keep);
  return { records, notes, stats };
}
