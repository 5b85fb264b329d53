// Certificate parsing and summaries on node:crypto's X509Certificate, shared by every check that
// looks at certificates (live TLS endpoints, PEM files, later cloud certificates). Summaries are
// evidence: they hold public certificate data only.
import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import { ProbeError } from "./errors.js";

const DAY_MS = 86_400_000;
/** Longest chain we follow: real chains are 2-4 long; this bounds hostile or broken input. */
export const MAX_CHAIN_LENGTH = 10;

export interface CertSummary {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Days from now to notAfter, one decimal; negative when expired. */
  daysLeft: number;
  /** DNS names and IP addresses from subjectAltName, as `DNS:x` / `IP:x`. */
  sans: string[];
  fingerprint256: string;
  serialNumber: string;
  selfSigned: boolean;
  ca: boolean;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle, in file order. Anything unparsable is an invalid response. */
export function parsePemBundle(text: string, what: string): X509Certificate[] {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) {
    throw new ProbeError("invalid-response", `${what} holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)`);
  }
  return blocks.map((m, i) => {
    try {
      return new X509Certificate(m[0]);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new ProbeError("invalid-response", `${what}: certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate${code ? ` (${code})` : ""}`);
    }
  });
}

export function daysLeft(cert: X509Certificate, now: Date): number {
  return Math.round(((Date.parse(cert.validTo) - now.getTime()) / DAY_MS) * 10) / 10;
}

export function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

export function notBefore(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

/** Issuer and subject equal and the certificate verifies with its own key. */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** `child` names `parent` as issuer and carries a signature made by `parent`'s key. */
export function isIssuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * subjectAltName as Node prints it: `DNS:a.example, IP Address:10.0.0.1`; values with unusual
 * characters come JSON-quoted. Only DNS and IP entries matter for name matching.
 */
export function subjectAltNames(cert: X509Certificate): string[] {
  const raw = cert.subjectAltName;
  if (!raw) return [];
  const out: string[] = [];
  for (const m of raw.matchAll(/(DNS|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    let value = m[2]!.trim();
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        /* keep the raw text */
      }
    }
    out.push(`${m[1] === "DNS" ? "DNS" : "IP"}:${m[1] === "DNS" ? value.toLowerCase() : value}`);
  }
  return out;
}

export function summarize(cert: X509Certificate, now: Date): CertSummary {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: notBefore(cert).toISOString(),
    notAfter: notAfter(cert).toISOString(),
    daysLeft: daysLeft(cert, now),
    sans: subjectAltNames(cert),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    selfSigned: isSelfSigned(cert),
    ca: cert.ca,
  };
}

/** Node prints distinguished names one attribute per line. */
function oneLine(dn: string): string {
  return dn.split("\n").filter(Boolean).join(", ");
}

/** Does the certificate cover `name` (a DNS name or an IP address), wildcards per RFC 6125? */
export function coversName(cert: X509Certificate, name: string): boolean {
  const bare = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  if (/^[\d.]+$/.test(bare) || bare.includes(":")) return cert.checkIP(bare) !== undefined;
  return cert.checkHost(bare, { subject: "default" }) !== undefined;
}

/** Certificates of a PEM bundle keyed by fingerprint; used as trust anchors. */
export function anchorsFrom(certs: readonly X509Certificate[]): X509Certificate[] {
  const byPrint = new Map<string, X509Certificate>();
  for (const c of certs) byPrint.set(c.fingerprint256, c);
  return [...byPrint.values()];
}

let systemAnchors: X509Certificate[] | null = null;

/** Node's bundled root store (tls.rootCertificates), parsed once and only when needed. */
export function systemRoots(): X509Certificate[] {
  systemAnchors ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return systemAnchors;
}

export interface ChainVerification {
  ok: boolean;
  /** Why not, in OpenSSL's vocabulary where one fits. */
  error: string | null;
}

/**
 * Verifies a chain given leaf first, for certificates that did not come through a handshake
 * (PEM files): each link's issuer name and signature, each certificate's validity window, and
 * a last link that is, or is signed by, a trust anchor. No revocation or policy checks.
 */
export function verifyChain(chain: readonly X509Certificate[], anchors: readonly X509Certificate[], now: Date): ChainVerification {
  if (chain.length === 0) return { ok: false, error: "EMPTY_CHAIN" };
  for (const cert of chain) {
    if (notAfter(cert).getTime() < now.getTime()) return { ok: false, error: "CERT_HAS_EXPIRED" };
    if (notBefore(cert).getTime() > now.getTime()) return { ok: false, error: "CERT_NOT_YET_VALID" };
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!isIssuedBy(chain[i]!, chain[i + 1]!)) return { ok: false, error: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" };
  }
  const last = chain[chain.length - 1]!;
  const trusted = anchors.some((a) => a.fingerprint256 === last.fingerprint256 || isIssuedBy(last, a));
  if (trusted) return { ok: true, error: null };
  if (isSelfSigned(last)) return { ok: false, error: chain.length === 1 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN" };
  return { ok: false, error: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" };
}
