// ${env:NAME} and ${file:path} references. Resolved values are secrets: registered for redaction.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PathSegment } from "./errors.js";
import type { SecretRegistry } from "./secrets.js";
import { setOwn } from "../engine/own-property.js";

const REF = /\$\$\{|\$\{(env|file):([^}]*)\}/g;

export interface RefError {
  path: PathSegment[];
  message: string;
}

export interface RefOptions {
  env: NodeJS.ProcessEnv;
  baseDir: string;
  secrets: SecretRegistry;
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

function resolveString(text: string, opts: RefOptions, errors: RefError[], path: PathSegment[]): string {
  if (!text.includes("${")) return text;
  return text.replace(REF, (match, type?: string, arg?: string) => {
    if (match === "$${") return "${";
    const name = (arg ?? "").trim();
    if (type === "env") {
      const v = opts.env[name];
      if (v === undefined || v === "") {
        errors.push({ path, message: `environment variable ${name || "(empty name)"} is not set (referenced as \${env:${name}})` });
        return "";
      }
      opts.secrets.add(v);
      return v;
    }
    const file = resolve(opts.baseDir, name);
    try {
      const v = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      opts.secrets.add(v);
      return v;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      errors.push({ path, message: `cannot read \${file:${name}} (${code})` });
      return "";
    }
  });
}
