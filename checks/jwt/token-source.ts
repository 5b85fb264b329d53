// Obtains a side's token: inline (usually ${env:} / ${file:}), a command's stdout, or an HTTP
// endpoint. Every token is registered as a secret the moment it exists, and no message here
// quotes a token, a response body or a command's output.
import { secrets } from "../../src/core/secrets.js";
import type { CheckContext } from "../../src/engine/types.js";
import { MiB } from "../../src/probes/byte-cap.js";
import { describeCommand, runCommand } from "../../src/probes/command.js";
import { ProbeError } from "../../src/probes/errors.js";
import { httpRequest } from "../../src/probes/http.js";
import { getPointer } from "../../src/probes/json-pointer.js";
import type { SideSpec } from "./options.js";

export type Side = "primary" | "standby";
export type TokenSourceKind = "token" | "command" | "url";

/** A token is a few KB; more output means the command prints something else. */
const MAX_OUTPUT_BYTES = 1 * MiB;

export interface ObtainedToken {
  token: string;
  source: TokenSourceKind;
}

export async function obtainToken(side: Side, spec: SideSpec, ctx: CheckContext, timeoutMs: number): Promise<ObtainedToken | null> {
  let token: string;
  let source: TokenSourceKind;
  if (spec.token !== undefined) {
    secrets.add(spec.token);
    [token, source] = [spec.token.trim(), "token"];
  } else if (spec.command) {
    [token, source] = [await fromCommand(side, spec.command, ctx, timeoutMs), "command"];
  } else if (spec.url) {
    [token, source] = [await fromUrl(side, spec, ctx, timeoutMs), "url"];
  } else return null;
  if (token === "") throw new ProbeError("invalid-response", `${side} token from ${source} is empty`);
  secrets.add(token);
  return { token, source };
}

async function fromCommand(side: Side, argv: string[], ctx: CheckContext, timeoutMs: number): Promise<string> {
  let result: Awaited<ReturnType<typeof runCommand>>;
  try {
    result = await runCommand(argv, { cwd: ctx.baseDir, timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_OUTPUT_BYTES });
  } catch (err) {
    if (err instanceof ProbeError) throw new ProbeError(err.reason, `${side} token ${err.message}`, err.code ? { code: err.code } : {});
    throw err;
  }
  const out = result.stdout.trim();
  // Registered even on failure: a command may print the token and then exit non-zero.
  if (out) secrets.add(out);
  const name = describeCommand(argv);
  if (result.exitCode !== 0) {
    throw new ProbeError("error", `${side} token command ${name} ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}`);
  }
  return out;
}

async function fromUrl(side: Side, spec: SideSpec, ctx: CheckContext, timeoutMs: number): Promise<string> {
  const res = await httpRequest(spec.url!, { headers: spec.headers, timeoutMs, signal: ctx.signal });
  const type = res.contentType ? res.contentType.split(";")[0]!.trim() : "no content-type";
  if (res.status < 200 || res.status > 299) {
    const reason = res.status === 401 || res.status === 403 ? "not-authorized" : "invalid-response";
    throw new ProbeError(reason, `${side} token endpoint ${res.url} answered HTTP ${res.status} (${type})`, { status: res.status });
  }
  const body = res.body.trim();
  secrets.add(body);
  if (spec.pointer) {
    let doc: unknown;
    try {
      doc = JSON.parse(body) as unknown;
    } catch {
      throw new ProbeError("invalid-response", `${side} token endpoint ${res.url} did not return JSON (${type}), expected one for pointer ${spec.pointer}`);
    }
    const value = getPointer(doc, spec.pointer);
    if (typeof value !== "string") {
      throw new ProbeError("invalid-response", `${side} token endpoint ${res.url}: ${value === undefined ? "nothing" : `a ${typeof value}, not a string,`} at pointer ${spec.pointer}`);
    }
    secrets.add(value);
    return value.trim();
  }
  if (body.startsWith("{") || body.startsWith("[")) {
    throw new ProbeError("invalid-response", `${side} token endpoint ${res.url} returned JSON (${type}); set pointer to the token's location, e.g. /access_token`);
  }
  if (body.startsWith('"')) {
    try {
      return String(JSON.parse(body)).trim();
    } catch {
      /* not a JSON string after all: the text is the token */
    }
  }
  return body;
}
