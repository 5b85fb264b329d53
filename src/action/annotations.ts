// Annotations: each failing, unknown or warning check on the line of standby.yml that defines
// it, worst first, within GitHub's per-step limit of 10 error and 10 warning annotations.
// Invalid config: one error annotation per offending line.
import type { ConfigIssue } from "../config/errors.js";
import { redact } from "../core/secrets.js";
import { worstFirst } from "../engine/score.js";
import type { CheckReport, Finding, Report } from "../engine/types.js";
import { checkStatusWord, clip, formatMeasured, formatValue, isDrift } from "../report/format.js";
import type { AnnotationLevel, AnnotationProperties } from "./runner-contract.js";

/** GitHub shows at most this many annotations of each level per step. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;
/** Findings quoted in one annotation message; the rest are counted. */
const FINDINGS_PER_ANNOTATION = 5;
const MAX_MESSAGE_CHARS = 4000;

export interface Annotation {
  level: AnnotationLevel;
  properties: AnnotationProperties;
  message: string;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Checks that deserved an annotation but were over the limit, per level. */
  omitted: { error: number; warning: number };
}

/** fail is an error; unknown and warn are warnings; pass and skipped are not annotated. */
export function levelFor(check: Pick<CheckReport, "status">): "error" | "warning" | null {
  if (check.status === "fail") return "error";
  if (check.status === "unknown" || check.status === "warn") return "warning";
  return null;
}

export function checkAnnotations(report: Report, fallbackFile?: string): AnnotationPlan {
  const annotations: Annotation[] = [];
  const count = { error: 0, warning: 0 };
  const omitted = { error: 0, warning: 0 };
  for (const check of worstFirst(report.checks)) {
    const level = levelFor(check);
    if (!level) continue;
    if (count[level] >= MAX_ANNOTATIONS_PER_LEVEL) {
      omitted[level] += 1;
      continue;
    }
    count[level] += 1;
    const file = check.location?.file ?? fallbackFile;
    annotations.push({
      level,
      properties: {
        title: clean(`standby: ${check.id} ${checkStatusWord(check)} (${check.severity})`),
        ...(file ? { file } : {}),
        ...(file && check.location ? { line: check.location.line, col: check.location.column } : {}),
      },
      message: checkMessage(check),
    });
  }
  return { annotations, omitted };
}

function checkMessage(check: CheckReport): string {
  const lines = [`${check.summary}`];
  if (check.measured) lines.push(`measured: ${formatMeasured(check.measured)}`);
  const findings = check.findings ?? [];
  for (const f of findings.slice(0, FINDINGS_PER_ANNOTATION)) lines.push(`- ${findingLine(f)}`);
  if (findings.length > FINDINGS_PER_ANNOTATION) {
    lines.push(`… ${findings.length - FINDINGS_PER_ANNOTATION} more in the job summary and the JSON report`);
  }
  return clip(clean(lines.join("\n")), MAX_MESSAGE_CHARS);
}

/** Drift as `path: change, primary X -> standby Y`; other findings by their message. */
export function findingLine(f: Finding): string {
  if (isDrift(f)) {
    const sides =
      f.change === "missing"
        ? `primary ${formatValue(f.primary, 80)}, absent on standby`
        : f.change === "extra"
          ? `standby only ${formatValue(f.standby, 80)}`
          : `primary ${formatValue(f.primary, 80)} -> standby ${formatValue(f.standby, 80)}`;
    return `${f.path}: ${f.change}, ${sides}`;
  }
  return f.message;
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

