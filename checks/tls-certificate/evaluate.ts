// Findings of one side: expiry against the thresholds (the earliest notAfter of the whole
// presented chain, so an expiring intermediate counts), validity windows, chain verification,
// name coverage, and addresses that disagree. Addresses presenting the same chain with the same
// verdict are judged once, so five healthy load-balancer nodes do not make five findings.
import type { X509Certificate } from "node:crypto";
import { formatDuration } from "../../src/core/duration.js";
import { expiryLevel, type ExpiryLimits, type Finding } from "../../src/kit/index.js";
import { coversName, daysLeft, notAfter, notBefore, summarize } from "../../src/probes/x509.js";
import type { Observation, SideReading } from "./collect.js";
import type { TlsSideEvidence } from "./evidence.js";

/** Observations that presented the same chain with the same verdict. */
export interface ChainGroup {
  wheres: string[];
  obs: Observation;
  nameMatch: boolean | null;
}

export interface Earliest {
  cert: X509Certificate;
  role: string;
  where: string;
}

export interface SideEvaluation {
  findings: Finding[];
  groups: ChainGroup[];
  earliest: Earliest | null;
}

// Already reported as expired / not yet valid: repeating them as "does not verify" adds nothing.
const DATE_ERRORS = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

export function role(chain: readonly X509Certificate[], i: number): string {
  if (i === 0) return chain.length === 1 ? "certificate" : "leaf";
  return i === chain.length - 1 && chain[i]!.checkIssued(chain[i]!) ? "root" : "intermediate";
}

export function groupObservations(reading: SideReading): ChainGroup[] {
  const groups = new Map<string, ChainGroup>();
  for (const obs of reading.observations) {
    const nameMatch = reading.name === null ? null : coversName(obs.chain[0]!, reading.name);
    const key = `${obs.chain.map((c) => c.fingerprint256).join(">")}|${obs.verifyError}|${nameMatch}`;
    const g = groups.get(key);
    if (g) g.wheres.push(obs.where);
    else groups.set(key, { wheres: [obs.where], obs, nameMatch });
  }
  return [...groups.values()];
}

export function evaluateSide(reading: SideReading, limits: ExpiryLimits, now: Date): SideEvaluation {
  const findings: Finding[] = [];
  const groups = groupObservations(reading);
  let earliest: Earliest | null = null;
  for (const g of groups) {
    const at = `${reading.side} ${label(reading, g)}`;
    const chain = g.obs.chain;
    let groupEarliest = 0;
    chain.forEach((cert, i) => {
      if (notAfter(cert) < notAfter(chain[groupEarliest]!)) groupEarliest = i;
      if (notBefore(cert).getTime() > now.getTime()) {
        findings.push({ level: "fail", message: `${at}: ${role(chain, i)} ${cn(cert)} is not valid until ${notBefore(cert).toISOString()}`, rule: "not-yet-valid" });
      }
    });
    const e = chain[groupEarliest]!;
    const left = notAfter(e).getTime() - now.getTime();
    const what = `${role(chain, groupEarliest)} ${cn(e)}`;
    const level = expiryLevel(left, limits);
    if (left < 0) {
      findings.push({ level: "fail", message: `${at}: ${what} expired ${formatDuration(-left)} ago (${notAfter(e).toISOString()})`, rule: "expired" });
    } else if (level) {
      const limit = formatDuration(level === "fail" ? limits.failMs : limits.warnMs);
      findings.push({ level, message: `${at}: ${what} expires in ${formatDuration(left)} (${notAfter(e).toISOString()}), within the ${level} threshold ${limit}`, rule: "expiry" });
    }
    if (!earliest || notAfter(e) < notAfter(earliest.cert)) earliest = { cert: e, role: role(chain, groupEarliest), where: `${reading.side} ${g.wheres[0]}` };
    if (!g.obs.verified && !DATE_ERRORS.has(g.obs.verifyError ?? "")) {
      findings.push({ level: "fail", message: `${at}: chain does not verify (${g.obs.verifyError})`, rule: "verification" });
    }
    if (g.obs.circular) findings.push({ level: "warn", message: `${at}: issuer links form a loop; chain read up to the repeat`, rule: "circular-chain" });
    if (g.nameMatch === false) {
      findings.push({ level: "fail", message: `${at}: certificate does not cover ${reading.name} (covers ${names(chain[0]!)})`, rule: "name-mismatch" });
    }
  }
  if (groups.length > 1) {
    const leaves = groups.map((g) => `${g.wheres.join(", ")} -> ${cn(g.obs.chain[0]!)} until ${notAfter(g.obs.chain[0]!).toISOString().slice(0, 10)} (${g.obs.chain[0]!.fingerprint256.slice(0, 11)}…)`);
    findings.push({ level: "warn", message: `${reading.side} ${reading.target}: addresses present different certificates: ${leaves.join("; ")}`, rule: "address-mismatch" });
  }
  return { findings, groups, earliest };
}

function label(reading: SideReading, g: ChainGroup): string {
  if (reading.observations.length <= 1 || g.wheres[0] === reading.target) return reading.target;
  return `${reading.target} via ${g.wheres.join(", ")}`;
}

export function cn(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return m ? `"${m[1]}"` : `"${cert.subject.split("\n").filter(Boolean).join(", ")}"`;
}

function names(cert: X509Certificate): string {
  const sans = cert.subjectAltName;
  return sans ? sans.replace(/DNS:|IP Address:/g, "") : `no subjectAltName, subject ${cn(cert)}`;
}

/** Evidence for one side: each address and its chain. */
export function sideEvidence(reading: SideReading, evaluation: SideEvaluation, now: Date): TlsSideEvidence {
  const byWhere = new Map(evaluation.groups.flatMap((g) => g.wheres.map((w) => [w, g] as const)));
  return {
    target: reading.target,
    name: reading.name,
    addresses: reading.observations.map((o) => ({
      address: o.where,
      protocol: o.protocol,
      verified: o.verified,
      verifyError: o.verifyError,
      nameMatch: byWhere.get(o.where)?.nameMatch ?? null,
      chain: o.chain.map((c, i) => ({ role: role(o.chain, i), ...summarize(c, now) })),
    })),
    errors: reading.failures,
    earliestDaysLeft: evaluation.earliest ? daysLeft(evaluation.earliest.cert, now) : null,
  };
}
