// A path that must stay inside a root directory (the Action's workspace) whatever links the
// checkout holds: each directory on the way is created if missing and resolved (realpath) to
// check that it is still inside the root, so `out -> /etc` or `../x` cannot lead a write outside.
import { mkdirSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UnsafePathError } from "./safe-write.js";

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * The real path at which to write `target` (absolute, or relative to `root`), its directories
 * created. `shown` names the target in errors. Throws UnsafePathError when it leads outside `root`.
 */
export function pathInside(root: string, target: string, shown: string): string {
  const realRoot = realpathSync(root);
  const rel = relative(resolve(root), resolve(root, target));
  const parts = rel.split(sep).filter((p) => p !== "");
  if (parts.length === 0 || !within(resolve(root), resolve(root, target))) {
    throw new UnsafePathError(`${shown} is outside the workspace (${root})`);
  }
  const name = parts.pop()!;
  let dir = realRoot;
  for (const part of parts) {
    const next = join(dir, part);
    try {
      mkdirSync(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const real = realpathSync(next);
    if (!within(realRoot, real)) throw new UnsafePathError(`${shown}: ${part} leads outside the workspace (a symbolic link to ${real})`);
    if (!statSync(real).isDirectory()) throw new UnsafePathError(`${shown}: ${part} is not a directory`);
    dir = real;
  }
  return join(dir, name);
}
