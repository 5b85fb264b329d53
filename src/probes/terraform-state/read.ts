// Reads one side's state from where its options say (file, HTTP backend, S3) and parses it, with
// the time the state was last written when the store tells it (for maxAge): S3's LastModified,
// the HTTP Last-Modified header or the file's mtime. A state's serial counts writes but carries
// no time, so it is reported, never used as an age.
import type { CheckContext, Side } from "../../engine/types.js";
import { fileModifiedAt, readTextFile } from "../file.js";
import { describeUrl, httpRequest } from "../http.js";
import { ProbeError } from "../errors.js";
import { type TerraformStateSource, stateLocation } from "./options.js";
import { parseState, type ParsedState } from "./parse.js";
import { getStateObject } from "./s3.js";

/** Far above real states (the largest seen in the wild are ~100 MB) and below V8's string limit. */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;

export type ModifiedFrom = "S3 LastModified" | "HTTP Last-Modified" | "file mtime";

export interface StateRead {
  state: ParsedState;
  bytes: number;
  /** When the state was last written, and what said so; null when the store does not tell. */
  modified: { at: Date; from: ModifiedFrom } | null;
}

export async function readState(src: TerraformStateSource, side: Side, ctx: Pick<CheckContext, "signal" | "timeoutMs" | "baseDir" | "scope">, maxBytes = MAX_STATE_BYTES): Promise<StateRead> {
  const what = stateLocation(src);
  let text: string;
  let modified: StateRead["modified"] = null;
  if (src.s3) {
    const obj = await getStateObject(src.s3, side, ctx, maxBytes);
    text = obj.text;
    if (obj.lastModified) modified = { at: obj.lastModified, from: "S3 LastModified" };
  } else if (src.url !== undefined) {
    ({ text, modified } = await fetchState(src.url, src.headers, ctx, maxBytes));
  } else {
    const file = src.file!;
    // A regular file only (readTextFile refuses FIFOs and devices); mtime from the same path.
    text = await readTextFile(file, ctx.baseDir, side, ctx.signal, maxBytes);
    modified = { at: new Date(await fileModifiedAt(file, ctx.baseDir, side, ctx.signal)), from: "file mtime" };
  }
  return { state: parseState(text, what), bytes: Buffer.byteLength(text), modified };
}

/**
 * GET of an HTTP backend address (what `terraform state pull` sends): 200 is the state, 204 or
 * 404 means no state is stored there. Lock endpoints (LOCK/UNLOCK) are never called.
 */
async function fetchState(url: string, headers: Record<string, string> | undefined, ctx: Pick<CheckContext, "signal" | "timeoutMs">, maxBytes: number): Promise<{ text: string; modified: StateRead["modified"] }> {
  const res = await httpRequest(url, { headers: { accept: "application/json", ...(headers ?? {}) }, timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxBodyBytes: maxBytes });
  const where = describeUrl(url);
  if (res.status === 401 || res.status === 403) throw new ProbeError("not-authorized", `${where}: HTTP ${res.status}: the backend refused the request (check the headers' credentials)`, { status: res.status });
  if (res.status === 204 || res.status === 404) throw new ProbeError("error", `${where}: HTTP ${res.status}: no state stored at this address`, { status: res.status });
  if (res.status < 200 || res.status > 299) throw new ProbeError("invalid-response", `${where}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, { status: res.status });
  const lm = res.headers["last-modified"];
  const at = lm ? new Date(lm) : null;
  return { text: res.body, modified: at && !Number.isNaN(at.getTime()) ? { at, from: "HTTP Last-Modified" } : null };
}
