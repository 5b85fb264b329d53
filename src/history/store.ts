// The append-only JSONL history store.
//
// Durability: each record is one line written by a single appendFileSync (O_APPEND) call, so a
// process killed at any moment leaves every earlier line intact and at most a torn last line.
// The reader skips a torn or corrupt line (with a note) and keeps going; the writer starts its
// record on a new line when the file does not end with one, so a torn fragment never swallows
// the next record. No fsync per record: a crash of the process loses nothing (the data is in the
// kernel once the call returns); only a power loss or kernel crash can lose the last records.
// `watch` fsyncs on shutdown, and rotation fsyncs before renaming.
//
// Size: when the file passes maxBytes (default 10 MiB), it is renamed to FILE.1 (replacing the
// previous FILE.1) and a new FILE starts; the reader reads FILE.1 then FILE. So the history keeps
// between maxBytes and 2 x maxBytes of the most recent records.
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { isRecord, type HistoryRecord } from "./record.js";

export const DEFAULT_HISTORY_FILE = ".standby/history.jsonl";
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export interface ReadResult {
  records: HistoryRecord[];
  /** Human notes about skipped lines ("torn last line ..."). */
  notes: string[];
}

export class HistoryWriter {
  private dirReady = false;

  constructor(
    readonly file: string,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  append(record: HistoryRecord): void {
    if (!this.dirReady) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.dirReady = true;
    }
    const line = JSON.stringify(record) + "\n";
    let fd = openSync(this.file, "a+");
    try {
      let size = fstatSync(fd).size;
      if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) {
        fsyncSync(fd);
        closeSync(fd);
        fd = -1;
        renameSync(this.file, `${this.file}.1`);
        fd = openSync(this.file, "a+");
        size = fstatSync(fd).size;
      }
      let prefix = "";
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = "\n"; // a torn line from a killed writer: keep it on its own line
      }
      // One write call per record (the fd is O_APPEND): never interleaved within a line.
      writeSync(fd, prefix + line);
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  /** Flush to stable storage (watch calls it on shutdown). */
  sync(): void {
    try {
      const fd = openSync(this.file, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      /* no file yet */
    }
  }
}

/** Reads FILE.1 (the rotated generation) then FILE, skipping torn and corrupt lines with notes. */
export function readHistory(file: string): ReadResult {
  const records: HistoryRecord[] = [];
  const notes: string[] = [];
  for (const path of [`${file}.1`, file]) {
    let text: string;
    try {
      if (!statSync(path).isFile()) continue;
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    parseLines(text, path, records, notes);
  }
  records.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { records, notes };
}

export function parseLines(text: string, name: string, records: HistoryRecord[], notes: string[]): void {
  const lines = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) lines.pop();
  let corrupt = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (isRecord(parsed)) {
      records.push(parsed);
      return;
    }
    const last = i === lines.length - 1 && !complete;
    if (last) notes.push(`${name}: skipped a torn last line (an interrupted write)`);
    else corrupt += 1;
  });
  if (corrupt > 0) notes.push(`${name}: skipped ${corrupt} unreadable line${corrupt === 1 ? "" : "s"} (interrupted writes or foreign data)`);
}
