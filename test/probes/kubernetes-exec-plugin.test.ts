// An exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin) is a child process: when
// the check is aborted or times out while it runs, it must not outlive the check, and a plugin that
// prints without end must be stopped before it fills the memory.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApiServer } from "../../src/demo/kube-api-server.js";
import { openCluster } from "../../src/probes/kubernetes/index.js";
import { kubeContext, kubePki, probeFailure, startKubeServer, tempDir, until } from "../helpers/kube-cluster.js";

let server: KubeApiServer;
let dir = "";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  const pki = await kubePki();
  server = await startKubeServer(pki, { token: "exec-token-77aa" });
  dir = tempDir();
  const plugin = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!${process.execPath}\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  const hang = plugin("hang.mjs", `require("node:fs").writeFileSync(${JSON.stringify(join(dir, "hang.pid"))}, String(process.pid)); setInterval(() => {}, 1000);`.replace('require("node:fs")', "(await import('node:fs'))"));
  const flood = plugin("flood.mjs", `(await import('node:fs')).writeFileSync(${JSON.stringify(join(dir, "flood.pid"))}, String(process.pid)); const s = "x".repeat(65536); const w = () => { while (process.stdout.write(s)); process.stdout.once("drain", w); }; w();`);
  const exec = (command: string) => ({ exec: { apiVersion: "client.authentication.k8s.io/v1", command, interactiveMode: "Never" } });
  writeFileSync(
    join(dir, "kubeconfig"),
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: server.url, "certificate-authority-data": Buffer.from(pki.ca.certPem).toString("base64") } }],
      users: [
        { name: "hang", user: exec(hang) },
        { name: "flood", user: exec(flood) },
        { name: "gcp", user: { "auth-provider": { name: "gcp", config: { "cmd-path": hang, "cmd-args": "config config-helper --format=json", "token-key": "{.credential.access_token}", "expiry-key": "{.credential.token_expiry}" } } } },
      ],
      contexts: [
        { name: "hang", context: { cluster: "c", user: "hang", namespace: "shop" } },
        { name: "flood", context: { cluster: "c", user: "flood", namespace: "shop" } },
        { name: "gcp", context: { cluster: "c", user: "gcp", namespace: "shop" } },
      ],
    }),
  );
});
afterAll(() => server.stop());

describe("kubernetes probe: exec credential plugins", () => {
  it("a plugin that never answers is killed when the check is aborted (it does not outlive the check)", async () => {
    const ac = new AbortController();
    const p = probeFailure(openCluster({ context: "hang", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 30_000, ac.signal)));
    const pidFile = join(dir, "hang.pid");
    await until("the plugin started", () => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
    const pid = Number(readFileSync(pidFile, "utf8"));
    ac.abort(Object.assign(new Error("timed out after 1s"), { name: "TimeoutError" }));
    expect((await p).reason).toBe("timeout");
    await until("the plugin process is gone", () => !alive(pid));
  });

  it("a plugin that prints without end is stopped: not-authorized, the process gone, the memory bounded", async () => {
    const e = await probeFailure(openCluster({ context: "flood", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 20_000)));
    expect(e.reason).toBe("not-authorized");
    expect(e.message).toContain("printed more than 1 MiB");
    const pid = Number(readFileSync(join(dir, "flood.pid"), "utf8"));
    await until("the plugin process is gone", () => !alive(pid));
  });

  it("a gcp auth-provider's cmd-path (run with execSync by the client: the whole process frozen) is refused, never run", async () => {
    rmSync(join(dir, "hang.pid"), { force: true });
    const e = await probeFailure(openCluster({ context: "gcp", kubeconfig: "kubeconfig" }, "primary", kubeContext(dir, 20_000)));
    expect(e.reason).toBe("not-authorized");
    expect(e.message).toContain('user "gcp" refreshes its token with the gcp auth-provider\'s cmd-path');
    expect(existsSync(join(dir, "hang.pid"))).toBe(false);
  });
});
