// Real servers for one describe block: started before its tests, stopped after them.
import { afterAll, beforeAll } from "vitest";
import { assertPresent } from "./common.js";

/**
 * Register hooks that check `what` is installed (see assertPresent), start the servers before
 * the block's tests and stop them after; returns an accessor for the running servers.
 */
export function startedForSuite<T extends { stop(): Promise<void> }>(what: string, missing: () => string | null, start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    assertPresent(what, missing());
    started = await start();
  });
  afterAll(async () => started?.stop());
  return () => {
    if (!started) throw new Error(`${what} was not started`);
    return started;
  };
}
