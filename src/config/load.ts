// Loads standby.yml: YAML with positions -> ${env:}/${file:} refs -> zod schema -> each kind's options.
import { dirname, relative, resolve } from "node:path";
import type { z } from "zod";
import { allKinds, getKind, kinds } from "../../checks/registry.js";
import type { CheckDefinition, CheckLocation, Objectives, RunnableCheck, ServiceInfo, Severity } from "../engine/types.js";
import { closestName, ConfigError, didYouMean, formatPath, type ConfigIssue, type PathSegment } from "./errors.js";
import { prefetchFileRefs, resolveRefs, type FileRefResult, type RefError } from "./refs.js";
import { configReaches } from "./config-reaches.js";
import { missingInputFiles } from "./input-files.js";
import { isUnder, notConfigured, notConfiguredWhy, parseAround, splitUnresolved, type RefMode } from "./unresolved.js";
import { CONFIG_MAX_BYTES, FileReadError, mib, readRegularFile, readRegularFileSync } from "../fs/regular-file.js";
import { makePolicy, reachRefusal, redirectGuardFor, type TrustPolicy, type UntrustedSettings } from "./trust.js";
import { CHECK_BASE_KEYS, configSchema, DEFAULT_SCHEDULE } from "./schema.js";
import { secrets as processSecrets, type SecretRegistry } from "../core/secrets.js";
import { parseYaml, positionOf, type PositionedYaml } from "./yaml-document.js";
import { cronProblem, timezoneProblem } from "../schedule/cron.js";
import { setOwn } from "../core/own-property.js";
import { defOf } from "../core/zod-def.js";
import { setRedirectGuard } from "../probes/redirect-guard.js";

export interface LoadedCheck extends RunnableCheck {
  schedule: string;
  timezone?: string;
  location: CheckLocation;
}

export interface HistorySettings {
  enabled: boolean;
  /** Absolute path. */
  file: string;
  maxBytes: number;
}

export interface WebhookSettings {
  url: string;
  format: "json" | "slack";
  timeoutMs: number;
  retries: number;
}

export interface LoadedConfig {
  file: string;
  baseDir: string;
  objectives: Objectives;
  minScore: number;
  concurrency: number;
  services: ServiceInfo[];
  checks: LoadedCheck[];
  /** Optional so hand-built configs (tests, the Action) need not set them; the loader always does. */
  history?: HistorySettings;
  watch?: { listen: string; jitterMs: number };
  notify?: { webhook?: WebhookSettings };
  /** References with no value that are no error (per-check and offline modes), at their places, saying what follows. */
  unresolved?: ConfigIssue[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  secrets?: SecretRegistry;
  /** How the file is named in messages (default: relative to cwd). */
  displayName?: string;
  /** Untrusted-config mode (trust.ts): no commands, allowed env names only, files in the workspace, allowed hosts. */
  untrusted?: UntrustedSettings;
  /** What a reference with no value does (unresolved.ts): strict (default: a config error), per-check, offline (none is read). */
  refs?: RefMode;
  /** Report the input files that checks would read and that do not exist (validate). */
  inputFiles?: boolean;
}

function displayOf(path: string, opts: LoadOptions): string {
  return opts.displayName ?? (relative(process.cwd(), path) || path);
}

function readProblem(display: string, err: unknown): ConfigError {
  const why = err instanceof FileReadError ? (err.code === "EFBIG" ? `${err.message}, the limit for a config file: not parsed` : err.message) : `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  return new ConfigError([{ file: display, line: 1, column: 1, path: "", message: why }]);
}

export function loadConfigFile(path: string, opts: LoadOptions = {}): LoadedConfig {
  const display = displayOf(path, opts);
  let text: string;
  try {
    text = readRegularFileSync(path, CONFIG_MAX_BYTES);
  } catch (err) {
    throw readProblem(display, err);
  }
  return loadConfigText(text, { ...opts, displayName: display, baseDir: dirname(resolve(path)) });
}

/**
 * loadConfigFile for a process that must keep serving while it loads (watch's SIGHUP reload):
 * the config and every ${file:} are read with fs/promises first, then the synchronous pipeline runs.
 */
export async function loadConfigFileAsync(path: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const display = displayOf(path, opts);
  let text: string;
  try {
    text = await readRegularFile(path, CONFIG_MAX_BYTES);
  } catch (err) {
    throw readProblem(display, err);
  }
  const baseDir = dirname(resolve(path));
  const parsed = parseConfigText(text, display);
  const policy = opts.untrusted ? makePolicy(opts.untrusted) : undefined;
  const files = await prefetchFileRefs(parsed.value, baseDir, policy);
  return loadParsed(text, parsed, { ...opts, displayName: display, baseDir }, policy, files);
}

export function loadConfigText(text: string, opts: LoadOptions & { baseDir: string }): LoadedConfig {
  const file = opts.displayName ?? "standby.yml";
  return loadParsed(text, parseConfigText(text, file), opts, opts.untrusted ? makePolicy(opts.untrusted) : undefined);
}

/** The YAML with positions; the size cap comes first, so a huge config is refused before any parse. */
function parseConfigText(text: string, file: string): PositionedYaml {
  if (text.length > CONFIG_MAX_BYTES || Buffer.byteLength(text) > CONFIG_MAX_BYTES) {
    throw new ConfigError([{ file, line: 1, column: 1, path: "", message: `is larger than ${mib(CONFIG_MAX_BYTES)}, the limit for a config file: not parsed` }]);
  }
  const parsed = parseYaml(text, file);
  if (!parsed.yaml) throw new ConfigError(parsed.issues);
  return parsed.yaml;
}

function loadParsed(
  text: string,
  y: PositionedYaml,
  opts: LoadOptions & { baseDir: string },
  policy: TrustPolicy | undefined,
  files?: ReadonlyMap<string, FileRefResult>,
): LoadedConfig {
  const file = opts.displayName ?? "standby.yml";
  // The probes follow redirects only within allowed-hosts too (the config's URLs are checked below).
  setRedirectGuard(redirectGuardFor(policy));
  const issueAt = (path: PathSegment[], message: string, atKey = false): ConfigIssue => ({
    file,
    ...positionOf(y, path, atKey),
    path: formatPath(path),
    message,
  });

  if (y.value === null || typeof y.value !== "object" || Array.isArray(y.value)) {
    throw new ConfigError([issueAt([], "expected a mapping with version, services, ...")]);
  }

  // A secret that equals a word of the config (an id, a service name) is matched as a whole word only.
  (opts.secrets ?? processSecrets).addVocabulary(text);
  const refErrors: RefError[] = [];
  const mode = opts.refs ?? "strict";
  const resolved = resolveRefs(y.value, { env: opts.env ?? process.env, baseDir: opts.baseDir, secrets: opts.secrets ?? processSecrets, policy, files, offline: mode === "offline" }, refErrors);
  const unresolved = splitUnresolved(refErrors, mode);
  const refIssues = unresolved.errors.map((e) => issueAt(e.path, e.message));
  const quietIssues = unresolved.quiet.map((e) => issueAt(e.path, e.note));
  const issues = [...refIssues];
  // Refusals are listed whether or not the rest is valid: one run names everything to fix.
  if (policy) issues.push(...trustIssues(resolved, opts.baseDir, policy, issueAt));
  if (opts.inputFiles) issues.push(...missingInputFiles(configReaches(resolved), opts.baseDir, policy).map((m) => issueAt(m.path, m.message)));
  // Complaints about a value with no known value only echo that: the rest is judged around it.
  const unknown = [...unresolved.errors, ...unresolved.quiet].map((e) => e.path);
  const echoOf = [...refIssues, ...quietIssues];

  const top = parseAround(configSchema, resolved, (p) => unknown.some((u) => isUnder(p, u)));
  if (!top.success) {
    issues.push(...zodIssues(top.error.issues, [], configSchema, issueAt));
    // Still report problems inside check options, so one run lists everything to fix.
    const rawServices = (resolved as { services?: unknown }).services;
    if (Array.isArray(rawServices)) {
      rawServices.forEach((svc, si) => {
        const checks = (svc as { checks?: unknown } | null)?.checks;
        if (!Array.isArray(checks)) return;
        checks.forEach((entry, ci) => {
          if (entry && typeof entry === "object" && typeof (entry as { kind?: unknown }).kind === "string") {
            issues.push(...checkOptionIssues(entry as Record<string, unknown>, ["services", si, "checks", ci], issueAt).issues);
          }
        });
      });
    }
    issues.push(...crossCheckIssues(resolved, y, issueAt));
    const left = withoutRefEchoes(issues, echoOf);
    // Nothing but echoes: a value the config cannot do without (a service's name) has no value.
    const needed = unresolved.quiet.filter((q) => top.error.issues.some((i) => isUnder(i.path as PathSegment[], q.path)));
    throw new ConfigError(sortIssues(dedupe(left.length > 0 ? left : needed.map((q) => issueAt(q.path, `${q.unresolved}; the config cannot be loaded without its value`)))));
  }
  issues.push(...crossCheckIssues(resolved, y, issueAt));
  const cfg = top.data;
  const loadedChecks: LoadedCheck[] = [];
  const services: ServiceInfo[] = [];

  cfg.services.forEach((svc, si) => {
    const service: ServiceInfo = { name: svc.name, primary: { vars: svc.primary.vars }, standby: { vars: svc.standby.vars } };
    services.push(service);
    // Option keys come from the entry as written: zod's copy of a loose object drops an own "__proto__".
    const written = (resolved as { services: Array<{ checks: Record<string, unknown>[] }> }).services[si]!.checks;
    svc.checks.forEach((parsedBase, ci) => {
      const base: PathSegment[] = ["services", si, "checks", ci];
      const entry = { ...written[ci], ...parsedBase } as Record<string, unknown> & { id: string; kind: string };
      const { definition, options, issues: optionIssues } = checkOptionIssues(entry, base, issueAt);
      issues.push(...optionIssues);
      // A secret it needs is not set: the check stays in the report, unknown/not-configured, and never runs.
      const why = notConfiguredWhy(unresolved, si, ci);
      if (!definition || (!options && !why)) return;
      const base0 = parsedBase as unknown as { severity?: Severity; timeout?: number; schedule?: string; timezone?: string };
      const loc = positionOf(y, base);
      loadedChecks.push({
        id: entry.id,
        kind: entry.kind,
        severity: base0.severity ?? definition.meta.defaultSeverity,
        timeoutMs: base0.timeout ?? cfg.defaults.timeout,
        schedule: base0.schedule ?? cfg.defaults.schedule,
        timezone: base0.timezone ?? cfg.defaults.timezone,
        // Not configured, its options are why: a reload (watch) that changes the reason is a new definition.
        options: why ? { notConfigured: why } : options!,
        definition: why ? notConfigured(definition, why) : definition,
        service,
        location: { file, line: loc.line, column: loc.column },
      });
    });
  });

  const left = withoutRefEchoes(issues, echoOf);
  if (left.length > 0) throw new ConfigError(sortIssues(left));
  return {
    file,
    baseDir: opts.baseDir,
    objectives: { rpo: cfg.objectives.rpo, rto: cfg.objectives.rto },
    minScore: cfg.scoring.minScore,
    concurrency: cfg.defaults.concurrency,
    services,
    checks: loadedChecks,
    history: { enabled: cfg.history.enabled, file: resolve(opts.baseDir, cfg.history.file), maxBytes: Math.round(cfg.history.maxSizeMb * 1024 * 1024) },
    watch: { listen: cfg.watch.listen, jitterMs: cfg.watch.jitter },
    ...(quietIssues.length > 0 ? { unresolved: sortIssues(quietIssues) } : {}),
    notify: cfg.notify.webhook && !unresolved.webhookOff ? { webhook: { url: cfg.notify.webhook.url, format: cfg.notify.webhook.format, timeoutMs: cfg.notify.webhook.timeout, retries: cfg.notify.webhook.retries } } : {},
  };
}

/**
 * What no schema sees, read from the config as written so that it is reported in the same run as
 * schema problems: duplicate service names and check ids, cron schedules and time zones.
 * Values of the wrong type are left to the schema.
 */
function crossCheckIssues(raw: unknown, y: PositionedYaml, issueAt: IssueAt): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  // Each distinct value is parsed once, and reported at every place that sets it.
  const cronSeen = new Map<string, string | null>();
  const zoneSeen = new Map<string, string | null>();
  const memo = (seen: Map<string, string | null>, value: string, judge: (v: string) => string | null): string | null => {
    if (!seen.has(value)) seen.set(value, judge(value));
    return seen.get(value)!;
  };
  const scheduleAndZone = (holder: Record<string, unknown>, path: PathSegment[]): void => {
    // The built-in default needs no parse: cron-parser's first parse initialises ICU (~12 ms of a scan's start).
    if (typeof holder.schedule === "string" && holder.schedule !== DEFAULT_SCHEDULE) {
      const p = memo(cronSeen, holder.schedule, (v) => cronProblem(v));
      if (p) out.push(issueAt([...path, "schedule"], p));
    }
    if (typeof holder.timezone === "string") {
      const p = memo(zoneSeen, holder.timezone, timezoneProblem);
      if (p) out.push(issueAt([...path, "timezone"], p));
    }
  };
  const root = obj(raw);
  const defaults = obj(root?.defaults);
  if (defaults) scheduleAndZone(defaults, ["defaults"]);
  const seenServices = new Set<string>();
  const seenIds = new Map<string, string>();
  const services = Array.isArray(root?.services) ? root.services : [];
  services.forEach((rawService, si) => {
    const svc = obj(rawService);
    if (!svc) return;
    if (typeof svc.name === "string") {
      if (seenServices.has(svc.name)) out.push(issueAt(["services", si, "name"], `duplicate service name '${svc.name}'`));
      seenServices.add(svc.name);
    }
    const checks = Array.isArray(svc.checks) ? svc.checks : [];
    checks.forEach((rawCheck, ci) => {
      const check = obj(rawCheck);
      if (!check) return;
      const base: PathSegment[] = ["services", si, "checks", ci];
      if (typeof check.id === "string") {
        const firstAt = seenIds.get(check.id);
        if (firstAt) out.push(issueAt([...base, "id"], `duplicate check id '${check.id}' (first defined at ${firstAt})`));
        else seenIds.set(check.id, `line ${positionOf(y, [...base, "id"]).line}`);
      }
      scheduleAndZone(check, base);
    });
  });
  return out;
}

/** Validates one check entry's kind and the options its kind declares. */
function checkOptionIssues(entry: Record<string, unknown>, base: PathSegment[], issueAt: IssueAt): { definition?: CheckDefinition; options?: Record<string, unknown>; issues: ConfigIssue[] } {
  const kind = String(entry.kind);
  const definition = getKind(kind);
  if (!definition) {
    return { issues: [issueAt([...base, "kind"], `unknown check kind '${kind}'${didYouMean(kind, kinds())}; known kinds: ${kinds().join(", ")}`)] };
  }
  const optionInput: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!CHECK_BASE_KEYS.includes(k)) setOwn(optionInput, k, v);
  const parsed = definition.options.strict().safeParse(optionInput, { reportInput: true });
  if (!parsed.success) return { definition, issues: zodIssues(parsed.error.issues, base, definition.options, issueAt, CHECK_BASE_KEYS) };
  return { definition, options: parsed.data as Record<string, unknown>, issues: [] };
}

/**
 * Untrusted-config mode: each command, file and network target that the config (top level and
 * each check, by its kind's option tags) reaches and the policy refuses, at its place.
 */
function trustIssues(resolved: unknown, baseDir: string, policy: TrustPolicy, issueAt: IssueAt): ConfigIssue[] {
  const reaches = configReaches(resolved);
  return reaches.flatMap((r) => {
    const why = reachRefusal(r, baseDir, policy);
    return why ? [issueAt(r.path, why)] : [];
  });
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.column}:${i.path}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type IssueAt = (path: PathSegment[], message: string, atKey?: boolean) => ConfigIssue;

function zodIssues(list: readonly z.core.$ZodIssue[], prefix: PathSegment[], root: z.ZodType, issueAt: IssueAt, extraKeys: string[] = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  // A misspelt key and what it was meant to be are one mistake: `fille` says "did you mean
  // 'file'?", and `file` is not also "required", nor is a rule's complaint that names the key meant
  // ("expected exactly one source: http, redis or file" beside `htp`): it goes once the key is
  // fixed. Paths relative to `list`.
  const meant = new Map<string, string>(); // [...object path, key] -> the key meant
  const meantIn = new Map<string, string[]>(); // object path -> the keys meant in it
  const at = (p: readonly PropertyKey[]) => JSON.stringify(p);
  for (const issue of list) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = [...objectKeys(schemaAt(root, issue.path as PathSegment[])), ...(issue.path.length === 0 ? extraKeys : [])];
    for (const key of issue.keys) {
      const best = closestName(key, known);
      if (best === null) continue;
      meant.set(at([...issue.path, key]), best);
      meantIn.set(at(issue.path), [...(meantIn.get(at(issue.path)) ?? []), best]);
    }
  }
  const foldedAway = (issue: z.core.$ZodIssue): boolean => {
    if (isMissing(issue) && issue.path.length > 0 && (meantIn.get(at(issue.path.slice(0, -1))) ?? []).includes(String(issue.path.at(-1)))) return true;
    if (issue.code !== "custom" || meant.size === 0) return false;
    const words = new Set(issue.message.split(/[^\w-]+/));
    return [...meant.values()].some((best) => words.has(best));
  };
  for (const issue of list) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const best = meant.get(at([...issue.path, key]));
        out.push(issueAt([...path, key], `unknown key '${key}'${best === undefined ? "" : ` (did you mean '${best}'?)`}`, true));
      }
      continue;
    }
    if (foldedAway(issue)) continue;
    if (prefix.length === 0 && root === configSchema && path.length === 1 && path[0] === "version" && isMissing(issue)) {
      out.push(issueAt(path, "missing: add `version: 1` as the first line (comments may come before it)"));
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the alternative that came closest (fewest problems, each judged against its own
      // keys for "did you mean") instead of "invalid input".
      const union = defOf(schemaAt(root, issue.path as PathSegment[]));
      const options = union.type === "union" ? (union.options as z.ZodType[] | undefined) : undefined;
      const candidates = issue.errors.map((errs, i) => zodIssues(errs, path, options?.[i] ?? schemaAt(root, issue.path as PathSegment[]), issueAt));
      // An alternative that does not know the value's own keys is the wrong shape, however few its problems.
      const misfit = issue.errors.map((errs) => errs.reduce((n, e) => n + (e.code === "unrecognized_keys" && e.path.length === 0 ? e.keys.length : 0), 0));
      const best = candidates.reduce((a, b, i) => (misfit[i]! < misfit[candidates.indexOf(a)]! || (misfit[i] === misfit[candidates.indexOf(a)] && b.length < a.length) ? b : a));
      if (best.length > 0) {
        out.push(...best);
        continue;
      }
    }
    out.push(issueAt(path, humanMessage(issue)));
  }
  return out;
}

/** The value is not there at all (reportInput gives `input: undefined`). */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return ("input" in issue && issue.input === undefined) || (issue.code === "invalid_type" && /received undefined$/.test(issue.message));
}

/** Peel wrappers (optional, default, pipe...) to reach the structural schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    const inner = d.innerType ?? (d.type === "pipe" ? d.in : undefined);
    if (!inner) break;
    s = inner;
  }
  return s;
}

/** The sub-schema at a path, best effort (through a union, the first option that has the segment). */
function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType {
  let s = unwrap(root);
  for (const seg of path) {
    const next = childSchema(s, seg);
    if (!next) return s;
    s = unwrap(next);
  }
  return s;
}

function childSchema(s: z.ZodType, seg: PathSegment): z.ZodType | undefined {
  const d = defOf(s);
  if (d.type === "union") {
    for (const option of d.options ?? []) {
      const next = childSchema(unwrap(option), seg);
      if (next) return next;
    }
    return undefined;
  }
  return d.type === "object" ? d.shape?.[String(seg)] : d.type === "array" ? d.element : d.type === "record" ? d.valueType : undefined;
}

/** The keys an object schema knows; for a union (zod reports a lone near match as its own), every option's. */
function objectKeys(schema: z.ZodType): string[] {
  const d = defOf(schema);
  if (d.type === "union") return [...new Set((d.options ?? []).flatMap((o) => objectKeys(unwrap(o))))];
  return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

function humanMessage(issue: z.core.$ZodIssue): string {
  let m = issue.message.replace(/^Invalid input: /, "");
  // zod's default size messages ("Too small: expected string to have >=1 characters"), in words.
  if ((issue.code === "too_small" || issue.code === "too_big") && /^Too (small|big):/.test(m)) m = sizeMessage(issue);
  if (issue.code === "invalid_type" && /received undefined$/.test(m)) m = `required: ${m.replace(/, received undefined$/, "")}`;
  if (issue.code === "invalid_value" && "values" in issue) {
    const vals = issue.values.map((v) => JSON.stringify(v));
    m = vals.length === 1 ? `expected ${vals[0]}` : `expected one of ${vals.join(", ")}`;
    if ("input" in issue && issue.input !== undefined) m += `, got ${JSON.stringify(issue.input)}`;
  }
  return m;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === "too_small";
  const n = Number(small ? issue.minimum : issue.maximum);
  const exclusive = issue.inclusive === false;
  const bound = small ? (exclusive ? "more than" : "at least") : exclusive ? "fewer than" : "at most";
  if (issue.origin === "string") return small && n === 1 && !exclusive ? "expected a non-empty string" : `expected ${bound} ${n} characters`;
  if (issue.origin === "array" || issue.origin === "set") return `expected ${bound} ${n} item${n === 1 ? "" : "s"}`;
  const op = small ? (exclusive ? ">" : ">=") : exclusive ? "<" : "<=";
  return `expected a number ${op} ${n}`;
}

/** Schema complaints about a value whose ${env:}/${file:} reference did not resolve only echo that failure. */
function withoutRefEchoes(issues: ConfigIssue[], refIssues: readonly ConfigIssue[]): ConfigIssue[] {
  if (refIssues.length === 0) return issues;
  const unresolved = refIssues.map((r) => r.path);
  const under = (path: string, p: string) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
  return issues.filter((i) => refIssues.includes(i) || !unresolved.some((p) => under(i.path, p)));
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Every kind's option keys, for the JSON Schema and list-checks. */
export function kindDefinitions(): CheckDefinition[] {
  return allKinds();
}
