// The common end of a check that gathers findings from several readings (sides, addresses).
import type { CheckOutcome, Finding, Measured, UnknownReason } from "./types.js";

export interface Undecided {
  reason: UnknownReason;
  message: string;
}

export interface VerdictInput<E extends object = Record<string, unknown>> {
  findings: Finding[];
  /** Readings that could not be taken (an address, a side): the result cannot be a pass. */
  undecided: readonly Undecided[];
  measured: Measured | null;
  /**
   * The rules whose findings `measured` is about (`expiry`, `over-limit`). A check that fails or
   * warns on other findings only leaves `measured` out: a JWKS-parity failure must not read as if
   * the token lifetime printed beside it had failed (it moves to `reading`). Omitted: `measured`
   * always stays.
   */
  measuredRules?: readonly string[];
  evidence: E;
  /** The summary when nothing failed, warned or went unread. */
  passSummary: () => string;
}

/**
 * Fail beats unknown beats warn beats pass: a definite failure stands even when another reading
 * could not be taken; anything less with an unread reading is undecided, never a pass.
 */
export function verdict<E extends object>({ findings, undecided, measured, measuredRules, evidence, passSummary }: VerdictInput<E>): CheckOutcome<E> {
  const failing = findings.filter((f) => (f.level ?? "fail") === "fail");
  const warning = findings.filter((f) => f.level === "warn");
  // An unknown check keeps what it measured: it did not fail on anything else.
  const decisive = failing.length > 0 || undecided.length === 0;
  const shown = decisive ? measuredAbout(measured, measuredRules, failing, warning) : measured;
  const base = { measured: shown, ...(shown === null && measured !== null ? { reading: measured } : {}), findings, evidence };
  if (failing.length > 0) return { status: "fail", summary: headline(failing, failing.length + warning.length), ...base };
  if (undecided.length > 0) return { status: "unknown", reason: undecided[0]!.reason, summary: undecided.map((u) => u.message).join("; "), ...base };
  if (warning.length > 0) return { status: "warn", summary: headline(warning, warning.length), ...base };
  return { status: "pass", summary: passSummary(), ...base };
}

/** `measured`, unless the check fails or warns and no failing or warning finding is about it. */
function measuredAbout(measured: Measured | null, rules: readonly string[] | undefined, failing: Finding[], warning: Finding[]): Measured | null {
  if (!measured || !rules || (failing.length === 0 && warning.length === 0)) return measured;
  return [...failing, ...warning].some((f) => f.rule !== undefined && rules.includes(f.rule)) ? measured : null;
}

/** The first finding's message, and how many more there are. */
function headline(top: Finding[], total: number): string {
  return total > 1 ? `${top[0]!.message} (+${total - 1} more)` : top[0]!.message;
}
