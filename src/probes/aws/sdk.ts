// Small helpers around the lazily imported AWS SDK packages.

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
