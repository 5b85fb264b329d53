// Loads a side's JWKS (from its URL, or through OIDC discovery of its issuer) with the shared
// HTTP probe, so timeouts, cancellation and error classes match every other check, then checks
// its shape and computes each key's RFC 7638 thumbprint: the identity of the key material.
// Bounded: a JWKS is read up to MAX_JWKS_BYTES and MAX_JWKS_KEYS keys (100,000 keys took 8.8 s
// of hashing and put 45 MB into the report), and the hashing loop stops when the check aborts.
import type { JSONWebKeySet, JWK } from "jose";
import { ProbeError, type CheckContext, type Finding, type Side } from "../../src/kit/index.js";
import { formatBytes, MiB } from "../../src/probes/byte-cap.js";
import { abortedStep } from "../../src/probes/errors.js";
import { describeUrl, fetchJson } from "../../src/probes/http.js";
import type { SideSpec } from "./options.js";

type Jose = typeof import("jose");

export interface KeyInfo {
  kid: string | null;
  kty: string;
  alg: string | null;
  use: string | null;
  thumbprint: string;
}

export interface LoadedJwks {
  url: string;
  /** The discovery document's issuer, when keys came through discovery. */
  issuer: string | null;
  set: JSONWebKeySet;
  keys: KeyInfo[];
  findings: Finding[];
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

/** Bytes read of a JWKS or a discovery document: real ones are kilobytes (x5c chains included). */
export const MAX_JWKS_BYTES = 1 * MiB;
/** Keys read of one JWKS: real sets hold a handful; each key is hashed and shown in evidence. */
export const MAX_JWKS_KEYS = 200;

export async function loadJwks(jose: Jose, side: Side, spec: SideSpec, ctx: CheckContext, timeoutMs: number): Promise<LoadedJwks | null> {
  if (!spec.jwks && !spec.issuer) return null;
  const findings: Finding[] = [];
  let jwksUrl = spec.jwks;
  let issuer: string | null = null;
  if (!jwksUrl) {
    const discovery = `${spec.issuer!.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const doc = await fetchJson(discovery, { timeoutMs, signal: ctx.signal, maxBodyBytes: MAX_JWKS_BYTES });
    if (!doc || typeof doc !== "object" || typeof (doc as { jwks_uri?: unknown }).jwks_uri !== "string") {
      throw new ProbeError("invalid-response", `${side} issuer discovery ${describeUrl(discovery)} has no jwks_uri`);
    }
    jwksUrl = (doc as { jwks_uri: string }).jwks_uri;
    issuer = typeof (doc as { issuer?: unknown }).issuer === "string" ? (doc as { issuer: string }).issuer : null;
    if (issuer !== spec.issuer) {
      // OIDC Discovery §4.3: the document's issuer must equal the URL it was fetched for.
      findings.push({ level: "warn", rule: "issuer-mismatch", message: `${side} discovery document names issuer ${issuer ?? "(none)"}, not ${spec.issuer}` });
    }
  }
  const url = describeUrl(jwksUrl);
  const body = await fetchJson(jwksUrl, { timeoutMs, signal: ctx.signal, maxBodyBytes: MAX_JWKS_BYTES });
  const rawKeys = body && typeof body === "object" ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(rawKeys)) throw new ProbeError("invalid-response", `${side} JWKS ${url} is not a JWK set (no "keys" array)`);
  if (rawKeys.length === 0) throw new ProbeError("invalid-response", `${side} JWKS ${url} has no keys`);
  if (rawKeys.length > MAX_JWKS_KEYS) {
    throw new ProbeError("invalid-response", `${side} JWKS ${url} has ${rawKeys.length} keys, more than ${MAX_JWKS_KEYS} (the limit per JWKS; ${formatBytes(MAX_JWKS_BYTES)} at most is read)`, { code: "READ_LIMIT" });
  }
  const keys: KeyInfo[] = [];
  const usable: JWK[] = [];
  for (const [i, raw] of rawKeys.entries()) {
    // Hashing is CPU work between awaits: stop as soon as the check is over.
    if (ctx.signal.aborted) throw abortedStep(`${side} JWKS ${url}`, ctx.signal);
    const jwk = raw as JWK;
    const name = typeof jwk?.kid === "string" ? `kid ${jwk.kid}` : `key #${i + 1}`;
    if (!jwk || typeof jwk !== "object" || typeof jwk.kty !== "string") {
      findings.push({ level: "warn", rule: "invalid-key", message: `${side} JWKS ${url}: ${name} is not a JWK (no kty)` });
      continue;
    }
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) {
      findings.push({ level: "fail", rule: "private-key-published", message: `${side} JWKS ${url}: ${name} publishes private or secret key material` });
      continue;
    }
    try {
      const thumbprint = await jose.calculateJwkThumbprint(jwk, "sha256");
      keys.push({ kid: jwk.kid ?? null, kty: jwk.kty, alg: jwk.alg ?? null, use: jwk.use ?? null, thumbprint });
      usable.push(jwk);
    } catch {
      findings.push({ level: "warn", rule: "invalid-key", message: `${side} JWKS ${url}: ${name} (${jwk.kty}) is not a usable public key` });
    }
  }
  if (usable.length === 0) throw new ProbeError("invalid-response", `${side} JWKS ${url} has no usable public key`);
  return { url, issuer, set: { keys: usable }, keys, findings };
}
