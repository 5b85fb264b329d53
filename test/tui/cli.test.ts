// `standby tui` and `standby demo` without a terminal: the text report, never a hang; the demo
// stops its servers and removes its directory.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_REFRESH_MS, parseRefresh } from "../../src/cli/tui-command.js";
import { runCli } from "../helpers/cli.js";

function config(): string {
  const dir = mkdtempSync(join(tmpdir(), "standby-tui-cli-"));
  writeFileSync(join(dir, "drill.txt"), "2020-01-01T00:00:00Z\n");
  writeFileSync(
    join(dir, "standby.yml"),
    `version: 1
services:
  - name: orders
    primary: { vars: {} }
    standby: { vars: {} }
    checks:
      - id: orders-drill
        kind: drill-recency
        cadence: "0 10 1 * *"
        lastDrill: { file: drill.txt }
`,
  );
  return join(dir, "standby.yml");
}

describe("tui and demo without a terminal", () => {
  it("tui prints the text report when stdout is not a TTY", async () => {
    const r = await runCli(["tui", "-c", config(), "--no-history"]);
    expect(r.stderr).toContain("not an interactive terminal");
    expect(r.stdout).toContain("orders-drill");
    expect(r.stdout).toContain("Score breakdown");
    expect(r.code).toBe(1);
  });

  it("--refresh: 30s unless set, 0 for never, at least 1s; the help says so", async () => {
    expect(DEFAULT_REFRESH_MS).toBe(30_000);
    expect(parseRefresh(undefined)).toBe(30_000);
    expect(parseRefresh("0")).toBeNull();
    expect(parseRefresh("0s")).toBeNull();
    expect(parseRefresh("5m")).toBe(300_000);
    expect(parseRefresh("1s")).toBe(1000);
    expect(parseRefresh("100ms")).toBe("invalid");
    expect(parseRefresh("soon")).toBe("invalid");
    const help = await runCli(["tui", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toMatch(/--refresh <duration> +re-run every check this often \(.*default 30s; 0 for never\)/);
  });

  it("rejects a bad --refresh with exit 2", async () => {
    const r = await runCli(["tui", "-c", config(), "--refresh", "100ms"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--refresh");
  });

  it("demo --no-tui runs the demo environment, prints the report and cleans up", async () => {
    const r = await runCli(["demo", "--no-tui", "--no-postgres"], { timeoutMs: 30_000 });
    expect(r.stdout).toContain("orders-app-config");
    expect(r.stdout).toMatch(/capacity\.maxSize: weaker, primary 24, standby 8 \[at-least/);
    expect(r.stdout).toContain("catalog-cache-age");
    expect(r.code).toBe(1); // the demo's standby is not ready, on purpose
    const file = /config (\S+standby\.yml)/.exec(r.stderr)?.[1];
    expect(file).toBeTruthy();
    expect(existsSync(file!)).toBe(false);
  }, 40_000);
});
