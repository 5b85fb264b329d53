// tls-certificate: would clients still trust the standby after failover? Reads the chain every
// address of each side presents (or PEM files), judges expiry of the whole chain, verification
// and name coverage, and compares the standby with the primary. See README.md.
import { formatDuration } from "../../src/core/duration.js";
import { verdict } from "../../src/engine/verdict.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { daysLeft, notAfter } from "../../src/probes/x509.js";
import { readSide, type SideReading } from "./collect.js";
import { cn, evaluateSide, sideEvidence, type SideEvaluation } from "./evaluate.js";
import { optionsSchema } from "./options.js";
import { parityFindings } from "./parity.js";

const DAY_MS = 86_400_000;

export default defineCheck({
  meta: {
    kind: "tls-certificate",
    title: "TLS certificates valid, trusted and in parity",
    description: "Reads the TLS chain of every address (or PEM files) on both sides: expiry, trust, names, and standby/primary parity",
    defaultSeverity: "high",
    docs: "checks/tls-certificate/README.md",
  },
  options: optionsSchema,

  async run(options, ctx): Promise<CheckOutcome> {
    const now = ctx.now();
    // A fail threshold above the warn threshold would skip the warning band: widen warn instead.
    const thresholds = { failMs: options.fail, warnMs: Math.max(options.warn, options.fail) };
    const [primary, standby] = await Promise.all([
      readSide("primary", options.primary, ctx),
      readSide("standby", options.standby, ctx),
    ]);
    const evals = { primary: evaluateSide(primary, thresholds, now), standby: evaluateSide(standby, thresholds, now) };
    const findings: Finding[] = [
      ...evals.primary.findings,
      ...evals.standby.findings,
      ...parityFindings(evals.primary, evals.standby, ctx.service, { parityWarnMs: options.parityWarn, parityWithinMs: options.parityWithin, nameParity: options.nameParity }, now),
    ];
    const failures = [...primary.failures, ...standby.failures];
    for (const f of failures) findings.push({ level: "info", rule: "not-checked", message: `not checked: ${f.message}` });

    const earliest = [evals.primary.earliest, evals.standby.earliest].filter((e) => e !== null).sort((a, b) => notAfter(a.cert).getTime() - notAfter(b.cert).getTime())[0];
    const evidence = {
      primary: sideEvidence(primary, evals.primary, now),
      standby: sideEvidence(standby, evals.standby, now),
      thresholds: { warn: formatDuration(thresholds.warnMs), fail: formatDuration(thresholds.failMs) },
    };
    const measured = earliest
      ? { value: daysLeft(earliest.cert, now), unit: "d", limit: round1(thresholds.failMs / DAY_MS), warnAt: round1(thresholds.warnMs / DAY_MS) }
      : null;

    return verdict({ findings, undecided: failures, measured, evidence, passSummary: () => passSummary(primary, standby, earliest, now) });
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
