// tls-certificate: would clients still trust the standby after failover? Reads the chain every
// address of each side presents (or PEM files), judges expiry of the whole chain, verification
// and name coverage, and compares the standby with the primary. See README.md.
import { formatDuration } from "../../src/config/duration.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { daysLeft, notAfter } from "../../src/probes/x509.js";
import { makeBudget, readSide, type SideReading } from "./collect.js";
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
    const budget = makeBudget(ctx);
    // A fail threshold above the warn threshold would skip the warning band: widen warn instead.
    const thresholds = { failMs: options.fail, warnMs: Math.max(options.warn, options.fail) };
    const [primary, standby] = await Promise.all([
      readSide("primary", options.primary, ctx, budget),
      readSide("standby", options.standby, ctx, budget),
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

    const failing = findings.filter((f) => (f.level ?? "fail") === "fail");
    const warning = findings.filter((f) => f.level === "warn");
    // A definite failure stands even when another address could not be read; anything less
    // than that with an unread address is undecided, never a pass.
    if (failing.length > 0) return { status: "fail", summary: summarise(failing, warning.length + failing.length), measured, findings, evidence };
    if (failures.length > 0) {
      return { status: "unknown", reason: failures[0]!.reason, summary: failures.map((f) => f.message).join("; "), measured, findings, evidence };
    }
    if (warning.length > 0) return { status: "warn", summary: summarise(warning, warning.length), measured, findings, evidence };
    return { status: "pass", summary: passSummary(primary, standby, earliest, now), measured, findings, evidence };
  },
});

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function summarise(top: Finding[], total: number): string {
  return total > 1 ? `${top[0]!.message} (+${total - 1} more)` : top[0]!.message;
}

function passSummary(primary: SideReading, standby: SideReading, earliest: SideEvaluation["earliest"] | undefined, now: Date): string {
  const count = primary.observations.length + standby.observations.length;
  const head = `${count} chain${count === 1 ? "" : "s"} trusted and in parity`;
  if (!earliest) return head;
  const left = formatDuration(notAfter(earliest.cert).getTime() - now.getTime());
  return `${head}; earliest expiry in ${left}: ${earliest.where} ${earliest.role} ${cn(earliest.cert)}`;
}
