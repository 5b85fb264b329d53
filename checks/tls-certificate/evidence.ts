// What tls-certificate reports as evidence (CheckOutcome<TlsCertificateEvidence>): renderers and
// the TUI import these types instead of guessing field names.
import type { ExpiryLimits, Undecided } from "../../src/kit/index.js";
import type { CertSummary } from "../../src/probes/x509.js";

export interface TlsCertificateEvidence {
  primary: TlsSideEvidence;
  standby: TlsSideEvidence;
  /** The expiry limits judged against, in ms before notAfter (warnMs never below failMs). */
  thresholds: ExpiryLimits;
}

export interface TlsSideEvidence {
  /** `host:port`, or the PEM file as written in the config. */
  target: string;
  /** The name the leaf must cover (servername, host or `name`); null when none is checked. */
  name: string | null;
  /** One entry per address that presented a chain (one for a PEM file). */
  addresses: TlsAddressEvidence[];
  /** Why the side, or some of its addresses, could not be read (side, target and cause). */
  errors: Undecided[];
  /** Days until the earliest notAfter of this side's chains, one decimal; null when none was read. */
  earliestDaysLeft: number | null;
}

export interface TlsAddressEvidence {
  /** `127.0.0.1:443`, `[::1]:443`, or the PEM file. */
  address: string;
  /** Negotiated TLS version (`TLSv1.3`); null for PEM files. */
  protocol: string | null;
  /** The chain verifies against the trust anchors (system roots or caFile). */
  verified: boolean;
  /** OpenSSL's verification error code when not verified. */
  verifyError: string | null;
  /** The leaf covers `name`; null when no name is checked. */
  nameMatch: boolean | null;
  /** Leaf first. */
  chain: TlsChainCertificate[];
}

export interface TlsChainCertificate extends CertSummary {
  /** `certificate` (a chain of one), `leaf`, `intermediate` or `root`. */
  role: string;
}
