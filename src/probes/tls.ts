// Reads the certificate chain a TLS server presents, without trusting it: the handshake runs
// with rejectUnauthorized:false so that an expired or untrusted chain can still be inspected,
// and the verdict (socket.authorized / authorizationError) is reported instead of enforced.
// Hostname matching is left to the caller, so that a name mismatch and an untrusted chain are
// told apart rather than folded into one authorizationError.
import { X509Certificate } from "node:crypto";
import { isIP, Socket } from "node:net";
import { connect, type DetailedPeerCertificate, type TLSSocket } from "node:tls";
import { ByteCap, KiB } from "./byte-cap.js";
import { abortedStep, ProbeError, timedOut } from "./errors.js";
import { describeEndpoint } from "./tcp.js";
import { MAX_CHAIN_LENGTH } from "./x509.js";
import { networkError, NOT_TLS, NOT_TLS_CODE } from "./network-error.js";

export interface TlsChainOptions {
  /** The IP address (or name) to connect to. */
  address: string;
  port: number;
  /** SNI name; omitted for IP literals (RFC 6066 forbids them in SNI). */
  servername?: string;
  /** PEM trust anchors replacing Node's bundled roots. */
  ca?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Cap on bytes read during the handshake; default TLS_MAX_HANDSHAKE_BYTES. */
  maxHandshakeBytes?: number;
}

/**
 * Bytes read for one handshake. Real server flights are a few KiB (chains of 2-4 certificates);
 * OpenSSL refuses a certificate list above 100 KiB itself, and this bounds everything else.
 */
export const TLS_MAX_HANDSHAKE_BYTES = 256 * KiB;

export interface TlsChainResult {
  /** Leaf first, following issuer links; the trust anchor is included when OpenSSL found it. */
  chain: X509Certificate[];
  authorized: boolean;
  authorizationError: string | null;
  protocol: string | null;
  /** A chain that linked back to a certificate already seen (stopped there). */
  circular: boolean;
  handshakeMs: number;
}



/** One handshake with one address; every failure is a ProbeError with an UnknownReason. */
export function readTlsChain(options: TlsChainOptions): Promise<TlsChainResult> {
  const where = describeEndpoint(options.address, options.port);
  return new Promise<TlsChainResult>((resolve, reject) => {
    const started = performance.now();
    let settled = false;
    let socket: TLSSocket | undefined;
    // The TCP socket is handed to TLS unconnected, so TLS reads it through its 'data' events
    // (a JS stream) instead of taking over its handle in C++: the cap sees every handshake byte.
    const raw = new Socket();
    const cap = new ByteCap({ limit: options.maxHandshakeBytes ?? TLS_MAX_HANDSHAKE_BYTES, what: `TLS handshake with ${where}`, per: "handshake" });
    cap.watch(raw);
    const finish = (err: ProbeError | null, result?: TlsChainResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket?.destroy();
      raw.destroy();
      // Past the cap the close or error that follows is the cap's doing.
      const failure = cap.exceeded ?? err;
      if (failure) reject(failure);
      else resolve(result!);
    };
    cap.exceededSignal.catch((err: ProbeError) => finish(err));
    const timer = setTimeout(
      () => finish(timedOut(`TLS handshake with ${where}`, options.timeoutMs)),
      options.timeoutMs,
    );
    const onAbort = (): void => finish(abortedStep(`TLS handshake with ${where}`, options.signal!));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const sni = options.servername && !isIP(options.servername) ? options.servername : undefined;
    socket = connect({
      socket: raw,
      ...(sni ? { servername: sni } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: false,
      // Name matching is the caller's: keep authorizationError about the chain only.
      checkServerIdentity: () => undefined,
    });
    socket.once("secureConnect", () => {
      const s = socket!;
      const { chain, circular } = walkChain(s.getPeerCertificate(true));
      if (chain.length === 0) {
        finish(new ProbeError("invalid-response", `${where} completed the TLS handshake without presenting a certificate`));
        return;
      }
      const authError = s.authorizationError;
      finish(null, {
        chain,
        authorized: s.authorized,
        authorizationError: s.authorized ? null : String(authError ?? "UNKNOWN"),
        protocol: s.getProtocol(),
        circular,
        handshakeMs: Math.round(performance.now() - started),
      });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => finish(classify(err, where)));
    raw.once("error", (err: NodeJS.ErrnoException) => finish(classify(err, where)));
    socket.once("close", () => finish(new ProbeError("unreachable", `${where} closed the connection during the TLS handshake`, { code: "ECONNRESET" })));
    raw.connect({ host: options.address, port: options.port });
  });
}

/**
 * Follows issuerCertificate links from the leaf. A self-signed root links to itself and a
 * broken server can produce cycles, so every certificate is visited once, at most
 * MAX_CHAIN_LENGTH of them.
 */
export function walkChain(leaf: DetailedPeerCertificate | Record<string, never>): { chain: X509Certificate[]; circular: boolean } {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let circular = false;
  let cur: DetailedPeerCertificate | undefined = "raw" in leaf ? (leaf as DetailedPeerCertificate) : undefined;
  while (cur?.raw && chain.length < MAX_CHAIN_LENGTH) {
    const cert = new X509Certificate(cur.raw);
    if (seen.has(cert.fingerprint256)) {
      // A self-signed root pointing at itself is the normal end, not a cycle.
      circular = chain[chain.length - 1]!.fingerprint256 !== cert.fingerprint256;
      break;
    }
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cur = cur.issuerCertificate;
  }
  return { chain, circular };
}

function classify(err: NodeJS.ErrnoException, where: string): ProbeError {
  const code = err.code;
  // A handshake the server broke off is the server's answer, not a network failure.
  if (code && !code.includes("SSL") && !code.startsWith("ERR_TLS")) {
    const net = networkError(err, where);
    if (net) return net;
  }
  if (code === "ERR_SSL_EXCESSIVE_MESSAGE_SIZE") {
    return new ProbeError("invalid-response", `TLS handshake with ${where} failed: a handshake message (the certificate chain) exceeded OpenSSL's size limit (100 KiB for a certificate list) (${code})`, { code });
  }
  if (code && (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || code.includes("SSL"))) {
    // A plain-text answer (HTTP, SSH, a database banner): the classifier's words for it.
    const words = NOT_TLS_CODE.test(code) ? `: ${NOT_TLS.words}` : "";
    return new ProbeError("invalid-response", `TLS handshake with ${where} failed${words} (${code})`, { code });
  }
  return new ProbeError("error", `TLS connection to ${where} failed${code ? ` (${code})` : ""}`, code ? { code } : {});
}
