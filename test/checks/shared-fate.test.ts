// shared-fate through the one tester: declared dependencies and side vars, and discovery (NS
// records, addresses) against a real authoritative DNS server (NSD on a loopback port). The
// zone's addresses are only compared, never connected to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check, { dnsProvider } from "../../checks/shared-fate/index.js";
import { networkOf, sameNetwork } from "../../checks/shared-fate/network.js";
import type { ServiceInfo } from "../../src/engine/types.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { assertPresent, closedPort, skipMessage } from "../helpers/servers/common.js";
import { nsdMissing, startNsd, type NsdServer } from "../helpers/servers/nsd.js";

const soa = (zone: string) => `@ 3600 IN SOA ns1.${zone}. hostmaster.${zone}. ( 1 3600 900 604800 300 )`;
const ZONES = {
  "example.test": `$ORIGIN example.test.\n$TTL 300\n${soa("example.test")}\n@ IN NS ns1.provider.test.\n@ IN NS ns2.provider.test.\norders-use1 IN A 127.0.1.10\norders-use1 IN AAAA 2001:db8:1::10\n`,
  // Another zone at the same DNS provider (one nameserver in common).
  "other.test": `$ORIGIN other.test.\n$TTL 300\n${soa("other.test")}\n@ IN NS ns1.provider.test.\norders-usw2 IN A 127.0.1.20\norders-usw2 IN AAAA 2001:db8:1:ff::20\n`,
  // A zone at an unrelated provider, in another network.
  "indie.test": `$ORIGIN indie.test.\n$TTL 300\n${soa("indie.test")}\n@ IN NS ns-7.elsewhere.example.\norders-usw2 IN A 127.0.2.20\n`,
};

const SERVICE: ServiceInfo = {
  name: "orders",
  primary: { vars: { region: "us-east-1", account: "111111111111", zones: "use1-az1, use1-az2" } },
  standby: { vars: { region: "us-west-2", account: "111111111111", zones: "usw2-az1" } },
};

describe("helpers", () => {
  it("recognises DNS providers by nameserver names", () => {
    expect(dnsProvider("ns-1234.awsdns-12.org")).toBe("Amazon Route 53");
    expect(dnsProvider("ns-99.awsdns-40.co.uk.")).toBe("Amazon Route 53");
    expect(dnsProvider("kate.ns.cloudflare.com")).toBe("Cloudflare");
    expect(dnsProvider("ns1.provider.test")).toBe("provider.test");
  });
  it("compares networks by prefix", () => {
    expect(sameNetwork("10.1.2.3", "10.1.2.200", 24, 48)).toBe(true);
    expect(sameNetwork("10.1.2.3", "10.1.3.3", 24, 48)).toBe(false);
    expect(sameNetwork("10.1.2.3", "10.1.3.3", 16, 48)).toBe(true);
    expect(sameNetwork("2001:db8:1::10", "2001:db8:1:ff::20", 24, 48)).toBe(true);
    expect(sameNetwork("2001:db8:1::10", "2001:db8:2::10", 24, 48)).toBe(false);
    expect(sameNetwork("10.1.2.3", "::ffff:10.1.2.3", 24, 48)).toBe(false);
    expect(networkOf("10.1.2.3", 24, 48)).toBe("10.1.2.0/24");
    expect(networkOf("2001:db8:1:ff::20", 24, 48)).toBe("2001:db8:1::/48");
  });
});

describe("declared dependencies", () => {
  it("finds the shared account from side vars and passes on independent regions and zones", async () => {
    const r = await runCheck(check, {}, { service: SERVICE });
    expect(r.status).toBe("warn");
    expect(r.findings).toHaveLength(1);
    expect(r.findings![0]).toMatchObject({ path: "account", level: "warn", primary: "111111111111", standby: "111111111111" });
    expect(r.findings![0]!.message).toContain("both sides are in account 111111111111: an account-level event");
    expect(r.evidence).toMatchObject({ compared: ["region", "zones", "account"] });
  });

  it("fails on a shared region and zone, whatever the vars say", async () => {
    const r = await runCheck(check, { primary: { region: "eu-west-1", zones: ["euw1-az1", "euw1-az2"] }, standby: { region: "EU-WEST-1", zones: ["euw1-az2"] } }, { service: SERVICE });
    expect(r.status).toBe("fail");
    expect(r.findings!.map((f) => f.path)).toEqual(["region", "zones", "account"]);
    expect(r.findings![1]!.message).toContain("availability zone euw1-az2");
    expect(r.summary).toBe("3 shared failure domains: region, zones, account");
  });

  it("reports shared identity providers and declared dependencies, and accepted ones cost nothing but stay visible", async () => {
    const opts = {
      primary: { identity: "https://login.example.com/", dependencies: ["GitHub Actions", "Terraform Cloud", "vault-use1"] },
      standby: { identity: "https://login.example.com", dependencies: ["github actions", "terraform cloud", "vault-usw2"] },
    };
    const r = await runCheck(check, opts, { service: SERVICE });
    expect(r.status).toBe("warn");
    expect(r.findings!.map((f) => f.path).sort()).toEqual(["account", "dependencies.github actions", "dependencies.terraform cloud", "identity"]);
    const accepted = await runCheck(
      check,
      {
        ...opts,
        accept: {
          account: "one org account by policy; SCP changes go through two-person review",
          identity: "break-glass local accounts exist on both sides",
          "dependencies.github actions": "deploys can wait; failover does not deploy",
          "terraform cloud": "state is mirrored; plans can run locally",
          region: "stale acceptance",
        },
      },
      { service: SERVICE },
    );
    expect(accepted.status).toBe("pass");
    const acc = accepted.findings!.filter((f) => f.accepted);
    expect(acc).toHaveLength(4);
    for (const f of acc) expect(f.level).toBe("info");
    expect(acc.find((f) => f.path === "identity")!.accepted).toBe("break-glass local accounts exist on both sides");
    expect(accepted.findings!.find((f) => f.path === "accept.region")).toMatchObject({ level: "info" });
    expect(accepted.summary).toContain("(4 accepted)");
  });

  it("is unknown when nothing can be compared", async () => {
    const r = await runCheck(check, {}, { service: { name: "x", primary: { vars: {} }, standby: { vars: {} } } });
    expect(r).toMatchObject({ status: "unknown", reason: "error" });
    expect(r.summary).toContain("nothing to compare");
  });

  it("options: a wrong key or an empty reason names its path", () => {
    const issues = (raw: Record<string, unknown>) => {
      const r = parseOptions(check, raw);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    };
    expect(issues({ accept: { region: "" } })).toEqual([{ path: "accept.region", message: "expected a written reason" }]);
    expect(issues({ primary: { regoin: "us-east-1" } })).toEqual([{ path: "primary", message: expect.stringContaining("regoin") }]);
    expect(issues({ network: { ipv4Prefix: 33 } })).toEqual([{ path: "network.ipv4Prefix", message: expect.stringMatching(/<=32|too big/i) }]);
  });
});

const skip = skipMessage("NSD", nsdMissing());
describe.skipIf(skip !== null)(`discovery against NSD${skip ? ` (${skip})` : ""}`, () => {
  let nsd: NsdServer;
  const noVars: ServiceInfo = { name: "orders", primary: { vars: { region: "us-east-1" } }, standby: { vars: { region: "us-west-2" } } };
  beforeAll(async () => {
    assertPresent("NSD", nsdMissing());
    nsd = await startNsd(ZONES);
  }, 30_000);
  afterAll(async () => {
    await nsd?.stop();
  });

  it("finds the same DNS provider and the same network behind the sides' names", async () => {
    const r = await runCheck(check, { nameservers: [nsd.address], primary: { hosts: ["orders-use1.example.test"] }, standby: { hosts: ["orders-usw2.other.test"] } }, { service: noVars });
    expect(r.status).toBe("fail");
    const dns = r.findings!.find((f) => f.path === "dns")!;
    expect(dns.level).toBe("warn");
    expect(dns.message).toContain("same nameserver ns1.provider.test");
    expect(dns.message).toContain("DNS failover impossible");
    const net = r.findings!.find((f) => f.path === "network")!;
    expect(net.level ?? "fail").toBe("fail");
    expect(net.message).toContain("127.0.1.10 ~ 127.0.1.20 (127.0.1.0/24)");
    expect(net.message).toContain("2001:db8:1::10 ~ 2001:db8:1:ff::20 (2001:db8:1::/48)");
    expect((r.evidence as { discovered: { primary: { nameservers: Record<string, string[]> } } }).discovered.primary.nameservers).toEqual({
      "orders-use1.example.test": ["ns1.provider.test", "ns2.provider.test"],
    });
  });

  it("passes for names at another provider in another network, and honours the prefix lengths", async () => {
    const opts = { nameservers: [nsd.address], primary: { hosts: ["orders-use1.example.test"] }, standby: { hosts: ["orders-usw2.indie.test"] } };
    const r = await runCheck(check, opts, { service: noVars });
    expect(r.status).toBe("pass");
    expect(r.summary).toBe("independent across region, dns, network");
    const wide = await runCheck(check, { ...opts, network: { ipv4Prefix: 16 } }, { service: noVars });
    expect(wide.status).toBe("fail");
    expect(wide.findings![0]!.message).toContain("127.0.0.0/16");
  });

  it("accepts IP addresses as hosts and a shared provider by its path", async () => {
    const r = await runCheck(
      check,
      { nameservers: [nsd.address], primary: { hosts: ["orders-use1.example.test"] }, standby: { hosts: ["orders-usw2.other.test", "127.0.9.9"] }, accept: { dns: "secondary DNS at another provider is planned", network: "lab" } },
      { service: noVars },
    );
    expect(r.status).toBe("pass");
    expect(r.findings!.filter((f) => f.accepted).map((f) => f.path).sort()).toEqual(["dns", "network"]);
  });

  it("is unknown when discovery fails and nothing else failed", async () => {
    const port = await closedPort();
    const r = await runCheck(check, { nameservers: [`127.0.0.1:${port}`], primary: { hosts: ["a.example.test"] }, standby: { hosts: ["b.other.test"] } }, { service: noVars, timeoutMs: 3000 });
    expect(r.status).toBe("unknown");
    expect(["unreachable", "timeout"]).toContain(r.reason);
    // Each side's lookup that failed, the side and the host first (once), the resolver, then the cause.
    // "connection refused (ECONNREFUSED)" on loopback; a timeout where no ICMP comes back.
    const via = `\\(A lookup through resolver 127\\.0\\.0\\.1:${port}\\): `;
    expect(r.summary).toMatch(new RegExp(`^primary a\\.example\\.test ${via}.+; standby b\\.other\\.test ${via}`));
    expect(r.evidence).toMatchObject({ compared: ["region"], notCompared: ["zones", "account", "identity", "dns", "network"] });
  });

  it("a shared region still fails when discovery fails: a definite failure stands", async () => {
    const port = await closedPort();
    const sameRegion: ServiceInfo = { name: "orders", primary: { vars: { region: "us-east-1" } }, standby: { vars: { region: "us-east-1" } } };
    const r = await runCheck(check, { nameservers: [`127.0.0.1:${port}`], primary: { hosts: ["a.example.test"] }, standby: { hosts: ["b.other.test"] } }, { service: sameRegion, timeoutMs: 3000 });
    expect(r.status, r.summary).toBe("fail");
    expect(r.summary).toBe("1 shared failure domain: region");
    expect((r.evidence as { discoveryErrors: string[] }).discoveryErrors).toHaveLength(2);
  });
});
