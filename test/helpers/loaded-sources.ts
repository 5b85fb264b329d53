// Which source files a real CLI run loaded. The CLI is bundled (build/cli/, see
// scripts/bundle-cli.mjs): the process loads chunks, and build/cli/meta.json says which
// sources each chunk holds. Returns absolute paths of those sources (and any unbundled module).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, ROOT } from "./cli.js";

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

export interface LoadedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  sources: string[];
}

export function loadedSources(args: string[], env: NodeJS.ProcessEnv = {}): LoadedRun {
  const dir = mkdtempSync(join(tmpdir(), "standby-trace-"));
  const file = join(dir, "trace.txt");
  const r = spawnSync(process.execPath, ["--import", join(ROOT, "test/helpers/trace-imports.mjs"), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, STANDBY_TRACE_FILE: file },
    encoding: "utf8",
  });
  const urls = readFileSync(file, "utf8").split("\n").filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  const meta = JSON.parse(readFileSync(join(ROOT, "build/cli/meta.json"), "utf8")) as Meta;
  const sources = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith("file:")) {
      sources.add(url);
      continue;
    }
    const path = fileURLToPath(url);
    const chunk = meta.outputs[relative(ROOT, path)];
    if (!chunk) sources.add(path);
    else for (const input of Object.keys(chunk.inputs)) sources.add(join(ROOT, input));
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, sources: [...sources] };
}
