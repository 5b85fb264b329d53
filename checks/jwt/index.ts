// jwt: would tokens and sessions survive failover? Judges each side's token times (exp, nbf,
// iat), verifies signatures against each side's JWKS, and requires the standby's JWKS to accept
// every key the primary signs with. Tokens never leave this module. See README.md.
import { formatDuration } from "../../src/core/duration.js";
import { defineCheck, expiryLimits, readSides, SIDES, verdict, type Finding, type Side, type Undecided } from "../../src/kit/index.js";
import { describeUrl } from "../../src/probes/http.js";
import { judgeTimes, publicClaims } from "./claims.js";
import type { JwtEvidence, JwtSideEvidence } from "./evidence.js";
import { loadJwks, type LoadedJwks } from "./jwks.js";
import { optionsSchema, type SideSpec } from "./options.js";
import { jwksParity, kidPath } from "./parity.js";
import { readToken, tokenSourceOf, type Token } from "./token-source.js";
import { verifySignature, type SignatureVerdict } from "./verify.js";

/** Everything known about one side: its token (decoded, never in evidence) and its keys. */
interface SideState {
  side: Side;
  spec: SideSpec;
  token: Token | null;
  jwks: LoadedJwks | null;
  errors: Undecided[];
}

export default defineCheck<typeof optionsSchema, JwtEvidence>({
  meta: {
    kind: "jwt",
    title: "JWT expiry, signatures and JWKS parity",
    description: "Checks token expiry (exp/nbf/iat), signatures against JWKS or OIDC issuers, and that the standby accepts every primary signing key",
    defaultSeverity: "high",
    docs: "checks/jwt/README.md",
  },
  options: optionsSchema,

  async run(options, ctx) {
    // jose costs ~40 ms to load: only scans that run this kind pay for it.
    const jose = await import("jose");
    const now = ctx.now();
    const t = { ...expiryLimits(options), toleranceMs: options.clockTolerance };
    // Tokens and keys are read apart, so one failing leaves the other's evidence.
    const targets = (of: (spec: SideSpec) => string | null): Partial<Record<Side, string>> =>
      Object.fromEntries(SIDES.flatMap((s) => (of(options[s]) === null ? [] : [[s, of(options[s])]])));
    const [tokens, keys] = await Promise.all([
      readSides(ctx, targets((spec) => (tokenSourceOf(spec) ? "token" : null)), (side) => readToken(jose, side, options[side], ctx)),
      readSides(ctx, targets((spec) => (spec.jwks ?? spec.issuer ? describeUrl(spec.jwks ?? spec.issuer!) : null)), (side) => loadJwks(jose, side, options[side], ctx, ctx.timeoutMs)),
    ]);
    // readSides words every failure "<side> ...".
    const state = (side: Side): SideState => ({
      side,
      spec: options[side],
      token: tokens[side] ?? null,
      jwks: keys[side] ?? null,
      errors: [...tokens.undecided, ...keys.undecided].filter((u) => u.message.startsWith(side)),
    });
    const [primary, standby] = [state("primary"), state("standby")];

    const findings: Finding[] = [];
    const signatures: Record<Side, SignatureVerdict | null> = { primary: null, standby: null };
    const expiries: Array<{ side: Side; at: number }> = [];
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

    const undecided = [...primary.errors, ...standby.errors];
    // Shown even when a failure decides the status: what was not looked at.
    for (const u of undecided) findings.push({ level: "info", rule: "not-checked", message: `not checked: ${u.message}` });
    const earliest = expiries.sort((a, b) => a.at - b.at)[0];
    const measured = earliest ? { value: Math.round((earliest.at - now.getTime()) / 1000), unit: "s", limit: t.failMs / 1000, warnAt: t.warnMs / 1000 } : null;
    const evidence: JwtEvidence = {
      primary: sideEvidence(primary, signatures.primary, options.showSubject),
      standby: sideEvidence(standby, signatures.standby, options.showSubject),
      thresholds: { warnMs: t.warnMs, failMs: t.failMs, clockToleranceMs: t.toleranceMs },
    };

    // measured is the earliest token expiry: absent when the check fails or warns on anything else
    // (JWKS parity, a signature); a timestamp in milliseconds is read as such to measure it.
    return verdict({ findings, undecided, measured, measuredRules: ["expired", "expiry", "milliseconds-timestamp"], evidence, passSummary: () => passSummary(primary, standby, earliest, now) });
  },
});

function signatureFinding(s: SideState, against: string, v: Exclude<SignatureVerdict, { ok: true }>): Finding {
  const kid = typeof s.token?.header.kid === "string" ? ` (kid ${s.token.header.kid})` : "";
  return { level: v.why === "unsupported" ? "warn" : "fail", rule: "signature", message: `${s.side} token${kid} does not verify against ${against}: ${v.detail}` };
}

function passSummary(primary: SideState, standby: SideState, earliest: { side: Side; at: number } | undefined, now: Date): string {
  const parts: string[] = [];
  if (earliest) parts.push(`tokens valid for ${formatDuration(earliest.at - now.getTime())} or more (${earliest.side} first)`);
  else if (primary.token || standby.token) parts.push("tokens valid (no expiry)");
  if (primary.jwks && standby.jwks) parts.push(`standby JWKS accepts all ${primary.jwks.keys.length} primary key${primary.jwks.keys.length === 1 ? "" : "s"}`);
  return parts.join("; ") || "nothing to check";
}

function sideEvidence(s: SideState, signature: SignatureVerdict | null, showSubject: boolean): JwtSideEvidence {
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
    errors: s.errors,
  };
}
