// ${env:NAME} and ${file:path} references. Resolved values are secrets: registered for redaction.
// A ${file:} must be a regular file of at most FILE_REF_MAX_BYTES (regular-file.ts); in
// untrusted-config mode the policy (trust.ts) decides which names and files may be read at all.
// Offline (validate --offline) nothing is read: each reference is checked for its form and the
// policy, and stands for an unknown value. Any other `${...}` is an error ($${ writes a literal).
import { resolve } from "node:path";
import { didYouMean, type PathSegment } from "./errors.js";
import { FILE_REF_MAX_BYTES, FileReadError, readRegularFile, readRegularFileSync } from "../fs/regular-file.js";
import type { SecretRegistry } from "../core/secrets.js";
import { envRefusal, fileRefusal, fileRefusalAsync, type TrustPolicy } from "./trust.js";
import { setOwn } from "../core/own-property.js";

/** `$${` (a literal), or `${` up to the next `}` (group 2 absent: never closed). */
const REF = /\$\$\{|\$\{([^}]*)(\})?/g;
const SCHEMES = ["env", "file"];
/** What Kubernetes accepts for a variable name (POSIX names, plus '.' and '-'). */
const ENV_NAME = /^[A-Za-z_.-][A-Za-z0-9_.-]*$/;

export interface RefError {
  path: PathSegment[];
  message: string;
  /**
   * Set when the reference is well formed and allowed but has no value only because it is not set
   * (a variable unset or empty, a ${file:} that does not exist) or, offline, was not read: why, in
   * words naming the reference ("secret ${env:TOKEN} is not set"). Not a mistake in the config.
   */
  unresolved?: string;
}

/** A ${file:} read ahead of time (the asynchronous loader), by absolute path. */
export type FileRefResult = { text: string } | { error: string; missing?: boolean };

export interface RefOptions {
  env: NodeJS.ProcessEnv;
  baseDir: string;
  secrets: SecretRegistry;
  /** Untrusted-config mode. */
  policy?: TrustPolicy;
  /** Files read ahead (prefetchFileRefs); without it each ${file:} is read here, synchronously. */
  files?: ReadonlyMap<string, FileRefResult>;
  /** Read nothing: every reference is unresolved (validate --offline). */
  offline?: boolean;
}

/** A well-formed reference, or why the `${...}` is not one. */
type Parsed = { type: "env" | "file"; name: string; text: string } | { error: string };

function parseRef(inner: string, closed: boolean): Parsed {
  const text = `\${${inner}${closed ? "}" : ""}`;
  const literal = "write $${ for a literal ${";
  if (!closed) return { error: `unterminated reference "${text}": close it with }, or ${literal}` };
  const colon = inner.indexOf(":");
  const scheme = colon < 0 ? "" : inner.slice(0, colon).trim();
  if (!SCHEMES.includes(scheme)) {
    const what = colon < 0 ? `"${text}" is not a reference` : `unknown reference "${text}"${didYouMean(scheme.toLowerCase(), SCHEMES)}`;
    return { error: `${what}: expected \${env:NAME} or \${file:path} (${literal})` };
  }
  const name = inner.slice(colon + 1).trim();
  if (scheme === "env") {
    if (name === "") return { error: `"${text}" names no variable: expected \${env:NAME}` };
    if (!ENV_NAME.test(name)) return { error: `"${text}": expected a variable name of letters, digits, '_', '.' or '-' (like ORDERS_TOKEN)` };
    return { type: "env", name, text: `\${env:${name}}` };
  }
  if (name === "") return { error: `"${text}" names no file: expected \${file:path}` };
  return { type: "file", name, text: `\${file:${name}}` };
}

/** Returns a copy of `value` with every reference resolved; `$${` is a literal `${`. */
export function resolveRefs(value: unknown, opts: RefOptions, errors: RefError[], path: PathSegment[] = []): unknown {
  if (typeof value === "string") return resolveString(value, opts, errors, path);
  if (Array.isArray(value)) return value.map((v, i) => resolveRefs(v, opts, errors, [...path, i]));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, resolveRefs(v, opts, errors, [...path, k]));
    return out;
  }
  return value;
}

/**
 * True when the reference at `offset` of `text` sits in a URL's userinfo (`scheme://user:${...}@`):
 * its value is then percent-encoded, so a password with `#`, `%`, `@`, `/`, `?` or a space
 * stays a password instead of breaking the URL ("Invalid URL", "URI malformed").
 */
export function inUserinfo(text: string, offset: number, length: number): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s]*$/i.test(text.slice(0, offset)) && /^[^/?#@\s]*@/.test(text.slice(offset + length));
}

function resolveString(text: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string {
  if (!text.includes("${")) return text;
  return text.replace(REF, (match: string, inner: string | undefined, close: string | undefined, offset: number) => {
    if (match === "$${") return "${";
    const ref = parseRef(inner ?? "", close !== undefined);
    if ("error" in ref) {
      errors.push({ path, message: ref.error });
      return "";
    }
    const value = opts.offline ? offlineRef(ref, opts, errors, path) : ref.type === "env" ? envRef(ref.name, opts, errors, path) : fileRef(ref.name, opts, errors, path);
    if (value === null) return "";
    opts.secrets.add(value);
    return inUserinfo(text, offset, match.length) ? encodeURIComponent(value) : value;
  });
}

/** Offline: the policy still refuses what it would refuse, and nothing is read. */
function offlineRef(ref: { type: "env" | "file"; name: string; text: string }, opts: RefOptions, errors: RefError[], path: PathSegment[]): null {
  const refused = !opts.policy ? null : ref.type === "env" ? envRefusal(ref.name, opts.policy) : fileRefusal(resolve(opts.baseDir, ref.name), ref.text, opts.policy);
  errors.push(refused ? { path, message: refused } : { path, message: `${ref.text} is not read offline`, unresolved: `secret ${ref.text} is not read offline` });
  return null;
}

function envRef(name: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string | null {
  const refused = opts.policy ? envRefusal(name, opts.policy) : null;
  if (refused) {
    errors.push({ path, message: refused });
    return null;
  }
  const v = opts.env[name];
  if (v === undefined || v === "") {
    errors.push({ path, message: `environment variable ${name} is not set (referenced as \${env:${name}})`, unresolved: `secret \${env:${name}} is not set` });
    return null;
  }
  return v;
}

function fileRef(name: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string | null {
  const abs = resolve(opts.baseDir, name);
  const got = opts.files?.get(abs) ?? readFileRef(abs, name, opts.policy);
  if ("error" in got) {
    errors.push({ path, message: got.error, ...(got.missing ? { unresolved: `secret \${file:${name}} does not exist` } : {}) });
    return null;
  }
  return got.text;
}

const strip = (text: string): string => text.replace(/\r?\n$/, "");
const failure = (name: string, err: unknown): FileRefResult => {
  const why = err instanceof FileReadError ? err.message : `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`;
  const limit = err instanceof FileReadError && err.code === "EFBIG" ? ", the limit for a ${file:} (a secret, a token or a URL)" : "";
  const missing = (err instanceof FileReadError ? err.code : (err as NodeJS.ErrnoException).code) === "ENOENT";
  return { error: `cannot read \${file:${name}}: ${why}${limit}`, ...(missing ? { missing } : {}) };
};

function readFileRef(abs: string, name: string, policy: TrustPolicy | undefined): FileRefResult {
  const refused = policy ? fileRefusal(abs, `\${file:${name}}`, policy) : null;
  if (refused) return { error: refused };
  try {
    return { text: strip(readRegularFileSync(abs, FILE_REF_MAX_BYTES)) };
  } catch (err) {
    return failure(name, err);
  }
}

async function readFileRefAsync(abs: string, name: string, policy: TrustPolicy | undefined): Promise<FileRefResult> {
  const refused = policy ? await fileRefusalAsync(abs, `\${file:${name}}`, policy) : null;
  if (refused) return { error: refused };
  try {
    return { text: strip(await readRegularFile(abs, FILE_REF_MAX_BYTES)) };
  } catch (err) {
    return failure(name, err);
  }
}

/** Reads every ${file:} of `value` ahead, with fs/promises (the asynchronous loader's first step). */
export async function prefetchFileRefs(value: unknown, baseDir: string, policy?: TrustPolicy): Promise<Map<string, FileRefResult>> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(REF)) {
        const ref = m[0] === "$${" ? null : parseRef(m[1] ?? "", m[2] !== undefined);
        if (ref && "type" in ref && ref.type === "file") names.add(ref.name);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  const out = new Map<string, FileRefResult>();
  await Promise.all(
    [...names].map(async (name) => {
      const abs = resolve(baseDir, name);
      if (!out.has(abs)) out.set(abs, await readFileRefAsync(abs, name, policy));
    }),
  );
  return out;
}
