// Loading the Ink app (src/cli/tui-command.ts loadTui): yoga, Ink's layout engine, ships its
// WebAssembly as a data: URL and fetches it when a global fetch exists, which loads Node's whole
// HTTP client and decodes the bytes in JavaScript on the way to the first frame. The import runs
// without fetch and without CI (Ink would draw nothing until exit), and both come back after.
// Its own file: Ink and yoga are evaluated once per process, so nothing else may import them first.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadTui } from "../../src/cli/tui-command.js";

const saved = { fetch: globalThis.fetch, CI: process.env.CI };
afterEach(() => {
  globalThis.fetch = saved.fetch;
  if (saved.CI === undefined) delete process.env.CI;
  else process.env.CI = saved.CI;
});

describe("loading the terminal UI", () => {
  it("does not fetch yoga's WebAssembly, and gives fetch and CI back", async () => {
    const fetch = vi.fn(() => Promise.reject(new Error("no network in this test")));
    globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
    process.env.CI = "true";
    const tui = await loadTui();
    expect(typeof tui.runTui).toBe("function");
    expect(fetch.mock.calls.map((c) => String((c as unknown[])[0]).slice(0, 40))).toEqual([]);
    expect(globalThis.fetch).toBe(fetch);
    expect(process.env.CI).toBe("true");
  });
});
