// Every resolved ${env:}/${file:} value is registered here; every output passes through redact().
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

/** Redact every string inside a JSON-like value (reports, history records). */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0 && typeof value !== "string" && (value === null || typeof value !== "object")) return value;
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return secrets.redact(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v);
    return out;
  }
  return value;
}
