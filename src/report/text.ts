// The terminal report: headline, services, checks worst first, then the score breakdown.
// Status words are always printed, so the report reads the same without color.
import { redact } from "../core/secrets.js";
import { worstFirst } from "../engine/score.js";
import type { CheckReport, CheckStatus, Finding, OverallStatus, Report } from "../engine/types.js";
import {
  checkStatusLabel,
  checkStatusWord,
  clip,
  driftValues,
  formatMeasured,
  formatNumber,
  isDrift,
  messageAddsToDrift,
  notCompared,
  pluralize,
  pointCosts,
  ruleSuffix,
  skippedChecks,
  undecidedNote,
  visibleControls,
} from "./format.js";
import { formatDuration } from "../core/duration.js";

export interface TextOptions {
  color?: boolean;
  /** Findings shown per check before "... and N more". Default 10. */
  maxFindings?: number;
  /** Wrap width. Default 80. */
  width?: number;
}

const ANSI = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  magenta: "\u001b[35m",
  cyan: "\u001b[36m",
} as const;

type Style = keyof typeof ANSI;

const CHECK_STYLE: Record<CheckStatus, Style> = {
  pass: "green",
  warn: "yellow",
  fail: "red",
  unknown: "magenta",
  skipped: "dim",
};

const CHECK_SYMBOL: Record<CheckStatus, string> = { pass: "✓", warn: "!", fail: "✗", unknown: "?", skipped: "-" };

const OVERALL_STYLE: Record<OverallStatus, Style> = {
  READY: "green",
  DEGRADED: "yellow",
  UNKNOWN: "magenta",
  NOT_READY: "red",
};

/** One line of user text for a terminal: redacted, control characters made visible. */
function line(text: string): string {
  return visibleControls(redact(text));
}

/** Greedy word wrap; words longer than the width (paths, URLs) are left whole. */
function wrap(text: string, width: number, indent: string, firstIndent = indent): string[] {
  const out: string[] = [];
  for (const paragraph of redact(text).split(/\r?\n/)) {
    const words = visibleControls(paragraph).split(/ +/).filter(Boolean);
    let cur = "";
    let prefix = out.length === 0 ? firstIndent : indent;
    for (const w of words) {
      if (cur && prefix.length + cur.length + 1 + w.length > width) {
        out.push(prefix + cur);
        prefix = indent;
        cur = w;
      } else {
        cur = cur ? `${cur} ${w}` : w;
      }
    }
    out.push(prefix + cur);
  }
  return out;
}

export function renderText(report: Report, opts: TextOptions = {}): string {
  const color = opts.color === true;
  const width = opts.width ?? 80;
  const maxFindings = opts.maxFindings ?? 10;
  const paint = (s: string, ...styles: Style[]): string =>
    color && styles.length ? styles.map((st) => ANSI[st]).join("") + s + ANSI.reset : s;

  const out: string[] = [];
  const { points } = report;
  const undecided = undecidedNote(report);

  // Headline
  out.push(
    `${paint("standby", "bold")} ${line(report.tool.version)}  ` +
      `${paint(report.status, "bold", OVERALL_STYLE[report.status])}  ` +
      `score ${paint(String(report.score), "bold")}/100 (min ${report.minScore})` +
      (undecided ? `, ${undecided}` : ""),
  );
  out.push(
    `points: ${formatNumber(points.earned)} earned of ${formatNumber(points.possible)} possible, ` +
      `${points.excluded} excluded (skipped)`,
  );
  out.push(
    paint(
      `${pluralize(report.checks.length, "check")} in ${pluralize(report.services.length, "service")}` +
        ` · started ${line(report.startedAt)} · took ${formatDuration(report.durationMs)}`,
      "dim",
    ),
  );
  if (report.comparison) {
    const c = report.comparison;
    out.push(`since last scan (${line(c.previousAt)}): ${c.new.length} new, ${c.resolved.length} resolved, ${c.persisting.length} persisting problem${c.persisting.length === 1 ? "" : "s"}`);
  }

  // Services
  if (report.services.length) {
    out.push("", paint("Services", "bold"));
    const nameWidth = Math.min(30, Math.max(...report.services.map((s) => line(s.name).length)));
    for (const s of report.services) {
      const status = paint(s.status.padEnd(9), OVERALL_STYLE[s.status]);
      out.push(
        `  ${status}  ${line(s.name).padEnd(nameWidth)}  score ${String(s.score).padStart(3)}` +
          `  (${formatNumber(s.points.earned)}/${formatNumber(s.points.possible)} points` +
          `${s.points.excluded ? `, ${s.points.excluded} excluded` : ""})`,
      );
    }
  }

  // Checks, worst first
  if (report.checks.length) {
    out.push("", paint("Checks, worst first", "bold"));
    const wordWidth = Math.max(4, ...report.checks.map((c) => checkStatusWord(c).length));
    for (const c of worstFirst(report.checks)) {
      out.push(...renderCheck(c, wordWidth));
    }
  }

  // Score breakdown
  out.push("", paint("Score breakdown", "bold"));
  out.push(
    `  score ${report.score} = ${formatNumber(points.earned)} of ${formatNumber(points.possible)} points` +
      (points.excluded ? ` (${pluralize(points.excluded, "check")} excluded)` : ""),
  );
  const costs = pointCosts(report);
  if (costs.length === 0) {
    out.push("  no check cost any points");
  } else {
    const costWidth = Math.max(...costs.map((c) => formatNumber(c.cost).length)) + 1;
    for (const { check, cost } of costs) {
      const amount = `-${formatNumber(cost)}`.padStart(costWidth);
      out.push(
        `  ${paint(amount, CHECK_STYLE[check.status])} ${line(check.id)} ` +
          `(${check.severity}, ${checkStatusLabel(check)})`,
      );
    }
  }
  for (const s of skippedChecks(report)) {
    out.push(paint(`  excluded: ${line(s.id)} (${s.severity}, skipped)`, "dim"));
  }

  return out.join("\n") + "\n";

  function renderCheck(c: CheckReport, wordWidth: number): string[] {
    const lines: string[] = [];
    const word = `${CHECK_SYMBOL[c.status]} ${checkStatusWord(c).padEnd(wordWidth)}`;
    lines.push(
      `  ${paint(word, "bold", CHECK_STYLE[c.status])}  ${c.severity.padEnd(8)}  ${paint(line(c.id), "bold")}` +
        paint(` [${line(c.service)}]`, "dim"),
    );
    const indent = "      ";
    const summary = c.status === "unknown" ? notCompared(c) : c.summary;
    if (summary) lines.push(...wrap(summary, width, indent));
    if (c.measured) lines.push(`${indent}measured ${line(formatMeasured(c.measured))}`);
    const findings = c.findings ?? [];
    for (const f of findings.slice(0, maxFindings)) {
      lines.push(...wrap(findingText(f), width, `${indent}  `, `${indent}- `));
    }
    if (findings.length > maxFindings) {
      lines.push(paint(`${indent}… and ${findings.length - maxFindings} more (see --format json)`, "dim"));
    }
    return lines;
  }
}

/** Drift values are where the difference hides (often deep inside an ARN or URL): room for them. */
const VALUE_WIDTH = 160;

/** One finding as text: drift as path/change/values (and the message when it adds to them), others as their message; then its rule. */
export function findingText(f: Finding): string {
  let text: string;
  if (isDrift(f)) {
    text = `${clip(f.path!, 120)}: ${driftValues(f, VALUE_WIDTH)}`;
    if (messageAddsToDrift(f)) text += `; ${clip(f.message, 400)}`;
  } else {
    text = clip(f.message, 400);
  }
  const tags: string[] = [];
  if (f.level && f.level !== "fail") tags.push(f.level);
  if (f.accepted) tags.push(`accepted: ${clip(f.accepted, 80)}`);
  if (tags.length) text += ` (${tags.join("; ")})`;
  const rule = ruleSuffix(f);
  if (rule) text += ` ${rule}`;
  return text;
}
