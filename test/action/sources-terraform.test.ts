// The Action names a Terraform side by its state: a file relative to the workspace, the URL or the S3 object.
import { describe, expect, it } from "vitest";
import { sideSources } from "../../src/action/sources.js";
import type { CheckReport } from "../../src/engine/types.js";

const report = (primary: unknown, standby: unknown) => ({ kind: "config-drift", evidence: { compared: null, sources: { primary, standby } } }) as unknown as CheckReport;

describe("Action sources: terraformState", () => {
  it("names the state file, URL or S3 object of each side", () => {
    const out = sideSources(report({ terraformState: { file: "states/use1.tfstate" } }, { terraformState: { s3: "s3://tfstate-usw2/orders/terraform.tfstate", region: "us-west-2" } }), { workspace: "/ws", configDir: "/ws/infra" });
    expect(out).toEqual({ primary: "Terraform state infra/states/use1.tfstate", standby: "Terraform state s3://tfstate-usw2/orders/terraform.tfstate" });
    expect(sideSources(report({ terraformState: { url: "https://tf.example.com/state/a" } }, { terraformState: {} }), { workspace: "/ws", configDir: "/ws" })).toBeNull();
  });
});
