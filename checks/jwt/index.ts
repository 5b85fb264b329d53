// jwt: would tokens and sessions survive failover? Judges each side's token times (exp, nbf,
// iat), verifies signatures against each side's JWKS, and requires the standby's JWKS to accept
// every key the primary signs with. Tokens never leave this module. See README.md.
import { formatDuration } from "../../src/core/duration.js";
import { verdict } from "../../src/engine/verdict.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { judgeTimes, publicClaims } from "./claims.js";
import { optionsSchema } from "./options.js";
import { jwksParity, kidPath } from "./parity.js";
import { readSide, type SideState } from "./side.js";
import { verifySignature, type SignatureVerdict } from "./verify.js";

export default defineCheck({
  meta: {
    kind: "jwt",
    title: "JWT expiry, signatures and JWKS parity",
    description: "Checks token expiry (exp/nbf/iat), signatures against JWKS or OIDC issuers, and that the standby accepts every primary signing key",
    defaultSeverity: "high",
    docs: "checks/jwt/README.md",
  },
  options: optionsSchema,

  async run(options, ctx): Promise<CheckOutcome> {
    // jose costs ~40 ms to load: only scans that run this kind pay for it.
    const jose = await import("jose");
    const now = ctx.now();
    const t = { warnMs: Math.max(options.warn, options.fail), failMs: options.fail, toleranceMs: options.clockTolerance };
    const [primary, standby] = await Promise.all([
      readSide(jose, "primary", options.primary, ctx),
      readSide(jose, "standby", options.standby, ctx),
    ]);

    const findings: Finding[] = [];
    const signatures: Record<string, SignatureVerdict | null> = { primary: null, standby: null };
    const expiries: Array<{ side: string; at: number }> = [];
    for (const s of [primary, standby]) {
      if (s.jwks) findings.push(...s.jwks.findings);
      if (!s.token) continue;
      const times = judgeTimes(s.side, s.token.claims, t, now);
      findings.push(...times.findings);
      if (times.expiresAt !== null) expiries.push({ side: s.side, at: times.expiresAt });
      if (s.spec.issuer && s.token.claims.iss !== s.spec.issuer) {
        findings.push({ level: "warn", rule: "issuer-mismatch", message: `${s.side} token iss ${JSON.stringify(s.token.claims.iss ?? null)} is not the configured issuer ${s.spec.issuer}` });
      }
      if (s.token.header.alg === "none") findings.push({ level: "fail", rule: "unsigned", message: `${s.side} token is unsigned (alg none)` });
      else if (s.jwks) {
        const v = await verifySignature(jose, s.token.token, s.jwks, ctx.signal);
        signatures[s.side] = v;
        if (!v.ok) findings.push(signatureFinding(s, `${s.side} JWKS`, v));
      }
    }

    const kid = typeof primary.token?.header.kid === "string" ? primary.token.header.kid : null;
    const parity = primary.jwks && standby.jwks ? jwksParity(primary.jwks, standby.jwks, kid) : [];
    findings.push(...parity);
    if (primary.jwks && !options.standby.jwks && !options.standby.issuer) {
      findings.push({ level: "info", rule: "jwks-parity", message: "JWKS parity not checked: the standby has no jwks or issuer" });
    }
    // The decisive test: the primary's current token verified by the standby's keys.
    if (primary.token && primary.token.header.alg !== "none" && standby.jwks) {
      const v = await verifySignature(jose, primary.token.token, standby.jwks, ctx.signal);
      const reported = kid !== null && parity.some((f) => f.level === "fail" && f.path === kidPath(kid));
      if (!v.ok && !reported) findings.push(signatureFinding(primary, "the standby JWKS", v));
    }

    const failures = [...primary.failures, ...standby.failures];
    for (const f of failures) findings.push({ level: "info", rule: "not-checked", message: `not checked: ${f.message}` });
    const earliest = expiries.sort((a, b) => a.at - b.at)[0];
    const measured = earliest ? { value: Math.round((earliest.at - now.getTime()) / 1000), unit: "s", limit: t.failMs / 1000, warnAt: t.warnMs / 1000 } : null;
    const evidence = {
      primary: sideEvidence(primary, signatures.primary ?? null, options.showSubject),
      standby: sideEvidence(standby, signatures.standby ?? null, options.showSubject),
      thresholds: { warn: formatDuration(t.warnMs), fail: formatDuration(t.failMs), clockTolerance: formatDuration(t.toleranceMs) },
    };

    return verdict({ findings, undecided: failures, measured, evidence, passSummary: () => passSummary(primary, standby, earliest, now) });
  },
});

function signatureFinding(s: SideState, against: string, v: Exclude<SignatureVerdict, { ok: true }>): Finding {
  const kid = typeof s.token?.header.kid === "string" ? ` (kid ${s.token.header.kid})` : "";
  return { level: v.why === "unsupported" ? "warn" : "fail", rule: "signature", message: `${s.side} token${kid} does not verify against ${against}: ${v.detail}` };
}

function passSummary(primary: SideState, standby: SideState, earliest: { side: string; at: number } | undefined, now: Date): string {
  const parts: string[] = [];
  if (earliest) parts.push(`tokens valid for ${formatDuration(earliest.at - now.getTime())} or more (${earliest.side} first)`);
  else if (primary.token || standby.token) parts.push("tokens valid (no expiry)");
  if (primary.jwks && standby.jwks) parts.push(`standby JWKS accepts all ${primary.jwks.keys.length} primary key${primary.jwks.keys.length === 1 ? "" : "s"}`);
  return parts.join("; ") || "nothing to check";
}

function sideEvidence(s: SideState, signature: SignatureVerdict | null, showSubject: boolean): Record<string, unknown> {
  return {
    token: s.token
      ? {
          source: s.token.source,
          header: { alg: s.token.header.alg, kid: s.token.header.kid, typ: s.token.header.typ },
          claims: publicClaims(s.token.claims, showSubject),
          signature: signature === null ? "not checked" : signature.ok ? "verified" : signature.detail,
        }
      : null,
    jwks: s.jwks ? { url: s.jwks.url, issuer: s.jwks.issuer, keys: s.jwks.keys } : null,
    errors: s.failures.map((f) => ({ reason: f.reason, message: f.message })),
  };
}
