// `standby merge a.json b.json ...`: shard reports -> one report, scored by the same rules
// (buildReport from src/engine/report.ts; nothing here re-implements scoring).
import { readFileSync } from "node:fs";
import { redact } from "../core/secrets.js";
import { buildReport } from "../engine/report.js";
import { checkPoints, exitCodeFor, type FailOn } from "../engine/score.js";
import type { CheckReport } from "../engine/types.js";
import { render, type Format } from "../report/index.js";
import { outputProblem, useColor, writeReport } from "./output.js";
import { firstProblem, importedCheckSchema } from "./report-schema.js";
import { EXIT } from "../core/exit-codes.js";

export interface MergeFlags {
  format: Format;
  output?: string;
  failOn: FailOn;
  minScore?: number;
}

interface Input {
  file: string;
  startedAt: number;
  durationMs: number;
  minScore: number;
  services: string[];
  /** Every configured service in config order, when the report came from --shard. */
  allServices?: string[];
  checks: CheckReport[];
  configFile?: string;
}

export class MergeError extends Error {}

function parseReport(file: string, text: string): Input {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MergeError(`${file}: not JSON (${(err as Error).message}); expected a report from \`standby scan --format json\``);
  }
  const r = data as Record<string, unknown>;
  if (!r || typeof r !== "object" || r.schemaVersion !== 1 || !Array.isArray(r.checks) || !Array.isArray(r.services)) {
    throw new MergeError(`${file}: not a standby JSON report (schemaVersion 1 with services and checks)`);
  }
  const checks = (r.checks as unknown[]).map((c, i) => {
    const parsed = importedCheckSchema.safeParse(c);
    if (!parsed.success) throw new MergeError(`${file}: checks[${i}].${firstProblem(parsed.error)}`);
    const x = parsed.data;
    // Points are re-derived from severity and status: the same rules as a scan.
    return { title: x.kind, reason: null, measured: null, findings: [], durationMs: 0, docs: "", ...x, points: checkPoints(x.severity, x.status) } as CheckReport;
  });
  const startedAt = Date.parse(String(r.startedAt));
  const cfg = r.config as { file?: unknown } | undefined;
  const shard = r.shard as { services?: unknown } | undefined;
  const allServices = Array.isArray(shard?.services) ? shard.services.map(String) : undefined;
  return {
    file,
    startedAt: Number.isNaN(startedAt) ? Date.now() : startedAt,
    durationMs: typeof r.durationMs === "number" ? r.durationMs : 0,
    minScore: typeof r.minScore === "number" ? r.minScore : 80,
    services: (r.services as Array<{ name?: unknown }>).map((s) => String(s?.name)),
    checks,
    ...(allServices ? { allServices } : {}),
    ...(typeof cfg?.file === "string" ? { configFile: cfg.file } : {}),
  };
}

export function mergeReports(inputs: readonly Input[], minScoreOverride?: number): { report: ReturnType<typeof buildReport>; warnings: string[] } {
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  const checks: CheckReport[] = [];
  // Config order when a shard report carries it; then order of appearance.
  const services: string[] = [...(inputs.find((i) => i.allServices)?.allServices ?? [])];
  for (const input of inputs) {
    for (const s of input.services) if (!services.includes(s)) services.push(s);
    for (const c of input.checks) {
      const first = seen.get(c.id);
      if (first) throw new MergeError(`check '${c.id}' is in both ${first} and ${input.file}; shards must not overlap (same --shard N everywhere?)`);
      seen.set(c.id, input.file);
      if (!services.includes(c.service)) services.push(c.service);
      checks.push(c);
    }
  }
  const minScores = [...new Set(inputs.map((i) => i.minScore))];
  if (minScoreOverride === undefined && minScores.length > 1) warnings.push(`the reports disagree on minScore (${minScores.join(", ")}); using the strictest, ${Math.max(...minScores)}`);
  const start = Math.min(...inputs.map((i) => i.startedAt));
  const end = Math.max(...inputs.map((i) => i.startedAt + i.durationMs));
  const report = buildReport({
    startedAt: new Date(start),
    durationMs: Math.max(0, end - start),
    minScore: minScoreOverride ?? Math.max(...minScores),
    services,
    checks,
    configFile: inputs.find((i) => i.configFile)?.configFile,
  });
  return { report, warnings };
}

export async function mergeCommand(files: string[], flags: MergeFlags): Promise<number> {
  const inputs: Input[] = [];
  try {
    const problem = flags.output ? outputProblem(flags.output) : null;
    if (problem) throw new MergeError(`-o: cannot write the report: ${problem}`);
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (err) {
        throw new MergeError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      inputs.push(parseReport(file, text));
    }
    const { report, warnings } = mergeReports(inputs, flags.minScore);
    for (const w of warnings) process.stderr.write(`standby: merge: ${redact(w)}\n`);
    const out = render(report, flags.format, { color: !flags.output && flags.format === "text" && useColor(process.stdout) });
    if (flags.output) {
      if (!writeReport(flags.output, out)) return EXIT.INVALID;
      process.stderr.write(`standby: ${report.status}, score ${report.score}/100 over ${report.checks.length} checks from ${files.length} reports; ${flags.format} report written to ${flags.output}\n`);
    } else process.stdout.write(out);
    return exitCodeFor(report.status, flags.failOn);
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    process.stderr.write(`standby: merge: ${redact(err.message)}\n`);
    return EXIT.INVALID;
  }
}
