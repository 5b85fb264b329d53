// deep-diff of two normalised documents -> drift findings. Numeric changes then pass through
// `atLeast` (standby lower = weaker, higher = fine) and `tolerance` (small differences dropped).
// Finding values are read back from the ORIGINAL documents, so the primary side shows its real
// `us-east-1` ARN rather than the substituted one.
import deepDiff from "deep-diff";
import type { ChangeKind, Finding } from "../../src/engine/types.js";
import { redact } from "../../src/core/secrets.js";
import { comparePaths, formatPath, GlobSet, isKeyedSegment, matchPath, type Segment } from "./paths.js";
import { keyedOrigin } from "./normalise.js";
import { isSecretPath, redactValue, REDACTED, secretKey } from "./redaction.js";

export type Tolerance = number | string;

export interface DiffRules {
  atLeast: readonly string[];
  tolerance: Readonly<Record<string, Tolerance>>;
  /** Optional last word on each drift (rule packs): keep, reclassify, give a reason, or accept (null). */
  judge?: DriftJudge;
  /** Record on each finding where its value sits in the original documents (`at`), for annotations. */
  origins?: boolean;
  /** Numeric strings may carry Kubernetes quantity suffixes: `500m` < `1`, `1Gi` > `1000Mi`. */
  quantities?: boolean;
  /** Path globs (and everything below them) whose values are never shown, whatever their keys. */
  secret?: readonly string[];
}

/** A drift as the differ sees it, values from the normalised documents. */
export interface RawDriftView {
  path: readonly Segment[];
  /** Object keys only (as globs match them). */
  matchPath: readonly string[];
  change: ChangeKind;
  rule?: string;
  why?: string;
  lhs: unknown;
  rhs: unknown;
}

export interface DriftVerdict {
  change: ChangeKind;
  /** The rule's id (`match`, `at-least`...) and its reason: the finding's `rule` and `why`. */
  rule?: string;
  why?: string;
  /** info: shown, costs nothing, counted apart. */
  level?: "info";
}

export type DriftJudge = (drift: RawDriftView) => DriftVerdict | null;

export interface DocPair {
  original: unknown;
  normalised: unknown;
}

export interface DriftCounts {
  changed: number;
  missing: number;
  extra: number;
  weaker: number;
  /** Numeric differences dropped by tolerance or because standby was higher on an atLeast path. */
  accepted: number;
  /** Informational differences (rule packs): findings with level info, not drift. */
  info: number;
}

export interface DriftResult {
  findings: Finding[];
  counts: DriftCounts;
}

interface RawDrift {
  path: Segment[];
  change: ChangeKind;
  rule?: string;
  why?: string;
  level?: "info";
  lhs?: unknown;
  rhs?: unknown;
}

const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  return null;
}

/** Kubernetes resource.Quantity: decimal (n u m k M G T P E), binary (Ki..Ei) or exponent (1e3) suffixes. */
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const SUFFIX: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

export function quantityToNumber(v: unknown): number | null {
  if (typeof v !== "string") return toNumber(v);
  const m = QUANTITY.exec(v);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : m[3] ? 10 ** Number(m[3]) : 1);
  return Number.isFinite(n) ? n : null;
}

/** Largest difference still accepted: "15%" of the primary value, or an absolute number. */
export function allowedDelta(tolerance: Tolerance, primary: number): number {
  if (typeof tolerance === "number") return tolerance;
  const pct = Number(tolerance.slice(0, -1));
  return (Math.abs(primary) * pct) / 100;
}

/** Float slack so that 15% of 20 accepts a difference of exactly 3. */
const within = (delta: number, allowed: number): boolean => delta <= allowed + 1e-9 * Math.max(1, allowed);

export class DriftDiffer {
  private readonly atLeast: GlobSet;
  private readonly tolerance: GlobSet;
  private readonly toleranceValues: Tolerance[];
  private readonly judge: DriftJudge | undefined;
  private readonly origins: boolean;
  private readonly number: (v: unknown) => number | null;
  private readonly secret: GlobSet | null;

  constructor(rules: DiffRules) {
    this.judge = rules.judge;
    this.origins = rules.origins ?? false;
    this.number = rules.quantities ? quantityToNumber : toNumber;
    this.secret = rules.secret && rules.secret.length > 0 ? new GlobSet(rules.secret.map((p) => `${p}.**`)) : null;
    this.atLeast = new GlobSet(rules.atLeast);
    const tolPatterns = Object.keys(rules.tolerance);
    this.tolerance = new GlobSet(tolPatterns);
    this.toleranceValues = tolPatterns.map((p) => rules.tolerance[p]!);
  }

  diff(primary: DocPair, standby: DocPair, maxFindings = Infinity): DriftResult {
    const counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
    let raw: RawDrift[] = [];
    const changes = deepDiff.diff(primary.normalised, standby.normalised) ?? [];
    for (const d of changes) {
      let path: Segment[] = (d.path ?? []) as Segment[];
      let item: deepDiff.Diff<unknown> = d;
      if (d.kind === "A") {
        path = [...path, d.index];
        item = d.item;
      }
      if (item.kind === "N") raw.push({ path, change: "extra", rhs: item.rhs });
      else if (item.kind === "D") raw.push({ path, change: "missing", lhs: item.lhs });
      else if (item.kind === "E") {
        const judged = this.judgeNumeric(path, item.lhs, item.rhs);
        if (judged === null) counts.accepted++;
        else raw.push({ ...judged, lhs: item.lhs, rhs: item.rhs });
      }
    }
    if (this.judge) raw = this.applyJudge(raw, counts);
    for (const r of raw) {
      if (r.level === "info") counts.info++;
      else counts[r.change]++;
    }
    raw.sort((a, b) => comparePaths(a.path, b.path));
    const shown = raw.length > maxFindings ? raw.slice(0, maxFindings) : raw;
    return { findings: shown.map((r) => this.toFinding(r, primary, standby)), counts };
  }

  private applyJudge(raw: RawDrift[], counts: DriftCounts): RawDrift[] {
    const out: RawDrift[] = [];
    for (const r of raw) {
      const v = this.judge!({ path: r.path, matchPath: matchPath(r.path), change: r.change, rule: r.rule, why: r.why, lhs: r.lhs, rhs: r.rhs });
      if (v === null) {
        counts.accepted++;
        continue;
      }
      const next: RawDrift = { path: r.path, change: v.change, lhs: r.lhs, rhs: r.rhs };
      if (v.rule) next.rule = v.rule;
      if (v.why) next.why = v.why;
      if (v.level) next.level = v.level;
      out.push(next);
    }
    return out;
  }

  /** null = accepted (within tolerance, or higher on an atLeast path). */
  private judgeNumeric(path: Segment[], lhs: unknown, rhs: unknown): RawDrift | null {
    const p = this.number(lhs);
    const s = this.number(rhs);
    if (p === null || s === null || (this.atLeast.empty && this.tolerance.empty)) return { path, change: "changed" };
    const mp = matchPath(path);
    const tolIdx = this.tolerance.empty ? -1 : this.tolerance.match(mp);
    const tol = tolIdx >= 0 ? this.toleranceValues[tolIdx]! : undefined;
    const allowed = tol === undefined ? 0 : allowedDelta(tol, p);
    const tolText = tol === undefined ? "" : ` (tolerance ${tol})`;
    if (!this.atLeast.empty && this.atLeast.match(mp) >= 0) {
      if (s >= p || within(p - s, allowed)) return null;
      return { path, change: "weaker", rule: "at-least", why: `the standby must hold at least the primary's value${tolText}` };
    }
    if (tol === undefined) return { path, change: "changed" };
    if (within(Math.abs(s - p), allowed)) return null;
    return { path, change: "changed", rule: "tolerance", why: `differs by more than the tolerance of ${tol}` };
  }

  private toFinding(r: RawDrift, primary: DocPair, standby: DocPair): Finding {
    const where = formatPath(r.path, { isSecretField: secretKey });
    const secret = isSecretPath(r.path) || (this.secret !== null && this.secret.match(matchPath(r.path)) >= 0);
    const show = (v: unknown): unknown => (v === undefined ? undefined : secret ? REDACTED : redactValue(v));
    const pv = r.change === "extra" ? undefined : show(originalAt(primary, r.path));
    const sv = r.change === "missing" ? undefined : show(originalAt(standby, r.path));
    // When side-var substitution rewrote the primary value, the standby is judged against that
    // rewritten value: show it, or a standby holding the primary's own value reads as "no change".
    const expected = r.change === "changed" && !secret && typeof r.lhs === "string" && r.lhs !== originalAt(primary, r.path) ? show(r.lhs) : undefined;
    const text = expected === undefined ? message(where, r.change, pv, sv, secret) : substitutedMessage(where, pv, sv, expected);
    const finding: Finding = { message: text, path: where, change: r.change };
    if (expected !== undefined) finding.expected = expected;
    if (pv !== undefined) finding.primary = pv;
    if (sv !== undefined) finding.standby = sv;
    // A difference no rule names breaks the default rule: the standby must match the primary.
    finding.rule = r.rule ?? "match";
    if (r.why) finding.why = r.why;
    if (r.level) finding.level = r.level;
    if (this.origins) {
      const at: NonNullable<Finding["at"]> = {};
      const pp = r.change === "extra" ? null : originalPath(primary, r.path);
      const sp = r.change === "missing" ? null : originalPath(standby, r.path);
      if (pp) at.primary = pp;
      if (sp) at.standby = sp;
      if (pp || sp) finding.at = at;
    }
    return finding;
  }
}

function message(where: string, change: ChangeKind, pv: unknown, sv: unknown, secret: boolean): string {
  switch (change) {
    case "missing":
      return `${where} is missing on standby (primary: ${brief(pv)})`;
    case "extra":
      return `${where} exists only on standby (standby: ${brief(sv)})`;
    case "weaker":
      return `${where} is weaker on standby: ${brief(pv)} on primary, ${brief(sv)} on standby`;
    default:
      if (secret) return `${where} differs between primary and standby (secret, values hidden)`;
      return `${where} changed: ${brief(pv)} on primary, ${brief(sv)} on standby`;
  }
}

function substitutedMessage(where: string, pv: unknown, sv: unknown, expected: unknown): string {
  if (sv === pv) return `${where} on standby still holds the primary's own value ${brief(sv)}; it should hold ${brief(expected)} (the primary's value with this side's vars)`;
  return `${where} changed: standby holds ${brief(sv)}; it should hold ${brief(expected)} (the primary's ${brief(pv)} with this side's vars)`;
}

/** One short token for a message; the full value is in the finding's primary/standby fields. */
function brief(v: unknown): string {
  if (v === undefined) return "(absent)";
  if (typeof v === "string") {
    if (v === "") return '""';
    return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  }
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? "" : "s"}]`;
  if (v !== null && typeof v === "object") {
    const n = Object.keys(v).length;
    return `{${n} key${n === 1 ? "" : "s"}}`;
  }
  return redact(String(v));
}

function child(container: unknown, seg: Segment): unknown {
  if (container === null || typeof container !== "object") return undefined;
  if (!Object.prototype.hasOwnProperty.call(container, seg)) return undefined;
  return (container as Record<string | number, unknown>)[seg];
}

/**
 * The path of `path` in the original document: keys as they are, keyed items as their array
 * index. null when the walk leaves the document (the value is not on this side).
 */
export function originalPath(doc: DocPair, path: readonly Segment[]): Array<string | number> | null {
  const out: Array<string | number> = [];
  let n = doc.normalised;
  for (const seg of path) {
    if (n === null || typeof n !== "object" || !Object.prototype.hasOwnProperty.call(n, seg)) return null;
    if (isKeyedSegment(seg)) {
      const idx = keyedOrigin(n)?.get(seg);
      if (idx === undefined) return null;
      out.push(idx);
    } else out.push(seg);
    n = (n as Record<string | number, unknown>)[seg];
  }
  return out;
}

/** Walks original and normalised documents together; keyed items map back to their array index. */
export function originalAt(doc: DocPair, path: readonly Segment[]): unknown {
  let o = doc.original;
  let n = doc.normalised;
  for (const seg of path) {
    if (isKeyedSegment(seg) && n !== null && typeof n === "object") {
      const idx = keyedOrigin(n)?.get(seg);
      o = idx !== undefined && Array.isArray(o) ? o[idx] : undefined;
    } else {
      o = child(o, seg);
    }
    n = child(n, seg);
  }
  // Should not happen (both walks follow the same keys); the normalised value beats hiding it.
  return o === undefined ? n : o;
}
