// Reads the FIS experiments of a drill's templates: the templates by id or by tag
// (ListExperimentTemplates), each template's experiments (ListExperiments filtered by
// experimentTemplateId, every page), and for the last completed one its end (GetExperiment: the
// summaries carry no end time). Answers are checked against the API model's shapes: a missing
// id, state or creationTime is an invalid response, never a silently skipped experiment.
import { redact } from "../../core/secrets.js";
import type { CheckContext } from "../../engine/types.js";
import { mapLimit } from "../aws-config/read.js";
import { ProbeError } from "../errors.js";
import { makeFisClient, type FisClient } from "./client.js";
import type { AwsFisSource } from "./options.js";

/** At most this many pages per listing (100 items each): an endless paginator is an invalid response. */
export const MAX_PAGES = 200;
/** Tags may select at most this many templates (one listing each). */
export const MAX_TEMPLATES = 50;
/** Templates listed at once (each listing pages sequentially). */
export const TEMPLATE_CONCURRENCY = 4;
/** Failed/stopped and in-progress experiments kept as evidence, newest first. */
export const EVIDENCE_EXPERIMENTS = 5;

const ENDED_UNCOMPLETED = new Set(["failed", "stopped", "cancelled"]);
const IN_PROGRESS = new Set(["pending", "initiating", "running", "stopping"]);
/** FIS's ExperimentStatus enum (lower case on the wire). */
const KNOWN_STATUS = new Set(["completed", ...ENDED_UNCOMPLETED, ...IN_PROGRESS]);

export interface FisExperiment {
  id: string;
  templateId: string;
  status: string;
  /** state.reason, cleaned (control characters removed, redacted, at most 200 characters). */
  reason: string;
  createdAt: number;
}

export interface FisDrillRead {
  region: string;
  /** The template ids whose experiments were read. */
  templates: string[];
  /** The completed experiment created last, with its start and end (epoch ms). */
  last: (FisExperiment & { startedAt: number | null; endedAt: number }) | null;
  /** Failed, stopped or cancelled experiments created after `last` (all when none completed), newest first. */
  notCompleted: FisExperiment[];
  notCompletedTotal: number;
  /** Experiments still running (pending, initiating, running, stopping), newest first. */
  inProgress: FisExperiment[];
  experiments: number;
  requests: number;
}

export async function readFisDrill(src: AwsFisSource, ctx: CheckContext): Promise<FisDrillRead> {
  const client = await makeFisClient(src, ctx);
  try {
    const templates = src.tags ? await templatesByTags(client, src.tags) : Array.isArray(src.experimentTemplateId) ? src.experimentTemplateId : [src.experimentTemplateId!];
    const byTemplate: FisExperiment[][] = [];
    await mapLimit(templates, TEMPLATE_CONCURRENCY, async (tid, i) => {
      const found = await experimentsOf(client, tid);
      // An explicit id without any experiment: tell a typo (no such template) from a drill never run.
      if (found.length === 0 && !src.tags) await client.send("GetExperimentTemplate", { id: tid });
      byTemplate[i] = found;
    });
    const byId = new Map<string, FisExperiment>(byTemplate.flat().map((e) => [e.id, e]));
    const all = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const completed = all.find((e) => e.status === "completed");
    // A status outside the enum ("Completed", "FAILED") after the last completed one may be the
    // drill or its failure: neither counted nor silently skipped.
    const odd = all.find((e) => !KNOWN_STATUS.has(e.status) && (!completed || e.createdAt > completed.createdAt));
    if (odd) throw invalid(client, `ListExperiments returned experiment ${odd.id} with an unrecognised status ${JSON.stringify(odd.status)}`);
    const last = completed ? { ...completed, ...(await endOf(client, completed)) } : null;
    const failed = all.filter((e) => ENDED_UNCOMPLETED.has(e.status) && (!last || e.createdAt > last.createdAt));
    return {
      region: src.region,
      templates,
      last,
      notCompleted: failed.slice(0, EVIDENCE_EXPERIMENTS),
      notCompletedTotal: failed.length,
      inProgress: all.filter((e) => IN_PROGRESS.has(e.status)).slice(0, EVIDENCE_EXPERIMENTS),
      experiments: all.length,
      requests: client.requests,
    };
  } finally {
    client.destroy();
  }
}

/** Every page of a listing; a repeated token or too many pages is an invalid response. */
async function* pages(client: FisClient, op: "ListExperiments" | "ListExperimentTemplates", key: string, query?: Record<string, string>): AsyncGenerator<unknown[]> {
  const seen = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw invalid(client, `${op} had more than ${MAX_PAGES} pages; standby reads at most ${MAX_PAGES * 100} entries`);
    const out = await client.send<Record<string, unknown>>(op, { maxResults: 100, ...(nextToken ? { nextToken } : {}) }, query);
    const items = out[key] ?? [];
    if (!Array.isArray(items)) throw invalid(client, `${op} returned ${key} that is not a list`);
    yield items;
    const token = out.nextToken;
    if (token === undefined || token === null || token === "") return;
    if (typeof token !== "string") throw invalid(client, `${op} returned a nextToken that is not a string`);
    if (seen.has(token)) throw invalid(client, `${op} returned the same nextToken twice (a paginator that never ends)`);
    seen.add(token);
    nextToken = token;
  }
}

async function templatesByTags(client: FisClient, tags: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for await (const items of pages(client, "ListExperimentTemplates", "experimentTemplates")) {
    for (const t of items) {
      const id = (t as { id?: unknown } | null)?.id;
      // The model's pattern (^[\S]+$, at most 64): the id goes into a query and into messages.
      if (typeof id !== "string" || !/^\S{1,64}$/.test(id)) throw invalid(client, "ListExperimentTemplates returned a template without a valid id");
      const have = (t as { tags?: unknown }).tags;
      const map = have && typeof have === "object" ? (have as Record<string, unknown>) : {};
      if (Object.entries(tags).every(([k, v]) => map[k] === v)) ids.push(id);
    }
  }
  const wanted = Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ");
  if (ids.length === 0) throw new ProbeError("error", `${client.region}: no FIS experiment template carries the tags ${redact(wanted)}`);
  if (ids.length > MAX_TEMPLATES) throw new ProbeError("error", `${client.region}: the tags ${redact(wanted)} select ${ids.length} FIS experiment templates; at most ${MAX_TEMPLATES} (narrow the tags)`);
  return ids;
}

async function experimentsOf(client: FisClient, templateId: string): Promise<FisExperiment[]> {
  const out: FisExperiment[] = [];
  for await (const items of pages(client, "ListExperiments", "experiments", { experimentTemplateId: templateId })) {
    for (const raw of items) {
      const e = summary(client, raw);
      // An endpoint that ignores the filter lists every template's experiments.
      if (e.templateId === templateId) out.push(e);
    }
  }
  return out;
}

function summary(client: FisClient, raw: unknown): FisExperiment {
  const e = (raw ?? {}) as { id?: unknown; experimentTemplateId?: unknown; state?: { status?: unknown; reason?: unknown } | null; creationTime?: unknown };
  if (typeof e.id !== "string" || e.id === "") throw invalid(client, "ListExperiments returned an experiment without an id");
  const id = clean(e.id, 64);
  if (typeof e.experimentTemplateId !== "string") throw invalid(client, `ListExperiments returned experiment ${id} without an experimentTemplateId`);
  if (typeof e.state?.status !== "string") throw invalid(client, `ListExperiments returned experiment ${id} without a state.status`);
  if (!(e.creationTime instanceof Date) || Number.isNaN(e.creationTime.getTime())) throw invalid(client, `ListExperiments returned experiment ${id} without a creationTime`);
  return {
    id,
    templateId: e.experimentTemplateId,
    status: clean(e.state.status, 32),
    reason: typeof e.state.reason === "string" ? clean(e.state.reason, 200) : "",
    createdAt: e.creationTime.getTime(),
  };
}

async function endOf(client: FisClient, e: FisExperiment): Promise<{ startedAt: number | null; endedAt: number }> {
  const out = await client.send<{ experiment?: { id?: unknown; state?: { status?: unknown }; startTime?: unknown; endTime?: unknown } }>("GetExperiment", { id: e.id });
  const x = out.experiment;
  if (!x || x.id !== e.id) throw invalid(client, `GetExperiment ${e.id} returned another experiment or none`);
  if (x.state?.status !== "completed") throw invalid(client, `GetExperiment ${e.id} says ${typeof x.state?.status === "string" ? clean(x.state.status, 32) : "no state"}, ListExperiments said completed`);
  const valid = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
  if (!valid(x.endTime)) throw invalid(client, `completed experiment ${e.id} has no endTime`);
  const startedAt = valid(x.startTime) ? x.startTime.getTime() : null;
  // An end before the experiment started (or was created) is no drill's end: a malformed answer.
  if (x.endTime.getTime() < Math.max(startedAt ?? -Infinity, e.createdAt)) {
    throw invalid(client, `completed experiment ${e.id} ended (${x.endTime.toISOString()}) before it ${startedAt !== null && startedAt >= e.createdAt ? "started" : "was created"}`);
  }
  return { startedAt, endedAt: x.endTime.getTime() };
}

function invalid(client: FisClient, what: string): ProbeError {
  return new ProbeError("invalid-response", `${client.region}: FIS ${what}`);
}

/** Text from AWS shown in a summary: one line, no control characters, redacted, bounded. */
function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return redact(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}
