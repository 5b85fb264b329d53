// JWKS parity: after failover, every session the primary signed must still verify, so every key
// the primary publishes (and the one its current token is signed with) must be in the
// standby's JWKS with the same key material. Keys are identified by kid and compared by RFC 7638
// thumbprint; keys without kid are matched by thumbprint alone.
import type { Finding } from "../../src/engine/types.js";
import type { KeyInfo, LoadedJwks } from "./jwks.js";

/** Finding path of a key, in the drift notation for array items matched by a key. */
export function kidPath(kid: string): string {
  return `keys[kid=${kid}]`;
}

/** What a missing key is, shown as the primary's value (never secret: public key identity). */
function keyValue(k: KeyInfo): Record<string, string> {
  return { kid: k.kid ?? "(none)", kty: k.kty, ...(k.alg ? { alg: k.alg } : {}), thumbprint: k.thumbprint };
}

export function jwksParity(primary: LoadedJwks, standby: LoadedJwks, primaryTokenKid: string | null): Finding[] {
  const findings: Finding[] = [];
  const standbyByKid = new Map(standby.keys.filter((k) => k.kid !== null).map((k) => [k.kid!, k]));
  const standbyPrints = new Set(standby.keys.map((k) => k.thumbprint));
  const signing = primary.keys.filter((k) => k.use !== "enc");
  const current = (k: KeyInfo): string => (primaryTokenKid !== null && k.kid === primaryTokenKid ? " (the primary token's current key)" : "");
  for (const key of signing) {
    if (key.kid === null) {
      if (!standbyPrints.has(key.thumbprint)) {
        findings.push({ level: "fail", rule: "jwks-parity", change: "missing", message: `standby JWKS lacks the primary's key ${short(key.thumbprint)} (no kid)`, primary: key.thumbprint });
      }
      continue;
    }
    const twin = standbyByKid.get(key.kid);
    if (!twin) {
      findings.push({
        level: "fail",
        rule: "jwks-parity",
        change: "missing",
        path: kidPath(key.kid),
        message: `standby JWKS lacks kid ${key.kid}${current(key)}: tokens the primary signed with it would not verify after failover`,
        primary: keyValue(key),
      });
    } else if (twin.thumbprint !== key.thumbprint) {
      findings.push({
        level: "fail",
        rule: "jwks-parity",
        change: "changed",
        path: kidPath(key.kid),
        message: `kid ${key.kid}${current(key)} is a different key on the standby (thumbprint ${short(key.thumbprint)} vs ${short(twin.thumbprint)})`,
        primary: key.thumbprint,
        standby: twin.thumbprint,
      });
    }
  }
  // The primary token's kid may be missing from the primary's own JWKS (reported there);
  // the standby must still accept it.
  if (primaryTokenKid !== null && !primary.keys.some((k) => k.kid === primaryTokenKid) && !standbyByKid.has(primaryTokenKid)) {
    findings.push({ level: "fail", rule: "jwks-parity", change: "missing", path: kidPath(primaryTokenKid), message: `standby JWKS lacks kid ${primaryTokenKid}, which the primary token is signed with`, primary: { kid: primaryTokenKid } });
  }
  const primaryKids = new Set(primary.keys.map((k) => k.kid));
  const primaryPrints = new Set(primary.keys.map((k) => k.thumbprint));
  const extra = standby.keys.filter((k) => (k.kid === null ? !primaryPrints.has(k.thumbprint) : !primaryKids.has(k.kid)));
  if (extra.length > 0) {
    findings.push({ level: "info", rule: "jwks-parity", change: "extra", message: `standby JWKS also has ${extra.map((k) => k.kid ?? short(k.thumbprint)).join(", ")}` });
  }
  return findings;
}

function short(thumbprint: string): string {
  return `${thumbprint.slice(0, 10)}…`;
}
