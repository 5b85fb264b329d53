// Evidence read by each kind's own field names (the TUI's views, the Prometheus families): a reader names its kind's evidence interface
// (checks/<kind>/evidence.ts), so a renamed field breaks the build instead of vanishing from the
// screen; values are still checked at run time, because a report can come from the history of an
// older version or a merged file, and a wrong type shows as absent instead of crashing the view.

/** Every key of every member of a union (keyof a union gives only the common ones). */
type KeysOf<E> = E extends unknown ? keyof E & string : never;
/** The type of `K` in whichever members have it. */
type ValueOf<E, K extends string> = E extends unknown ? (K extends keyof E ? E[K] : never) : never;
type ElementOf<T> = T extends ReadonlyArray<infer U> ? U : never;

export interface EvidenceReader<E> {
  num(key: KeysOf<E>): number | null;
  /** Strings, and numbers or booleans as text. */
  str(key: KeysOf<E>): string | null;
  bool(key: KeysOf<E>): boolean | null;
  /** An ISO instant as ms since the epoch. */
  time(key: KeysOf<E>): number | null;
  /** A nested object, or null when absent or not an object. */
  obj<K extends KeysOf<E>>(key: K): EvidenceReader<NonNullable<ValueOf<E, K>>> | null;
  /** The object items of a nested list (others skipped). */
  list<K extends KeysOf<E>>(key: K): Array<EvidenceReader<ElementOf<NonNullable<ValueOf<E, K>>>>>;
  /** Strings of a nested list. */
  strings(key: KeysOf<E>): string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function readEvidence<E>(evidence: unknown): EvidenceReader<E> {
  const o: Obj = isObj(evidence) ? evidence : {};
  const own = (key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
  return {
    num: (key) => {
      const v = own(key);
      return typeof v === "number" && Number.isFinite(v) ? v : null;
    },
    str: (key) => {
      const v = own(key);
      return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;
    },
    bool: (key) => {
      const v = own(key);
      return typeof v === "boolean" ? v : null;
    },
    time: (key) => {
      const v = own(key);
      const t = typeof v === "string" ? Date.parse(v) : NaN;
      return Number.isFinite(t) ? t : null;
    },
    obj: (key) => {
      const v = own(key);
      return isObj(v) ? readEvidence(v) : null;
    },
    list: (key) => {
      const v = own(key);
      return Array.isArray(v) ? v.filter(isObj).map((x) => readEvidence(x)) : [];
    },
    strings: (key) => {
      const v = own(key);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    },
  };
}
