// A JSON report read back (standby merge): each check checked against the contract the renderers
// rely on, so a hand-edited or truncated report is refused with the field that is wrong instead
// of crashing a renderer. Unknown fields pass through (adding fields does not bump schemaVersion).
import { z } from "zod";
import { formatPath } from "../config/errors.js";
import { CHANGE_KINDS, CHECK_STATUSES, FINDING_LEVELS, SEVERITIES, UNKNOWN_REASONS } from "../engine/types.js";

const finding = z.looseObject({
  message: z.string(),
  level: z.enum(FINDING_LEVELS).optional(),
  path: z.string().optional(),
  change: z.enum(CHANGE_KINDS).optional(),
  rule: z.string().optional(),
  why: z.string().optional(),
  accepted: z.string().optional(),
  firstSeen: z.string().optional(),
});

const measured = z.looseObject({
  value: z.number(),
  unit: z.string(),
  limit: z.number().optional(),
  warnAt: z.number().optional(),
});

export const importedCheckSchema = z.looseObject({
  id: z.string().min(1),
  service: z.string().min(1),
  kind: z.string().min(1),
  title: z.string().optional(),
  severity: z.enum(SEVERITIES),
  status: z.enum(CHECK_STATUSES),
  reason: z.enum(UNKNOWN_REASONS).nullable().optional(),
  summary: z.string(),
  measured: measured.nullable().optional(),
  reading: measured.optional(),
  findings: z.array(finding).optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  durationMs: z.number().nonnegative().optional(),
  docs: z.string().optional(),
  location: z.looseObject({ file: z.string(), line: z.number(), column: z.number() }).optional(),
  measuredAt: z.string().optional(),
  seeded: z.boolean().optional(),
  stale: z.boolean().optional(),
});

/** "findings[0].message: expected string" for the first problem of one check entry. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = formatPath(issue.path.map((p) => (typeof p === "number" ? p : String(p))));
  return `${path || "(entry)"}: ${issue.message.replace(/^Invalid input: /, "")}`;
}
