// Where the installed package lives: the files it ships beside the code (checks/<kind>/README.md,
// examples/). The CLI runs from build/cli/main.js or one of its chunks (build/cli/chunks/), from
// src/ under the tests, or from node_modules/standby/ when installed: the nearest directory above
// this module whose package.json names the package is the root in every case.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "standby";

let cached: string | null | undefined;

/** The package's root directory, or null when no package.json above this module names it. */
export function packageRoot(): string | null {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (pkg.name === PACKAGE_NAME) return (cached = dir);
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    const up = dirname(dir);
    if (up === dir) return (cached = null);
    dir = up;
  }
}
