// The contract between checks, the runner and the renderers (see ../shared/DESIGN.md).
import type { z } from "zod";
import type { RunScope } from "./scope.js";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHECK_STATUSES = ["pass", "warn", "fail", "unknown", "skipped"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * Why a check could not decide. `unreadable-input` is a local input (a file or command named in the config)
 * that does not exist or cannot be read: a typo to fix here, not a standby to worry about.
 * `not-configured` is a secret the check needs that is not set (`${env:X}` unset or empty, a
 * `${file:}` that does not exist): the check did not run. `throttled` is a service that kept refusing
 * for rate (AWS ThrottlingException) after the retries: ask again later, or slower.
 */
export const UNKNOWN_REASONS = ["error", "timeout", "unreachable", "not-authorized", "invalid-response", "unreadable-input", "not-configured", "throttled"] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

export const OVERALL_STATUSES = ["READY", "DEGRADED", "UNKNOWN", "NOT_READY"] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];

/** The two sides every kind compares; named once. */
export const SIDES = ["primary", "standby"] as const;
export type Side = (typeof SIDES)[number];

export const CHANGE_KINDS = ["changed", "missing", "extra", "weaker"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const FINDING_LEVELS = ["fail", "warn", "info"] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];

/** One concrete problem inside a result. Drift findings fill path/change/primary/standby. */
export interface Finding {
  message: string;
  /** fail (default) or warn: lets a check mix hard problems and early warnings. */
  level?: FindingLevel;
  path?: string;
  change?: ChangeKind;
  primary?: unknown;
  /** What the standby was expected to hold, when it differs from `primary` (side-var substitution). */
  expected?: unknown;
  standby?: unknown;
  /** The rule the finding breaks: a short kebab-case id (`expiry`, `jwks-parity`, `at-least`), listed in the kind's README. */
  rule?: string;
  /** Why the rule matters, in one line, when it has a reason to give (a rule pack's reason, an RFC). */
  why?: string;
  /** Set when the finding was accepted by the user (still shown, costs nothing). */
  accepted?: string;
  /** When this problem was first seen (ISO), from the scan history; problem findings only. */
  firstSeen?: string;
  /**
   * Where the finding's value sits in each side's source document (config-drift): object keys
   * and array indexes from the document's root, absent for a side that lacks it. Lets the Action
   * annotate the drifted line of a file.
   */
  at?: Partial<Record<Side, Array<string | number>>>;
}

export interface Measured {
  value: number;
  unit: string;
  limit?: number;
  warnAt?: number;
}

/** What a check's run() returns; `E` is the kind's own evidence interface (checks/<kind>/evidence.ts). */
export interface CheckOutcome<E extends object = Record<string, unknown>> {
  status: CheckStatus;
  reason?: UnknownReason | null;
  summary: string;
  measured?: Measured | null;
  /**
   * What the check measured when that is not what its status is about (then `measured` is
   * absent: a token's lifetime beside a JWKS-parity failure). Kept for the history and the
   * metrics; never shown as the result's measured value. verdict() fills it.
   */
  reading?: Measured | null;
  findings?: Finding[];
  /** Evidence for drill-down (chains, breakdowns, raw readings), typed per kind. Never secrets. */
  evidence?: E;
}

export interface SideInfo {
  vars: Record<string, string>;
}

export interface ServiceInfo {
  name: string;
  primary: SideInfo;
  standby: SideInfo;
}

export interface Objectives {
  /** milliseconds */
  rpo: number;
  /** milliseconds */
  rto: number;
}

export interface CheckContext {
  /** Aborted on the check's timeout or when the scan is cancelled. Pass it to every network call. */
  signal: AbortSignal;
  now(): Date;
  service: ServiceInfo;
  objectives: Objectives;
  /** The check's own timeout in ms: probes use it for their own deadlines. */
  timeoutMs: number;
  /** Directory of the config file: relative paths in options resolve against it. */
  baseDir: string;
  check: { id: string; severity: Severity };
  /**
   * Runs one reading (a side, an address, a file) under a label such as "standby https://host":
   * a check that times out says what it was still waiting for. readSides() labels its sides.
   */
  reading<T>(label: string, step: () => Promise<T>): Promise<T>;
  /** What the checks of this run share (src/engine/scope.ts): the AWS client pool. */
  scope: RunScope;
}

export interface CheckMeta {
  kind: string;
  title: string;
  /** One line for `standby list-checks`. */
  description: string;
  defaultSeverity: Severity;
  docs: string;
}

/** Any kind's options schema: an object schema whose shape each kind declares. */
export type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface CheckDefinition<S extends AnyObjectSchema = AnyObjectSchema, E extends object = object> {
  meta: CheckMeta;
  options: S;
  run(options: z.output<S>, ctx: CheckContext): Promise<CheckOutcome<E>>;
}

/** ESLint-rule style: metadata, options schema and logic declared once, beside each other. */
export function defineCheck<S extends AnyObjectSchema, E extends object = Record<string, unknown>>(def: CheckDefinition<S, E>): CheckDefinition<S, E> {
  return def;
}

export interface CheckLocation {
  file: string;
  line: number;
  column: number;
}

/** A check ready to run: what the runner needs from a loaded config (config's LoadedCheck is one). */
export interface RunnableCheck {
  id: string;
  kind: string;
  severity: Severity;
  timeoutMs: number;
  options: Record<string, unknown>;
  definition: CheckDefinition;
  service: ServiceInfo;
  location?: CheckLocation;
}

/** The scan-wide settings the runner and the report read. */
export interface RunSettings {
  objectives: Objectives;
  /** Directory of the config file: relative paths in options resolve against it. */
  baseDir: string;
  concurrency: number;
}

/** One check's entry in the report. */
export interface CheckReport {
  id: string;
  service: string;
  kind: string;
  title: string;
  severity: Severity;
  status: CheckStatus;
  reason: UnknownReason | null;
  summary: string;
  measured: Measured | null;
  /** See CheckOutcome.reading: set only when `measured` is null. */
  reading?: Measured;
  findings: Finding[];
  evidence?: Record<string, unknown>;
  durationMs: number;
  points: { earned: number; possible: number };
  docs: string;
  location?: CheckLocation;
  /** When this result was measured (ISO): set by the continuous runner (watch, tui). */
  measuredAt?: string;
  /** The result comes from the history, not from a run of this process (watch at start). */
  seeded?: boolean;
  /** A seeded result older than its check's schedule period. */
  stale?: boolean;
}

export interface Points {
  earned: number;
  possible: number;
  excluded: number;
  /** Points of the checks that could not decide (unknown): lost now, but not shown to be lost. */
  undecided: number;
}

export interface ServiceReport {
  name: string;
  status: OverallStatus;
  score: number;
  points: Points;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: "standby"; version: string };
  startedAt: string;
  durationMs: number;
  status: OverallStatus;
  score: number;
  minScore: number;
  points: Points;
  services: ServiceReport[];
  checks: CheckReport[];
  config?: { file: string };
  /** Problems compared with each check's previous run in the history (absent without history). */
  comparison?: Comparison;
  /** Set by --shard I/N: this report covers only that shard's checks; `services` lists every configured service in order (for merge). */
  shard?: { index: number; count: number; services?: string[] };
}

/** One problem in a comparison: a finding (by fingerprint) or a check-level status ("status:unknown:timeout"). */
export interface ComparisonItem {
  check: string;
  service: string;
  fingerprint: string;
  path?: string;
  change?: ChangeKind;
  message?: string;
  firstSeen?: string;
  /** resolved only: when the problem was last seen */
  lastSeen?: string;
}

export interface Comparison {
  /** When the latest earlier scan in the history ran. */
  previousAt: string;
  new: ComparisonItem[];
  resolved: ComparisonItem[];
  persisting: ComparisonItem[];
}
