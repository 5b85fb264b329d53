// The job summary ($GITHUB_STEP_SUMMARY): the Markdown report (status, score and breakdown,
// checks worst first, findings of failing checks in <details>) plus a footer: what each side was
// read from, how many annotations GitHub's limit left out, the report files. GitHub rejects a step summary over 1 MiB; we stay under 1,000,000 bytes, and the
// Markdown renderer truncates findings (least severe checks first) with a clear note.
import type { ConfigIssue } from "../config/errors.js";
import type { LoadedConfig } from "../config/load.js";
import type { Report } from "../engine/types.js";
import { render } from "../report/index.js";
import { mdCode, mdEscape } from "../report/markdown.js";

/** GitHub's limit is 1 MiB (1,048,576 bytes) per step; keep a margin. */
export const SUMMARY_MAX_BYTES = 1_000_000;

export interface SummaryContext {
  /** Report files as shown to the user (relative to the workspace); the JSON report first. */
  files: string[];
  /** Set when the min-score input overrode scoring.minScore. */
  minScoreOverride?: { input: number; config: number };
  /** Annotations that were due but over GitHub's limit, per level. */
  annotationsOmitted?: { error: number; warning: number };
  /** What each side of a check was read from (checks whose evidence says), worst first. */
  sources?: Array<{ check: string; primary: string; standby: string }>;
}

/** The sources table's share of the summary: beyond it, rows are counted, not shown. */
const SOURCES_MAX_BYTES = 64 * 1024;

export function scanSummary(report: Report, ctx: SummaryContext, maxBytes = SUMMARY_MAX_BYTES): string {
  const footer: string[] = [""];
  if (ctx.sources?.length) footer.push(...sourcesTable(ctx.sources), "");
  if (ctx.minScoreOverride) {
    footer.push(
      `Min score ${ctx.minScoreOverride.input} comes from the Action's \`min-score\` input ` +
        `(standby.yml says ${ctx.minScoreOverride.config}).`,
      "",
    );
  }
  const note = omittedNote(ctx.annotationsOmitted, ctx.files[0]);
  if (note) footer.push(note, "");
  if (ctx.files.length) footer.push(`Reports written: ${ctx.files.map((f) => mdCode(f)).join(", ")}.`, "");
  const tail = footer.join("\n");
  const body = render(report, "markdown", { maxBytes: Math.max(0, maxBytes - Buffer.byteLength(tail, "utf8")) });
  return body + tail;
}

/** "20 more errors and 3 more warnings not annotated (...)": GitHub drops them silently otherwise. */
function omittedNote(omitted: SummaryContext["annotationsOmitted"], json: string | undefined): string | null {
  if (!omitted || omitted.error + omitted.warning === 0) return null;
  const parts = [
    omitted.error > 0 ? `${omitted.error} more error${omitted.error === 1 ? "" : "s"}` : "",
    omitted.warning > 0 ? `${omitted.warning} more warning${omitted.warning === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return (
    `**${parts.join(" and ")} not annotated** (GitHub shows at most 10 error and 10 warning annotations per step): ` +
    `see the checks and findings in this summary${json ? ` and the JSON report ${mdCode(json)}` : " and the JSON report"}.`
  );
}

/** What each side was read from: a reviewer sees which files or endpoints were compared. */
function sourcesTable(rows: NonNullable<SummaryContext["sources"]>): string[] {
  const out = ["### Sources compared", "", "| check | primary | standby |", "| --- | --- | --- |"];
  let size = 0;
  let shown = 0;
  for (const r of rows) {
    const line = `| ${mdCode(r.check)} | ${mdCode(r.primary)} | ${mdCode(r.standby)} |`;
    size += Buffer.byteLength(line, "utf8") + 1;
    if (size > SOURCES_MAX_BYTES) break;
    out.push(line);
    shown++;
  }
  if (shown < rows.length) out.push("", `… ${rows.length - shown} more row${rows.length - shown === 1 ? "" : "s"} left out (the JSON report names every check's sources in its evidence).`);
  return out;
}

export function invalidConfigSummary(issues: readonly ConfigIssue[], maxBytes = SUMMARY_MAX_BYTES, command = "standby validate"): string {
  const out = [
    "## ❌ standby: invalid config",
    "",
    `${issues.length} problem${issues.length === 1 ? "" : "s"}; no check ran. Run \`${command}\` locally to see the same list.`,
    "",
    "| where | path | problem |",
    "| --- | --- | --- |",
  ];
  let size = Buffer.byteLength(out.join("\n"), "utf8");
  let shown = 0;
  for (const i of issues) {
    const row = `| ${mdCode(`${i.file}:${i.line}:${i.column}`)} | ${i.path ? mdCode(i.path) : ""} | ${mdEscape(i.message)} |`;
    size += Buffer.byteLength(row, "utf8") + 1;
    if (size > maxBytes - 200) break;
    out.push(row);
    shown++;
  }
  if (shown < issues.length) out.push("", `… ${issues.length - shown} more problems omitted.`);
  return out.join("\n") + "\n";
}

/** validate-only: the config is valid; what was not read says what was not checked. */
export function validSummary(config: Pick<LoadedConfig, "services" | "checks">, configName: string, unread: number): string {
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
  const kinds = new Set(config.checks.map((c) => c.kind)).size;
  return [
    "## ✅ standby: config valid",
    "",
    `${mdCode(configName)}: ${n(config.services.length, "service")}, ${n(config.checks.length, "check")} of ${n(kinds, "kind")}; the local files they read exist.`,
    "",
    `Validated offline (\`validate-only\`): ${n(unread, "value")} holding \`\${env:}\` or \`\${file:}\` ${unread === 1 ? "was" : "were"} not read, so not checked. No check ran.`,
    "",
  ].join("\n");
}

export function failureSummary(title: string, message: string): string {
  return `## ❌ standby: ${mdEscape(title)}\n\n${mdEscape(message)}\n`;
}
