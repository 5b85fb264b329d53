// ${env:NAME} and ${file:path} references. Resolved values are secrets: registered for redaction.
// A ${file:} must be a regular file of at most FILE_REF_MAX_BYTES (regular-file.ts); in
// untrusted-config mode the policy (trust.ts) decides which names and files may be read at all.
import { resolve } from "node:path";
import type { PathSegment } from "./errors.js";
import { FILE_REF_MAX_BYTES, FileReadError, readRegularFile, readRegularFileSync } from "../fs/regular-file.js";
import type { SecretRegistry } from "../core/secrets.js";
import { envRefusal, fileRefusal, fileRefusalAsync, type TrustPolicy } from "./trust.js";
import { setOwn } from "../core/own-property.js";

const REF = /\$\$\{|\$\{(env|file):([^}]*)\}/g;

export interface RefError {
  path: PathSegment[];
  message: string;
}

/** A ${file:} read ahead of time (the asynchronous loader), by absolute path. */
export type FileRefResult = { text: string } | { error: string };

export interface RefOptions {
  env: NodeJS.ProcessEnv;
  baseDir: string;
  secrets: SecretRegistry;
  /** Untrusted-config mode. */
  policy?: TrustPolicy;
  /** Files read ahead (prefetchFileRefs); without it each ${file:} is read here, synchronously. */
  files?: ReadonlyMap<string, FileRefResult>;
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
  return text.replace(REF, (match: string, type: string | undefined, arg: string | undefined, offset: number) => {
    if (match === "$${") return "${";
    const name = (arg ?? "").trim();
    const value = type === "env" ? envRef(name, opts, errors, path) : fileRef(name, opts, errors, path);
    if (value === null) return "";
    opts.secrets.add(value);
    return inUserinfo(text, offset, match.length) ? encodeURIComponent(value) : value;
  });
}

function envRef(name: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string | null {
  const refused = opts.policy ? envRefusal(name, opts.policy) : null;
  if (refused) {
    errors.push({ path, message: refused });
    return null;
  }
  const v = opts.env[name];
  if (v === undefined || v === "") {
    errors.push({ path, message: `environment variable ${name || "(empty name)"} is not set (referenced as \${env:${name}})` });
    return null;
  }
  return v;
}

function fileRef(name: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string | null {
  const abs = resolve(opts.baseDir, name);
  const got = opts.files?.get(abs) ?? readFileRef(abs, name, opts.policy);
  if ("error" in got) {
    errors.push({ path, message: got.error });
    return null;
  }
  return got.text;
}

const strip = (text: string): string => text.replace(/\r?\n$/, "");
const failure = (name: string, err: unknown): FileRefResult => {
  const why = err instanceof FileReadError ? err.message : `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`;
  const limit = err instanceof FileReadError && err.code === "EFBIG" ? ", the limit for a ${file:} (a secret, a token or a URL)" : "";
  return { error: `cannot read \${file:${name}}: ${why}${limit}` };
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
      for (const m of v.matchAll(REF)) if (m[1] === "file") names.add((m[2] ?? "").trim());
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
