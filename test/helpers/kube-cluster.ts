// Test fixtures around the loopback Kubernetes API server: a PKI for its TLS and client
// certificates, servers with bearer-token or client-certificate auth, kubeconfigs naming them,
// and a check context.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ProbeError } from "../../src/probes/errors.js";
import { KubeApiServer, type KubeApiServerOptions, type KubeconfigContext } from "../../src/demo/kube-api-server.js";
import { makeContext } from "../../src/engine/context.js";
import type { CheckContext } from "../../src/engine/types.js";
import { issue, selfSigned, type Issued } from "./pki.js";

export interface KubePki {
  ca: Issued;
  server: Issued;
  client: Issued;
}

export async function kubePki(): Promise<KubePki> {
  const ca = await selfSigned({ cn: "kubernetes-ca", notAfterDays: 365, ca: true });
  const server = await issue(ca, { cn: "kube-apiserver", sans: ["127.0.0.1", "localhost", "kubernetes.default.svc"], notAfterDays: 365 });
  const client = await issue(ca, { cn: "standby-cert-user", notAfterDays: 365, clientAuth: true });
  return { ca, server, client };
}

/** An HTTPS API server signed by the PKI's CA, accepting `token` and the PKI's client certificates. */
export async function startKubeServer(pki: KubePki, opts: Omit<KubeApiServerOptions, "tls" | "clientCa"> = {}): Promise<KubeApiServer> {
  const s = new KubeApiServer({ tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem }, clientCa: pki.ca.certPem, ...opts });
  await s.start();
  return s;
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), "standby-kube-"));

export function writeKubeconfig(dir: string, contexts: KubeconfigContext[], name = "kubeconfig"): string {
  return KubeApiServer.writeKubeconfig(join(dir, name), contexts);
}

export function kubeContext(baseDir: string, timeoutMs = 5000, signal: AbortSignal = new AbortController().signal): CheckContext {
  return makeContext({ signal, timeoutMs, baseDir });
}

/** Resolves once `fn()` is true (polled every 20 ms); rejects naming `what` after `ms`. */
export async function until(what: string, fn: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`still not true after ${ms}ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The ProbeError `p` rejects with (fails the test when it resolves or throws something else). */
export async function probeFailure(p: Promise<unknown>): Promise<ProbeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeError);
  return err as ProbeError;
}
