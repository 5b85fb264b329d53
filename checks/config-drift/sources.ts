// Where a side's document comes from. Each source shape is a strict object told apart by its
// key (file / url / awsConfig / terraformState / kubernetes). File and URL sources yield one document; awsConfig
// sources yield configuration items and are read by src/probes/aws-config/ (paired and judged in
// ./aws/); kubernetes sources yield objects read by src/probes/kubernetes/ (./kubernetes/).
// Failures are ProbeErrors whose message starts with the source's target (sourceTarget), so
// readSides() words them "standby configs/app.json: no such file (ENOENT)".
import { extname, isAbsolute, resolve } from "node:path";
import { parse as parseYamlText, YAMLParseError } from "yaml";
import { z } from "zod";
import { fileOption, httpUrlOption, ProbeError, type CheckContext, type Side } from "../../src/kit/index.js";
import { readTextFile } from "../../src/probes/file.js";
import { describeUrl, fetchJson } from "../../src/probes/http.js";
import { awsConfigSourceSchema } from "../../src/probes/aws-config/options.js";
import { kubernetesSourceSchema } from "./kubernetes/options.js";
import { stateLocation, terraformStateSourceSchema } from "../../src/probes/terraform-state/options.js";
import { redact } from "../../src/core/secrets.js";
import type { SourceEvidence } from "./evidence.js";
import { jsonSyntaxProblem } from "../../src/probes/json-syntax.js";

const pointer = z
  .string()
  .regex(/^(\/.*)?$/, "expected a JSON pointer like /spec/listeners (or empty for the whole document)")
  .optional()
  .describe("JSON pointer (RFC 6901) selecting the sub-document to compare");

export const fileSourceSchema = z.strictObject({
  file: fileOption().describe("Path of a JSON or YAML file, relative to the config file"),
  format: z.enum(["json", "yaml"]).optional().describe("Default: from the extension (.json; .yaml/.yml); others are read as YAML"),
  pointer,
});

export const urlSourceSchema = z.strictObject({
  url: httpUrlOption().describe("HTTP(S) endpoint returning JSON"),
  headers: z.record(z.string(), z.string()).optional().describe("Request headers; use ${env:NAME} for tokens"),
  pointer,
});

export const sourceSchema = z.union([fileSourceSchema, urlSourceSchema, awsConfigSourceSchema, terraformStateSourceSchema, kubernetesSourceSchema]);

export type Source = z.output<typeof sourceSchema>;
export type DocumentSource = Exclude<Source, { awsConfig: unknown } | { terraformState: unknown } | { kubernetes: unknown }>;
/** How messages name a source: the file path as written, the URL's origin and path, the AWS Config region. */
export function sourceTarget(source: Source): string {
  if ("file" in source) return source.file;
  if ("url" in source) return describeUrl(source.url);
  if ("kubernetes" in source) return source.kubernetes.context;
  if ("terraformState" in source) return stateLocation(source.terraformState);
  return `AWS Config ${source.awsConfig.region}`;
}

/** The file's format: `format`, else from the extension (.json is JSON; anything else is read as YAML). */
export function fileFormat(source: z.output<typeof fileSourceSchema>): "json" | "yaml" {
  return source.format ?? (extname(source.file).toLowerCase() === ".json" ? "json" : "yaml");
}

/**
 * What a side is read from, for the evidence (renderers name it): never a header, a query string
 * or userinfo. `accounts` are the AWS accounts the options name (accountId, roleArn's account);
 * a kubeconfig context, never its credentials.
 */
export function describeSource(source: Source): SourceEvidence {
  const pointer = "pointer" in source && source.pointer ? { pointer: redact(source.pointer) } : {};
  if ("file" in source) return { file: redact(source.file), format: fileFormat(source), ...pointer };
  if ("url" in source) return { url: describeUrl(source.url), ...pointer };
  if ("kubernetes" in source) {
    const k = source.kubernetes;
    const pick = k.name !== undefined ? { name: redact(k.name) } : { selector: redact(k.selector!) };
    return { kubernetes: { context: redact(k.context), ...(k.namespace ? { namespace: redact(k.namespace) } : {}), apiVersion: k.apiVersion, kind: k.kind, ...pick } };
  }
  if ("terraformState" in source) {
    const t = source.terraformState;
    return { terraformState: t.s3 ? { s3: redact(stateLocation(t)), region: t.s3.region } : t.url !== undefined ? { url: describeUrl(t.url) } : { file: redact(t.file!) } };
  }
  const a = source.awsConfig;
  const role = a.roleArn ? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(a.roleArn)?.[1] : undefined;
  const accounts = [...new Set([a.accountId, role].filter((x): x is string => x !== undefined))];
  const aggregator = a.aggregator === undefined ? {} : { aggregator: typeof a.aggregator === "string" ? a.aggregator : a.aggregator.name };
  return { awsConfig: { region: a.region, accounts, ...aggregator } };
}

/** Reads one side's document and selects its `pointer`. */
export async function loadSource(source: DocumentSource, side: Side, ctx: CheckContext): Promise<unknown> {
  const target = sourceTarget(source);
  const doc = "file" in source ? await loadFile(source, side, ctx) : await fetchJson(source.url, { headers: source.headers, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  assertDepth(doc, target);
  return source.pointer ? selectPointer(doc, source.pointer, target) : doc;
}

/** Far beyond any real configuration (Kubernetes and CloudFormation documents stay under 30). */
export const MAX_DEPTH = 200;

/**
 * The normaliser and the diff recurse: a document nested thousands deep would end in "Maximum
 * call stack size exceeded". Measured without recursion, and refused with a reason instead.
 */
export function assertDepth(doc: unknown, what: string): void {
  const stack: Array<[unknown, number]> = [[doc, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_DEPTH) throw new ProbeError("invalid-response", `${what} nests deeper than ${MAX_DEPTH} levels: not compared (no configuration is this deep)`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
}

async function loadFile(source: z.output<typeof fileSourceSchema>, side: Side, ctx: CheckContext): Promise<unknown> {
  const full = isAbsolute(source.file) ? source.file : resolve(ctx.baseDir, source.file);
  // The side as readTextFile's "what": its message is then readSides' own "standby <file>: ...".
  const text = await readTextFile(source.file, ctx.baseDir, side, ctx.signal);
  const format = source.format ?? (extname(full).toLowerCase() === ".json" ? "json" : "yaml");
  return format === "json" ? parseJson(text, source.file) : parseYaml(text, source.file);
}

/** `file:line:column: not valid JSON: expected ...`, worded without quoting content (it may be a secret). */
export function parseJson(text: string, what: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    if (body.trim() === "") throw new ProbeError("invalid-response", `${what} is empty, expected JSON`);
    const p = jsonSyntaxProblem(body);
    throw new ProbeError("invalid-response", p ? `${what}:${p.line}:${p.column}: not valid JSON: ${p.message}` : `${what} is not valid JSON`);
  }
}

export function parseYaml(text: string, what: string): unknown {
  try {
    const doc = parseYamlText(text, { prettyErrors: true, maxAliasCount: 1000 }) as unknown;
    if (doc === null && text.trim() === "") throw new ProbeError("invalid-response", `${what} is empty`);
    return doc;
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    if (err instanceof YAMLParseError) {
      // linePos only, never err.message: pretty errors quote the offending line.
      const pos = err.linePos?.[0];
      throw new ProbeError("invalid-response", pos ? `${what}:${pos.line}:${pos.col}: not valid YAML (${err.code})` : `${what} is not valid YAML (${err.code})`);
    }
    throw new ProbeError("invalid-response", `${what} is not valid YAML`);
  }
}

/** RFC 6901: `/a/b~1c/0`; a pointer that selects nothing is an invalid response, not an empty document. */
export function selectPointer(doc: unknown, ptr: string, target: string): unknown {
  if (ptr === "") return doc;
  let cur = doc;
  for (const raw of ptr.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < cur.length) cur = cur[Number(token)];
    else if (cur !== null && typeof cur === "object" && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, token)) {
      cur = (cur as Record<string, unknown>)[token];
    } else {
      throw new ProbeError("invalid-response", `${target} has nothing at pointer ${ptr}`);
    }
  }
  return cur;
}
