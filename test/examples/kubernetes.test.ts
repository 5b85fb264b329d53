// examples/kubernetes: the manifests parse, carry what each object needs, run real standby command
// lines (validated by the built CLI's own parser and `validate` on the ConfigMap's standby.yml),
// and kubectl's client-side dry run (Debian's kubernetes-client) accepts them against a loopback
// discovery server. Under CI=true kubectl must be present.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolveShard } from "../../src/schedule/shard.js";
import { startKubeDiscovery, type KubeDiscovery } from "../helpers/kube-discovery.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DIR = join(ROOT, "examples/kubernetes");
const BIN = join(ROOT, "bin/standby.js");

type Obj = Record<string, any>;
const docs: Array<{ file: string; obj: Obj }> = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), "utf8")).map((d) => {
      expect(d.errors, `${file}: ${d.errors.join("; ")}`).toEqual([]);
      expect(d.warnings, `${file}: ${d.warnings.join("; ")}`).toEqual([]);
      return { file, obj: d.toJS() as Obj };
    }),
  );
const byKind = (kind: string) => docs.filter((d) => d.obj.kind === kind).map((d) => d.obj);
const podSpec = (o: Obj): Obj => (o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);

function hasKubectl(): boolean {
  return spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
}

describe("examples/kubernetes", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "standby-k8s-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("has the watch Deployment, its Service, the nightly CronJob, the Indexed Job and the merge Job", () => {
    expect(byKind("Deployment").map((d) => d.metadata.name)).toEqual(["standby-watch"]);
    expect(byKind("Service").map((d) => d.metadata.name)).toEqual(["standby-watch"]);
    expect(byKind("CronJob").map((d) => d.metadata.name)).toEqual(["standby-nightly"]);
    expect(byKind("Job").map((d) => d.metadata.name).sort()).toEqual(["standby-merge", "standby-shards"]);
    for (const { file, obj } of docs) {
      expect(obj.apiVersion, file).toMatch(/^(v1|apps\/v1|batch\/v1)$/);
      expect(obj.metadata?.name, file).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it("watch: probes on /healthz through the named port the Service exposes, config from the ConfigMap, secrets as env", () => {
    const deploy = byKind("Deployment")[0]!;
    const c = podSpec(deploy).containers[0];
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.ports).toContainEqual({ name: "metrics", containerPort: 9464 });
    expect(c.envFrom).toContainEqual({ secretRef: { name: byKind("Secret")[0]!.metadata.name } });
    expect(podSpec(deploy).volumes).toContainEqual({ name: "config", configMap: { name: byKind("ConfigMap")[0]!.metadata.name } });
    const svc = byKind("Service")[0]!;
    expect(svc.spec.ports[0]).toMatchObject({ name: "metrics", targetPort: "metrics" });
    expect(svc.spec.selector).toEqual(deploy.spec.selector.matchLabels);
    expect(deploy.spec.template.metadata.labels).toMatchObject(deploy.spec.selector.matchLabels);
  });

  it("the Indexed Job's JOB_COMPLETIONS equals its completions, and --shard auto resolves every index", () => {
    const job = byKind("Job").find((j) => j.metadata.name === "standby-shards")!;
    expect(job.spec.completionMode).toBe("Indexed");
    const env = podSpec(job).containers[0].env as Array<{ name: string; value: string }>;
    const completions = Number(env.find((e) => e.name === "JOB_COMPLETIONS")!.value);
    expect(completions).toBe(job.spec.completions);
    const seen = new Set<number>();
    for (let i = 0; i < completions; i++) {
      const r = resolveShard("auto", { JOB_COMPLETION_INDEX: String(i), JOB_COMPLETIONS: String(completions) });
      expect(r).toEqual({ shard: { index: i + 1, count: completions } });
      seen.add(i);
    }
    // The merge Job reads exactly the files the shards write.
    const merge = byKind("Job").find((j) => j.metadata.name === "standby-merge")!;
    const inputs = (podSpec(merge).containers[0].args as string[]).filter((a) => /shard-\d+\.json$/.test(a));
    expect(inputs).toEqual([...seen].map((i) => `/reports/shard-${i}.json`));
  });

  it("--shard auto outside an Indexed Job says which variables are missing", () => {
    expect(resolveShard("auto", {})).toEqual({ error: expect.stringContaining("needs JOB_COMPLETION_INDEX and JOB_COMPLETIONS") });
    expect(resolveShard("auto", { JOB_COMPLETION_INDEX: "0" })).toEqual({ error: expect.stringContaining("needs JOB_COMPLETIONS") });
    expect(resolveShard("auto", { JOB_COMPLETION_INDEX: "4", JOB_COMPLETIONS: "4" })).toEqual({ error: expect.stringContaining("do not name a shard") });
  });

  it("the ConfigMap's standby.yml validates, and every container runs a standby command line the CLI accepts", () => {
    const cm = byKind("ConfigMap")[0]!;
    const config = join(work, "standby.yml");
    writeFileSync(config, cm.data["standby.yml"]);
    const env = { ...process.env, ...byKind("Secret")[0]!.stringData, JOB_COMPLETION_INDEX: "0", JOB_COMPLETIONS: "4" };
    const validate = spawnSync(process.execPath, [BIN, "validate", "-c", config], { env, encoding: "utf8" });
    expect(validate.stderr).toBe("");
    expect(validate.status).toBe(0);
    for (const { obj } of docs.filter((d) => ["Deployment", "CronJob", "Job"].includes(d.obj.kind))) {
      for (const c of podSpec(obj).containers) {
        const args = (c.args as string[]).map((a) => a.replace("/etc/standby/standby.yml", config).replace("$(JOB_COMPLETION_INDEX)", "0"));
        // --help after the command line: commander parses every option (unknown ones fail) and exits 0 without running.
        const r = spawnSync(process.execPath, [BIN, ...args, "--help"], { env, encoding: "utf8" });
        expect(r.stderr, `${obj.metadata.name}: ${args.join(" ")}`).toBe("");
        expect(r.status, `${obj.metadata.name}: ${args.join(" ")}`).toBe(0);
      }
    }
  });

  it("scan --shard auto runs the shard the Job's index names, and refuses outside a Job", () => {
    const quickstart = join(ROOT, "examples/quickstart/standby.yml");
    const shards = [0, 1].map((i) => {
      const r = spawnSync(process.execPath, [BIN, "scan", "-c", quickstart, "--shard", "auto", "-f", "json", "--no-history", "--fail-on", "never"], {
        env: { ...process.env, JOB_COMPLETION_INDEX: String(i), JOB_COMPLETIONS: "2" },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { shard: { index: number; count: number }; checks: Array<{ id: string }> };
      expect(report.shard).toMatchObject({ index: i + 1, count: 2 });
      return report.checks.map((c) => c.id);
    });
    // Together the shards cover every check once.
    const all = JSON.parse(spawnSync(process.execPath, [BIN, "scan", "-c", quickstart, "-f", "json", "--no-history", "--fail-on", "never"], { encoding: "utf8" }).stdout) as { checks: Array<{ id: string }> };
    expect([...shards[0]!, ...shards[1]!].sort()).toEqual(all.checks.map((c) => c.id).sort());
    const env = { ...process.env };
    delete env.JOB_COMPLETION_INDEX;
    delete env.JOB_COMPLETIONS;
    const outside = spawnSync(process.execPath, [BIN, "scan", "-c", quickstart, "--shard", "auto", "--no-history"], { env, encoding: "utf8" });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("--shard auto needs JOB_COMPLETION_INDEX and JOB_COMPLETIONS");
  });

  describe("kubectl apply --dry-run=client", () => {
    const present = hasKubectl();
    if (!present && process.env.CI) throw new Error("kubectl (Debian package kubernetes-client) is required under CI=true");
    if (!present) console.warn("skipping kubectl dry-run: kubectl not installed (apt-get install kubernetes-client)");
    let api: KubeDiscovery;
    beforeAll(async () => {
      if (present) api = await startKubeDiscovery();
    });
    afterAll(async () => api?.close());
    // Asynchronously: the discovery server answers from this process's event loop.
    it.skipIf(!present)("accepts every manifest", { timeout: 60_000 }, async () => {
      const { stdout: out } = await promisify(execFile)("kubectl", ["--server", api.url, "--namespace", "standby", "apply", "--dry-run=client", "--validate=false", "-f", DIR], { encoding: "utf8", timeout: 50_000 });
      const group = (apiVersion: string) => (apiVersion.includes("/") ? `.${apiVersion.split("/")[0]}` : "");
      for (const { obj } of docs) expect(out).toContain(`${obj.kind.toLowerCase()}${group(obj.apiVersion)}/${obj.metadata.name} created (dry run)`);
    });
  });
});
