// Untrusted-config mode is only as complete as the reach tags (src/config/reach.ts): every option
// of every kind (and of the config's top level) whose name says it runs, reads or connects must
// be tagged, so a new kind that forgets one fails here rather than opening a door.
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../checks/index.js";
import { reachRegistry, type Reach } from "../../src/options/reach.js";
import { configSchema } from "../../src/config/schema.js";
import { defOf } from "../../src/core/zod-def.js";


/** Every option path (by key) with the reach tagged on it or on an enclosing object, or "untagged". */
function leaves(schema: z.ZodType, path: string, out: Map<string, string>, tagged: Reach["kind"] | "endpoint" | null = null): Map<string, string> {
  const tag = reachRegistry.get(schema);
  const here = tag && "reach" in tag ? tag.reach.kind : tag && "reachOf" in tag ? "endpoint" : tagged;
  const d = defOf(schema);
  if (d.type === "object" && d.shape) for (const [k, s] of Object.entries(d.shape)) leaves(s, path ? `${path}.${k}` : k, out, here === "endpoint" ? "endpoint" : null);
  else if (d.type === "array" && d.element) leaves(d.element, path, out, here);
  else if (d.type === "record" && d.valueType) leaves(d.valueType, `${path}.*`, out, here);
  else if (d.type === "union" && d.options) d.options.forEach((o) => leaves(o, path, out, here));
  else if (d.type === "pipe" && d.in) leaves(d.in, path, out, here);
  else if (d.innerType) leaves(d.innerType, path, out, here);
  else if (d.type === "string" || here) {
    const prev = out.get(path);
    if (!prev || prev === "untagged") out.set(path, here ?? "untagged");
  }
  return out;
}

/** Option names that run, read or connect to something. */
const REACHING = /(^|\.)(url|primary|standby|file|pemFile|caFile|command|host|hosts|addresses|nameservers|authoritative|sentinels|nodes\.\*|jwks|issuer|endpoint|stsEndpoint|path|name)$/;
/** Named like that but only a name (checked against the certificate, a node's label, a table). */
const NOT_REACHING = new Set([
  "tls-certificate:primary.name",
  "tls-certificate:standby.name",
  "top:services.name",
  "aws-credentials:primary.aggregator.name",
  "aws-credentials:standby.aggregator.name",
  "config-drift:primary.awsConfig.aggregator.name",
  "config-drift:standby.awsConfig.aggregator.name",
  "config-drift:rules.path",
]);

describe("reach tags", () => {
  const all = new Map<string, string>();
  for (const [kind, def] of Object.entries(CHECKS)) for (const [p, t] of leaves(def.options, "", new Map())) all.set(`${kind}:${p}`, t);
  for (const [p, t] of leaves(configSchema, "", new Map())) all.set(`top:${p}`, t);

  it("every option named like a command, file or target is tagged", () => {
    const untagged = [...all].filter(([p, t]) => REACHING.test(p.split(":")[1]!) && t === "untagged" && !NOT_REACHING.has(p)).map(([p]) => p);
    expect(untagged).toEqual([]);
  });

  it("tags what each kind reaches", () => {
    const by = (kind: string) => Object.fromEntries([...all].filter(([p, t]) => p.startsWith(`${kind}:`) && t !== "untagged" && t !== "label").map(([p, t]) => [p.slice(kind.length + 1), t]));
    expect(by("drill-recency")).toEqual({ "lastDrill.file": "file", "lastDrill.url": "url", "lastDrill.command": "command", "lastDrill.awsFis.endpoint": "url", "lastDrill.awsFis.stsEndpoint": "url" });
    expect(by("jwt")).toMatchObject({ "primary.command": "command", "primary.url": "url", "primary.jwks": "url", "primary.issuer": "url", "standby.command": "command" });
    expect(by("config-drift")).toMatchObject({ "primary.file": "file", "primary.url": "url", "primary.awsConfig.endpoint": "url", "standby.file": "file" });
    expect(by("tls-certificate")).toMatchObject({ "primary.host": "endpoint", "primary.addresses": "endpoint", "primary.caFile": "file", "primary.pemFile": "file" });
    expect(by("split-brain")).toEqual({ primary: "connection", standby: "connection", "nodes.*": "connection", sentinels: "connection" });
    expect(by("replication-lag")).toEqual({ primary: "connection", standby: "connection", "drs.endpoint": "url", "drs.stsEndpoint": "url" });
    expect(by("cache-age")).toMatchObject({ "http.url": "url", "http.primary": "url", "redis.url": "connection", "redis.primary": "connection", file: "file", "file.path": "file" });
    expect(by("dns-failover")).toMatchObject({ name: "host", nameservers: "server", authoritative: "server", "standby.host": "endpoint" });
    expect(by("shared-fate")).toMatchObject({ "primary.hosts": "host", nameservers: "server" });
    expect(by("aws-credentials")).toMatchObject({ "primary.endpoint": "url", "primary.stsEndpoint": "url" });
    expect(by("top")).toEqual({ "history.file": "file", "notify.webhook.url": "url" });
  });
});
