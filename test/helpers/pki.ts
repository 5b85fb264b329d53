// Test PKI: CA, intermediate and leaf certificates with chosen validity windows, made with
// @peculiar/x509 on WebCrypto (ECDSA P-256: milliseconds per certificate, no openssl config).
import "reflect-metadata";
import type { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(globalThis.crypto);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;
let serial = 1;

export interface Issued {
  certPem: string;
  keyPem: string;
  subject: string;
  keys: CryptoKeyPair;
}

export interface CertSpec {
  cn: string;
  /** DNS names (and IP addresses) for subjectAltName; none for CAs by default. */
  sans?: string[];
  /** Days from now; negative for the past. */
  notBeforeDays?: number;
  notAfterDays: number;
  ca?: boolean;
  /** Extended key usage clientAuth instead of serverAuth (a client certificate). */
  clientAuth?: boolean;
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

function extensions(spec: CertSpec): x509.Extension[] {
  const ext: x509.Extension[] = [new x509.BasicConstraintsExtension(spec.ca ?? false, undefined, true)];
  if (spec.ca) ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  else ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), new x509.ExtendedKeyUsageExtension([spec.clientAuth ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]));
  if (spec.sans?.length) {
    ext.push(new x509.SubjectAlternativeNameExtension(spec.sans.map((n) => (/^[\d.]+$|:/.test(n) ? { type: "ip" as const, value: n } : { type: "dns" as const, value: n }))));
  }
  return ext;
}

function dates(spec: CertSpec): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(Date.now() + (spec.notBeforeDays ?? -1) * DAY), notAfter: new Date(Date.now() + spec.notAfterDays * DAY) };
}

export async function selfSigned(spec: CertSpec): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    name: `CN=${spec.cn}`,
    ...dates(spec),
    keys,
    signingAlgorithm: ALG,
    extensions: [...extensions(spec), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: `${(await keyPem(keys)).trim()}\n`, subject: cert.subject, keys };
}

export async function issue(issuer: Issued, spec: CertSpec): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    subject: `CN=${spec.cn}`,
    issuer: issuer.subject,
    ...dates(spec),
    signingKey: issuer.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      ...extensions(spec),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: `${(await keyPem(keys)).trim()}\n`, subject: cert.subject, keys };
}
