// Signature check only (compactVerify, not jwtVerify): time claims are judged separately with
// their own thresholds, so an expiring token still tells whether its signature holds.
import { abortedStep } from "../../src/probes/errors.js";
import type { LoadedJwks } from "./jwks.js";

type Jose = typeof import("jose");

export type SignatureVerdict = { ok: true } | { ok: false; why: "no-key" | "bad-signature" | "unsupported" | "invalid"; detail: string };

export async function verifySignature(jose: Jose, token: string, jwks: LoadedJwks, signal?: AbortSignal): Promise<SignatureVerdict> {
  const keyset = jose.createLocalJWKSet(jwks.set);
  try {
    await jose.compactVerify(token, keyset);
    return { ok: true };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_JWKS_MULTIPLE_MATCHING_KEYS") {
      // Several keys fit (no kid, or a reused kid): the token is valid if any of them verifies it.
      for await (const key of err as AsyncIterable<Parameters<typeof jose.compactVerify>[1]>) {
        // One signature check per candidate key (up to MAX_JWKS_KEYS): stop when the check is over.
        if (signal?.aborted) throw abortedStep("signature check", signal);
        try {
          await jose.compactVerify(token, key as never);
          return { ok: true };
        } catch {
          /* try the next candidate */
        }
      }
      return { ok: false, why: "bad-signature", detail: "no matching key verifies the signature" };
    }
    if (code === "ERR_JWKS_NO_MATCHING_KEY") return { ok: false, why: "no-key", detail: "no key matches its kid and alg" };
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return { ok: false, why: "bad-signature", detail: "the signature does not verify" };
    if (code === "ERR_JOSE_NOT_SUPPORTED" || code === "ERR_JOSE_ALG_NOT_ALLOWED") return { ok: false, why: "unsupported", detail: "its alg cannot be verified with a public JWKS" };
    return { ok: false, why: "invalid", detail: `verification failed${code ? ` (${code})` : ""}` };
  }
}
