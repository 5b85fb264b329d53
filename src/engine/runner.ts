// Runs checks with bounded concurrency, a per-check timeout through AbortSignal, and crash isolation.
import { getMaxListeners, setMaxListeners } from "node:events";
import { formatDuration } from "../core/duration.js";
import { redactDeep, redactFreeText } from "../core/secrets.js";
import { makeContext, waitingFor, type ContextInput } from "./context.js";
import { RunScope } from "./scope.js";
import { isReasoned } from "./failure.js";
import { setOwn } from "../core/own-property.js";
import { checkPoints } from "./score.js";
import { CHECK_STATUSES, UNKNOWN_REASONS, type CheckDefinition, type CheckOutcome, type CheckReport, type Finding, type RunnableCheck, type RunSettings } from "./types.js";

export interface RunOptions {
  concurrency?: number;
  /** Cancels the whole scan (SIGINT, watch shutdown). */
  signal?: AbortSignal;
  now?: () => Date;
  onStart?: (check: RunnableCheck) => void;
  onResult?: (result: CheckReport) => void;
  /** Shared by the checks of this run (the AWS client pool); one per runChecks() when absent. */
  scope?: RunScope;
}

/** Named like DOMException's TimeoutError so probes that classify aborts see a timeout. */
class CheckTimeout extends Error {
  override name = "TimeoutError";
}

export async function runChecks(config: RunSettings, checks: readonly RunnableCheck[], opts: RunOptions = {}): Promise<CheckReport[]> {
  const results: CheckReport[] = new Array(checks.length);
  let next = 0;
  const width = Math.max(1, Math.min(opts.concurrency ?? config.concurrency, checks.length));
  if (opts.signal) allowRunListeners(opts.signal, width);
  // One scope per scan: its checks share AWS clients and one retry budget per endpoint, and a
  // watch loop's next scan starts with a new one.
  const scope = opts.scope ?? new RunScope();
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const i = next++;
      const check = checks[i]!;
      opts.onStart?.(check);
      results[i] = await runOne(config, check, { ...opts, scope });
      opts.onResult?.(results[i]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: width }, worker));
  } finally {
    if (!opts.scope) await scope.close();
  }
  return results;
}

/**
 * Each running check listens to the scan's signal until it ends: up to `concurrent` listeners at
 * once, all removed again. Raise the signal's limit so Node does not warn of a leak past 10.
 */
export function allowRunListeners(signal: AbortSignal, concurrent: number): void {
  setMaxListeners(Math.max(getMaxListeners(signal), concurrent + 10), signal);
}

export async function runOne(config: Pick<RunSettings, "objectives" | "baseDir">, check: RunnableCheck, opts: RunOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const outcome = await settle(check.definition, check.options, {
    signal: opts.signal,
    now: opts.now,
    service: check.service,
    objectives: config.objectives,
    timeoutMs: check.timeoutMs,
    baseDir: config.baseDir,
    check: { id: check.id, severity: check.severity },
    scope: opts.scope,
  });
  const durationMs = Math.round(performance.now() - started);
  // What decides the verdict (status, reason, severity, kind, ids, names) stays raw: only free
  // text is redacted, so a secret equal to "fail" or to a service name cannot bend the score.
  return {
    ...identityOf(check),
    status: outcome.status,
    reason: outcome.status === "unknown" ? (outcome.reason ?? "error") : null,
    summary: redactFreeText(outcome.summary),
    measured: outcome.measured ? redactDeep(outcome.measured, FREE_TEXT) : null,
    ...(!outcome.measured && outcome.reading ? { reading: redactDeep(outcome.reading, FREE_TEXT) } : {}),
    findings: (outcome.findings ?? []).map(redactFinding),
    ...(outcome.evidence ? { evidence: redactDeep(outcome.evidence, FREE_TEXT) } : {}),
    durationMs,
    points: checkPoints(check.severity, outcome.status),
    docs: check.definition.meta.docs,
    location: check.location,
  };
}

/** What names a check in the report, whatever its result: the runner's and a seeded result's. */
export function identityOf(check: RunnableCheck): Pick<CheckReport, "id" | "service" | "kind" | "title" | "severity"> {
  return { id: check.id, service: check.service.name, kind: check.kind, title: check.definition.meta.title, severity: check.severity };
}

export interface SettleInput extends Omit<ContextInput, "signal" | "timeoutMs"> {
  timeoutMs: number;
  /** The scan's signal (cancellation); the check's own deadline is added here. */
  signal?: AbortSignal;
}

/**
 * One run of a kind, fail-safe: its context's signal aborts at the check's timeout, a reasoned
 * error (ProbeError) becomes `unknown` with its own reason and message, anything else thrown is
 * "check crashed", and a malformed result is not trusted. The runner and the check tester both
 * come through here, so a kind is tested exactly as it runs.
 */
export async function settle(definition: CheckDefinition, options: unknown, input: SettleInput): Promise<CheckOutcome> {
  // One controller per run, linked to the scan's signal by a listener removed in `finally`:
  // AbortSignal.any() on Node 20 never frees a combined signal whose sources do not abort,
  // which leaks per run in a long-lived watch process.
  const run = new AbortController();
  const timeout = new CheckTimeout(`timed out after ${formatDuration(input.timeoutMs)}`);
  const timer = setTimeout(() => run.abort(timeout), input.timeoutMs);
  // The signal tells the check its time is up; the hard stop comes a grace later, so a kind
  // whose probes honour the signal can still say which reading was missing and keep what the
  // others found (a failure on one side stands when the other timed out).
  const hardStop = new AbortController();
  const graceTimer = setTimeout(() => hardStop.abort(timeout), input.timeoutMs + graceFor(input.timeoutMs));
  const onParentAbort = (): void => {
    run.abort(input.signal?.reason);
    hardStop.abort(input.signal?.reason);
  };
  if (input.signal?.aborted) onParentAbort();
  else input.signal?.addEventListener("abort", onParentAbort, { once: true });
  // A run of its own (continuous mode, the check tester) gets a scope of its own, closed here.
  const scope = input.scope ?? new RunScope();
  const ctx = makeContext({ ...input, signal: run.signal, scope });
  try {
    if (run.signal.aborted) throw run.signal.reason;
    // The race enforces the deadline even for a check that ignores its signal.
    return sanitize(await Promise.race([definition.run(options as never, ctx), rejectOnAbort(hardStop.signal)]));
  } catch (err) {
    return fromError(err, run.signal, waitingFor(ctx));
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    input.signal?.removeEventListener("abort", onParentAbort);
    if (!input.scope) await scope.close();
  }
}

/** Time a check gets after its signal aborted to return what it has: 10% of its timeout, 50ms..1s. */
function graceFor(timeoutMs: number): number {
  return Math.min(1000, Math.max(50, Math.round(timeoutMs / 10)));
}

const FREE_TEXT = { freeText: true } as const;

/** A finding's text and values are free text; its level and change are the renderers' vocabulary. */
const RAW_FINDING_KEYS = new Set(["level", "change", "firstSeen"]);
function redactFinding(f: Finding): Finding {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) setOwn(out, k, RAW_FINDING_KEYS.has(k) ? v : redactDeep(v, FREE_TEXT));
  return out as unknown as Finding;
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function fromError(err: unknown, signal: AbortSignal, waiting: readonly string[]): CheckOutcome {
  // A probe's own words name its target ("standby https://host: timed out after 3s").
  if (isReasoned(err)) return { status: "unknown", reason: err.reason, summary: err.message };
  const timeout = err instanceof CheckTimeout ? err : signal.reason instanceof CheckTimeout ? signal.reason : null;
  if (timeout) {
    const what = waiting.length > 0 ? ` waiting for ${waiting.join(", ")}` : "";
    return { status: "unknown", reason: "timeout", summary: `${timeout.message}${what}` };
  }
  if (signal.aborted) return { status: "unknown", reason: "error", summary: "scan cancelled before the check finished" };
  const message = err instanceof Error ? err.message : String(err);
  return { status: "unknown", reason: "error", summary: `check crashed: ${redactFreeText(message)}` };
}

/** A check that returns nonsense is not trusted: malformed results become unknown. */
function sanitize(outcome: unknown): CheckOutcome {
  if (!outcome || typeof outcome !== "object") return { status: "unknown", reason: "error", summary: "check returned no result" };
  const o = outcome as CheckOutcome;
  if (!CHECK_STATUSES.includes(o.status)) return { status: "unknown", reason: "error", summary: `check returned an invalid status ${JSON.stringify(o.status)}` };
  const summary = typeof o.summary === "string" && o.summary ? o.summary : o.status;
  const reason = o.status === "unknown" ? (o.reason && UNKNOWN_REASONS.includes(o.reason) ? o.reason : "error") : null;
  return { ...o, summary, reason, findings: Array.isArray(o.findings) ? o.findings : [] };
}
