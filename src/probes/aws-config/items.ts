// Configuration items as AWS Config really returns them: `configuration` is a JSON string
// (BatchGetResourceConfig) or an object (advanced queries), `supplementaryConfiguration` a map of
// JSON strings (some, like S3's AccessControlList, encoded twice), timestamps are Dates or ISO
// strings, tags a map or a [{ key, value }] list. prepareItem() turns one into the plain document
// checks compare and judge.
import { ProbeError } from "../errors.js";
import { setOwn } from "../../core/own-property.js";

export const NOT_CURRENT = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"]);

export interface ConfigItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsRegion?: string;
  accountId?: string;
  arn?: string;
  /** OK, ResourceDiscovered, ResourceDeleted, ResourceDeletedNotRecorded, ResourceNotRecorded. */
  status: string;
  tags: Record<string, string>;
  /** The comparable document (configuration and supplementary configuration parsed). */
  doc: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * One raw item (SDK output or a parsed advanced-query result) -> ConfigItem. The raw object is
 * freshly decoded and owned by the caller, so it becomes the document in place: no copy, and
 * `configuration` is parsed exactly once. `side` only names the item in error messages.
 */
export function prepareItem(raw: Record<string, unknown>, side = ""): ConfigItem {
  const what = () => `${side ? `${side} ` : ""}${String(raw.resourceType ?? "item")} ${String(raw.resourceId ?? "?")}`;
  for (const k in raw) {
    const v = raw[k];
    if (v === undefined) delete raw[k];
    else if (k === "configuration") raw[k] = parseConfiguration(v, what);
    else if (k === "supplementaryConfiguration") raw[k] = parseSupplementary(v, what);
    else if (k === "tags") raw[k] = tagMap(v);
    else if (v instanceof Date) raw[k] = v.toISOString();
  }
  const item: ConfigItem = {
    resourceType: str(raw.resourceType) ?? "",
    resourceId: str(raw.resourceId) ?? "",
    status: str(raw.configurationItemStatus) ?? "OK",
    tags: (raw.tags as Record<string, string> | undefined) ?? supplementaryTags(raw.supplementaryConfiguration),
    doc: raw,
  };
  const name = str(raw.resourceName);
  if (name) item.resourceName = name;
  const region = str(raw.awsRegion);
  if (region) item.awsRegion = region;
  const account = str(raw.accountId);
  if (account) item.accountId = account;
  const arn = str(raw.arn);
  if (arn) item.arn = arn;
  return item;
}

function parseConfiguration(v: unknown, what: () => string): unknown {
  if (typeof v !== "string") return v;
  if (v === "" || v === "null") return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw new ProbeError("invalid-response", `configuration of ${what()} is not valid JSON`);
  }
}

/** Each value is a JSON string; S3's are sometimes a JSON string of a JSON string. Non-JSON stays text. */
function parseSupplementary(v: unknown, what: () => string): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    let value: unknown = raw;
    for (let depth = 0; depth < 2 && typeof value === "string"; depth++) {
      const t = value.trimStart();
      if (!(t.startsWith("{") || t.startsWith("[") || t.startsWith('"') || t === "true" || t === "false" || t === "null" || /^-?\d/.test(t))) break;
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        if (depth === 0 && (t.startsWith("{") || t.startsWith("["))) {
          throw new ProbeError("invalid-response", `supplementaryConfiguration.${k} of ${what()} is not valid JSON`);
        }
        break;
      }
    }
    setOwn(out, k, value);
  }
  return out;
}

/** Tags as a plain map: { Name: "orders" } from a map, [{ key, value }] or [{ Key, Value }]. */
export function tagMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      if (t === null || typeof t !== "object") continue;
      const o = t as Record<string, unknown>;
      const key = o.key ?? o.Key;
      const value = o.value ?? o.Value;
      if (typeof key === "string") setOwn(out, key, typeof value === "string" ? value : String(value ?? ""));
    }
  } else if (v !== null && typeof v === "object") {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) setOwn(out, k, typeof val === "string" ? val : String(val ?? ""));
  }
  return out;
}

/** BatchGetResourceConfig items carry no `tags`; several types put them in supplementaryConfiguration.Tags. */
function supplementaryTags(sup: unknown): Record<string, string> {
  if (sup === null || typeof sup !== "object") return {};
  const t = (sup as Record<string, unknown>).Tags;
  return t === undefined ? {} : tagMap(t);
}

/** Short identity for findings: never the whole item. */
export function identity(item: ConfigItem): Record<string, string> {
  const out: Record<string, string> = { resourceType: item.resourceType, resourceId: item.resourceId };
  if (item.resourceName) out.resourceName = item.resourceName;
  if (item.arn) out.arn = item.arn;
  if (item.awsRegion) out.awsRegion = item.awsRegion;
  if (item.status !== "OK" && item.status !== "ResourceDiscovered") out.configurationItemStatus = item.status;
  return out;
}

export function displayName(item: ConfigItem): string {
  return item.resourceName ?? item.resourceId;
}

/** The parsed `configuration` object of an item, or null when it has none. */
export function configurationOf(item: ConfigItem): Record<string, unknown> | null {
  const c = item.doc.configuration;
  return c !== null && typeof c === "object" && !Array.isArray(c) ? (c as Record<string, unknown>) : null;
}
