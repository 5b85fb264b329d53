// Every finding ends with its rule (README "Findings"): in every kind the rule is a kebab-case id,
// never prose (prose goes in `why`), and the kind's manual lists each id it can emit.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const kinds = readdirSync(join(root, "checks")).filter((f) => statSync(join(root, "checks", f)).isDirectory());

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The string literals a `rule:` property can take: `rule: "x"`, `rule: a ? "x" : "y"` (not the comparands). */
function ruleLiterals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\brule: ([^,}\n]+)/g)) {
    for (const lit of m[1]!.matchAll(/(?:^|\?|:)\s*"([^"]*)"/g)) out.push(lit[1]!);
  }
  return out;
}

describe("rule ids", () => {
  it("finds the rules of the kinds (the scan itself works)", () => {
    expect(ruleLiterals(readFileSync(join(root, "checks/jwt/parity.ts"), "utf8"))).toContain("jwks-parity");
    expect(ruleLiterals('x = { rule: level === "fail" ? "over-limit" : "near-limit" }')).toEqual(["over-limit", "near-limit"]);
  });

  for (const kind of kinds) {
    it(`${kind}: every rule is a kebab-case id its README lists`, () => {
      const readme = readFileSync(join(root, "checks", kind, "README.md"), "utf8");
      const ids = [...new Set(sources(join(root, "checks", kind)).flatMap((f) => ruleLiterals(readFileSync(f, "utf8"))))];
      expect(ids.length, `${kind} names no rule`).toBeGreaterThan(0);
      for (const id of ids) {
        expect(id, `${kind}: rule "${id}" is prose; put the reason in why`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(readme, `checks/${kind}/README.md lists rule ${id}`).toContain(`\`${id}\``);
      }
    });
  }
});
