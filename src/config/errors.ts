// Config errors name file:line:column, the dotted path and what was expected; never a stack trace.
import { closest, distance } from "fastest-levenshtein";
import { redact, redactFreeText } from "../core/secrets.js";

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path such as services[0].checks[2].timeout ("" for the document). */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  // The message may echo a resolved value (a short or common secret too); where it is stays readable.
  const message = redactFreeText(issue.message);
  return redact(issue.path ? `${where}: ${issue.path}: ${message}` : `${where}: ${message}`);
}

export type { PathSegment } from "../core/path-segment.js";
import type { PathSegment } from "../core/path-segment.js";

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Words other tools use for a key this schema spells differently (not close by edit distance). */
const SYNONYMS = new Map<string, readonly string[]>([
  ["name", ["id"]],
  ["type", ["kind"]],
  ["check", ["kind"]],
]);

/** The candidate a misspelt `input` most likely meant (a close one, or a known synonym), or null. */
export function closestName(input: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  const synonym = SYNONYMS.get(input.toLowerCase())?.find((s) => candidates.includes(s));
  if (synonym) return synonym;
  const best = closest(input, candidates as string[]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(input, best) <= limit ? best : null;
}

/** " (did you mean 'x'?)" when a close enough candidate (or a known synonym) exists, else "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = closestName(input, candidates);
  return best === null ? "" : ` (did you mean '${best}'?)`;
}
