// aws-credentials: would the standby's cloud certificates and secrets still work after failover?
// Reads AWS::ACM::Certificate and AWS::SecretsManager::Secret configuration items from each side's
// AWS Config (the shared probe in src/probes/aws-config), judges expiry of in-use certificates and
// rotation of secrets on the standby, and compares both with the primary. See README.md.
import { z } from "zod";
import { duration, formatDuration } from "../../src/core/duration.js";
import { defineCheck, expiryLimits, expiryOptions, makeSubstituter, readSides, sideMessage, verdict, type Finding, type Side, type Undecided } from "../../src/kit/index.js";
import { awsConfigQuerySchema, awsConnectionSchema, type ConfigItem, readSide, type Selection } from "../../src/probes/aws-config/index.js";
import type { AwsCredentialsEvidence } from "./evidence.js";
import { certParity, judgeStandbyCerts, judgeStandbySecrets, readCert, readSecret, secretParity, type Cert, type Secret, type Thresholds } from "./evaluate.js";

const CERT = "AWS::ACM::Certificate";
const SECRET = "AWS::SecretsManager::Secret";
const DAY = 86_400_000;

const selection = z
  .union([z.literal(false), awsConfigQuerySchema])
  .describe("false to skip; otherwise which resources to read: {} for all, { tag: { key, value } } and/or { where }");

const optionsSchema = z.object({
  primary: awsConnectionSchema.describe("Primary side's AWS Config: { region, profile, roleArn, aggregator, endpoint... }"),
  standby: awsConnectionSchema.describe("Standby side's AWS Config, same fields as primary"),
  certificates: selection.default({}).describe("AWS::ACM::Certificate items to judge (default: all in the region)"),
  secrets: selection.default({}).describe("AWS::SecretsManager::Secret items to judge (default: all in the region)"),
  ...expiryOptions({ warn: "28d", fail: "14d" }, "an in-use standby certificate"),
  rotationGrace: duration.prefault("1d").describe("Slack after a rotation falls due (plus its RotationRules.Duration window) before it is overdue"),
  rotationDisabled: z.enum(["fail", "warn"]).default("warn").describe("Level of the finding for a standby secret whose rotation is disabled"),
  parity: z.boolean().default(true).describe("Compare the standby with the primary (missing twins, earlier expiry, rotation the standby lacks)"),
  parityWarn: duration.prefault("30d").describe("Warn when a standby certificate expires this much sooner than its primary twin"),
  parityWithin: duration.prefault("90d").describe("...but only when the standby's expiry is within this horizon"),
  substituteVars: z.boolean().default(true).describe("Replace primary side-var values in primary names and domains before pairing"),
});

export default defineCheck<typeof optionsSchema, AwsCredentialsEvidence>({
  meta: {
    kind: "aws-credentials",
    title: "Cloud certificates and secrets ready on the standby",
    description: "ACM certificate expiry and Secrets Manager rotation from AWS Config on the standby, and parity with the primary",
    defaultSeverity: "high",
    docs: "checks/aws-credentials/README.md",
  },
  options: optionsSchema,

  async run(options, ctx) {
    const now = ctx.now().getTime();
    const t: Thresholds = {
      ...expiryLimits(options),
      rotationGraceMs: options.rotationGrace,
      rotationDisabled: options.rotationDisabled,
      parityWarnMs: options.parityWarn,
      parityWithinMs: options.parityWithin,
    };
    const selections: Array<{ type: string; sel: Selection }> = [];
    if (options.certificates !== false) selections.push({ type: CERT, sel: { resourceType: CERT, query: options.certificates } });
    if (options.secrets !== false) selections.push({ type: SECRET, sel: { resourceType: SECRET, query: options.secrets } });
    if (selections.length === 0) return { status: "skipped", summary: "certificates and secrets are both turned off: nothing to check" };

    // "(us-west-2)", as the AWS Config probe names a side in its own messages. The primary is read only for parity.
    const target = (side: Side) => `(${options[side].region})`;
    const targets: Partial<Record<Side, string>> = { standby: target("standby"), ...(options.parity ? { primary: target("primary") } : {}) };
    const items: Record<Side, ConfigItem[][]> = { primary: selections.map(() => []), standby: selections.map(() => []) };
    const reads = await readSides(ctx, targets, (side) =>
      readSide(options[side], selections.map((s) => s.sel), side, ctx, (b) => {
        for (const item of b.items) items[side][b.selection]!.push(item);
      }),
    );
    // Items of a side that failed midway are not trusted: that side counts as unread.
    const of = <T>(side: Side, type: string, parse: (i: ConfigItem) => T | null): T[] => {
      const idx = selections.findIndex((s) => s.type === type);
      return idx < 0 || !reads[side] ? [] : items[side][idx]!.map(parse).filter((x): x is T => x !== null);
    };
    const certs: Record<Side, Cert[]> = { primary: of("primary", CERT, readCert), standby: of("standby", CERT, readCert) };
    const secrets: Record<Side, Secret[]> = { primary: of("primary", SECRET, readSecret), standby: of("standby", SECRET, readSecret) };
    const sub = options.substituteVars ? makeSubstituter(ctx.service.primary.vars, ctx.service.standby.vars) : null;

    const findings: Finding[] = [];
    const certJudged = judgeStandbyCerts(certs.standby, t, now);
    const secretJudged = judgeStandbySecrets(secrets.standby, t, now);
    findings.push(...certJudged.findings, ...secretJudged.findings);
    const undecided: Undecided[] = [
      ...reads.undecided,
      ...[...certJudged.undecided, ...secretJudged.undecided].map((m) => ({ reason: "error" as const, message: sideMessage("standby", target("standby"), m) })),
    ];
    // Parity needs both sides: a primary certificate is not "missing" on a standby that was never read.
    const compared = options.parity && reads.primary !== undefined && reads.standby !== undefined;
    if (compared) findings.push(...certParity(certs.primary, certs.standby, sub, t, now), ...secretParity(secrets.primary, secrets.standby, sub));

    // A type selected but found on no side read: say so (AWS Config may not record it).
    const read = Object.keys(targets) as Side[];
    const empty = reads.undecided.length > 0 ? [] : selections.filter((_, i) => read.every((side) => items[side][i]!.length === 0)).map((s) => s.type);
    const where = read.map((side) => `${side} ${target(side)}`).join(" or the ");
    for (const type of empty) {
      findings.push({ level: "info", message: `no ${type} item on the ${where}: is the recorder recording ${type}?`, rule: "not-recorded", why: "AWS Config records only the resource types its recorder is set to" });
    }
    // Nothing recorded at all is not a pass: there was nothing to judge.
    if (empty.length === selections.length) {
      undecided.push({ reason: "error", message: `nothing to judge: no ${selections.map((s) => s.type).join(" or ")} item in AWS Config on the ${where}` });
    }

    const earliest = certJudged.earliest;
    const measured = earliest?.notAfter != null ? { value: days(earliest.notAfter - now), unit: "d", limit: days(t.failMs), warnAt: days(t.warnMs) } : null;
    const count = (side: Side, list: Array<Cert | Secret>) => (reads[side] ? list.length : null);
    const evidence: AwsCredentialsEvidence = {
      certificates: { standby: count("standby", certs.standby), primary: count("primary", certs.primary), inUseStandby: certs.standby.filter((c) => c.inUse).length },
      secrets: { standby: count("standby", secrets.standby), primary: count("primary", secrets.primary) },
      thresholds: { warnMs: t.warnMs, failMs: t.failMs, rotationGraceMs: t.rotationGraceMs },
      requests: Object.fromEntries(read.flatMap((s) => (reads[s] ? [[s, reads[s].requests]] : []))),
      recorder: Object.fromEntries(read.flatMap((s) => (reads[s] ? [[s, reads[s].recorder]] : []))),
      substitutedVars: sub ? [...sub.names] : [],
    };

    const passSummary = (): string => {
      const parts: string[] = [];
      if (options.certificates !== false) {
        const inUse = certs.standby.filter((c) => c.inUse).length;
        parts.push(`${inUse} in-use standby certificate${inUse === 1 ? "" : "s"}${earliest?.notAfter != null ? ` (earliest expiry in ${formatDuration(earliest.notAfter - now)}: ${earliest.domain})` : ""}`);
      }
      if (options.secrets !== false) parts.push(`${secrets.standby.length} standby secret${secrets.standby.length === 1 ? "" : "s"} judged, none overdue`);
      return `${parts.join("; ")}${options.parity ? "; in parity with the primary" : ""}`;
    };
    // measured is the earliest in-use certificate expiry: absent when the check fails on anything else (parity, rotation).
    return verdict({ findings, undecided, measured, measuredRules: ["expired", "expiry"], evidence, passSummary });
  },
});

/** Days, one decimal: the unit of `measured`. */
function days(ms: number): number {
  return Math.round((ms / DAY) * 10) / 10;
}
