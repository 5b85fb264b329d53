// Reads a file named in a check's options (relative to the config file) and turns every failure
// into a ProbeError: a missing CA bundle or certificate file is a reason, never a crash. Only a
// regular file of at most FILE_SOURCE_MAX_BYTES is read, opened non-blocking (regular-file.ts):
// a FIFO, /dev/zero or a directory is refused by its kind instead of holding a thread forever.
import { isAbsolute, resolve } from "node:path";
import { FileReadError, mib, readRegularFile } from "../fs/regular-file.js";
import { abortedStep, ProbeError } from "./errors.js";

/** As much as an HTTP source may send (http.ts): far beyond any configuration document. */
export const FILE_SOURCE_MAX_BYTES = 16 * 1024 * 1024;

export async function readTextFile(file: string, baseDir: string, what: string, signal?: AbortSignal, maxBytes = FILE_SOURCE_MAX_BYTES): Promise<string> {
  const full = isAbsolute(file) ? file : resolve(baseDir, file);
  if (signal?.aborted) throw abortedStep(`reading ${what} ${file}`, signal);
  try {
    const text = await readRegularFile(full, maxBytes);
    if (signal?.aborted) throw abortedStep(`reading ${what} ${file}`, signal);
    return text;
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ProbeError("unreachable", `${what} ${file} does not exist`, { code });
    if (code === "EACCES" || code === "EPERM") throw new ProbeError("not-authorized", `${what} ${file} is not readable (${code})`, { code });
    if (code === "EFBIG") throw new ProbeError("invalid-response", `${what} ${file} is larger than ${mib(maxBytes)}: not read`, { code });
    if (err instanceof FileReadError && err.code !== "error") throw new ProbeError("invalid-response", `${what} ${file} ${err.message}`, { code: err.code });
    throw new ProbeError("error", `cannot read ${what} ${file}${code ? ` (${code})` : ""}`, code ? { code } : {});
  }
}
