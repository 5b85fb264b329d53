// What jwt reports as evidence (CheckOutcome<JwtEvidence>): renderers and the TUI import these
// types instead of guessing field names. Never a token: only public claims and key identities.
import type { Undecided } from "../../src/kit/index.js";
import type { KeyInfo } from "./jwks.js";
import type { TokenSourceKind } from "./options.js";

export interface JwtEvidence {
  primary: JwtSideEvidence;
  standby: JwtSideEvidence;
  /** In ms: `warnMs`/`failMs` before exp (warnMs never below failMs), and the clock skew accepted. */
  thresholds: { warnMs: number; failMs: number; clockToleranceMs: number };
}

export interface JwtSideEvidence {
  /** The side's token, when it has a token source and it was read. */
  token: {
    source: TokenSourceKind;
    header: { alg?: string | undefined; kid?: string | undefined; typ?: string | undefined };
    /** iss, aud, exp, nbf, iat as in the token (NumericDate seconds); sub only with showSubject. */
    claims: Record<string, unknown>;
    /** "verified", "not checked" (no keys, alg none), or why it does not verify. */
    signature: string;
  } | null;
  /** The side's keys, when it has jwks or issuer and they were read. */
  jwks: { url: string; issuer: string | null; keys: KeyInfo[] } | null;
  /** What could not be read on this side (side, target and cause). */
  errors: Undecided[];
}
