// GitHub-flavoured markdown for PR comments and the job summary.
// Every dynamic string is redacted first, then escaped (an escaped secret would dodge redact()).
import { redact, redactDocument } from "../core/secrets.js";
import { worstFirst } from "../engine/score.js";
import { SEVERITIES } from "../engine/types.js";
import type { CheckReport, CheckStatus, Finding, OverallStatus, Report } from "../engine/types.js";
import {
  checkStatusLabel,
  clip,
  formatMeasured,
  formatNumber,
  formatValue,
  isDrift,
  messageAddsToDrift,
  notCompared,
  pluralize,
  pointCosts,
  ruleSuffix,
  skippedChecks,
  undecidedNote,
} from "./format.js";
import { formatDuration } from "../core/duration.js";

export interface MarkdownOptions {
  /** Hard limit in UTF-8 bytes (GitHub: 65536 for comments, 1 MiB for job summaries). */
  maxBytes?: number;
}

const OVERALL_EMOJI: Record<OverallStatus, string> = {
  READY: "✅",
  DEGRADED: "⚠️",
  UNKNOWN: "❔",
  NOT_READY: "❌",
};

const CHECK_EMOJI: Record<CheckStatus, string> = {
  pass: "✅",
  warn: "⚠️",
  fail: "❌",
  unknown: "❔",
  skipped: "⏭️",
};

const DETAIL_STATUSES: ReadonlySet<CheckStatus> = new Set(["fail", "unknown", "warn"]);

/**
 * Inline markdown text, safe in a table cell: redacted; HTML and markdown punctuation escaped;
 * `|` as `\|` (GFM splits cells before inline parsing); newlines as <br>; @ defused (no pings).
 */
export function mdEscape(text: string): string {
  return redact(text)
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@/g, "&#64;")
    .replace(/[\\`*_[\]|~#]/g, "\\$&")
    .replace(/\n/g, "<br>");
}

/** Monospace without backtick fences: backticks inside the value cannot break out. */
export function mdCode(text: string): string {
  return `<code>${mdEscape(text)}</code>`;
}

function statusCell(c: CheckReport): string {
  return `${CHECK_EMOJI[c.status]} ${checkStatusLabel(c)}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

interface Plan {
  /** How many findings to show, counted over the detail blocks in worst-first order. */
  keep: number;
}

interface DetailBlock {
  check: CheckReport;
  findings: Finding[];
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const ordered = worstFirst(report.checks);
  const blocks: DetailBlock[] = ordered
    .filter((c) => DETAIL_STATUSES.has(c.status) && (c.findings?.length ?? 0) > 0)
    .map((check) => ({ check, findings: check.findings }));
  const totalFindings = blocks.reduce((n, b) => n + b.findings.length, 0);

  const build = (keep: number): string => redactDocument(buildMarkdown(report, ordered, blocks, { keep }));
  const full = build(totalFindings);
  const limit = opts.maxBytes;
  if (limit === undefined || bytes(full) <= limit) return full;

  // Keep K findings, handed out most severe check first: the least severe checks lose theirs first.
  let lo = 0;
  let hi = totalFindings - 1;
  let best: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = build(mid);
    if (bytes(candidate) <= limit) {
      best = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best !== null) return best;
  return hardTruncate(build(0), limit, totalFindings, blocks.length);
}

function bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function truncationNote(findings: number, checks: number): string {
  return (
    `\n> [!NOTE]\n> … truncated: ${pluralize(findings, "finding")} of ${pluralize(checks, "check")} omitted; ` +
    `see the JSON report (\`--format json\`).\n`
  );
}

/** Last resort when even the tables do not fit (no details left): cut at a line boundary and say so. */
function hardTruncate(text: string, limit: number, findings: number, checks: number): string {
  const note = truncationNote(findings, checks).replace("omitted;", "omitted and the report was cut;");
  const room = limit - bytes(note);
  if (room <= 0) {
    const short = "… truncated; see the JSON report\n";
    return bytes(short) <= limit ? short : "";
  }
  let cut = Buffer.from(text, "utf8").subarray(0, room).toString("utf8");
  // A cut inside a multi-byte character decodes to U+FFFD: drop it, then back up to a line end.
  cut = cut.replace(/\uFFFD+$/, "");
  const nl = cut.lastIndexOf("\n");
  if (nl > 0) cut = cut.slice(0, nl + 1);
  return cut + note;
}

function buildMarkdown(report: Report, ordered: CheckReport[], blocks: DetailBlock[], plan: Plan): string {
  const out: string[] = [];
  const { points } = report;

  out.push(`## ${OVERALL_EMOJI[report.status]} standby: ${report.status} — score ${report.score}/100`);
  out.push("");
  out.push(
    `**${formatNumber(points.earned)}** of **${formatNumber(points.possible)}** points earned` +
      ` · ${points.excluded} excluded (skipped) · min score ${report.minScore}` +
      (undecidedNote(report) ? ` · **${undecidedNote(report)}**` : "") +
      ` · ${pluralize(report.checks.length, "check")} in ${pluralize(report.services.length, "service")}` +
      ` · ${mdEscape(report.startedAt)} (${formatDuration(report.durationMs)})`,
  );
  if (report.comparison) {
    const c = report.comparison;
    out.push("", `Since last scan (${mdEscape(c.previousAt)}): **${c.new.length}** new, **${c.resolved.length}** resolved, **${c.persisting.length}** persisting problems`);
  }

  if (report.services.length > 1 || report.services.some((s) => s.status !== report.status)) {
    out.push("", row(["service", "status", "score", "points"]), row(["---", "---", "---:", "---:"]));
    for (const s of report.services) {
      out.push(
        row([
          mdEscape(s.name),
          `${OVERALL_EMOJI[s.status]} ${s.status}`,
          String(s.score),
          `${formatNumber(s.points.earned)}/${formatNumber(s.points.possible)}`,
        ]),
      );
    }
  }

  // Breakdown
  const costs = pointCosts(report);
  out.push("", "### Score breakdown", "");
  if (costs.length === 0) {
    out.push("No check cost any points.");
  } else {
    out.push(row(["points", "check", "severity", "status"]), row(["---:", "---", "---", "---"]));
    for (const { check, cost } of costs) {
      out.push(row([`-${formatNumber(cost)}`, mdCode(check.id), check.severity, statusCell(check)]));
    }
  }
  const skipped = skippedChecks(report);
  if (skipped.length) {
    out.push("", `Excluded (skipped): ${skipped.map((c) => mdCode(c.id)).join(", ")}`);
  }

  // Checks table
  if (ordered.length) {
    out.push("", "### Checks", "");
    out.push(
      row(["status", "severity", "check", "service", "summary", "measured"]),
      row(["---", "---", "---", "---", "---", "---"]),
    );
    for (const c of ordered) {
      out.push(
        row([
          statusCell(c),
          c.severity,
          mdCode(c.id),
          mdEscape(c.service),
          mdEscape(clip(c.status === "unknown" ? notCompared(c) : c.summary, 300)),
          c.measured ? mdEscape(formatMeasured(c.measured)) : "",
        ]),
      );
    }
  }

  // Findings: the budget goes to the most severe checks first, blocks show worst first.
  let budget = plan.keep;
  const kept = new Map<DetailBlock, number>();
  for (const b of byPriority(blocks)) {
    const n = Math.min(b.findings.length, Math.max(0, budget));
    budget -= n;
    kept.set(b, n);
  }
  let omittedFindings = 0;
  let omittedChecks = 0;
  const details: string[] = [];
  for (const b of blocks) {
    const n = kept.get(b) ?? 0;
    if (n < b.findings.length) {
      omittedFindings += b.findings.length - n;
      omittedChecks += 1;
    }
    if (n === 0) continue;
    details.push(...detailBlock(b.check, b.findings.slice(0, n), b.findings.length - n));
  }
  if (details.length) out.push("", "### Findings", "", ...details);
  if (omittedFindings > 0) out.push("", truncationNote(omittedFindings, omittedChecks).trim());
  return out.join("\n") + "\n";
}

/** Truncation order: severity first (critical keeps its findings longest), then worst first. */
function byPriority(blocks: DetailBlock[]): DetailBlock[] {
  const rank = (b: DetailBlock) => SEVERITIES.indexOf(b.check.severity);
  return blocks.map((b, i) => ({ b, i })).sort((x, y) => rank(x.b) - rank(y.b) || x.i - y.i).map((x) => x.b);
}

function detailBlock(c: CheckReport, findings: Finding[], omitted: number): string[] {
  const total = findings.length + omitted;
  const out: string[] = [];
  out.push(
    `<details><summary>${CHECK_EMOJI[c.status]} ${mdCode(c.id)} (${c.severity}, ${checkStatusLabel(c)}): ` +
      `${pluralize(total, "finding")}</summary>`,
    "",
  );
  const drift = findings.filter(isDrift);
  const other = findings.filter((f) => !isDrift(f));
  if (drift.length) {
    // The why: the message where it says more than path and values, then the rule and its reason.
    const why = (f: Finding) => [messageAddsToDrift(f) ? mdEscape(clip(f.message, 400)) : "", mdEscape(ruleSuffix(f))].filter(Boolean).join(" ");
    // With side-var substitution the standby cell says what it holds and what it should hold.
    const standbyCell = (f: Finding) =>
      f.expected === undefined
        ? mdCode(formatValue(f.standby, 120))
        : `holds ${mdCode(formatValue(f.standby, 120))}; it should hold ${mdCode(formatValue(f.expected, 120))} (the primary's value with this side's vars)`;
    out.push(row(["path", "change", "primary", "standby", "why"]), row(["---", "---", "---", "---", "---"]));
    for (const f of drift) {
      out.push(
        row([
          mdCode(clip(f.path!, 200)) + tags(f),
          f.change!,
          f.change === "extra" ? "" : mdCode(formatValue(f.primary, 120)),
          f.change === "missing" ? "" : standbyCell(f),
          why(f),
        ]),
      );
    }
    if (other.length) out.push("");
  }
  for (const f of other) {
    const rule = ruleSuffix(f);
    out.push(`- ${mdEscape(clip(f.message, 1000))}${tags(f)}${rule ? ` ${mdEscape(rule)}` : ""}`);
  }
  if (omitted > 0) out.push("", `_… ${pluralize(omitted, "more finding")} omitted (see the JSON report)._`);
  out.push("", "</details>", "");
  return out;
}

function tags(f: Finding): string {
  const t: string[] = [];
  if (f.level && f.level !== "fail") t.push(f.level);
  if (f.accepted) t.push(`accepted: ${mdEscape(clip(f.accepted, 120))}`);
  return t.length ? ` _(${t.join("; ")})_` : "";
}
