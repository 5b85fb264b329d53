// How the real @aws-sdk/client-s3 addresses a state object: virtual-host style on AWS (the
// bucket in the host name), path style for a dotted bucket over TLS (a bucket name with dots does
// not match *.s3.<region>.amazonaws.com's certificate) and whenever an endpoint is set. The
// request is captured at the SDK's last middleware step, signed, just before it would go out:
// AWS itself cannot be reached from here.
import { afterAll, describe, expect, it } from "vitest";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { makeContext } from "../../src/engine/context.js";
import { RunScope } from "../../src/engine/scope.js";
import { s3StateSchema } from "../../src/probes/terraform-state/index.js";
import { s3Client } from "../../src/probes/terraform-state/s3.js";

const saved = { ...process.env };
Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIATESTSTANDBYS3003", AWS_SECRET_ACCESS_KEY: "test-secret-s3", AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" });
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
afterAll(() => {
  process.env = saved;
});

class Captured extends Error {
  constructor(readonly request: { hostname: string; path: string; protocol: string; headers: Record<string, string> }) {
    super("captured");
  }
}

async function requestFor(loc: { bucket: string; key: string; region: string; endpoint?: string }) {
  const scope = new RunScope();
  const ctx = makeContext({ signal: new AbortController().signal, scope });
  try {
    const { pooled } = await s3Client(s3StateSchema.parse(loc), "primary", ctx, 1000);
    const stop = "standby-test-capture";
    pooled.client.middlewareStack.add(() => async (args: { request: unknown }) => {
      throw new Captured(args.request as Captured["request"]);
    }, { step: "finalizeRequest", priority: "low", name: stop });
    try {
      await pooled.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    } catch (err) {
      if (err instanceof Captured) return err.request;
      throw err;
    } finally {
      pooled.client.middlewareStack.remove(stop);
    }
    throw new Error("not captured");
  } finally {
    await scope.close();
  }
}

describe("S3 addressing of a state object", () => {
  it("virtual-host style on AWS, signed for the bucket's region", async () => {
    const r = await requestFor({ bucket: "tfstate-use1", key: "env:/prod/orders/terraform.tfstate", region: "us-east-1" });
    expect(r.protocol).toBe("https:");
    expect(r.hostname).toBe("tfstate-use1.s3.us-east-1.amazonaws.com");
    expect(r.path).toBe("/env%3A/prod/orders/terraform.tfstate");
    expect(r.headers.authorization).toMatch(/Credential=AKIATESTSTANDBYS3003\/\d{8}\/us-east-1\/s3\/aws4_request/);
  });

  it("a dotted bucket goes path style over TLS, where its name would not match the certificate", async () => {
    const r = await requestFor({ bucket: "tf.state.usw2", key: "orders/terraform.tfstate", region: "us-west-2" });
    expect(r.hostname).toBe("s3.us-west-2.amazonaws.com");
    expect(r.path).toBe("/tf.state.usw2/orders/terraform.tfstate");
  });

  it("path style whenever an endpoint is set", async () => {
    const r = await requestFor({ bucket: "tfstate-use1", key: "k", region: "us-east-1", endpoint: "https://bucket.vpce-0abc.s3.us-east-1.vpce.amazonaws.com" });
    expect(r.hostname).toBe("bucket.vpce-0abc.s3.us-east-1.vpce.amazonaws.com");
    expect(r.path).toBe("/tfstate-use1/k");
  });
});
