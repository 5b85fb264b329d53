// Every resolved ${env:}/${file:} value is registered here; every output passes through redact().
//
// How a secret is matched (README: "How redaction matches"):
// - a secret of 4 characters or more that appears nowhere in the config's own text nor in the
//   report's vocabulary (statuses, reasons, severities, field names) is redacted wherever it
//   appears, even inside other words: it cannot be part of an id, a service name or a status;
// - a shorter one, or one the config itself uses ("fail", "orders"), is redacted only in free
//   text (summaries, messages, values, evidence) and only as a whole word, never as a fragment of
//   other words, and never in what decides the verdict.
// - a secret that is a URL also hides its userinfo, path segments and query values.
import { setOwn } from "./own-property.js";
import { CHANGE_KINDS, CHECK_STATUSES, FINDING_LEVELS, OVERALL_STATUSES, SEVERITIES, UNKNOWN_REASONS } from "../engine/types.js";
import { safeDecode } from "./uri.js";
export const REDACTED = "***";

/** Shorter values match too many ordinary words to be redacted inside other text. */
const MIN_FRAGMENT_LENGTH = 4;

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
// Stops at quotes, markup and separators, and skips a value already redacted, so that
// redact() can run again over finished JSON, XML or Markdown without eating its syntax.
const KEYWORD_VALUE = /\b(password|passwd|pwd)=(?!(?:\\?\*){3})([^\s&;"'<>,}\\]+)/gi;

const METRIC_FAMILIES = "standby_aws_credentials_certificate_expiry_limit_seconds standby_aws_credentials_certificate_expiry_timestamp_seconds standby_aws_credentials_certificate_expiry_warn_seconds standby_cache_age_limit_seconds standby_cache_age_seconds standby_cache_age_warn_seconds standby_cache_warmth_limit_ratio standby_cache_warmth_ratio standby_check_duration_seconds standby_check_findings standby_check_info standby_check_last_result_timestamp_seconds standby_check_limit standby_check_limit_bytes standby_check_limit_ratio standby_check_limit_seconds standby_check_measured standby_check_measured_bytes standby_check_measured_ratio standby_check_measured_seconds standby_check_points_earned standby_check_points_possible standby_check_status standby_check_warn standby_check_warn_bytes standby_check_warn_ratio standby_check_warn_seconds standby_checks_excluded standby_config_drift_compared_values standby_config_drift_differences standby_dns_failover_limit_seconds standby_dns_failover_seconds standby_dns_failover_warn_seconds standby_drill_last_timestamp_seconds standby_drill_next_slot_timestamp_seconds standby_drill_required_timestamp_seconds standby_jwt_expiry_limit_seconds standby_jwt_expiry_timestamp_seconds standby_jwt_expiry_warn_seconds standby_min_score standby_points_earned standby_points_possible standby_points_undecided standby_readiness_score standby_ready standby_replication_lag_bytes standby_replication_lag_limit_bytes standby_replication_lag_limit_seconds standby_replication_lag_seconds standby_replication_lag_warn_seconds standby_scan_duration_seconds standby_scan_timestamp_seconds standby_service_score standby_service_status standby_split_brain_writable_nodes standby_status standby_tls_certificate_expiry_limit_seconds standby_tls_certificate_expiry_timestamp_seconds standby_tls_certificate_expiry_warn_seconds standby_watch_check_last_run_timestamp_seconds standby_watch_check_next_run_timestamp_seconds standby_watch_check_running standby_watch_checks standby_watch_config_last_reload_success_timestamp_seconds standby_watch_config_last_reload_successful standby_watch_config_reload_failures_total standby_watch_errors_total standby_watch_history_write_errors_total standby_watch_notifications_total standby_watch_runs_total standby_watch_skipped_overruns_total standby_watch_start_time_seconds standby_watch_up".split(" ");

/**
 * A secret holding report syntax (quotes, `=`, `:`, brackets, white space) could match across a
 * finished document's structure (`"status": "NOT_READY"`, `failures="1"`): such a secret is
 * redacted value by value (every renderer redacts each value before escaping it), never by the
 * last pass over a whole document.
 */
const STRUCTURAL = /[\s"'`=<>{}\[\],:;|\\]/;

/** Words of every report: a secret equal to one of them must not rewrite the report's structure. */
const REPORT_WORDS = [
  ...CHECK_STATUSES, ...UNKNOWN_REASONS, ...SEVERITIES, ...OVERALL_STATUSES, ...CHANGE_KINDS, ...FINDING_LEVELS,
  "schemaVersion", "tool", "name", "version", "standby", "startedAt", "durationMs", "status", "score", "points", "earned",
  "possible", "excluded", "undecided", "minScore", "services", "service", "checks", "check", "id", "kind", "severity",
  "reason", "summary", "measured", "reading", "value", "unit", "limit", "warnAt", "findings", "finding", "message", "level", "path",
  "change", "primary", "expected", "rule", "why", "accepted", "firstSeen", "evidence", "title", "docs", "location", "file",
  "line", "column", "configFile", "measuredAt", "stale", "seeded", "null", "true", "false", "absent", "testsuite",
  "testsuites", "testcase", "failure", "failures", "errors", "tests", "time", "timestamp", "classname", "hostname", "skipped",
  "error", "properties", "property", "HELP", "TYPE", "gauge", "counter",
  // Prometheus families (test/report/secrets.test.ts checks that every family rendered is here).
  ...METRIC_FAMILIES,
].join("\n");

export class SecretRegistry {
  private readonly values = new Set<string>();
  /** Text whose words a secret may equal: the config's own text and the report's words. */
  private vocabulary = REPORT_WORDS.toLowerCase();
  private compiled: Compiled | null = null;

  add(value: string): void {
    for (const v of [value, value.trim()]) this.addOne(v);
    for (const part of urlParts(value.trim())) this.addOne(part);
  }

  private addOne(v: string): void {
    if (v.length === 0 || this.values.has(v)) return;
    this.values.add(v);
    // Secrets also travel URL- and JSON-encoded (headers, query strings, reports).
    for (const enc of [encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]) {
      if (enc !== v) this.values.add(enc);
    }
    this.compiled = null;
  }

  /** Text the config itself is made of (its YAML source): a secret found in it is matched as a whole word only. */
  addVocabulary(text: string): void {
    this.vocabulary += `\n${text.toLowerCase()}`;
    this.compiled = null;
  }

  get size(): number {
    return this.values.size;
  }

  /** Secrets that cannot be part of an id, a name or a report word: safe to redact anywhere (every output, every log). */
  redact(text: string): string {
    const out = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(KEYWORD_VALUE, `$1=${REDACTED}`);
    const { anywhere } = this.patterns();
    return anywhere ? out.replace(anywhere, REDACTED) : out;
  }

  /** The last pass over a finished document: only secrets that cannot span its syntax. */
  redactDocument(text: string): string {
    const out = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(KEYWORD_VALUE, `$1=${REDACTED}`);
    const { tokenLike } = this.patterns();
    return tokenLike ? out.replace(tokenLike, REDACTED) : out;
  }

  /** Free text (summaries, messages, finding values, evidence): also the short or common secrets, as whole words. */
  redactFreeText(text: string): string {
    const out = this.redact(text);
    const { wholeWord } = this.patterns();
    return wholeWord ? out.replace(wholeWord, REDACTED) : out;
  }

  /** The secrets redacted anywhere (every encoded form and URL part): what a log masker may mask inside words. */
  fragmentSafeValues(): string[] {
    const { weak } = this.patterns();
    return [...this.values].filter((v) => !weak.has(v));
  }

  /** True when a URL carries a registered secret (then it is shown by origin only). */
  touchesUrl(url: URL): boolean {
    const { anywhere, weak } = this.patterns();
    if (anywhere && new RegExp(anywhere.source).test(url.href)) return true;
    return urlParts(url.href).some((p) => weak.has(p));
  }

  clear(): void {
    this.values.clear();
    this.vocabulary = REPORT_WORDS.toLowerCase();
    this.compiled = null;
  }

  private patterns(): Compiled {
    if (this.compiled) return this.compiled;
    const strong: string[] = [];
    const weak = new Set<string>();
    for (const v of this.values) {
      if (v.trim().length >= MIN_FRAGMENT_LENGTH && !this.vocabulary.includes(v.toLowerCase())) strong.push(v);
      else weak.add(v);
    }
    // Longest first so that a secret containing another is removed whole.
    const alternation = (list: string[]): string => list.sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");
    this.compiled = {
      anywhere: strong.length ? new RegExp(alternation(strong), "g") : null,
      tokenLike: strong.some((v) => !STRUCTURAL.test(v)) ? new RegExp(alternation(strong.filter((v) => !STRUCTURAL.test(v))), "g") : null,
      // A word boundary made of letters and digits in any script, so "fail" never hides inside "failover".
      wholeWord: weak.size ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation([...weak])})(?![\\p{L}\\p{N}])`, "gu") : null,
      weak,
    };
    return this.compiled;
  }
}

interface Compiled {
  anywhere: RegExp | null;
  tokenLike: RegExp | null;
  wholeWord: RegExp | null;
  weak: Set<string>;
}

/** The userinfo, path segments and query values of a URL: each is as secret as the URL it came in. */
function urlParts(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) return [];
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return [];
  }
  const raw = [u.username, u.password, ...u.pathname.split("/"), u.hash.slice(1)];
  for (const [, v] of u.searchParams) raw.push(v);
  if (u.search.length > 1) raw.push(u.search.slice(1));
  if (u.pathname.length > 1) raw.push(u.pathname);
  const out = new Set<string>();
  for (const r of raw) {
    if (!r) continue;
    out.add(r).add(safeDecode(r));
  }
  return [...out];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The process-wide registry: config loading fills it, outputs and logs read it. */
export const secrets = new SecretRegistry();

export const redact = (text: string): string => secrets.redact(text);
export const redactDocument = (text: string): string => secrets.redactDocument(text);
export const redactFreeText = (text: string): string => secrets.redactFreeText(text);

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "tokens", "credential", "credentials", "authorization", "cookie", "apikey", "privatekey", "accesskey", "secretkey", "signingkey"]);
const SECRET_PAIRS = new Set(["api key", "private key", "access key", "secret key", "signing key", "master key", "encryption key", "client secret"]);

/** Keys whose values are shown redacted in findings, whatever their value ("dbPassword", "api_key", "X-Auth-Token"). */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i]!)) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${words[i]}`)) return true;
  }
  return false;
}

export interface RedactDeepOptions {
  /** Also redact the short or common secrets as whole words in string values (free text: check outcomes). */
  freeText?: boolean;
}

/**
 * A JSON-ready copy of a value (check outcomes, reports, history records) with every string and
 * every key redacted: Dates and toJSON() as JSON.stringify would write them, cycles cut. Keys are
 * redacted with the fragment-safe secrets only, so structure that renderers read keeps its names.
 */
export function redactDeep<T>(value: T, opts: RedactDeepOptions = {}): T {
  if (secrets.size === 0 && typeof value !== "string" && (value === null || typeof value !== "object")) return value;
  const text = opts.freeText ? redactFreeText : redact;
  return walk(value, new WeakSet(), text) as T;
}

function walk(v: unknown, seen: WeakSet<object>, text: (s: string) => string): unknown {
  if (typeof v === "string") return text(v);
  if (typeof v === "bigint") return text(v.toString());
  if (v === null || typeof v !== "object") return v;
  if (seen.has(v)) return "[Circular]";
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => walk(x, seen, text));
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return walk((v as { toJSON(): unknown }).toJSON(), seen, text);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, secrets.redact(k), walk(x, seen, text));
    return out;
  } finally {
    seen.delete(v);
  }
}
