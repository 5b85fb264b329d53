// Webhook notifications when a service's status changes (compared with the history).
// Sent with a per-attempt timeout and retried with exponential backoff; a failure is logged
// (redacted, the URL shown by origin only: Slack-style URLs carry their secret in the path)
// and never thrown.
import { redact } from "../core/secrets.js";
import type { WebhookSettings } from "../config/load.js";
import type { OverallStatus, Report } from "../engine/types.js";

export interface StatusChange {
  service: string;
  from: OverallStatus;
  to: OverallStatus;
  score: number | null;
}

/** Services whose status differs from the last known one (services never seen before are not changes). */
export function statusChanges(report: Pick<Report, "services">, previous: ReadonlyMap<string, OverallStatus>, only?: ReadonlySet<string>): StatusChange[] {
  const out: StatusChange[] = [];
  for (const s of report.services) {
    if (only && !only.has(s.name)) continue;
    const from = previous.get(s.name);
    if (from !== undefined && from !== s.status) out.push({ service: s.name, from, to: s.status, score: s.score });
  }
  return out;
}

export function webhookPayload(format: "json" | "slack", changes: readonly StatusChange[], report: Pick<Report, "status" | "score" | "startedAt">): unknown {
  if (format === "slack") {
    const lines = changes.map((c) => `• *${c.service}*: ${c.from} → *${c.to}*${c.score !== null ? ` (score ${c.score})` : ""}`);
    return { text: redact(`standby: ${changes.length === 1 ? "a service changed status" : `${changes.length} services changed status`} (overall ${report.status}, score ${report.score})\n${lines.join("\n")}`) };
  }
  return JSON.parse(redact(JSON.stringify({ event: "standby.status_changed", at: report.startedAt, status: report.status, score: report.score, changes })));
}

export interface NotifyOptions {
  log?: (line: string) => void;
  /** Backoff before retry n (1-based) in ms; default 500 * 2^(n-1). */
  backoffMs?: (attempt: number) => number;
  fetchImpl?: typeof fetch;
  /** Cancels waiting and sending (watch shutdown). */
  signal?: AbortSignal;
}

/** Sends one notification; resolves true when delivered (2xx), false after logging the failure. */
export async function sendWebhook(hook: WebhookSettings, payload: unknown, opts: NotifyOptions = {}): Promise<boolean> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const doFetch = opts.fetchImpl ?? fetch;
  const backoff = opts.backoffMs ?? ((n: number) => 500 * 2 ** (n - 1));
  const where = safeOrigin(hook.url);
  const body = JSON.stringify(payload);
  let lastError = "";
  for (let attempt = 0; attempt <= hook.retries; attempt++) {
    if (attempt > 0) {
      const ok = await sleep(backoff(attempt), opts.signal);
      if (!ok) break;
    }
    try {
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(hook.timeoutMs)]) : AbortSignal.timeout(hook.timeoutMs);
      const res = await doFetch(hook.url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "standby" }, body, signal, redirect: "error" });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return true;
      lastError = `HTTP ${res.status}`;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break; // will not get better
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      lastError = e.name === "TimeoutError" ? `timed out after ${hook.timeoutMs}ms` : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err));
    }
    if (opts.signal?.aborted) break;
  }
  log(redact(`standby: notify: webhook ${where} failed (${lastError || "cancelled"}); the status change was not delivered`));
  return false;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
