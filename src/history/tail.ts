// Reading the end of a file in chunks: the lines of a byte range, never the whole file in memory,
// and never a line longer than a limit (it is skipped, read past in chunks, not buffered).
import { readSync } from "node:fs";

export const CHUNK_BYTES = 1 << 20;

export type Line = { text: string; complete: boolean } | { tooLong: true };

/** Counts what the reader read, so callers (and tests) can see that a read is bounded. */
export interface ReadCounter {
  bytes: number;
}

function read(fd: number, buf: Buffer, len: number, pos: number, counter: ReadCounter): number {
  const n = readSync(fd, buf, 0, len, pos);
  counter.bytes += n;
  return n;
}

/**
 * The first line start at or after `pos` (`end` when none before it): a range that starts in the
 * middle of a line skips that line's rest.
 */
export function lineStart(fd: number, pos: number, end: number, counter: ReadCounter): number {
  if (pos <= 0) return 0;
  const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, 64 * 1024));
  for (let at = pos - 1; at < end; ) {
    const n = read(fd, buf, Math.min(buf.length, end - at), at, counter);
    if (n <= 0) return end;
    const i = buf.subarray(0, n).indexOf(0x0a);
    if (i >= 0) return at + i + 1;
    at += n;
  }
  return end;
}

/**
 * The lines of [start, end), in order; `start` must be a line start. The last line is
 * `complete: false` when the range does not end with a newline (a torn write).
 */
export function* linesOf(fd: number, start: number, end: number, maxLine: number, counter: ReadCounter): Generator<Line> {
  const whole = Buffer.allocUnsafe(CHUNK_BYTES);
  // The start of a line that runs past the chunk (copied: the chunk buffer is reused).
  let parts: Buffer[] = [];
  let partLen = 0;
  let skipping = false;
  for (let pos = start; pos < end; ) {
    const n = read(fd, whole, Math.min(whole.length, end - pos), pos, counter);
    if (n <= 0) break;
    pos += n;
    const buf = whole.subarray(0, n);
    for (let from = 0; ; ) {
      const nl = buf.indexOf(0x0a, from);
      if (nl < 0) {
        if (!skipping && partLen + (n - from) > maxLine) {
          skipping = true;
          parts = [];
          partLen = 0;
        }
        if (!skipping && n > from) {
          parts.push(Buffer.from(buf.subarray(from, n)));
          partLen += n - from;
        }
        break;
      }
      if (skipping || partLen + (nl - from) > maxLine) yield { tooLong: true };
      else if (partLen === 0) yield { text: buf.toString("utf8", from, nl), complete: true };
      else yield { text: Buffer.concat([...parts, buf.subarray(from, nl)]).toString("utf8"), complete: true };
      skipping = false;
      parts = [];
      partLen = 0;
      from = nl + 1;
    }
  }
  if (skipping) yield { tooLong: true };
  else if (partLen > 0) yield { text: Buffer.concat(parts, partLen).toString("utf8"), complete: false };
}
