// aws-credentials: would the standby's cloud certificates and secrets still work after failover?
// Reads AWS::ACM::Certificate and AWS::SecretsManager::Secret configuration items from each side's
// AWS Config (the shared probe in src/probes/aws-config), judges expiry of in-use certificates and
// rotation of secrets on the standby, and compares both with the primary. See README.md.
import { z } from "zod";
import { duration, formatDuration } from "../../src/core/duration.js";
import { verdict } from "../../src/engine/verdict.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { type AwsConnection, awsConfigQuerySchema, awsConnectionSchema, type ConfigItem, readSide, type Selection, type Side, type SideRead } from "../../src/probes/aws-config/index.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { makeSubstituter } from "../../src/kit/side-vars.js";
import { certParity, judgeStandbyCerts, judgeStandbySecrets, readCert, readSecret, secretParity, type Cert, type Secret, type Thresholds } from "./evaluate.js";

const CERT = "AWS::ACM::Certificate";
const SECRET = "AWS::SecretsManager::Secret";
const DAY = 86_400_000;

const selection = z
  .union([z.literal(false), awsConfigQuerySchema])
  .describe("false to skip; otherwise which resources to read: {} for all, { tag: { key, value } } and/or { where }");

export default defineCheck({
  meta: {
    kind: "aws-credentials",
    title: "Cloud certificates and secrets ready on the standby",
    description: "ACM certificate expiry and Secrets Manager rotation from AWS Config on the standby, and parity with the primary",
    defaultSeverity: "high",
    docs: "checks/aws-credentials/README.md",
  },
  options: z.object({
    primary: awsConnectionSchema.describe("Primary side's AWS Config: { region, profile, roleArn, aggregator, endpoint... }"),
    standby: awsConnectionSchema.describe("Standby side's AWS Config, same fields as primary"),
    certificates: selection.default({}).describe("AWS::ACM::Certificate items to judge (default: all in the region)"),
    secrets: selection.default({}).describe("AWS::SecretsManager::Secret items to judge (default: all in the region)"),
    warn: duration.prefault("28d").describe("Warn when an in-use standby certificate expires within this"),
    fail: duration.prefault("14d").describe("Fail when an in-use standby certificate expires within this"),
    rotationGrace: duration.prefault("1d").describe("Slack after a rotation falls due (plus its RotationRules.Duration window) before it is overdue"),
    rotationDisabled: z.enum(["fail", "warn"]).default("warn").describe("Level of the finding for a standby secret whose rotation is disabled"),
    parity: z.boolean().default(true).describe("Compare the standby with the primary (missing twins, earlier expiry, rotation the standby lacks)"),
    parityWarn: duration.prefault("30d").describe("Warn when a standby certificate expires this much sooner than its primary twin"),
    parityWithin: duration.prefault("90d").describe("...but only when the standby's expiry is within this horizon"),
    substituteVars: z.boolean().default(true).describe("Replace primary side-var values in primary names and domains before pairing"),
  }),

  async run(options, ctx): Promise<CheckOutcome> {
    const now = ctx.now().getTime();
    const t: Thresholds = {
      failMs: options.fail,
      warnMs: Math.max(options.warn, options.fail),
      rotationGraceMs: options.rotationGrace,
      rotationDisabled: options.rotationDisabled,
      parityWarnMs: options.parityWarn,
      parityWithinMs: options.parityWithin,
    };
    const selections: Array<{ type: string; sel: Selection }> = [];
    if (options.certificates !== false) selections.push({ type: CERT, sel: { resourceType: CERT, query: options.certificates } });
    if (options.secrets !== false) selections.push({ type: SECRET, sel: { resourceType: SECRET, query: options.secrets } });
    if (selections.length === 0) return { status: "skipped", summary: "certificates and secrets are both turned off: nothing to check" };

    // The primary is read only for parity.
    const sides: Side[] = options.parity ? ["standby", "primary"] : ["standby"];
    const items: Record<Side, ConfigItem[][]> = { primary: selections.map(() => []), standby: selections.map(() => []) };
    const read = (side: Side) =>
      readSide(
        options[side] as AwsConnection,
        selections.map((s) => s.sel),
        side,
        ctx,
        (b) => {
          for (const item of b.items) items[side][b.selection]!.push(item);
        },
      );
    const loaded = await Promise.allSettled(sides.map(read));
    const failures: ProbeError[] = [];
    loaded.forEach((r, i) => {
      if (r.status === "fulfilled") return;
      if (!isProbeError(r.reason)) throw r.reason; // a bug: the runner makes it unknown/error
      const side = sides[i]!;
      failures.push(new ProbeError(r.reason.reason, r.reason.message.startsWith(side) ? r.reason.message : `${side}: ${r.reason.message}`));
    });
    if (failures.length > 0) return { status: "unknown", reason: failures[0]!.reason, summary: failures.map((f) => f.message).join("; ") };
    const reads = Object.fromEntries(sides.map((s, i) => [s, (loaded[i] as PromiseFulfilledResult<SideRead>).value])) as Partial<Record<Side, SideRead>>;

    const of = <T>(side: Side, type: string, parse: (i: ConfigItem) => T | null): T[] => {
      const idx = selections.findIndex((s) => s.type === type);
      return idx < 0 ? [] : items[side][idx]!.map(parse).filter((x): x is T => x !== null);
    };
    const certs: Record<Side, Cert[]> = { primary: of("primary", CERT, readCert), standby: of("standby", CERT, readCert) };
    const secrets: Record<Side, Secret[]> = { primary: of("primary", SECRET, readSecret), standby: of("standby", SECRET, readSecret) };
    const sub = options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null;

    const findings: Finding[] = [];
    const undecided: string[] = [];
    const certJudged = judgeStandbyCerts(certs.standby, t, now);
    const secretJudged = judgeStandbySecrets(secrets.standby, t, now);
    findings.push(...certJudged.findings, ...secretJudged.findings);
    undecided.push(...certJudged.undecided, ...secretJudged.undecided);
    if (options.parity) findings.push(...certParity(certs.primary, certs.standby, sub, t, now), ...secretParity(secrets.primary, secrets.standby, sub));

    // A type selected but found on neither side: say so (AWS Config may not record it).
    const empty: string[] = [];
    for (const { type } of selections) {
      const n = (side: Side) => items[side][selections.findIndex((s) => s.type === type)]!.length;
      if (n("standby") === 0 && (!options.parity || n("primary") === 0)) empty.push(type);
    }
    for (const type of empty) {
      findings.push({ level: "info", message: `no ${type} item on ${options.parity ? "either side" : "the standby"}: is the recorder recording ${type}?`, rule: "AWS Config records only the resource types its recorder is set to" });
    }

    const earliest = certJudged.earliest;
    const measured = earliest?.notAfter != null ? { value: Math.round(((earliest.notAfter - now) / DAY) * 10) / 10, unit: "d", limit: Math.round((t.failMs / DAY) * 10) / 10, warnAt: Math.round((t.warnMs / DAY) * 10) / 10 } : null;
    const count = (side: Side, list: Array<Cert | Secret>) => (reads[side] ? list.length : null);
    const evidence: Record<string, unknown> = {
      certificates: { standby: count("standby", certs.standby), primary: count("primary", certs.primary), inUseStandby: certs.standby.filter((c) => c.inUse).length },
      secrets: { standby: count("standby", secrets.standby), primary: count("primary", secrets.primary) },
      thresholds: { warn: formatDuration(t.warnMs), fail: formatDuration(t.failMs), rotationGrace: formatDuration(t.rotationGraceMs) },
      requests: Object.fromEntries(sides.map((s) => [s, reads[s]!.requests])),
      recorder: Object.fromEntries(sides.map((s) => [s, reads[s]!.recorder])),
      substitutedVars: sub ? [...sub.names] : [],
    };

    // Nothing recorded at all is not a pass: there was nothing to judge.
    if (empty.length === selections.length && !findings.some((f) => (f.level ?? "fail") === "fail")) {
      return { status: "unknown", reason: "error", summary: `nothing to judge: no ${selections.map((s) => s.type).join(" or ")} item in AWS Config`, measured, findings, evidence };
    }
    const passSummary = (): string => {
      const parts: string[] = [];
      if (options.certificates !== false) {
        const inUse = certs.standby.filter((c) => c.inUse).length;
        parts.push(`${inUse} in-use standby certificate${inUse === 1 ? "" : "s"}${earliest?.notAfter != null ? ` (earliest expiry in ${formatDuration(earliest.notAfter - now)}: ${earliest.domain})` : ""}`);
      }
      if (options.secrets !== false) parts.push(`${secrets.standby.length} standby secret${secrets.standby.length === 1 ? "" : "s"} judged, none overdue`);
      return `${parts.join("; ")}${options.parity ? "; in parity with the primary" : ""}`;
    };
    return verdict({ findings, undecided: undecided.map((message) => ({ reason: "error", message: `not decided: ${message}` })), measured, evidence, passSummary });
  },
});
