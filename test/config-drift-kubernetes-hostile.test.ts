// config-drift's Kubernetes comparison on objects a broken or hostile API server could serve:
// readiness counts that are not counts (a string, a negative, on either side) and a named object
// that is on neither side. None of them may read as a pass or as a drift that is not there.
import { describe, expect, it } from "vitest";
import { KubeDriftComparison, type KubeCompareOptions } from "../checks/config-drift/kubernetes/compare.js";
import type { CheckOutcome } from "../src/engine/types.js";
import type { KubeObject } from "../src/probes/kubernetes/types.js";
import { realisticDeployment } from "./helpers/kube-objects.js";

const base: KubeCompareOptions = { apiVersion: "apps/v1", kind: "Deployment", mode: "selector", rules: [], packs: true, ignore: [], keys: {}, atLeast: [], tolerance: {}, substituter: null, maxFindings: 200 };
const reads = { primary: { objects: 1, requests: 2 }, standby: { objects: 1, requests: 2 } };

function compare(p: KubeObject, s: KubeObject): CheckOutcome {
  const c = new KubeDriftComparison(base);
  c.add("primary", [p]);
  c.add("standby", [s]);
  return c.finish(reads) as unknown as CheckOutcome;
}

const withAvailable = (v: unknown) => {
  const o = realisticDeployment("orders", { replicas: 3, available: 3 });
  (o.status as Record<string, unknown>).availableReplicas = v;
  return o;
};

describe("config-drift kubernetes: readiness on hostile status", () => {
  it("the same healthy Deployment on both sides passes (the baseline)", () => {
    expect(compare(withAvailable(3), withAvailable(3)).status).toBe("pass");
  });

  it('a standby availableReplicas of "3" (a string) or -1 is unknown, not a warning that scores half a pass', () => {
    for (const bad of ["3", -1, 2.5, { n: 3 }]) {
      const out = compare(withAvailable(3), withAvailable(bad));
      expect(out.status, JSON.stringify(bad)).toBe("unknown");
      expect(out.reason).toBe("invalid-response");
      expect(out.summary).toContain("the standby's status.availableReplicas is not a count");
    }
  });

  it("a primary availableReplicas that is not a count does not silently drop the comparison with the primary", () => {
    const out = compare(withAvailable("99"), withAvailable(3));
    expect(out.status).toBe("unknown");
    expect(out.summary).toContain("the primary's status.availableReplicas is not a count");
  });

  it("status absent on the standby is 0 available: a finding, not a pass", () => {
    const s = realisticDeployment("orders", { replicas: 3 });
    delete s.status;
    const out = compare(withAvailable(3), s);
    expect(out.status).toBe("fail");
    expect(out.findings?.find((f) => f.rule === "readiness")).toMatchObject({ change: "weaker", standby: 0 });
  });
});

describe("config-drift kubernetes: named objects", () => {
  it("a named object that is 404 on both sides is unknown (a wrong name or namespace), not a `missing` drift", () => {
    const c = new KubeDriftComparison({ ...base, mode: "name" });
    c.setNamed("primary", null);
    c.setNamed("standby", null);
    const out = c.finish({ primary: { objects: 0, requests: 2 }, standby: { objects: 0, requests: 2 } }) as unknown as CheckOutcome;
    expect(out.status).toBe("unknown");
    expect(out.reason).toBe("error");
    expect(out.summary).toContain("found on neither side");
    expect(out.findings ?? []).toEqual([]);
  });

  it("404 on the standby only is still a `missing` finding", () => {
    const c = new KubeDriftComparison({ ...base, mode: "name" });
    c.setNamed("primary", withAvailable(3));
    c.setNamed("standby", null);
    const out = c.finish(reads) as unknown as CheckOutcome;
    expect(out.status).toBe("fail");
    expect(out.findings?.[0]).toMatchObject({ change: "missing", rule: "pairing" });
  });
});

describe("config-drift kubernetes: prototype keys in objects", () => {
  it("__proto__ and constructor keys (as JSON.parse makes them) are compared as data and pollute nothing", () => {
    const parse = (extra: string) => {
      const o = withAvailable(3);
      const text = JSON.stringify(o).replace('"spec":{', `"spec":{${extra},`);
      return JSON.parse(text) as KubeObject;
    };
    const out = compare(parse('"__proto__":{"polluted":"yes"},"constructor":{"x":1}'), parse('"__proto__":{"polluted":"no"},"constructor":{"x":2}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.status).toBe("fail");
    expect((out.findings ?? []).map((f) => f.path).sort()).toEqual(["orders.spec.__proto__.polluted", "orders.spec.constructor.x"]);
  });
});
