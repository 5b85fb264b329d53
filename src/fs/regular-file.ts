// Bounded reads of the files a config names for itself: standby.yml and ${file:} references.
// A FIFO would block the open (and every later read), /dev/zero never ends, a directory or a
// socket is no text: each is refused by its kind before a byte is read. The open is
// non-blocking so a FIFO without a writer cannot hold the process, and the read stops one byte
// past the cap, so a file that grows while it is read is refused too.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { open } from "node:fs/promises";

/** The largest standby.yml accepted (README: "Configuration"). */
export const CONFIG_MAX_BYTES = 4 * 1024 * 1024;
/** The largest ${file:} value accepted: a token, a password, a URL (README: "Configuration"). */
export const FILE_REF_MAX_BYTES = 1024 * 1024;

/** Windows has no O_NONBLOCK (and no FIFOs to fear there). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Why a file cannot be read, in words; `code` is the errno code or the kind refused. */
export class FileReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "FileReadError";
  }
}

export function mib(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

function kindOf(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function refuseKind(st: Stats): void {
  const kind = kindOf(st);
  if (kind) throw new FileReadError(kind === "a directory" ? "EISDIR" : "ENOTREG", `is ${kind}, not a regular file`);
}

function refuseSize(size: number, maxBytes: number): void {
  if (size > maxBytes) throw new FileReadError("EFBIG", `is larger than ${mib(maxBytes)}`);
}

function openError(err: unknown): FileReadError {
  const code = (err as NodeJS.ErrnoException).code ?? "error";
  if (code === "ENOENT") return new FileReadError(code, "file not found");
  if (code === "EISDIR") return new FileReadError(code, "is a directory, not a regular file");
  // Opening a Unix socket fails with ENXIO.
  if (code === "ENXIO") return new FileReadError(code, "is a socket or a device without a reader, not a regular file");
  if (code === "EACCES" || code === "EPERM") return new FileReadError(code, `is not readable (${code})`);
  return new FileReadError(code, `cannot be read (${code})`);
}

/** The bytes read so far, refused past maxBytes; one reader for the sync and the async paths. */
class Capped {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  /** `sizeHint`: the size fstat gave; the first read asks for all of it (and one byte more), so a large state is one read, not hundreds. */
  constructor(
    private readonly maxBytes: number,
    private readonly sizeHint = 0,
  ) {}
  /** The next buffer to read into: one byte past the cap at most, so an oversize file is seen. */
  next(): Buffer {
    const want = this.total === 0 ? Math.max(64 * 1024, this.sizeHint + 1) : 64 * 1024;
    return Buffer.allocUnsafe(Math.min(want, this.maxBytes + 1 - this.total));
  }
  /** Keeps `n` bytes of `buf`; false at the end of the file. */
  take(buf: Buffer, n: number): boolean {
    if (n === 0) return false;
    this.chunks.push(buf.subarray(0, n));
    this.total += n;
    refuseSize(this.total, this.maxBytes);
    return true;
  }
  text(): string {
    return (this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)).toString("utf8");
  }
}

/** The UTF-8 text of a regular file of at most maxBytes; FileReadError otherwise. */
export function readRegularFileSync(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err);
  }
  try {
    const st = fstatSync(fd);
    refuseKind(st);
    refuseSize(st.size, maxBytes);
    const read = new Capped(maxBytes);
    for (let buf = read.next(); read.take(buf, readSync(fd, buf, 0, buf.length, null)); buf = read.next());
    return read.text();
  } catch (err) {
    throw err instanceof FileReadError ? err : openError(err);
  } finally {
    closeSync(fd);
  }
}

/** readRegularFileSync through fs/promises: nothing here waits on the event loop's thread. */
export async function readRegularFile(path: string, maxBytes: number): Promise<string> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err);
  }
  try {
    const st = await fh.stat();
    refuseKind(st);
    refuseSize(st.size, maxBytes);
    const read = new Capped(maxBytes, st.size);
    for (let buf = read.next(); read.take(buf, (await fh.read(buf, 0, buf.length, null)).bytesRead); buf = read.next());
    return read.text();
  } catch (err) {
    throw err instanceof FileReadError ? err : openError(err);
  } finally {
    await fh.close();
  }
}
