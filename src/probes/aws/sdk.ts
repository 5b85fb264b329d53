// Small helpers around the lazily imported AWS SDK packages.
import { ProbeError } from "../errors.js";

/** Checks never print: the SDK's logger gets nothing to say. */
export const SILENT = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

/**
 * The SDK packages are CommonJS: Node's import() lists their exports as named ones, but the
 * esbuild-bundled CLI's lazy chunk exports the whole module.exports as `default` only.
 */
export function namedExports<T extends object>(mod: T): T {
  const fallback = (mod as { default?: unknown }).default;
  return Object.keys(mod).length === 1 && fallback !== null && typeof fallback === "object" ? (fallback as T) : mod;
}

/** The SDK notices an abort between attempts only; this makes cancellation immediate. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  const e = new Error("aborted");
  e.name = "AbortError";
  return e;
}

/**
 * One SDK package, imported on its first use (`standby --version` and file scans load none) and
 * built into what its source needs; a failed import is tried again next time, worded for `who`.
 * `importer` is a literal `() => import("@aws-sdk/...")`, so the CLI bundle keeps it a lazy chunk.
 */
export function lazySdk<M extends object, T>(pkg: string, importer: () => Promise<M>, build: (sdk: M) => T): (who: string) => Promise<T> {
  let loaded: Promise<T> | null = null;
  return (who) => {
    loaded ??= importer().then((m) => build(namedExports(m)));
    return loaded.catch(() => {
      loaded = null;
      throw new ProbeError("error", `${who}: ${pkg} is not installed`);
    });
  };
}
