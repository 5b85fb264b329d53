// Reads a file named in a check's options (relative to the config file) and turns every failure
// into a ProbeError: a missing CA bundle or certificate file is a reason, never a crash.
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { abortedStep, ProbeError } from "./errors.js";

export async function readTextFile(file: string, baseDir: string, what: string, signal?: AbortSignal): Promise<string> {
  const full = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return await readFile(full, { encoding: "utf8", signal });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((err as Error).name === "AbortError" && signal) throw abortedStep(`reading ${what} ${file}`, signal);
    if (code === "ENOENT") throw new ProbeError("unreachable", `${what} ${file} does not exist`, { code });
    if (code === "EACCES" || code === "EPERM") throw new ProbeError("not-authorized", `${what} ${file} is not readable (${code})`, { code });
    if (code === "EISDIR") throw new ProbeError("invalid-response", `${what} ${file} is a directory`, { code });
    throw new ProbeError("error", `cannot read ${what} ${file}${code ? ` (${code})` : ""}`, code ? { code } : {});
  }
}
