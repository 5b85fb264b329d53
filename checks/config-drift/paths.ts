// Dotted path globs and path formatting for config-drift.
//
// A "match path" is the list of object keys from the document root; array positions are not
// segments, so `listeners.protocol` means the protocol of every listener. Globs: `*` is exactly
// one segment, `**` any number (zero included), `*` inside a segment is a wildcard (`*Arn`).
// Globs compile to a small NFA whose state sets are interned and whose transitions are cached,
// so the normaliser advances a matcher per node with a map lookup instead of re-matching paths.

/** Path segment as deep-diff reports it: number = array index, string = object key or keyed item. */
export type Segment = string | number;

/** Prefix of the synthetic object keys that stand for array items matched by `keys`. */
export const KEYED = "\u0000";

type SegMatcher = { t: "deep" } | { t: "any" } | { t: "lit"; v: string } | { t: "re"; re: RegExp };

/** One interned NFA state set. `accept` is the first (user-order) pattern fully matched, or -1. */
export interface GlobState {
  readonly accept: number;
  /** No pattern can match here or below: callers skip all further work. */
  readonly dead: boolean;
  readonly next: Map<string, GlobState>;
  readonly positions: readonly number[];
}

/** Transition caches stop growing past this (documents keyed by ids would otherwise grow them). */
const MAX_CACHED_TRANSITIONS = 4096;

export class GlobSet {
  readonly patterns: readonly string[];
  readonly start: GlobState;
  private readonly compiled: SegMatcher[][];
  private readonly interned = new Map<string, GlobState>();

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    this.compiled = patterns.map(compilePattern);
    const initial: number[] = [];
    for (let p = 0; p < this.compiled.length; p++) this.addClosed(initial, p, 0);
    this.start = this.intern(initial);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Advance over one object key. */
  step(state: GlobState, segment: string): GlobState {
    if (state.dead) return state;
    const cached = state.next.get(segment);
    if (cached) return cached;
    const out: number[] = [];
    for (const code of state.positions) {
      const p = code >>> 12;
      const i = code & 0xfff;
      const pat = this.compiled[p]!;
      if (i >= pat.length) continue;
      const m = pat[i]!;
      if (m.t === "deep") {
        this.addClosed(out, p, i); // `**` consumes the segment and stays (with its closure)
      } else if (m.t === "any" || (m.t === "lit" ? m.v === segment : m.re.test(segment))) {
        this.addClosed(out, p, i + 1);
      }
    }
    // `**` patterns mostly step to themselves: skip interning (sort + join) in that case.
    const next = sameSet(out, state.positions) ? state : this.intern(out);
    if (state.next.size < MAX_CACHED_TRANSITIONS) state.next.set(segment, next);
    return next;
  }

  /** Index of the first pattern matching the whole match path, or -1. */
  match(segments: readonly string[]): number {
    let s = this.start;
    for (const seg of segments) {
      s = this.step(s, seg);
      if (s.dead) return -1;
    }
    return s.accept;
  }

  /** Adds (p, i) and, through any `**` at i, the positions after it (epsilon closure). */
  private addClosed(out: number[], p: number, i: number): void {
    const pat = this.compiled[p]!;
    for (;;) {
      const code = (p << 12) | i;
      if (!out.includes(code)) out.push(code);
      if (i < pat.length && pat[i]!.t === "deep") i++;
      else return;
    }
  }

  private intern(positions: number[]): GlobState {
    positions.sort((a, b) => a - b);
    const key = positions.join(",");
    let state = this.interned.get(key);
    if (!state) {
      let accept = -1;
      for (const code of positions) {
        const p = code >>> 12;
        if ((code & 0xfff) === this.compiled[p]!.length && (accept < 0 || p < accept)) accept = p;
      }
      state = { accept, dead: positions.length === 0, next: new Map(), positions };
      this.interned.set(key, state);
    }
    return state;
  }
}

function sameSet(a: number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (const x of a) if (!b.includes(x)) return false;
  return true;
}

function compilePattern(pattern: string): SegMatcher[] {
  const parts = pattern.split(".").filter((s) => s !== "");
  if (parts.length > 0xfff) throw new Error(`path pattern too long: ${pattern}`);
  return parts.map((raw): SegMatcher => {
    // `listeners[]` / `listeners[*]` read naturally to users and mean the same as `listeners`.
    const seg = raw.replace(/\[\*?\]$/, "");
    if (seg === "**") return { t: "deep" };
    if (seg === "*") return { t: "any" };
    if (!seg.includes("*")) return { t: "lit", v: seg };
    const body = seg.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return { t: "re", re: new RegExp(`^${body}$`) };
  });
}

export function isKeyedSegment(seg: Segment): seg is string {
  return typeof seg === "string" && seg.charCodeAt(0) === 0;
}

/** The match path of a diff path: object keys only, array positions and keyed items dropped. */
export function matchPath(path: readonly Segment[]): string[] {
  const out: string[] = [];
  for (const seg of path) if (typeof seg === "string" && !isKeyedSegment(seg)) out.push(seg);
  return out;
}

/** Synthetic key for a keyed array item: `port=443`, with `#2` for a duplicate key value. */
export function keyedSegment(field: string, value: unknown, occurrence: number): string {
  const text = typeof value === "string" ? value : value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
  return `${KEYED}${field}=${text}${occurrence > 1 ? `#${occurrence}` : ""}`;
}

/** Items without the key field keep their position: `[#3]`. */
export function positionalSegment(index: number): string {
  return `${KEYED}#${index}`;
}

const PLAIN_KEY = /^[A-Za-z_$@][\w$@:/-]*$/;

export interface FormatOptions {
  /** Keyed-item field names whose values must not be shown (secret-looking). */
  isSecretField?: (field: string) => boolean;
}

/** `listeners[port=443].protocol`, `rules[3].priority`, `tags["aws:stack"]`. */
export function formatPath(path: readonly Segment[], options: FormatOptions = {}): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (isKeyedSegment(seg)) {
      const body = seg.slice(1);
      const eq = body.indexOf("=");
      if (eq > 0 && options.isSecretField?.(body.slice(0, eq))) out += `[${body.slice(0, eq)}=***]`;
      else out += `[${body}]`;
    } else if (PLAIN_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === "" ? "(document)" : out;
}

/** Orders findings by path, numbers numerically, so output is stable and readable. */
export function comparePaths(a: readonly Segment[], b: readonly Segment[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    const sx = String(x);
    const sy = String(y);
    return sx < sy ? -1 : sx > sy ? 1 : 0;
  }
  return a.length - b.length;
}
