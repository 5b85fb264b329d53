// The certificate chain of a kubernetes.io/tls Secret: its `tls.crt`, decoded. Only that key is
// read; `tls.key` is never decoded, kept or printed. A Secret of another type, without tls.crt or
// not base64 is an unknown (never a pass); a missing one is told apart (the caller's finding).
import type { CheckContext, Side } from "../../engine/types.js";
import { ProbeError } from "../errors.js";
import { openCluster } from "./cluster.js";
import type { KubeConnection } from "./options.js";

export const TLS_SECRET_TYPE = "kubernetes.io/tls";
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** How messages name the Secret: "secret shop/web-tls in context prod". */
export function describeTlsSecret(conn: KubeConnection & { secret: string }): string {
  return `secret ${conn.namespace ? `${conn.namespace}/` : ""}${conn.secret} in context ${conn.context}`;
}

/**
 * tls.crt of the Secret as PEM text, and where it was read ("secret shop/web-tls in context prod");
 * pem null when the API server says the Secret is not there (a 404 Status NotFound): that side has
 * no certificate to serve, which the check reports as a finding, not as a reading it could not take.
 */
export async function readTlsSecretChain(conn: KubeConnection & { secret: string }, side: Side, ctx: CheckContext): Promise<{ pem: string | null; where: string; what: string }> {
  const cluster = await openCluster(conn, side, ctx, { maxReplyBytes: 4 * 1024 * 1024 });
  try {
    const where = describeTlsSecret({ ...conn, namespace: cluster.describe.namespace });
    const secret = await cluster.get("v1", "Secret", conn.secret);
    const what = `${side} ${conn.context}: secret ${cluster.describe.namespace}/${conn.secret}`;
    if (!secret) return { pem: null, where, what };
    if (secret.type !== TLS_SECRET_TYPE) {
      throw new ProbeError("invalid-response", `${what} is of type ${typeof secret.type === "string" ? secret.type : "(none)"}, not ${TLS_SECRET_TYPE}`);
    }
    const data = secret.data as Record<string, unknown> | undefined;
    const crt = data && typeof data === "object" ? data["tls.crt"] : undefined;
    if (typeof crt !== "string" || crt === "") throw new ProbeError("invalid-response", `${what} has no tls.crt`);
    if (!BASE64.test(crt)) throw new ProbeError("invalid-response", `${what}: tls.crt is not base64`);
    return { pem: Buffer.from(crt, "base64").toString("utf8"), where, what };
  } finally {
    cluster.close();
  }
}
