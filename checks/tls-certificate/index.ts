// tls-certificate: would clients still trust the standby after failover? Reads the chain every
// address of each side presents (or PEM files), judges expiry of the whole chain, verification
// and name coverage, and compares the standby with the primary. See README.md.
import { formatDuration } from "../../src/core/duration.js";
import { defineCheck, expiryLimits, readSides, verdict, type Finding, type Side } from "../../src/kit/index.js";
import { daysLeft, notAfter } from "../../src/probes/x509.js";
import { readSide, sideTarget, type SideReading } from "./collect.js";
import { cn, evaluateSide, sideEvidence, type SideEvaluation } from "./evaluate.js";
import type { TlsCertificateEvidence } from "./evidence.js";
import { optionsSchema } from "./options.js";
import { parityFindings } from "./parity.js";

const DAY_MS = 86_400_000;

export default defineCheck<typeof optionsSchema, TlsCertificateEvidence>({
  meta: {
    kind: "tls-certificate",
    title: "TLS certificates valid, trusted and in parity",
    description: "Reads the TLS chain of every address (or PEM files) on both sides: expiry, trust, names, and standby/primary parity",
    defaultSeverity: "high",
    docs: "checks/tls-certificate/README.md",
  },
  options: optionsSchema,

  async run(options, ctx) {
    const now = ctx.now();
    const limits = expiryLimits(options);
    const targets = { primary: sideTarget(options.primary), standby: sideTarget(options.standby) };
    const read = await readSides(ctx, targets, (side) => readSide(side, options[side], ctx));
    // A side read as a whole failed has no chains, only its failure (readSides words it "<side> ...").
    const reading = (side: Side): SideReading =>
      read[side] ?? { side, target: targets[side], name: null, observations: [], failures: read.undecided.filter((u) => u.message.startsWith(side)) };
    const [primary, standby] = [reading("primary"), reading("standby")];
    const evals = { primary: evaluateSide(primary, limits, now), standby: evaluateSide(standby, limits, now) };
    const findings: Finding[] = [
      ...[primary, standby].flatMap((r): Finding[] => (r.missing ? [{ level: "fail", message: r.missing, rule: "missing-secret" }] : [])),
      ...evals.primary.findings,
      ...evals.standby.findings,
      ...parityFindings(evals.primary, evals.standby, ctx.service, { parityWarnMs: options.parityWarn, parityWithinMs: options.parityWithin, nameParity: options.nameParity }, now),
    ];
    const undecided = [...primary.failures, ...standby.failures];
    // Shown even when a failure decides the status: what was not looked at.
    for (const u of undecided) findings.push({ level: "info", rule: "not-checked", message: `not checked: ${u.message}` });

    const earliest = [evals.primary.earliest, evals.standby.earliest].filter((e) => e !== null).sort((a, b) => notAfter(a.cert).getTime() - notAfter(b.cert).getTime())[0];
    const evidence: TlsCertificateEvidence = {
      primary: sideEvidence(primary, evals.primary, now),
      standby: sideEvidence(standby, evals.standby, now),
      thresholds: limits,
    };
    const measured = earliest ? { value: daysLeft(earliest.cert, now), unit: "d", limit: round1(limits.failMs / DAY_MS), warnAt: round1(limits.warnMs / DAY_MS) } : null;

    // measured is the earliest expiry: absent when the check fails on anything else (parity, verification, names).
    return verdict({ findings, undecided, measured, measuredRules: ["expired", "expiry"], evidence, passSummary: () => passSummary(primary, standby, earliest, now) });
  },
});

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function passSummary(primary: SideReading, standby: SideReading, earliest: SideEvaluation["earliest"] | undefined, now: Date): string {
  const count = primary.observations.length + standby.observations.length;
  const head = `${count} chain${count === 1 ? "" : "s"} trusted and in parity`;
  if (!earliest) return head;
  const left = formatDuration(notAfter(earliest.cert).getTime() - now.getTime());
  return `${head}; earliest expiry in ${left}: ${earliest.where} ${earliest.role} ${cn(earliest.cert)}`;
}
