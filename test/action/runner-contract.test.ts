// The workflow command and GITHUB_OUTPUT encodings, unit by unit.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatCommand, heredoc, Runner } from "../../src/action/runner-contract.js";
import { parseCommands, parseOutputs } from "./helpers.js";

describe("runner contract", () => {
  it("escapes command data (%, CR, LF) and properties (also : and ,)", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    expect(formatCommand("error", { file: "infra/a,b.yml", line: 3, title: "x: y", col: undefined }, "two\nlines")).toBe(
      "::error file=infra/a%2Cb.yml,line=3,title=x%3A y::two%0Alines",
    );
    expect(formatCommand("endgroup", {}, "")).toBe("::endgroup::");
  });

  it("round-trips through the runner's parsing", () => {
    const msg = "line 1\nline 2 with 50% and ::error::";
    const [c] = parseCommands(formatCommand("warning", { title: "t:,%", file: "f.yml", line: 7 }, msg));
    expect(c).toMatchObject({ command: "warning", properties: { title: "t:,%", file: "f.yml", line: "7" }, message: msg });
  });

  it("writes outputs in the heredoc form with a random delimiter", () => {
    const a = heredoc("status", "NOT_READY");
    const b = heredoc("status", "NOT_READY");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^status<<(ghadelimiter_[0-9a-f-]{36})\nNOT_READY\n\1\n$/);
    expect(() => heredoc("bad name", "x")).toThrow();
    const dir = mkdtempSync(join(tmpdir(), "standby-contract-"));
    const out = join(dir, "out");
    writeFileSync(out, "");
    const runner = new Runner({ GITHUB_OUTPUT: out }, () => undefined);
    expect(runner.setOutputs({ status: "x\nstatus=READY", score: "1" })).toBe(true);
    expect(parseOutputs(readFileSync(out, "utf8"))).toEqual({ status: "x\nstatus=READY", score: "1" });
    expect(new Runner({}, () => undefined).setOutputs({ a: "b" })).toBe(false);
  });

  it("masks multi-line secrets as a whole and line by line; stops commands around untrusted text", () => {
    let stdout = "";
    const runner = new Runner({}, (t) => (stdout += t));
    runner.addMask("-----BEGIN KEY-----\nabc%def\n-----END KEY-----\n");
    expect(stdout.split("\n").filter(Boolean)).toEqual([
      "::add-mask::-----BEGIN KEY-----%0Aabc%25def%0A-----END KEY-----",
      "::add-mask::-----BEGIN KEY-----",
      "::add-mask::abc%25def",
      "::add-mask::-----END KEY-----",
    ]);
    stdout = "";
    runner.untrusted("hello\n::error::injected\n");
    const cmds = parseCommands(stdout);
    expect(cmds.map((c) => c.command)).toEqual(["stop-commands"]);
    expect(stdout).toContain("::error::injected");
  });
});
