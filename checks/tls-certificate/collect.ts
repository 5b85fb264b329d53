// Reads one side: every address of a live endpoint, or the certificates of a PEM file, into
// "observations" (one presented chain each, with its verification verdict). A failure on one
// address is kept beside the observations of the others: it blocks a pass, not the evidence.
import type { X509Certificate } from "node:crypto";
import type { CheckContext } from "../../src/engine/types.js";
import { lookupAll } from "../../src/probes/dns.js";
import { isProbeError, ProbeError } from "../../src/probes/errors.js";
import { readTextFile } from "../../src/probes/file.js";
import { describeEndpoint } from "../../src/probes/tcp.js";
import { readTlsChain } from "../../src/probes/tls.js";
import { parsePemBundle, systemRoots, verifyChain } from "../../src/probes/x509.js";
import type { EndpointSpec, PemSpec, SideSpec } from "./options.js";

export type Side = "primary" | "standby";

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
  failures: ProbeError[];
}


export async function readSide(side: Side, spec: SideSpec, ctx: CheckContext): Promise<SideReading> {
  try {
    return "pemFile" in spec ? await readPem(side, spec, ctx) : await readEndpoint(side, spec, ctx);
  } catch (err) {
    if (!isProbeError(err)) throw err;
    const target = "pemFile" in spec ? spec.pemFile : describeEndpoint(spec.host, spec.port);
    return { side, target, name: null, observations: [], failures: [prefixed(side, err)] };
  }
}

async function readCa(spec: SideSpec, ctx: CheckContext): Promise<{ pem: string; certs: X509Certificate[] } | null> {
  if (!spec.caFile) return null;
  const pem = await readTextFile(spec.caFile, ctx.baseDir, "CA file", ctx.signal);
  return { pem, certs: parsePemBundle(pem, `CA file ${spec.caFile}`) };
}

async function readEndpoint(side: Side, spec: EndpointSpec, ctx: CheckContext): Promise<SideReading> {
  const target = describeEndpoint(spec.host, spec.port);
  const ca = await readCa(spec, ctx);
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
    } else if (isProbeError(r.reason)) {
      reading.failures.push(prefixed(side, r.reason));
    } else throw r.reason;
  });
  return reading;
}

async function readPem(side: Side, spec: PemSpec, ctx: CheckContext): Promise<SideReading> {
  const text = await readTextFile(spec.pemFile, ctx.baseDir, "PEM file", ctx.signal);
  const chain = parsePemBundle(text, `PEM file ${spec.pemFile}`);
  const ca = await readCa(spec, ctx);
  const verdict = verifyChain(chain, ca ? ca.certs : systemRoots(), ctx.now());
  return {
    side,
    target: spec.pemFile,
    name: spec.name ?? null,
    observations: [{ where: spec.pemFile, chain, verified: verdict.ok, verifyError: verdict.error, circular: false, protocol: null }],
    failures: [],
  };
}

function prefixed(side: Side, err: ProbeError): ProbeError {
  return err.message.startsWith(side) ? err : new ProbeError(err.reason, `${side}: ${err.message}`, err.code ? { code: err.code } : {});
}
