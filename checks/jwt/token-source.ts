// Obtains a side's token: inline (usually ${env:} / ${file:}), a command's stdout, or an HTTP
// endpoint, and decodes it. Every token is registered as a secret the moment it exists, and no
// message here quotes a token, a response body or a command's output. readSides() reads this as
// the side's "token": a probe's failure reads "primary token: command vault not found".
import { secrets } from "../../src/core/secrets.js";
import { ProbeError, type CheckContext, type Side } from "../../src/kit/index.js";
import { MiB } from "../../src/probes/byte-cap.js";
import { describeCommand, runCommand } from "../../src/probes/command.js";
import { describeUrl, httpRequest } from "../../src/probes/http.js";
import { getPointer } from "../../src/probes/json-pointer.js";
import { decode, type Decoded } from "./claims.js";
import { TOKEN_SOURCES, type SideSpec, type TokenSourceKind } from "./options.js";

type Jose = typeof import("jose");

/** A token is a few KB; more output means the command prints something else. */
const MAX_OUTPUT_BYTES = 1 * MiB;

export interface Token extends Decoded {
  /** The token itself: never in evidence or messages. */
  token: string;
  source: TokenSourceKind;
}

/** Where a side's token comes from, or null when the side has keys only. */
export function tokenSourceOf(spec: SideSpec): TokenSourceKind | null {
  return TOKEN_SOURCES.find((k) => spec[k] !== undefined) ?? null;
}

export async function readToken(jose: Jose, side: Side, spec: SideSpec, ctx: CheckContext): Promise<Token> {
  // Only read for a side with a token source: readSides() gets no target for the others.
  const source = tokenSourceOf(spec)!;
  if (spec.token !== undefined) secrets.add(spec.token);
  const token = source === "token" ? spec.token!.trim() : source === "command" ? await fromCommand(side, spec.command!, ctx) : await fromUrl(side, spec, ctx);
  const from = source === "command" ? `command ${describeCommand(spec.command!)}` : source === "url" ? describeUrl(spec.url!) : "the token option";
  if (token === "") throw new ProbeError("invalid-response", `${side} token is empty (from ${from})`);
  secrets.add(token);
  try {
    return { token, source, ...decode(jose, side, token) };
  } catch (err) {
    // Which source handed out something that is no JWT (an HTML login page, a JSON error).
    if (err instanceof ProbeError && source !== "token") throw new ProbeError(err.reason, `${err.message} (from ${from})`);
    throw err;
  }
}

async function fromCommand(side: Side, argv: string[], ctx: CheckContext): Promise<string> {
  const result = await runCommand(argv, { cwd: ctx.baseDir, timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_OUTPUT_BYTES });
  const out = result.stdout.trim();
  // Registered even on failure: a command may print the token and then exit non-zero.
  if (out) secrets.add(out);
  const name = describeCommand(argv);
  if (result.exitCode !== 0) {
    throw new ProbeError("error", `${side} token: command ${name} ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}`);
  }
  return out;
}

async function fromUrl(side: Side, spec: SideSpec, ctx: CheckContext): Promise<string> {
  const res = await httpRequest(spec.url!, { headers: spec.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
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
