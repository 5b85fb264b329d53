// Action inputs, read the way the runner passes them: INPUT_<NAME> environment variables,
// the name upper-cased with spaces as underscores and hyphens kept (`INPUT_MIN-SCORE`).
// action.yml declares the same names and defaults; test/action/action-yml.test.ts keeps the
// two in step (every input read here exists in action.yml, and the reverse).
import { parseHostPattern } from "../config/hosts.js";
import type { FailOn } from "../engine/score.js";
import { FORMATS, isFormat, type Format } from "../report/index.js";

/** Defaults, identical to action.yml's (the runner supplies those; these cover a direct run). */
export const INPUT_DEFAULTS = {
  config: "standby.yml",
  only: "",
  "min-score": "",
  "fail-on": "not-ready",
  format: "",
  "report-path": "standby-report.json",
  "working-directory": ".",
  "trust-config": "",
  "allowed-env": "",
  "allowed-hosts": "",
  "validate-only": "",
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

export interface ActionInputs {
  config: string;
  only: string[];
  /** Overrides scoring.minScore when set. */
  minScore: number | undefined;
  failOn: FailOn;
  /** Extra report formats written beside the JSON report. */
  formats: Format[];
  reportPath: string;
  workingDirectory: string;
  /** true: trusted; false: untrusted; undefined: by the event (untrustedEvent). */
  trustConfig: boolean | undefined;
  /** Names ${env:} may read in untrusted-config mode. */
  allowedEnv: string[];
  /** When not empty, the only hosts standby connects to in untrusted-config mode. */
  allowedHosts: string[];
  /** Validate the config offline (no ${env:}/${file:} read) and stop: no scan, no report. */
  validateOnly: boolean;
}

/** Events whose standby.yml may come from someone else's branch: untrusted-config mode by default. */
export const UNTRUSTED_EVENTS = ["pull_request", "pull_request_target", "workflow_run"] as const;

/** Whether the config is run in untrusted-config mode, and why (for the log). */
export function configTrust(inputs: Pick<ActionInputs, "trustConfig">, env: NodeJS.ProcessEnv): { untrusted: boolean; why: string } {
  const event = env.GITHUB_EVENT_NAME ?? "";
  if (inputs.trustConfig === true) return { untrusted: false, why: "trust-config: true" };
  if (inputs.trustConfig === false) return { untrusted: true, why: "trust-config: false" };
  const byEvent = (UNTRUSTED_EVENTS as readonly string[]).includes(event);
  return { untrusted: byEvent, why: byEvent ? `the ${event} event (trust-config: true opts out)` : `the ${event || "(unknown)"} event` };
}

/** A bad input value: usage error, exit 2 like the CLI. */
export class InputError extends Error {
  constructor(
    readonly input: InputName,
    message: string,
  ) {
    super(`input '${input}': ${message}`);
    this.name = "InputError";
  }
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** The trimmed value, or the action.yml default when unset or blank. */
export function getInput(name: InputName, env: NodeJS.ProcessEnv = process.env): string {
  const value = (env[inputEnvName(name)] ?? "").trim();
  return value === "" ? INPUT_DEFAULTS[name] : value;
}

const FAIL_ON: readonly FailOn[] = ["not-ready", "degraded", "never"];

function list(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const failOn = getInput("fail-on", env);
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new InputError("fail-on", `expected one of ${FAIL_ON.join(", ")}, got ${JSON.stringify(failOn)}`);
  }

  const rawMin = getInput("min-score", env);
  let minScore: number | undefined;
  if (rawMin !== "") {
    minScore = Number(rawMin);
    if (!/^\d+$/.test(rawMin) || minScore < 0 || minScore > 100) {
      throw new InputError("min-score", `expected an integer from 0 to 100, got ${JSON.stringify(rawMin)}`);
    }
  }

  const formats: Format[] = [];
  for (const f of list(getInput("format", env))) {
    if (!isFormat(f)) throw new InputError("format", `expected one of ${FORMATS.join(", ")}, got ${JSON.stringify(f)}`);
    // json is always written (report-path); asking for it again adds nothing.
    if (f !== "json" && !formats.includes(f)) formats.push(f);
  }

  const reportPath = getInput("report-path", env);
  const config = getInput("config", env);
  const workingDirectory = getInput("working-directory", env);
  for (const [name, value] of [["report-path", reportPath], ["config", config], ["working-directory", workingDirectory]] as const) {
    if (value.includes("\0")) throw new InputError(name, "contains a NUL character");
  }

  const trust = getInput("trust-config", env).toLowerCase();
  if (!["", "true", "false"].includes(trust)) throw new InputError("trust-config", `expected true, false or empty (by the event), got ${JSON.stringify(trust)}`);
  const validateOnly = getInput("validate-only", env).toLowerCase();
  if (!["", "true", "false"].includes(validateOnly)) throw new InputError("validate-only", `expected true, false or empty, got ${JSON.stringify(validateOnly)}`);
  const allowedHosts = list(getInput("allowed-hosts", env));
  for (const h of allowedHosts) {
    const p = parseHostPattern(h);
    if (typeof p === "string") throw new InputError("allowed-hosts", p);
  }

  return {
    config,
    only: list(getInput("only", env)),
    minScore,
    failOn: failOn as FailOn,
    formats,
    reportPath,
    workingDirectory,
    trustConfig: trust === "" ? undefined : trust === "true",
    allowedEnv: list(getInput("allowed-env", env)),
    allowedHosts,
    validateOnly: validateOnly === "true",
  };
}
