// --shard I/N: a stable subset of checks, by FNV-1a (32-bit) of the check id modulo N.
// Adding or removing a check never moves the others between shards. `--shard auto` takes I and N
// from a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based, set by Kubernetes) and
// JOB_COMPLETIONS (set in the manifest to the Job's `completions`: Kubernetes does not expose it).
export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export const MAX_SHARDS = 10_000;

export function parseShard(text: string): Shard | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return null;
  return checkedShard(Number(m[1]), Number(m[2]));
}

function checkedShard(index: number, count: number): Shard | null {
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 1 || index > count || count > MAX_SHARDS) return null;
  return { index, count };
}

/** The shard a flag names, or why it names none (the message for stderr). */
export function resolveShard(text: string, env: NodeJS.ProcessEnv = process.env): { shard: Shard } | { error: string } {
  if (text.trim() !== "auto") {
    const shard = parseShard(text);
    return shard ? { shard } : { error: `--shard expects I/N with 1 <= I <= N (e.g. 2/4) or auto, got '${text}'` };
  }
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.JOB_COMPLETIONS;
  if (index === undefined || count === undefined) {
    const missing = [index === undefined ? "JOB_COMPLETION_INDEX" : null, count === undefined ? "JOB_COMPLETIONS" : null].filter(Boolean).join(" and ");
    return { error: `--shard auto needs ${missing}: run it in a Kubernetes Indexed Job (completionMode: Indexed) and set JOB_COMPLETIONS to the Job's completions (examples/kubernetes/sharded-job.yaml)` };
  }
  const shard = /^\d+$/.test(index) && /^\d+$/.test(count) ? checkedShard(Number(index) + 1, Number(count)) : null;
  return shard ? { shard } : { error: `--shard auto: JOB_COMPLETION_INDEX=${JSON.stringify(index)} and JOB_COMPLETIONS=${JSON.stringify(count)} do not name a shard (0 <= index < completions <= ${MAX_SHARDS})` };
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function inShard(id: string, shard: Shard): boolean {
  return fnv1a(id) % shard.count === shard.index - 1;
}

export function selectShard<T extends { id: string }>(checks: readonly T[], shard: Shard | undefined): T[] {
  return shard ? checks.filter((c) => inShard(c.id, shard)) : [...checks];
}
