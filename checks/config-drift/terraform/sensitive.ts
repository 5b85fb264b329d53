// Values Terraform marks sensitive are compared, never shown: each becomes a marker holding a
// keyed hash of the value (SHA-256 under a key drawn per process and never stored), so equal values
// compare equal and different ones differ, while nothing printed says anything about the value.
// Findings then show "(sensitive value)" in place of any marker (hideMarkers).
import * as crypto from "node:crypto";
import { createHmac, randomBytes } from "node:crypto";
import type { Finding } from "../../../src/engine/types.js";
import type { StatePathStep } from "../../../src/probes/terraform-state/index.js";

const KEY = randomBytes(32);
// Private-use code points only: side-var substitution (which rewrites primary strings after
// masking) never finds a region or a suffix inside a marker.
const MARKER = /\uE000[\uE100-\uE1FF]{12}/g;
const HAS_MARKER = /\uE000[\uE100-\uE1FF]{12}/;
export const SENSITIVE_SHOWN = "(sensitive value)";

/** One-shot crypto.hash (Node 20.12+) is several times faster than an Hmac object per value. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: "buffer") => Buffer }).hash;
const KEY_TEXT = KEY.toString("hex");

function marker(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  const digest = oneShot ? oneShot("sha256", KEY_TEXT + text, "buffer") : createHmac("sha256", KEY).update(text).digest();
  let out = "\uE000";
  for (let i = 0; i < 12; i++) out += String.fromCharCode(0xe100 + digest[i]!);
  return out;
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => v !== null && typeof v === "object";

/**
 * A copy of `attributes` with the value at every sensitive path replaced by its marker (copy on
 * write: untouched parts are shared). `prepare` turns a primary value into what the standby's is
 * compared with (side-var substitution) before hashing. A step that does not fit the value (a
 * name on a list) masks the whole container there.
 */
export function maskSensitive(attributes: Record<string, unknown>, paths: readonly StatePathStep[][], prepare: ((s: string) => string) | null): Record<string, unknown> {
  if (paths.length === 0) return attributes;
  const root: Record<string, unknown> = { ...attributes };
  const copied = new WeakSet<object>([root]);
  const hash = (v: unknown) => marker(prepare ? substituteDeep(v, prepare) : v);
  for (const path of paths) {
    let parent: Container = root;
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      const fits = Array.isArray(parent) ? typeof step === "number" : typeof step === "string" || Object.prototype.hasOwnProperty.call(parent, String(step));
      if (!fits) {
        maskContainerInParent(root, path.slice(0, i), hash);
        break;
      }
      const k = Array.isArray(parent) ? (step as number) : String(step);
      // Own values only: a path naming `constructor` or `__proto__` must not reach the prototype.
      const child: unknown = Object.hasOwn(parent, k) ? (parent as Record<string | number, unknown>)[k] : undefined;
      if (child === undefined) break;
      if (i === path.length - 1) {
        (parent as Record<string | number, unknown>)[k] = hash(child);
        break;
      }
      if (!isContainer(child)) {
        (parent as Record<string | number, unknown>)[k] = hash(child);
        break;
      }
      const copy: Container = copied.has(child) ? child : Array.isArray(child) ? [...child] : { ...child };
      copied.add(copy);
      (parent as Record<string | number, unknown>)[k] = copy;
      parent = copy;
    }
    if (path.length === 0) return Object.fromEntries(Object.keys(attributes).map((k) => [k, hash(attributes[k])]));
  }
  return root;
}

function maskContainerInParent(root: Record<string, unknown>, prefix: readonly StatePathStep[], hash: (v: unknown) => string): void {
  if (prefix.length === 0) {
    for (const k of Object.keys(root)) root[k] = hash(root[k]);
    return;
  }
  let node: unknown = root;
  for (let i = 0; i < prefix.length - 1; i++) node = (node as Record<string | number, unknown>)[prefix[i] as string];
  const last = prefix[prefix.length - 1]!;
  const holder = node as Record<string | number, unknown>;
  holder[last as string] = hash(holder[last as string]);
}

function substituteDeep(v: unknown, apply: (s: string) => string): unknown {
  if (typeof v === "string") return apply(v);
  if (Array.isArray(v)) return v.map((x) => substituteDeep(x, apply));
  if (isContainer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteDeep(x, apply)]));
  return v;
}

const hideIn = (v: unknown): unknown => {
  if (typeof v === "string") return v.replace(MARKER, SENSITIVE_SHOWN);
  if (Array.isArray(v)) return v.map(hideIn);
  if (isContainer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hideIn(x)]));
  return v;
};

/** A finding with every marker replaced: a sensitive value's finding says only that it differs. */
export function hideMarkers(f: Finding): Finding {
  if (!HAS_MARKER.test(JSON.stringify(f))) return f;
  const out = hideIn(f) as Finding;
  if (f.change === "changed" && typeof f.primary === "string" && typeof f.standby === "string" && HAS_MARKER.test(f.primary + f.standby)) {
    out.message = `${f.path ?? ""} differs between primary and standby (sensitive in the state, values hidden)`;
    delete out.expected;
  }
  return out;
}
