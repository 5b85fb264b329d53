// A Terraform state as resource instances, from either JSON a team can hand over: the state file
// itself (format version 4: Terraform 0.12 and later, OpenTofu) or `terraform show -json` of it
// (format_version 1.x). The two are told apart by their top-level keys. Anything else, another
// format version included, is refused by name: comparing a misread state would pass silently.
import { ProbeError } from "../errors.js";
import { jsonSyntaxProblem } from "../json-syntax.js";

export type StatePathStep = string | number;

export interface StateInstance {
  /** Full instance address: module.app.aws_lb.web["a"]. */
  address: string;
  /** The resource's address without the instance key: module.app.aws_lb.web. */
  resource: string;
  mode: "managed" | "data";
  type: string;
  /** count index (number) or for_each key (string); absent for a single instance. */
  indexKey?: string | number;
  attributes: Record<string, unknown>;
  /** Attribute paths Terraform marks sensitive (steps: attribute names and indices). */
  sensitive: StatePathStep[][];
}

export interface ParsedState {
  format: "state-v4" | "show-json";
  terraformVersion: string | null;
  /** State file only: the state's lineage and serial (show -json carries neither). */
  lineage: string | null;
  serial: number | null;
  instances: StateInstance[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const bad = (what: string, msg: string) => new ProbeError("invalid-response", `${what}: ${msg}`);

/** JSON text -> state; `what` names the state in messages (never its content: states hold secrets). */
export function parseState(text: string, what: string): ParsedState {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    if (body.trim() === "") throw bad(what, "empty, expected a Terraform state");
    const p = jsonSyntaxProblem(body);
    const truncated = p && /^the document ends|string is never closed/.test(p.message) ? " (truncated?)" : "";
    throw bad(what, p ? `not valid JSON at line ${p.line}, column ${p.column}: ${p.message}${truncated}` : "not valid JSON");
  }
  return stateFromJson(doc, what);
}

export function stateFromJson(doc: unknown, what: string): ParsedState {
  if (!isObject(doc)) throw bad(what, "expected a JSON object (a Terraform state)");
  if ("encrypted_data" in doc) throw bad(what, "is encrypted (OpenTofu state encryption): read the output of `tofu state pull`, which decrypts it");
  if ("version" in doc) return fromV4(doc, what);
  if ("format_version" in doc) return fromShowJson(doc, what);
  throw bad(what, "not a Terraform state: neither `version` (a state file) nor `format_version` (terraform show -json)");
}

function fromV4(doc: Json, what: string): ParsedState {
  const v = doc.version;
  if (v !== 4) {
    const hint =
      typeof v === "number" && v < 4
        ? " (Terraform 0.11 or older); `terraform state pull` with Terraform 0.12 or later writes version 4"
        : typeof v === "number"
          ? " (newer than this standby understands)"
          : ` (a ${v === null ? "null" : Array.isArray(v) ? "list" : typeof v}; Terraform writes the number 4)`;
    throw bad(what, `state format version ${JSON.stringify(v)} is not supported: expected version 4${hint}`);
  }
  // Terraform always writes both: another type means a state edited or produced by something else.
  if (doc.serial !== undefined && !(Number.isSafeInteger(doc.serial) && (doc.serial as number) >= 0)) throw bad(what, "`serial` is not a whole number of 0 or more");
  if (doc.lineage !== undefined && typeof doc.lineage !== "string") throw bad(what, "`lineage` is not a string");
  const resources = doc.resources ?? [];
  if (!Array.isArray(resources)) throw bad(what, "`resources` is not a list");
  const out: StateInstance[] = [];
  resources.forEach((r: unknown, i) => {
    const at = `resources[${i}]`;
    if (!isObject(r)) throw bad(what, `${at} is not an object`);
    const { mode, type, name } = r;
    if ((mode !== "managed" && mode !== "data") || typeof type !== "string" || typeof name !== "string") {
      throw bad(what, `${at} has no valid mode (managed or data), type and name`);
    }
    const module = r.module === undefined ? "" : r.module;
    if (typeof module !== "string") throw bad(what, `${at}.module is not a string`);
    if (!Array.isArray(r.instances)) throw bad(what, `${at}.instances is not a list`);
    const resource = resourceAddress(module, mode, type, name);
    r.instances.forEach((inst: unknown, j) => {
      const iat = `${at}.instances[${j}]`;
      if (!isObject(inst)) throw bad(what, `${iat} is not an object`);
      // A deposed object (create_before_destroy, mid-replacement) shares its instance's address and is on its way out.
      if (inst.deposed !== undefined) return;
      // attributes_flat: providers from before Terraform 0.12 (flatmap strings), compared as they are.
      const attributes = inst.attributes ?? inst.attributes_flat;
      if (!isObject(attributes)) throw bad(what, `${iat}.attributes is not an object`);
      const key = inst.index_key;
      if (key !== undefined && typeof key !== "string" && typeof key !== "number") throw bad(what, `${iat}.index_key is neither a string nor a number`);
      out.push({ address: resource + indexPart(key), resource, mode, type, ...(key !== undefined ? { indexKey: key } : {}), attributes, sensitive: v4SensitivePaths(inst.sensitive_attributes, attributes) });
    });
  });
  return {
    format: "state-v4",
    terraformVersion: typeof doc.terraform_version === "string" ? doc.terraform_version : null,
    lineage: typeof doc.lineage === "string" ? doc.lineage : null,
    serial: typeof doc.serial === "number" ? doc.serial : null,
    instances: out,
  };
}

/**
 * sensitive_attributes: [[{ type: "get_attr", value: "password" }, { type: "index", value: { value: 0, type: "number" } }]].
 * A path this reader cannot follow makes its whole top-level attribute sensitive, and a list it
 * cannot read makes every attribute sensitive: hiding too much is safe, printing a secret is not.
 */
function v4SensitivePaths(raw: unknown, attributes: Json): StatePathStep[][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return Object.keys(attributes).map((k) => [k]);
  const out: StatePathStep[][] = [];
  for (const path of raw) {
    const steps: StatePathStep[] = [];
    let ok = Array.isArray(path) && path.length > 0;
    for (const step of ok ? (path as unknown[]) : []) {
      if (isObject(step) && step.type === "get_attr" && typeof step.value === "string") steps.push(step.value);
      else if (isObject(step) && step.type === "index" && isObject(step.value) && (typeof step.value.value === "string" || typeof step.value.value === "number")) steps.push(step.value.value);
      else {
        ok = false;
        break;
      }
    }
    if (ok) out.push(steps);
    else if (typeof steps[0] === "string") out.push([steps[0]]);
    else return Object.keys(attributes).map((k) => [k]);
  }
  return out;
}

function fromShowJson(doc: Json, what: string): ParsedState {
  const fv = doc.format_version;
  if (typeof fv !== "string" || !/^1\.\d+$/.test(fv)) throw bad(what, `terraform show -json format_version ${JSON.stringify(fv)} is not supported: expected 1.x`);
  if ("planned_values" in doc || "resource_changes" in doc) throw bad(what, "is the JSON of a plan (terraform show -json <planfile>), not of a state");
  const out: StateInstance[] = [];
  const values = doc.values;
  if (values !== undefined) {
    if (!isObject(values) || (values.root_module !== undefined && !isObject(values.root_module))) throw bad(what, "`values.root_module` is not an object");
    const stack: Array<[Json, string, string]> = values.root_module ? [[values.root_module as Json, "", "values.root_module"]] : [];
    while (stack.length > 0) {
      const [mod, module, at] = stack.pop()!;
      const resources = mod.resources ?? [];
      if (!Array.isArray(resources)) throw bad(what, `${at}.resources is not a list`);
      resources.forEach((r: unknown, i) => {
        const rat = `${at}.resources[${i}]`;
        if (!isObject(r)) throw bad(what, `${rat} is not an object`);
        if (r.deposed_key !== undefined) return;
        const { mode, type, name } = r;
        if ((mode !== "managed" && mode !== "data") || typeof type !== "string" || typeof name !== "string") throw bad(what, `${rat} has no valid mode, type and name`);
        const attributes = r.values ?? {};
        if (!isObject(attributes)) throw bad(what, `${rat}.values is not an object`);
        const key = r.index;
        if (key !== undefined && typeof key !== "string" && typeof key !== "number") throw bad(what, `${rat}.index is neither a string nor a number`);
        const resource = resourceAddress(module, mode, type, name);
        out.push({ address: resource + indexPart(key), resource, mode, type, ...(key !== undefined ? { indexKey: key } : {}), attributes, sensitive: treePaths(r.sensitive_values, attributes) });
      });
      const children = mod.child_modules ?? [];
      if (!Array.isArray(children)) throw bad(what, `${at}.child_modules is not a list`);
      children.forEach((c: unknown, i) => {
        const cat = `${at}.child_modules[${i}]`;
        if (!isObject(c) || typeof c.address !== "string") throw bad(what, `${cat} has no address`);
        stack.push([c, c.address, cat]);
      });
    }
  }
  return { format: "show-json", terraformVersion: typeof doc.terraform_version === "string" ? doc.terraform_version : null, lineage: null, serial: null, instances: out };
}

/** sensitive_values mirrors the values with `true` where a value is sensitive; unreadable: all of it. */
function treePaths(tree: unknown, attributes: Json): StatePathStep[][] {
  if (tree === undefined || tree === null) return [];
  if (tree === true) return Object.keys(attributes).map((k) => [k]);
  if (typeof tree !== "object") return Object.keys(attributes).map((k) => [k]);
  const out: StatePathStep[][] = [];
  const stack: Array<[unknown, StatePathStep[]]> = [[tree, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === true) out.push(path);
    else if (Array.isArray(node)) node.forEach((n, i) => stack.push([n, [...path, i]]));
    else if (isObject(node)) for (const [k, n] of Object.entries(node)) stack.push([n, [...path, k]]);
  }
  return out;
}

export function resourceAddress(module: string, mode: "managed" | "data", type: string, name: string): string {
  return `${module ? `${module}.` : ""}${mode === "data" ? "data." : ""}${type}.${name}`;
}

/** [0] for count, ["key"] for for_each (Terraform's own address syntax). */
export function indexPart(key: string | number | undefined): string {
  return key === undefined ? "" : typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}
