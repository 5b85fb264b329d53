// Reads a file named in a check's options (relative to the config file) and turns every failure
// into a ProbeError: a missing CA bundle or certificate file is a reason, never a crash. Only a
// regular file of at most FILE_SOURCE_MAX_BYTES is read, opened non-blocking (regular-file.ts):
// a FIFO, /dev/zero or a directory is refused by its kind instead of holding a thread forever.
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { FileReadError, mib, readRegularFile } from "../fs/regular-file.js";
import { abortedStep, ProbeError } from "./errors.js";

/** A local input that is missing or unreadable: a typo or a permission to fix, not a standby problem. */
const LOCAL_CAUSES: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  ENOTDIR: "a parent is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
};

/** As much as an HTTP source may send (http.ts): far beyond any configuration document. */
export const FILE_SOURCE_MAX_BYTES = 16 * 1024 * 1024;

export async function readTextFile(file: string, baseDir: string, what: string, signal?: AbortSignal, maxBytes = FILE_SOURCE_MAX_BYTES): Promise<string> {
  const full = isAbsolute(file) ? file : resolve(baseDir, file);
  if (signal?.aborted) throw abortedStep(`${what} ${file}`, signal);
  try {
    const text = await readRegularFile(full, maxBytes);
    if (signal?.aborted) throw abortedStep(`${what} ${file}`, signal);
    return text;
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EFBIG") throw new ProbeError("invalid-response", `${what} ${file} is larger than ${mib(maxBytes)}: not read`, { code });
    if (!(code && Object.hasOwn(LOCAL_CAUSES, code)) && err instanceof FileReadError && err.code !== "error") {
      throw new ProbeError("unreadable-input", `${what} ${file}: ${err.message}`, { code: err.code });
    }
    throw unreadable(code, file, what);
  }
}

/** The modification time (epoch ms) of a file named in the options; failures worded as readTextFile's. */
export async function fileModifiedAt(file: string, baseDir: string, what: string, signal?: AbortSignal): Promise<number> {
  if (signal?.aborted) throw abortedStep(`${what} ${file}`, signal);
  try {
    return (await stat(isAbsolute(file) ? file : resolve(baseDir, file))).mtimeMs;
  } catch (err) {
    throw unreadable((err as NodeJS.ErrnoException).code, file, what);
  }
}

/** "<what> <file>: no such file (ENOENT)": the code's cause in words, its code kept on the error. */
function unreadable(code: string | undefined, file: string, what: string): ProbeError {
  const cause = code && Object.hasOwn(LOCAL_CAUSES, code) ? LOCAL_CAUSES[code] : undefined;
  if (cause) return new ProbeError("unreadable-input", `${what} ${file}: ${cause} (${code})`, { code: code! });
  return new ProbeError("unreadable-input", `${what} ${file}: cannot be read${code ? ` (${code})` : ""}`, code ? { code } : {});
}
