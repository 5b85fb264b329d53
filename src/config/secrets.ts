// Every resolved ${env:}/${file:} value is registered here; every output passes through redact().
import { setOwn } from "../engine/own-property.js";
export const REDACTED = "***";

/** Shorter values would redact ordinary text; they are still never printed by standby itself. */
const MIN_SECRET_LENGTH = 3;

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
// Stops at quotes, markup and separators, and skips a value already redacted, so that
// redact() can run again over finished JSON, XML or Markdown without eating its syntax.
const KEYWORD_VALUE = /\b(password|passwd|pwd)=(?!(?:\\?\*){3})([^\s&;"'<>,}\\]+)/gi;

export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;

  add(value: string): void {
    for (const v of [value, value.trim()]) {
      if (v.length >= MIN_SECRET_LENGTH && !this.values.has(v)) {
        this.values.add(v);
        // Secrets also travel URL- and JSON-encoded (headers, query strings, reports).
        for (const enc of [encodeURIComponent(v), JSON.stringify(v).slice(1, -1)]) {
          if (enc !== v) this.values.add(enc);
        }
        this.pattern = null;
      }
    }
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    let out = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(KEYWORD_VALUE, `$1=${REDACTED}`);
    if (this.values.size === 0) return out;
    if (!this.pattern) {
      // Longest first so that a secret containing another is removed whole.
      const sorted = [...this.values].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    }
    out = out.replace(this.pattern, REDACTED);
    return out;
  }

  clear(): void {
    this.values.clear();
    this.pattern = null;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The process-wide registry: config loading fills it, outputs and logs read it. */
export const secrets = new SecretRegistry();

export const redact = (text: string): string => secrets.redact(text);

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

/**
 * A JSON-ready copy of a value (check outcomes, reports, history records) with every string and
 * every key redacted: Dates and toJSON() as JSON.stringify would write them, cycles cut.
 */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0 && typeof value !== "string" && (value === null || typeof value !== "object")) return value;
  return walk(value, new WeakSet()) as T;
}

function walk(v: unknown, seen: WeakSet<object>): unknown {
  if (typeof v === "string") return secrets.redact(v);
  if (typeof v === "bigint") return secrets.redact(v.toString());
  if (v === null || typeof v !== "object") return v;
  if (seen.has(v)) return "[Circular]";
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => walk(x, seen));
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return walk((v as { toJSON(): unknown }).toJSON(), seen);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, secrets.redact(k), walk(x, seen));
    return out;
  } finally {
    seen.delete(v);
  }
}
