// Bundles the CLI (src/cli/main.ts) into build/cli/ with esbuild, one chunk per lazy import.
// Why: loading ~250 small ESM files costs more than the scan itself on Node 20 (no compile
// cache); one entry chunk parses once. Heavy code (Ink, React, the AWS SDK, database drivers)
// stays in chunks that only `import()` reaches. build/cli/meta.json maps chunks to their
// inputs, so tests can tell which sources a command really loaded.
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUTDIR = join(ROOT, "build", "cli");

// Chunk names carry content hashes: without this, every earlier build's chunks would stay and ship in the package.
rmSync(OUTDIR, { recursive: true, force: true });

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { main: "src/cli/main.ts" },
  outdir: OUTDIR,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "bundle",
  // tr46 (under @kubernetes/client-node's node-fetch) requires Node's deprecated punycode builtin;
  // outside node_modules Node 22+ then prints DEP0040 on every Kubernetes read. The package it is.
  alias: { punycode: "punycode/punycode.js" },
  // Ink imports its devtools only when DEV=true; the package is not installed.
  external: ["react-devtools-core"],
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  banner: {
    // CommonJS dependencies bundled into ESM may call require() for Node builtins.
    js: 'import { createRequire as __standbyCreateRequire } from "node:module"; const require = __standbyCreateRequire(import.meta.url);',
  },
});
writeFileSync(join(OUTDIR, "meta.json"), JSON.stringify(result.metafile));
