// The Action's "Sources compared" wording of config-drift sides read from Kubernetes clusters: the
// context and namespace, never the server's credentials (the evidence holds none).
import { describe, expect, it } from "vitest";
import { sideSources } from "../../src/action/sources.js";
import type { CheckReport } from "../../src/engine/types.js";

const kube = (context: string, namespace?: string) => ({ kubernetes: { context, server: "https://127.0.0.1:6443", ...(namespace ? { namespace } : {}), apiVersion: "apps/v1", kind: "Deployment", selector: "app=orders" } });

describe("action sources: kubernetes", () => {
  it("names each side's context and namespace", () => {
    const check = { kind: "config-drift", evidence: { compared: 3, sources: { primary: kube("prod-use1", "shop"), standby: kube("prod-usw2") } } } as unknown as CheckReport;
    expect(sideSources(check, { workspace: "/w", configDir: "/w" })).toEqual({ primary: "Kubernetes context prod-use1, namespace shop", standby: "Kubernetes context prod-usw2" });
  });
});
