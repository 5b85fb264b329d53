// Polling helpers for the servers the demo (and the tests) start.
import { existsSync, readFileSync } from "node:fs";

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 100 ms until it returns something truthy; the error names what and shows the log's tail. */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, log?: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  const tail = log && existsSync(log) ? `\n--- ${log} ---\n${readFileSync(log, "utf8").slice(-3000)}` : "";
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}${tail}`);
}
