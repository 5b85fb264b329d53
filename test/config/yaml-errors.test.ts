// Indentation mistakes in a real config, one line at a time: the message names the line that was
// moved (or is the line just below it, comparing itself with the moved one), in words.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/config/yaml-document.js";

const QUICKSTART = readFileSync(join(import.meta.dirname, "../../examples/quickstart/standby.yml"), "utf8");

describe("YAML indentation errors", () => {
  it("every line of the quickstart moved by one or two spaces is named, with the key it should line up with", () => {
    const lines = QUICKSTART.split("\n");
    const unexplained: string[] = [];
    let explained = 0;
    lines.forEach((line, n) => {
      if (line.trim() === "" || line.trim().startsWith("#")) return;
      for (const shift of [1, 2, -1, -2]) {
        if (shift < 0 && !line.startsWith(" ".repeat(-shift))) continue;
        const moved = [...lines];
        moved[n] = shift > 0 ? " ".repeat(shift) + line : line.slice(-shift);
        const issue = parseYaml(moved.join("\n"), "standby.yml").issues[0];
        if (!issue) continue; // still valid YAML (the schema judges it)
        const names = issue.line === n + 1 || issue.message.includes(`on line ${n + 1}:`) || issue.message.includes(`on line ${n + 1} and`);
        if (/^YAML: `[^`]+` is indented (one space|\d+ spaces) (more|less) than /.test(issue.message) && names) explained++;
        else unexplained.push(`line ${n + 1} ${shift > 0 ? "+" : ""}${shift}: ${issue.line}:${issue.column} ${issue.message}`);
      }
    });
    expect(unexplained).toEqual([]);
    expect(explained).toBeGreaterThan(100);
  });
});
