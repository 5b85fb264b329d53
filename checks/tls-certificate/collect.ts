// Reads one side: every address of a live endpoint, the certificates of a PEM file or of a
// Kubernetes TLS Secret's tls.crt (judged exactly like a PEM file), into
// "observations" (one presented chain each, with its verification verdict). A failure on one
// address is kept beside the observations of the others on purpose: it blocks a pass, not the
// evidence. A side that cannot be read at all (its name, its PEM or CA file) throws: readSides()
// words it.
import type { X509Certificate } from "node:crypto";
import { ProbeError, sideMessage, type CheckContext, type Side, type Undecided } from "../../src/kit/index.js";
import { lookupAll } from "../../src/probes/dns.js";
import { readTextFile } from "../../src/probes/file.js";
import { describeEndpoint } from "../../src/probes/tcp.js";
import { readTlsChain } from "../../src/probes/tls.js";
import { parsePemBundle, systemRoots, verifyChain } from "../../src/probes/x509.js";
import { describeTlsSecret, readTlsSecretChain } from "../../src/probes/kubernetes/tls-secret.js";
import type { EndpointSpec, KubeSecretSpec, PemSpec, SideSpec } from "./options.js";

export interface Observation {
  /** `127.0.0.1:443`, or the PEM file name. */
  where: string;
  chain: X509Certificate[];
  verified: boolean;
  verifyError: string | null;
  circular: boolean;
  protocol: string | null;
}

export interface SideReading {
  side: Side;
  /** `host:port` or the PEM file name, for messages. */
  target: string;
  /** The name the leaf must cover, or null when none applies. */
  name: string | null;
  observations: Observation[];
  /** Addresses (or the whole side) that could not be read. */
  failures: Undecided[];
  /** The side's Kubernetes Secret is not there (404): it has no certificate to serve (a finding). */
  missing?: string;
}

/** How messages name a side: `host:port`, the PEM file as written in the config, or the Secret. */
export function sideTarget(spec: SideSpec): string {
  return "pemFile" in spec ? spec.pemFile : "kubernetes" in spec ? describeTlsSecret(spec.kubernetes) : describeEndpoint(spec.host, spec.port);
}

export function readSide(side: Side, spec: SideSpec, ctx: CheckContext): Promise<SideReading> {
  return "pemFile" in spec ? readPem(side, spec, ctx) : "kubernetes" in spec ? readKubeSecret(side, spec, ctx) : readEndpoint(side, spec, ctx);
}

async function readCa(side: Side, spec: SideSpec, ctx: CheckContext): Promise<{ pem: string; certs: X509Certificate[] } | null> {
  if (!spec.caFile) return null;
  const pem = await readTextFile(spec.caFile, ctx.baseDir, `${side} CA file`, ctx.signal);
  return { pem, certs: parsePemBundle(pem, `${side} CA file ${spec.caFile}`) };
}

async function readEndpoint(side: Side, spec: EndpointSpec, ctx: CheckContext): Promise<SideReading> {
  const target = sideTarget(spec);
  const ca = await readCa(side, spec, ctx);
  const addresses = spec.addresses ?? (await lookupAll(spec.host, { signal: ctx.signal, timeoutMs: ctx.timeoutMs })).map((a) => a.address);
  const name = spec.servername ?? spec.host;
  const settled = await Promise.allSettled(
    addresses.map((address) =>
      readTlsChain({ address, port: spec.port, servername: name, ...(ca ? { ca: ca.pem } : {}), timeoutMs: ctx.timeoutMs, signal: ctx.signal }),
    ),
  );
  const reading: SideReading = { side, target, name, observations: [], failures: [] };
  settled.forEach((r, i) => {
    const where = describeEndpoint(addresses[i]!, spec.port);
    if (r.status === "fulfilled") {
      const { chain, authorized, authorizationError, circular, protocol } = r.value;
      reading.observations.push({ where, chain, verified: authorized, verifyError: authorizationError, circular, protocol });
    } else if (r.reason instanceof ProbeError) {
      reading.failures.push(addressFailure(side, target, where, r.reason));
    } else throw r.reason;
  });
  return reading;
}

/**
 * "standby orders.example.com:443 via 10.0.0.7:443: connection refused (ECONNREFUSED)": the
 * side's target, the address when it is not the target itself, then the probe's cause.
 */
function addressFailure(side: Side, target: string, where: string, err: ProbeError): Undecided {
  const at = where === target ? target : `${target} via ${where}`;
  const message = err.message.startsWith(where) ? at + err.message.slice(where.length) : err.message;
  // "TLS handshake with 10.0.0.7:443: timed out" already names a target that is its own address.
  if (where === target && !message.startsWith(where) && message.includes(where)) return { reason: err.reason, message: `${side} ${message}` };
  return { reason: err.reason, message: sideMessage(side, target, message) };
}

async function readPem(side: Side, spec: PemSpec, ctx: CheckContext): Promise<SideReading> {
  const text = await readTextFile(spec.pemFile, ctx.baseDir, `${side} PEM file`, ctx.signal);
  return pemReading(side, spec.pemFile, text, `${side} PEM file ${spec.pemFile}`, spec, ctx);
}

/** A TLS Secret's tls.crt, judged as a PEM file is. */
async function readKubeSecret(side: Side, spec: KubeSecretSpec, ctx: CheckContext): Promise<SideReading> {
  const { pem, where, what } = await readTlsSecretChain(spec.kubernetes, side, ctx);
  if (pem === null) return { side, target: where, name: spec.name ?? null, observations: [], failures: [], missing: `${what}: not found (404): this side has no certificate there` };
  return pemReading(side, where, pem, `${side} ${where}: tls.crt`, spec, ctx);
}

async function pemReading(side: Side, where: string, text: string, what: string, spec: PemSpec | KubeSecretSpec, ctx: CheckContext): Promise<SideReading> {
  const chain = parsePemBundle(text, what);
  const ca = await readCa(side, spec, ctx);
  const verdict = verifyChain(chain, ca ? ca.certs : systemRoots(), ctx.now());
  return {
    side,
    target: where,
    name: spec.name ?? null,
    observations: [{ where, chain, verified: verdict.ok, verifyError: verdict.error, circular: false, protocol: null }],
    failures: [],
  };
}
