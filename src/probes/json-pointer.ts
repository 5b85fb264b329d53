// RFC 6901 JSON pointers (`/data/generatedAt`, `/a~1b/0`) over parsed JSON. Shared by checks that
// read one value out of a document (a heartbeat timestamp, a version, a drill record).
import { z } from "zod";
import { ProbeError } from "./errors.js";
import { jsonSyntaxProblem } from "./json-syntax.js";

export const jsonPointer = z
  .string()
  .regex(/^\/.*$/, "expected a JSON pointer like /generatedAt or /data/0/version")
  .describe("JSON pointer (RFC 6901)");

/** The value at `ptr`, or undefined when nothing is there. "" selects the whole document. */
export function getPointer(doc: unknown, ptr: string): unknown {
  if (ptr === "") return doc;
  let cur: unknown = doc;
  for (const raw of ptr.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else if (cur !== null && typeof cur === "object" && Object.prototype.hasOwnProperty.call(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return cur;
}

/** Like getPointer, but a pointer selecting nothing is an invalid response naming `what`. */
export function requirePointer(doc: unknown, ptr: string, what: string): unknown {
  const v = getPointer(doc, ptr);
  if (v === undefined) throw new ProbeError("invalid-response", `${what} has nothing at JSON pointer ${ptr}`);
  return v;
}

/** JSON.parse with an error that never quotes the text (it may be a secret). */
export function parseJsonText(text: string, what: string): unknown {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.trim() === "") throw new ProbeError("invalid-response", `${what} is empty, expected JSON`);
  try {
    return JSON.parse(t) as unknown;
  } catch {
    const p = jsonSyntaxProblem(t);
    throw new ProbeError("invalid-response", `${what} is not valid JSON${p ? ` (line ${p.line}, column ${p.column}: ${p.message})` : ""}`);
  }
}
