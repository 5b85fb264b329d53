// Parity between the sides: after failover the standby's certificate must last about as long as
// the primary's and cover the same names. Names are compared after side-var substitution, so
// `orders.use1.example.com` on the primary expects `orders.usw2.example.com` on the standby; a
// standby wildcard that covers a name counts. IP SANs are left out: addresses differ per side.
import { formatDuration } from "../../src/core/duration.js";
import { substitution } from "../../src/kit/index.js";
import type { Finding, ServiceInfo } from "../../src/engine/types.js";
import { coversName, notAfter, subjectAltNames } from "../../src/probes/x509.js";
import { cn, type SideEvaluation } from "./evaluate.js";

export interface ParityOptions {
  parityWarnMs: number;
  parityWithinMs: number;
  nameParity: "fail" | "warn" | "off";
}

export function parityFindings(primary: SideEvaluation, standby: SideEvaluation, service: ServiceInfo, o: ParityOptions, now: Date): Finding[] {
  const findings: Finding[] = [];
  const p = primary.earliest;
  const s = standby.earliest;
  if (p && s) {
    const gap = notAfter(p.cert).getTime() - notAfter(s.cert).getTime();
    const standbyLeft = notAfter(s.cert).getTime() - now.getTime();
    if (gap > o.parityWarnMs && standbyLeft < o.parityWithinMs) {
      findings.push({
        level: "warn",
        rule: "expiry-parity",
        message: `standby ${s.role} ${cn(s.cert)} expires ${formatDuration(gap)} before the primary's (${notAfter(s.cert).toISOString().slice(0, 10)} vs ${notAfter(p.cert).toISOString().slice(0, 10)})`,
        primary: notAfter(p.cert).toISOString(),
        standby: notAfter(s.cert).toISOString(),
      });
    }
  }
  if (o.nameParity === "off" || primary.groups.length === 0 || standby.groups.length === 0) return findings;
  const substitute = substitution(service.primary.vars, service.standby.vars);
  const standbyLeaves = standby.groups.map((g) => g.obs.chain[0]!);
  const primaryNames = [...new Set(primary.groups.flatMap((g) => dnsNames(g.obs.chain[0]!)))];
  const expected = new Set(primaryNames.map((n) => substitute(n)));
  const missing = [...expected].filter((name) => !standbyLeaves.every((leaf) => covers(leaf, name)));
  if (missing.length > 0) {
    findings.push({
      level: o.nameParity,
      rule: "name-parity",
      change: "missing",
      message: `standby certificate does not cover ${missing.join(", ")}, which the primary's covers (after side-var substitution)`,
      primary: [...primaryNames].sort(),
      // The names the standby should cover: the primary's with this side's vars.
      ...(primaryNames.some((n) => !expected.has(n)) ? { expected: [...expected].sort() } : {}),
      standby: [...new Set(standbyLeaves.flatMap(dnsNames))].sort(),
    });
  }
  const extra = [...new Set(standbyLeaves.flatMap(dnsNames))].filter((n) => !expected.has(n));
  if (extra.length > 0) {
    findings.push({ level: "info", rule: "name-parity", change: "extra", message: `standby certificate also covers ${extra.join(", ")}` });
  }
  return findings;
}

function dnsNames(cert: Parameters<typeof subjectAltNames>[0]): string[] {
  return subjectAltNames(cert)
    .filter((n) => n.startsWith("DNS:"))
    .map((n) => n.slice(4));
}

/** A wildcard name is covered by the same wildcard only; checkHost matches concrete names. */
function covers(cert: Parameters<typeof subjectAltNames>[0], name: string): boolean {
  return name.startsWith("*.") ? dnsNames(cert).includes(name.toLowerCase()) : coversName(cert, name);
}
