// Decodes a token (without trusting it) and judges its times. NumericDate is seconds (RFC 7519
// §2); a value above 1e11 (year 5138 in seconds, 1973 in milliseconds) is a milliseconds bug at
// the issuer: reported as such and read as milliseconds, never as "expires in 3000 years".
import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import { formatDuration } from "../../src/core/duration.js";
import { expiryLevel, ProbeError, type ExpiryLimits, type Finding, type Side } from "../../src/kit/index.js";

type Jose = typeof import("jose");

export const MS_THRESHOLD = 1e11;

export interface Decoded {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
}

export interface TimeVerdict {
  findings: Finding[];
  /** Epoch ms of exp as understood (milliseconds values converted), or null without exp. */
  expiresAt: number | null;
}

export function decode(jose: Jose, side: Side, token: string): Decoded {
  const parts = token.split(".");
  if (parts.length === 5) throw new ProbeError("invalid-response", `${side} token is an encrypted JWT (JWE, 5 segments): its claims cannot be read`);
  if (parts.length !== 3) throw new ProbeError("invalid-response", `${side} token is not a JWT: expected 3 dot-separated segments, got ${parts.length}`);
  let header: ProtectedHeaderParameters;
  try {
    header = jose.decodeProtectedHeader(token);
  } catch {
    throw new ProbeError("invalid-response", `${side} token is not a JWT: its header is not base64url-encoded JSON`);
  }
  try {
    return { header, claims: jose.decodeJwt(token) };
  } catch {
    throw new ProbeError("invalid-response", `${side} token is not a JWT: its payload is not a base64url-encoded JSON object`);
  }
}

export interface TimeLimits extends ExpiryLimits {
  /** Clock skew accepted: exp this far past is "expiring", not yet "expired"; nbf/iat this far ahead pass. */
  toleranceMs: number;
}

/** Reads a NumericDate claim; `ms` when it is clearly in milliseconds. */
function numericDate(claims: JWTPayload, name: "exp" | "nbf" | "iat"): { at: number; ms: boolean; raw: number } | "invalid" | null {
  const v = claims[name];
  if (v === undefined) return null;
  // 8.64e15 ms is the last instant a Date can hold: beyond it even milliseconds make no sense.
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 8.64e15) return "invalid";
  return v > MS_THRESHOLD ? { at: v, ms: true, raw: v } : { at: v * 1000, ms: false, raw: v };
}

export function judgeTimes(side: Side, claims: JWTPayload, t: TimeLimits, now: Date): TimeVerdict {
  const findings: Finding[] = [];
  const nowMs = now.getTime();
  const at = `${side} token`;
  const times = { exp: numericDate(claims, "exp"), nbf: numericDate(claims, "nbf"), iat: numericDate(claims, "iat") };
  for (const [name, v] of Object.entries(times)) {
    if (v === "invalid") findings.push({ level: "fail", rule: "invalid-claim", message: `${at}: ${name} is not a NumericDate (seconds since the epoch)` });
    else if (v?.ms) {
      const asSeconds = new Date(v.raw * 1000).getUTCFullYear();
      findings.push({
        level: "warn",
        rule: "milliseconds-timestamp",
        message: `${at}: ${name} ${v.raw} is in milliseconds, not seconds (RFC 7519 NumericDate): read as seconds it is the year ${Number.isFinite(asSeconds) ? asSeconds : "beyond 275760"}, as milliseconds ${new Date(v.at).toISOString()}`,
      });
    }
  }
  const exp = typeof times.exp === "object" && times.exp ? times.exp.at : null;
  if (times.exp === null) findings.push({ level: "info", rule: "no-exp", message: `${at} has no exp claim: it never expires` });
  if (exp !== null) {
    const left = exp - nowMs;
    const when = new Date(exp).toISOString();
    const level = expiryLevel(left, t);
    if (left < -t.toleranceMs) findings.push({ level: "fail", rule: "expired", message: `${at} expired ${formatDuration(-left)} ago (${when})` });
    else if (level) {
      const limit = formatDuration(level === "fail" ? t.failMs : t.warnMs);
      findings.push({ level, rule: "expiry", message: `${at} expires in ${formatDuration(Math.max(0, left))} (${when}), within the ${level} threshold ${limit}` });
    }
  }
  if (typeof times.nbf === "object" && times.nbf && times.nbf.at > nowMs + t.toleranceMs) {
    findings.push({ level: "fail", rule: "not-yet-valid", message: `${at} is not valid before ${new Date(times.nbf.at).toISOString()} (nbf, ${formatDuration(times.nbf.at - nowMs)} from now)` });
  }
  if (typeof times.iat === "object" && times.iat && times.iat.at > nowMs + t.toleranceMs) {
    findings.push({ level: "warn", rule: "issued-in-future", message: `${at} was issued ${formatDuration(times.iat.at - nowMs)} in the future (iat): the issuer's clock is ahead` });
  }
  return { findings, expiresAt: exp };
}

/** Claims safe to show: never the token, sub only on request. */
export function publicClaims(claims: JWTPayload, showSubject: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["iss", "aud", "exp", "nbf", "iat"] as const) if (claims[k] !== undefined) out[k] = claims[k];
  if (showSubject && claims.sub !== undefined) out.sub = claims.sub;
  return out;
}
