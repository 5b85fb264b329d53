// The AWS side of a suite: the SDK's default provider chain fed by environment variables only
// (no real ~/.aws files, no instance metadata) and the local AWS JSON 1.1 server
// (aws-config-server.ts), started before the suite's tests and reset before each one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { AwsConfigServer } from "./aws-config-server.js";

const ENV_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_REGION"];

export interface AwsTestKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsTestEnv {
  server: AwsConfigServer;
  /** The temp dir the shared credentials and config files point into (set once the suite starts). */
  dir: string;
}

/**
 * Register the suite hooks: save the AWS environment, set `keys` as the only credentials, start the
 * server; reset it before each test and put `keys` back after each (a test may remove them);
 * stop it and restore the environment after the suite.
 */
export function useAwsTestEnv(keys: AwsTestKeys, tmpPrefix: string): AwsTestEnv {
  const env: AwsTestEnv = { server: new AwsConfigServer(), dir: "" };
  const savedEnv: Record<string, string | undefined> = {};
  const setKeys = () => {
    process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
  };

  beforeAll(async () => {
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
    env.dir = mkdtempSync(join(tmpdir(), `standby-${tmpPrefix}-`));
    setKeys();
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(env.dir, "credentials");
    process.env.AWS_CONFIG_FILE = join(env.dir, "config");
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    await env.server.start();
  });

  afterAll(async () => {
    await env.server.stop();
    for (const k of ENV_KEYS) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
    rmSync(env.dir, { recursive: true, force: true });
  });

  beforeEach(() => env.server.reset());
  afterEach(setKeys);
  return env;
}
