// What an option makes standby reach outside the process: a command it runs, a local file it
// reads, a host it connects to. Declared on the option's schema (the building blocks below), so a
// kind that builds its options from them is covered by untrusted-config mode (trust.ts) without
// any code of its own; test/config/reach.test.ts fails for a kind whose url/file/host/command
// options are not tagged. Tags live in their own zod registry: the JSON Schema stays as it was.
import { z } from "zod";
import type { PathSegment } from "../core/path-segment.js";
import { defOf } from "../core/zod-def.js";

export type Reach =
  /** argv of a command standby would run. */
  | { kind: "command" }
  /**
   * A local file path, relative to the config file's directory. `exists` is what `standby
   * validate` requires to be there (input-files.ts): the file (an input the check reads: the
   * default), its directory (an artifact whose absence is the check's own finding), or nothing
   * (a file standby writes).
   */
  | { kind: "file"; exists?: FileExistence }
  /** An http(s) URL. */
  | { kind: "url" }
  /** A database connection string (postgres://, mysql://, redis://...). */
  | { kind: "connection" }
  /** host, host:port or [v6]:port, with this port when none is given. */
  | { kind: "server"; defaultPort: number }
  /** A host name or address; the port when the option's object gives one. */
  | { kind: "host"; port?: number }
  /** Text that only names something (a label): never reached, even when it looks like a URL. */
  | { kind: "label" }
  /**
   * A kubeconfig context (the value), in `kubeconfig` (relative to the config file) or the default
   * kubeconfig: the files, credentials (an exec plugin runs a program) and API server it names.
   */
  | { kind: "kube-context"; kubeconfig?: string };

export type FileExistence = "file" | "directory" | "none";

/** One reach found in a config: where it is (relative to the option's owner), what, which value. */
export interface ReachAt {
  path: PathSegment[];
  reach: Reach;
  value: string;
}

/** A tag: a fixed reach for a string (or each string of an array), or a function of an object's value. */
type Tag = { reach: Reach } | { reachOf: (value: Record<string, unknown>) => ReachAt[] };

export const reachRegistry = z.registry<Tag>();

/** Tags `schema` (returned as is). Tag last: a later .min()/.refine() makes a copy without the tag (.describe()/.optional() keep it). */
export function tagReach<T extends z.ZodType>(schema: T, reach: Reach): T {
  reachRegistry.add(schema, { reach });
  return schema;
}

/** Tags an object schema with a function naming the reaches inside its value (host + port pairs). */
export function tagReachOf<T extends z.ZodType>(schema: T, reachOf: (value: Record<string, unknown>) => ReachAt[]): T {
  reachRegistry.add(schema, { reachOf });
  return schema;
}

// ---- building blocks ------------------------------------------------------------------------

const HTTP_URL = /^https?:\/\/[^\s]+$/i;

/** An http:// or https:// URL standby requests. */
export const httpUrlOption = () => tagReach(z.string().refine((u) => HTTP_URL.test(u), "expected an http:// or https:// URL"), { kind: "url" });
/** A local file path (relative to the config file) standby reads; `validate` reports it missing (see Reach). */
export const fileOption = (exists: FileExistence = "file") => tagReach(z.string().min(1), { kind: "file", exists });
/** argv of a command standby runs (no shell). */
export const commandOption = (item: z.ZodString = z.string()) => tagReach(z.array(item).min(1), { kind: "command" });
/** A database connection string. */
export const connectionOption = () => tagReach(z.string().min(1), { kind: "connection" });
/** A host name or address (the port, if any, is another option: see endpointReach). */
export const hostOption = () => tagReach(z.string().min(1), { kind: "host" });
/** Free text that names something and is never contacted. */
export const labelOption = () => tagReach(z.string().min(1), { kind: "label" });
/** host[:port] of a server (DNS), with a pattern checked by the caller's schema. */
export const serverOption = (pattern: RegExp, message: string, defaultPort: number) => tagReach(z.string().regex(pattern, message), { kind: "server", defaultPort });

/** reachOf for an object whose `hostKey` (and each of `addressKeys`) is reached on its `portKey` (or `defaultPort`). */
export function endpointReach(hostKey: string, portKey: string, addressKeys: string[] = [], defaultPort?: number): (value: Record<string, unknown>) => ReachAt[] {
  return (value) => {
    const port = typeof value[portKey] === "number" ? (value[portKey] as number) : defaultPort;
    const out: ReachAt[] = [];
    if (typeof value[hostKey] === "string") out.push({ path: [hostKey], reach: { kind: "host", port }, value: value[hostKey] as string });
    for (const key of addressKeys) {
      const list = value[key];
      if (Array.isArray(list)) list.forEach((a, i) => typeof a === "string" && out.push({ path: [key, i], reach: { kind: "host", port }, value: a }));
    }
    return out;
  };
}

// ---- finding the reaches of a value ---------------------------------------------------------

const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\/\S/i;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** What `value` (the option as written, references resolved) reaches, per the tags of `schema`. */
export function reachesOf(schema: z.ZodType, value: unknown, path: PathSegment[] = [], out: ReachAt[] = []): ReachAt[] {
  if (value === undefined) return out;
  const tag = reachRegistry.get(schema);
  if (tag && "reach" in tag) {
    if (typeof value === "string") out.push({ path, reach: tag.reach, value });
    else if (Array.isArray(value)) {
      // A command is one reach (its argv); a list of hosts is one per item.
      if (tag.reach.kind === "command") out.push({ path, reach: tag.reach, value: value.map(String).join(" ") });
      else value.forEach((v, i) => typeof v === "string" && out.push({ path: [...path, i], reach: tag.reach, value: v }));
    }
    return out;
  }
  if (tag && "reachOf" in tag && isRecord(value)) {
    for (const r of tag.reachOf(value)) out.push({ ...r, path: [...path, ...r.path] });
  }
  const d = defOf(schema);
  switch (d.type) {
    case "object":
      if (isRecord(value) && d.shape) for (const [k, s] of Object.entries(d.shape)) if (Object.hasOwn(value, k)) reachesOf(s, value[k], [...path, k], out);
      break;
    case "array":
      if (Array.isArray(value) && d.element) value.forEach((v, i) => reachesOf(d.element!, v, [...path, i], out));
      break;
    case "record":
      if (isRecord(value) && d.valueType) for (const [k, v] of Object.entries(value)) reachesOf(d.valueType, v, [...path, k], out);
      break;
    case "union": {
      // The alternative zod itself picks: the first that accepts the value.
      const chosen = d.options?.find((o) => o.safeParse(value).success);
      if (chosen) reachesOf(chosen, value, path, out);
      break;
    }
    case "intersection":
      if (d.left) reachesOf(d.left, value, path, out);
      if (d.right) reachesOf(d.right, value, path, out);
      break;
    case "pipe":
      if (d.in) reachesOf(d.in, value, path, out);
      break;
    case "lazy":
      if (d.getter) reachesOf(d.getter(), value, path, out);
      break;
    default:
      if (d.innerType) reachesOf(d.innerType, value, path, out);
      // Untagged text that is a URL is reached too, for all that is known: a kind that forgot a tag
      // is not an open door (a labelOption() says that a URL is only a name).
      else if (typeof value === "string" && LOOKS_LIKE_URL.test(value)) out.push({ path, reach: { kind: "url" }, value });
  }
  return out;
}
