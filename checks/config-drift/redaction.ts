// Values under secret-looking keys never leave the check: a finding only says they differ.
import { isSecretKey, redact, REDACTED } from "../../src/core/secrets.js";
import { isKeyedSegment, type Segment } from "./paths.js";
import { setOwn } from "../../src/core/own-property.js";

const cache = new Map<string, boolean>();

/** isSecretKey is a few regexes; findings ask about the same few keys over and over. */
export function secretKey(key: string): boolean {
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = isSecretKey(key);
    if (cache.size < 10_000) cache.set(key, hit);
  }
  return hit;
}

/**
 * True when any key on the path (or a keyed item's field) looks secret: `db.password`,
 * `credentials.user`. A name/value item named like a secret is one too: `env[name=DB_PASSWORD]`
 * and its `value` (Kubernetes env, tag lists), though neither `name` nor `value` looks secret.
 */
export function isSecretPath(path: readonly Segment[]): boolean {
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg !== "string") continue;
    if (isKeyedSegment(seg)) {
      const eq = seg.indexOf("=");
      if (eq > 1 && secretKey(seg.slice(1, eq))) return true;
      const next = path[i + 1];
      if (eq > 1 && (next === undefined || next === "value" || next === "Value") && secretKey(keyedValue(seg.slice(eq + 1)))) return true;
    } else if (secretKey(seg)) return true;
  }
  return false;
}

/** A keyed segment's value without its `#2` occurrence suffix. */
const keyedValue = (v: string): string => v.replace(/#\d+$/, "");

/** Copy of a value with secret-keyed members replaced and registered secrets removed from strings. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(redactValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    setOwn(out, k, secretKey(k) ? REDACTED : redactValue(v));
  }
  return out;
}

export { REDACTED };
