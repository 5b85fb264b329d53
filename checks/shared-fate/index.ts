// shared-fate: "multi-region" is not "independent". Compares the sides' declared and discovered
// dependencies (region, zones, account, DNS provider, identity provider, network, declared
// dependencies); every shared one is a finding saying what it means during an outage, unless the
// user accepted it with a written reason (then it stays visible, as info, and costs nothing).
import { isIP } from "node:net";
import { z } from "zod";
import { defineCheck, hostOption, labelOption, readSides, sideMessage, verdict, type CheckContext, type CheckOutcome, type Finding, type Side, type Undecided } from "../../src/kit/index.js";
import { serverOption } from "../../src/options/reach.js";
import { SERVER_PATTERN } from "../../src/probes/dns-authoritative.js";
import { makeResolver, resolveAddresses, resolverName, zoneNameservers, type ResolverHandle } from "../../src/probes/dns-discovery.js";
import { normaliseName } from "../../src/probes/dns-wire.js";
import { isProbeError } from "../../src/probes/errors.js";
import type { Discovered, SharedFateEvidence, SharedKey } from "./evidence.js";
import { networkOf, sameNetwork } from "./network.js";

const sideSchema = z
  .strictObject({
    region: z.string().min(1).optional().describe("Region; default: the side var `region`"),
    zones: z.array(z.string().min(1)).optional().describe("Availability zones; default: the side var `zones` (comma-separated)"),
    account: z.string().min(1).optional().describe("Cloud account / subscription / project; default: the side var `account`"),
    identity: labelOption().optional().describe("JWT issuer or identity provider; default: the side var `issuer`"),
    hosts: z.array(hostOption()).default([]).describe("DNS names (NS provider and addresses) or IP addresses of the side"),
    dependencies: z.array(labelOption()).default([]).describe("What the side needs to run or fail over: auth, CI/CD, control planes"),
  })
  .prefault({});

type SideOptions = z.output<typeof sideSchema>;

/** What a shared dependency means during an outage, and how hard it counts. */
const MEANING = {
  region: { level: "fail", text: "a regional outage (control plane, networking, a provider-wide event) takes both sides down" },
  zones: { level: "fail", text: "an availability-zone failure (power, cooling, network) hits both sides at once" },
  account: { level: "warn", text: "an account-level event (suspension, a compromised or mis-scoped IAM change, a quota, an org policy) stops both sides" },
  dns: { level: "warn", text: "an outage of the DNS provider makes both sides unreachable by name, and DNS failover impossible" },
  identity: { level: "warn", text: "when the identity provider is down nobody can sign in to either side, operators included" },
  network: { level: "fail", text: "one routing, firewall or uplink failure in that network takes both sides down" },
  dependencies: { level: "warn", text: "its outage affects both sides at once; if failover needs it (deploys, auth, a control plane) the standby cannot be promoted" },
} as const;

/** Managed DNS providers recognised by their nameserver names; others are grouped by the NS host's parent domain. */
const DNS_PROVIDERS: [RegExp, string][] = [
  [/(^|\.)awsdns-\d+\.[a-z.]+$/, "Amazon Route 53"],
  [/\.ns\.cloudflare\.com$/, "Cloudflare"],
  [/\.azure-dns\.[a-z.]+$/, "Azure DNS"],
  [/\.googledomains\.com$/, "Google Cloud DNS"],
  [/\.nsone\.net$/, "NS1"],
  [/\.akam\.net$/, "Akamai Edge DNS"],
  [/\.dynect\.net$/, "Oracle Dyn"],
  [/\.ultradns\.[a-z.]+$/, "UltraDNS"],
  [/\.domaincontrol\.com$/, "GoDaddy"],
  [/\.dnsimple(-edge)?\.[a-z.]+$/, "DNSimple"],
  [/\.digitalocean\.com$/, "DigitalOcean"],
];

export function dnsProvider(nsHost: string): string {
  const host = normaliseName(nsHost);
  for (const [re, name] of DNS_PROVIDERS) if (re.test(host)) return name;
  const labels = host.split(".");
  return labels.length > 2 ? labels.slice(1).join(".") : host;
}

export default defineCheck({
  meta: {
    kind: "shared-fate",
    title: "Primary and standby do not share a failure domain",
    description: "Finds dependencies both sides share (region, zones, account, DNS provider, identity provider, network, declared services)",
    defaultSeverity: "high",
    docs: "checks/shared-fate/README.md",
  },
  options: z.object({
    primary: sideSchema.describe("The primary side's declared dependencies"),
    standby: sideSchema.describe("The standby side's declared dependencies"),
    nameservers: z.array(serverOption(SERVER_PATTERN, "expected host, host:port or [v6]:port", 53)).optional().describe("Resolvers (IP[:port]) for discovery; default: the system's"),
    network: z
      .strictObject({
        ipv4Prefix: z.number().int().min(1).max(32).default(24),
        ipv6Prefix: z.number().int().min(1).max(128).default(48),
      })
      .prefault({})
      .describe("Prefix lengths that make two addresses 'the same network'"),
    accept: z
      .record(z.string().min(1), z.string().min(1, "expected a written reason"))
      .default({})
      .describe("Finding path -> written reason: accepted shared dependencies stay visible and cost nothing"),
  }),

  async run(options, ctx): Promise<CheckOutcome<SharedFateEvidence>> {
    const sides = { primary: declared(options.primary, "primary", ctx), standby: declared(options.standby, "standby", ctx) };
    const raw: Finding[] = [];
    const compared: SharedKey[] = [];
    const notCompared: SharedKey[] = [];
    const undecided: Undecided[] = [];
    const evidence: SharedFateEvidence = { compared, notCompared };

    // Region and zones.
    const { primary: p, standby: s } = sides;
    if (p.region && s.region) {
      compared.push("region");
      if (eq(p.region, s.region)) raw.push(shared("region", `both sides are in region ${s.region}`, p.region, s.region));
    } else notCompared.push("region");
    if (p.zones.length > 0 && s.zones.length > 0) {
      compared.push("zones");
      const common = intersect(p.zones, s.zones);
      if (common.length > 0) raw.push(shared("zones", `both sides use availability zone${common.length > 1 ? "s" : ""} ${common.join(", ")}`, p.zones, s.zones));
    } else notCompared.push("zones");
    if (p.account && s.account) {
      compared.push("account");
      if (eq(p.account, s.account)) raw.push(shared("account", `both sides are in account ${s.account}`, p.account, s.account));
    } else notCompared.push("account");
    if (p.identity && s.identity) {
      compared.push("identity");
      if (sameIssuer(p.identity, s.identity)) raw.push(shared("identity", `both sides trust the identity provider ${s.identity}`, p.identity, s.identity));
    } else notCompared.push("identity");

    // DNS providers and networks, discovered from the sides' hosts.
    if (options.primary.hosts.length > 0 && options.standby.hosts.length > 0) {
      const handle = makeResolver(options.nameservers, { timeoutMs: Math.min(ctx.timeoutMs, 5_000), signal: ctx.signal });
      try {
        const hosts = { primary: options.primary.hosts, standby: options.standby.hosts };
        const read = await readSides(ctx, { primary: hosts.primary.join(", "), standby: hosts.standby.join(", ") }, (side) => discover(handle, side, hosts[side], ctx.signal));
        undecided.push(...read.undecided);
        if (read.primary && read.standby) {
          const found = { primary: read.primary.found, standby: read.standby.found };
          undecided.push(...read.primary.failed, ...read.standby.failed);
          evidence.discovered = found;
          compareDns(found, raw, compared, notCompared);
          compareNetworks(found, options.network, raw, compared, notCompared);
        } else notCompared.push("dns", "network");
      } finally {
        handle.close();
      }
    } else notCompared.push("dns", "network");

    // Declared dependencies.
    if (options.primary.dependencies.length > 0 || options.standby.dependencies.length > 0) {
      compared.push("dependencies");
      const standbyDeps = new Map(options.standby.dependencies.map((d) => [d.trim().toLowerCase(), d]));
      for (const d of options.primary.dependencies) {
        const key = d.trim().toLowerCase();
        if (standbyDeps.has(key)) {
          raw.push({ ...shared("dependencies", `both sides depend on ${d}`, d, standbyDeps.get(key)), path: `dependencies.${key}`, message: `both sides depend on ${d}: ${MEANING.dependencies.text}` });
        }
      }
    }

    // Acceptances.
    const used = new Set<string>();
    const findings = raw.map((f): Finding => {
      const reason = options.accept[f.path!] ?? (f.path!.startsWith("dependencies.") ? options.accept[f.path!.slice("dependencies.".length)] : undefined);
      if (reason === undefined) return f;
      used.add(options.accept[f.path!] !== undefined ? f.path! : f.path!.slice("dependencies.".length));
      return { ...f, level: "info", accepted: reason };
    });
    for (const key of Object.keys(options.accept)) {
      if (!used.has(key)) findings.push({ level: "info", message: `accept '${key}' matches no shared dependency (stale? remove it)`, path: `accept.${key}`, rule: "stale-accept" });
    }

    evidence.notCompared = [...new Set(notCompared)];
    if (undecided.length > 0) evidence.discoveryErrors = undecided.map((u) => u.message);
    else if (compared.length === 0) {
      undecided.push({ reason: "error", message: "nothing to compare: declare region, zones, account, identity, hosts or dependencies for both sides (or side vars region/account)" });
    }
    const open = findings.filter((f) => !f.accepted && (f.level ?? "fail") !== "info");
    const acceptedCount = findings.filter((f) => f.accepted).length;
    const acceptedText = acceptedCount > 0 ? ` (${acceptedCount} accepted)` : "";
    const out = verdict({ findings, undecided, measured: null, evidence, passSummary: () => `independent across ${compared.join(", ")}${acceptedText}` });
    // Which domains are shared says more than the first one's text: they name the summary.
    const paths = open.map((f) => f.path).join(", ");
    if (out.status === "fail") return { ...out, summary: `${open.length} shared failure domain${open.length === 1 ? "" : "s"}${acceptedText}: ${paths}` };
    if (out.status === "warn") return { ...out, summary: `${open.length} shared dependenc${open.length === 1 ? "y" : "ies"}${acceptedText}: ${paths}` };
    return out;
  },
});

interface Declared {
  region?: string;
  zones: string[];
  account?: string;
  identity?: string;
}

function declared(o: SideOptions, side: Side, ctx: CheckContext): Declared {
  const vars = ctx.service[side].vars;
  const zones = o.zones ?? (vars.zones ? vars.zones.split(",").map((z) => z.trim()).filter(Boolean) : []);
  return { region: o.region ?? vars.region, zones, account: o.account ?? vars.account, identity: o.identity ?? vars.issuer };
}

const eq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function intersect(a: string[], b: string[]): string[] {
  const bs = new Set(b.map((x) => x.trim().toLowerCase()));
  return a.filter((x) => bs.has(x.trim().toLowerCase()));
}

/** Same issuer URL (trailing slash aside), or the same host serving both. */
function sameIssuer(a: string, b: string): boolean {
  const norm = (x: string) => x.trim().replace(/\/+$/, "").toLowerCase();
  if (norm(a) === norm(b)) return true;
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return false;
  }
}

function shared(key: keyof typeof MEANING, what: string, primary: unknown, standby: unknown): Finding {
  const m = MEANING[key];
  return { level: m.level, message: `${what}: ${m.text}`, path: key, primary, standby, rule: `shared-${key}` };
}

/**
 * What the resolver finds behind one side's hosts. A host whose lookup fails is kept as an
 * undecided reading, on purpose: the other hosts still count, and so does what was declared.
 */
async function discover(handle: ResolverHandle, side: Side, hosts: string[], signal: AbortSignal): Promise<{ found: Discovered; failed: Undecided[] }> {
  const found: Discovered = { nameservers: {}, addresses: {} };
  const failed: Undecided[] = [];
  // The lookup's message names the host, the question and the resolver that failed to answer.
  for (const host of hosts) {
    try {
      found.addresses[host] = await resolveAddresses(handle, host, signal);
      if (!isIP(host)) found.nameservers[host] = await nsOf(handle, host, signal);
      // A name with neither addresses nor nameservers (a typo, a zone that is gone) shows nothing
      // to compare: undecided, never silently left out of an "independent" verdict.
      if (found.addresses[host]!.length === 0 && (found.nameservers[host] ?? []).length === 0) {
        failed.push({ reason: "unreachable", message: `${side} ${host}: name not found (no address and no nameserver through ${resolverName(handle)})` });
      }
    } catch (err) {
      if (!isProbeError(err) || signal.aborted) throw err;
      failed.push({ reason: err.reason, message: sideMessage(side, host, err.message) });
    }
  }
  return { found, failed };
}

/** NS hosts of the zone a name lives in (walking up to the closest name with NS records). */
async function nsOf(handle: ResolverHandle, host: string, signal: AbortSignal): Promise<string[]> {
  const labels = normaliseName(host).split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const ns = await zoneNameservers(handle, labels.slice(i).join("."), signal);
    if (ns.length > 0) return ns;
  }
  return [];
}

function compareDns(found: Record<Side, Discovered>, raw: Finding[], compared: SharedKey[], notCompared: SharedKey[]): void {
  const p = new Set(Object.values(found.primary.nameservers).flat());
  const s = new Set(Object.values(found.standby.nameservers).flat());
  if (p.size === 0 || s.size === 0) {
    notCompared.push("dns");
    return;
  }
  compared.push("dns");
  const commonHosts = [...p].filter((x) => s.has(x));
  const pp = new Set([...p].map(dnsProvider));
  const commonProviders = [...new Set([...s].map(dnsProvider))].filter((x) => pp.has(x));
  if (commonHosts.length > 0 || commonProviders.length > 0) {
    const what = commonHosts.length > 0 ? `nameserver${commonHosts.length > 1 ? "s" : ""} ${commonHosts.join(", ")}` : `DNS provider ${commonProviders.join(", ")}`;
    raw.push(shared("dns", `both sides' names are served by the same ${what}`, [...p], [...s]));
  }
}

function compareNetworks(
  found: Record<Side, Discovered>,
  net: { ipv4Prefix: number; ipv6Prefix: number },
  raw: Finding[],
  compared: SharedKey[],
  notCompared: SharedKey[],
): void {
  const p = Object.values(found.primary.addresses).flat();
  const s = Object.values(found.standby.addresses).flat();
  if (p.length === 0 || s.length === 0) {
    notCompared.push("network");
    return;
  }
  compared.push("network");
  const pairs: string[] = [];
  for (const a of p) for (const b of s) if (sameNetwork(a, b, net.ipv4Prefix, net.ipv6Prefix)) pairs.push(`${a} ~ ${b} (${networkOf(a, net.ipv4Prefix, net.ipv6Prefix)})`);
  if (pairs.length > 0) raw.push(shared("network", `primary and standby addresses share a network: ${pairs.slice(0, 3).join(", ")}${pairs.length > 3 ? ", ..." : ""}`, p, s));
}
