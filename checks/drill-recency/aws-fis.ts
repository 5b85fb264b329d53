// drill-recency's awsFis source: FIS experiments as drill evidence. The completed experiment
// created last is the drill (its endTime); failed, stopped or cancelled ones are reported, never
// counted; none completed is a missing drill (fail), not an absence of evidence.
import { z } from "zod";
import type { Finding } from "../../src/kit/index.js";
import { awsFisSchema, readFisDrill, type FisDrillRead, type FisExperiment } from "../../src/probes/aws-fis/index.js";
import type { CheckContext } from "../../src/engine/types.js";
import type { FisDrillEvidence, FisExperimentEvidence } from "./evidence.js";
import { formatInZone } from "./schedule.js";

export const awsFisSource = z.strictObject({
  awsFis: awsFisSchema.describe("FIS experiments of the drill's template(s): the last completed one is the drill"),
});
export type AwsFisDrillSource = z.output<typeof awsFisSource>;

/** What judgeDrill needs from FIS: the drill (or none) and what else FIS says about it. */
export interface FisDrill {
  at: number | null;
  from: string;
  /** No drill: why, in words (the headline of the failure). */
  noDrill: string;
  findings: Finding[];
  fis: FisDrillEvidence;
}

export async function readFisSource(source: AwsFisDrillSource, ctx: CheckContext, timezone: string): Promise<FisDrill> {
  return fisDrill(await readFisDrill(source.awsFis, ctx), timezone);
}

export function fisDrill(read: FisDrillRead, timezone: string): FisDrill {
  const when = (ms: number) => formatInZone(new Date(ms), timezone);
  const t = read.templates;
  // Up to 50 templates: a summary names three.
  const of = t.length === 1 ? `template ${t[0]}` : `templates ${t.slice(0, 3).join(", ")}${t.length > 3 ? ` and ${t.length - 3} more` : ""}`;
  const attempt = (e: FisExperiment) => `${e.id} ${e.status} ${when(e.createdAt)}${e.reason ? ` (${e.reason})` : ""}`;
  const findings: Finding[] = [];
  const latest = read.notCompleted[0];
  if (read.last && latest) {
    const more = read.notCompletedTotal > 1 ? ` (${read.notCompletedTotal} since)` : "";
    findings.push({
      level: "warn",
      message: `the latest FIS experiment of ${of} did not complete: ${attempt(latest)}${more}; the last completed one ended ${when(read.last.endedAt)}`,
      path: "lastDrill.awsFis",
      rule: "drill-attempt-failed",
      why: "a drill that fails or is stopped shows the failover path is broken now, whatever the last good drill",
    });
  }
  const failedText = latest ? `; ${read.notCompletedTotal} ended without completing, the latest ${attempt(latest)}` : "";
  const running = read.inProgress[0] ? `; ${read.inProgress[0].id} is ${read.inProgress[0].status} since ${when(read.inProgress[0].createdAt)}` : "";
  return {
    at: read.last?.endedAt ?? null,
    from: read.last ? `FIS experiment ${read.last.id} (${of}, ${read.region})` : `FIS experiments of ${of} (${read.region})`,
    noDrill: `no completed FIS experiment of ${of} in ${read.region} (${read.experiments} listed${failedText}${running})`,
    findings,
    fis: {
      region: read.region,
      templates: read.templates,
      experiments: read.experiments,
      lastCompleted: read.last
        ? { ...evidenceOf(read.last), startTime: read.last.startedAt === null ? null : new Date(read.last.startedAt).toISOString(), endTime: new Date(read.last.endedAt).toISOString() }
        : null,
      notCompleted: read.notCompleted.map(evidenceOf),
      notCompletedTotal: read.notCompletedTotal,
      inProgress: read.inProgress.map(evidenceOf),
    },
  };
}

function evidenceOf(e: FisExperiment): FisExperimentEvidence {
  return { id: e.id, templateId: e.templateId, status: e.status, reason: e.reason, createdAt: new Date(e.createdAt).toISOString() };
}
