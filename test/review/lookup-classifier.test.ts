// Review of issue 15: the system-resolver lookup (src/probes/dns.ts) kept its own list of codes
// and read EAI_AGAIN ("temporary failure in name resolution": the resolver is down or answered
// SERVFAIL) as a timeout, where the one classifier (network-error.ts) and so every HTTP, TCP and
// database probe read it as unreachable. getaddrinfo cannot be pointed at a broken resolver here,
// so the lookup itself is replaced and answers as glibc does when /etc/resolv.conf's server is down.
import { describe, expect, it, vi } from "vitest";

vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string, ...rest: unknown[]) => {
    if (host.endsWith(".resolver-down.test")) throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: "EAI_AGAIN", hostname: host });
    return (real.lookup as (...a: unknown[]) => unknown)(host, ...rest);
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

const { lookupAll } = await import("../../src/probes/dns.js");
const { networkCause } = await import("../../src/probes/network-error.js");
const tls = (await import("../../checks/tls-certificate/index.js")).default;
const { runCheck } = await import("../helpers/check-tester.js");

describe("a system resolver that is down (EAI_AGAIN)", () => {
  it("reads as the one classifier says, in every probe (was: timeout here, unreachable elsewhere)", async () => {
    const err = await lookupAll("orders.resolver-down.test").catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: networkCause("EAI_AGAIN")!.reason, message: "DNS lookup of orders.resolver-down.test: name lookup failed (temporary) (EAI_AGAIN)" });
  });

  it("tls-certificate: unreachable, naming the side and the host", async () => {
    const r = await runCheck(tls, { primary: { host: "a.resolver-down.test", port: 443 }, standby: { host: "b.resolver-down.test", port: 443 } } as never, { timeoutMs: 3000 });
    expect(r).toMatchObject({ status: "unknown", reason: "unreachable" });
    expect(r.summary).toContain("standby b.resolver-down.test:443: DNS lookup of b.resolver-down.test: name lookup failed (temporary) (EAI_AGAIN)");
  });
});
