// Annotations: what a reviewer sees inline. A drift finding that can be located (a file source
// inside the workspace, the key found) is annotated on its key in that file: the standby file for
// changed, extra and weaker, the primary file for missing. Everything else (other kinds, URL and
// AWS sources, keys not found) stays on the check's line of standby.yml, one annotation per
// check quoting those findings. Worst first (severity, status, then the check's findings in
// order), within GitHub's per-step limit of 10 error and 10 warning annotations; the plan counts
// what was left out per level. Invalid config: one error annotation per offending line.
import type { ConfigIssue } from "../config/errors.js";
import { redact } from "../core/secrets.js";
import { SEVERITIES, type CheckReport, type CheckStatus, type Finding, type Report, type Side } from "../engine/types.js";
import { checkStatusWord, clip, formatMeasured, isDrift, pluralize } from "../report/format.js";
import { findingText } from "../report/text.js";
import type { AnnotationLevel, AnnotationProperties } from "./runner-contract.js";

/** GitHub shows at most this many annotations of each level per step. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;
/** Findings quoted in one annotation message; the rest are counted. */
const FINDINGS_PER_ANNOTATION = 5;
const MAX_MESSAGE_CHARS = 4000;
const MAX_TITLE_CHARS = 200;

export interface Annotation {
  level: AnnotationLevel;
  properties: AnnotationProperties;
  message: string;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Annotations that were due but over the limit, per level. */
  omitted: { error: number; warning: number };
}

export interface FindingPosition {
  /** Relative to the workspace. */
  file: string;
  line: number;
  column: number;
}

/** Where a finding's value sits on one side, or null when that cannot be told. */
export type Locate = (check: CheckReport, finding: Finding, side: Side) => FindingPosition | null;

/** fail is an error; unknown and warn are warnings; pass and skipped are not annotated. */
export function levelFor(check: Pick<CheckReport, "status">): "error" | "warning" | null {
  if (check.status === "fail") return "error";
  if (check.status === "unknown" || check.status === "warn") return "warning";
  return null;
}

const STATUS_RANK: Partial<Record<CheckStatus, number>> = { fail: 0, unknown: 1, warn: 2 };

/** Severity first, then status, then id: the order annotations are handed out in. */
function annotationOrder(a: CheckReport, b: CheckReport): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
    a.id.localeCompare(b.id)
  );
}

/** The side whose file shows the drift: missing values live on the primary only. */
export function annotatedSide(f: Finding): Side {
  return f.change === "missing" ? "primary" : "standby";
}

/** A finding a reviewer acts on: not accepted, not informational. */
function isProblem(f: Finding): boolean {
  return !f.accepted && f.level !== "info";
}

/** An annotation due, built only when it is within the limit (100,000 findings build 10). */
interface Due {
  level: "error" | "warning";
  build: () => Annotation;
}

export function checkAnnotations(report: Report, fallbackFile?: string, locate?: Locate): AnnotationPlan {
  const due: Due[] = [];
  for (const check of [...report.checks].sort(annotationOrder)) {
    const level = levelFor(check);
    if (!level) continue;
    const located: Due[] = [];
    const rest: Finding[] = [];
    for (const f of check.findings ?? []) {
      const at = locate && isDrift(f) && isProblem(f) ? locate(check, f, annotatedSide(f)) : null;
      // A warn-level finding of a failing check is a warning: it costs nothing yet.
      const findingLevel = level === "error" && (f.level ?? "fail") === "fail" ? "error" : "warning";
      if (at) located.push({ level: findingLevel, build: () => findingAnnotation(check, f, findingLevel, at, locate!) });
      else rest.push(f);
    }
    // The check's own annotation: its summary and the findings no file line shows.
    if (located.length === 0 || rest.some(isProblem)) due.push({ level, build: () => checkAnnotation(check, level, rest, located.length, fallbackFile) });
    // Errors before warnings within a check, each in the check's order (by path).
    due.push(...located.filter((a) => a.level === "error"), ...located.filter((a) => a.level !== "error"));
  }
  const annotations: Annotation[] = [];
  const count = { error: 0, warning: 0 };
  const omitted = { error: 0, warning: 0 };
  for (const d of due) {
    if (count[d.level] >= MAX_ANNOTATIONS_PER_LEVEL) omitted[d.level] += 1;
    else {
      count[d.level] += 1;
      annotations.push(d.build());
    }
  }
  return { annotations, omitted };
}

function checkAnnotation(check: CheckReport, level: "error" | "warning", findings: Finding[], locatedCount: number, fallbackFile: string | undefined): Annotation {
  const file = check.location?.file ?? fallbackFile;
  return {
    level,
    properties: {
      title: clean(clip(`standby: ${check.id} ${checkStatusWord(check)} (${check.severity})`, MAX_TITLE_CHARS)),
      ...(file ? { file } : {}),
      ...(file && check.location ? { line: check.location.line, col: check.location.column } : {}),
    },
    message: checkMessage(check, findings, locatedCount),
  };
}

function findingAnnotation(check: CheckReport, f: Finding, level: "error" | "warning", at: FindingPosition, locate: Locate): Annotation {
  const lines = [findingLine(f)];
  // A changed or weaker value: where the primary's value is, to compare.
  if (f.change === "changed" || f.change === "weaker") {
    const primary = locate(check, f, "primary");
    if (primary) lines.push(`primary: ${primary.file}:${primary.line}:${primary.column}`);
  }
  lines.push(`check ${check.id} (${check.kind}, ${check.severity}): ${check.summary}`);
  return {
    level,
    properties: {
      title: clean(clip(`standby: ${check.id} ${checkStatusWord(check)} (${check.severity}): ${f.path} ${f.change}`, MAX_TITLE_CHARS)),
      file: at.file,
      line: at.line,
      col: at.column,
    },
    message: clip(clean(lines.join("\n")), MAX_MESSAGE_CHARS),
  };
}

function checkMessage(check: CheckReport, findings: Finding[], locatedCount: number): string {
  const lines = [`${check.summary}`];
  if (check.measured) lines.push(`measured: ${formatMeasured(check.measured)}`);
  for (const f of findings.slice(0, FINDINGS_PER_ANNOTATION)) lines.push(`- ${findingLine(f)}`);
  if (findings.length > FINDINGS_PER_ANNOTATION) {
    lines.push(`… ${findings.length - FINDINGS_PER_ANNOTATION} more in the job summary and the JSON report`);
  }
  if (locatedCount > 0) lines.push(`${pluralize(locatedCount, "more finding")} annotated on the drifted line${locatedCount === 1 ? "" : "s"}`);
  return clip(clean(lines.join("\n")), MAX_MESSAGE_CHARS);
}

/** A finding in the words of the text report (its values, then its rule), so the two never disagree. */
export function findingLine(f: Finding): string {
  return findingText(f);
}

export function configIssueAnnotations(issues: readonly ConfigIssue[]): AnnotationPlan {
  const shown = issues.slice(0, MAX_ANNOTATIONS_PER_LEVEL);
  return {
    annotations: shown.map((issue) => ({
      level: "error" as const,
      properties: {
        title: "standby: invalid config",
        file: issue.file,
        line: issue.line,
        col: issue.column,
      },
      message: clean(issue.path ? `${issue.path}: ${issue.message}` : issue.message),
    })),
    omitted: { error: issues.length - shown.length, warning: 0 },
  };
}

/** Redacted, control characters other than newline made harmless (escaping does the rest). */
function clean(text: string): string {
  return redact(text).replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ");
}

