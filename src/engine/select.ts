// --only: check ids or globs (`orders-*`), comma separated; also matches kind or service names.
import type { RunnableCheck } from "./types.js";

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export function selectChecks<C extends RunnableCheck>(checks: readonly C[], only: readonly string[] | undefined): C[] {
  const patterns = (only ?? []).flatMap((o) => o.split(",")).map((s) => s.trim()).filter(Boolean);
  if (patterns.length === 0) return [...checks];
  const res = patterns.map(globToRegExp);
  return checks.filter((c) => res.some((re) => re.test(c.id) || re.test(c.kind) || re.test(c.service.name)));
}
