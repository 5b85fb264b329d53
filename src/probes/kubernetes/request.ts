// One GET to the Kubernetes API: node:http(s) with the side's agent and credentials, the check's
// signal and a per-request deadline (both close the socket), a byte cap counted as the body
// arrives, and the answer judged: JSON or an invalid-response, a Status object's reason and message
// for the error codes. Never a pass on doubt; messages never hold a header value.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { redact } from "../../core/secrets.js";
import { ByteCap, formatBytes } from "../byte-cap.js";
import { abortedStep, ProbeError, timedOut } from "../errors.js";
import { networkError } from "../network-error.js";
import type { ResolvedCluster } from "./kubeconfig.js";

export interface KubeReply {
  status: number;
  /** The parsed JSON body; undefined when it was not JSON. */
  json: unknown;
  contentType: string;
  retryAfterS: number | null;
}

export interface RequestLimits {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  /** "standby prod: list deployments.apps in namespace shop", for messages. */
  what: string;
}

const USER_AGENT = "standby (kubernetes probe)";

/** GETs `path?query` and returns status and JSON body; throws ProbeError for transport failures, timeouts and a passed cap. */
export function kubeGet(cluster: ResolvedCluster, path: string, query: Record<string, string>, limits: RequestLimits): Promise<KubeReply> {
  const url = new URL(`${cluster.server}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const signal = AbortSignal.any([limits.signal, deadline]);
  const cap = new ByteCap({ limit: limits.maxBytes, what: `${limits.what}: the reply` });
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const work = new Promise<KubeReply>((resolve, reject) => {
    const fail = (err: unknown) => reject(cap.exceeded ?? classify(err, signal, deadline, limits));
    if (signal.aborted) return fail(signal.reason);
    const req = send(url, { method: "GET", agent: cluster.agent, headers: { ...cluster.headers, Accept: "application/json", "User-Agent": USER_AGENT }, signal }, (res: IncomingMessage) => {
      cap.watch(res);
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        if (!cap.exceeded) chunks.push(c);
      });
      res.on("error", fail);
      res.on("aborted", () => fail(signal.aborted ? signal.reason : Object.assign(new Error("aborted"), { code: "ECONNRESET" })));
      res.on("end", () => {
        if (cap.exceeded) return;
        const text = Buffer.concat(chunks).toString("utf8");
        const contentType = String(res.headers["content-type"] ?? "");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const ra = Number(res.headers["retry-after"]);
        resolve({ status: res.statusCode ?? 0, json, contentType, retryAfterS: Number.isFinite(ra) ? ra : null });
      });
    });
    req.on("error", fail);
    req.end();
  });
  return cap.race(work).catch((err: unknown) => {
    if (err instanceof ProbeError && err.code === "READ_LIMIT") {
      throw new ProbeError("invalid-response", `${limits.what}: the reply exceeded ${formatBytes(limits.maxBytes)} (the read limit per reply); lower the page size (limit) or select fewer objects`, { code: "READ_LIMIT" });
    }
    throw err;
  });
}

function classify(err: unknown, signal: AbortSignal, deadline: AbortSignal, limits: RequestLimits): ProbeError {
  if (err instanceof ProbeError) return err;
  if (deadline.aborted && !limits.signal.aborted) return timedOut(limits.what, limits.timeoutMs);
  if (signal.aborted) return abortedStep(limits.what, limits.signal);
  return networkError(err, limits.what) ?? new ProbeError("error", `${limits.what}: ${redact(String((err as Error)?.message ?? err)).slice(0, 200)}`);
}

/** A Status object's reason and message (redacted), or null when the body is not a Status. */
export function statusOf(json: unknown): { reason: string; message: string } | null {
  if (!json || typeof json !== "object") return null;
  const s = json as { kind?: unknown; reason?: unknown; message?: unknown };
  if (s.kind !== "Status") return null;
  return { reason: typeof s.reason === "string" ? s.reason : "", message: typeof s.message === "string" ? redact(s.message).slice(0, 400) : "" };
}
