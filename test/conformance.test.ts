// Every check kind is one folder with its logic, its manual, its test and its registry entry.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../checks/index.js";
import { SEVERITIES } from "../src/engine/types.js";

const root = join(import.meta.dirname, "..");
const folders = readdirSync(join(root, "checks")).filter((f) => statSync(join(root, "checks", f)).isDirectory());

describe("check kind conformance", () => {
  it("has at least one kind", () => expect(folders.length).toBeGreaterThan(0));

  it("registry keys are sorted and match the folders", () => {
    const keys = Object.keys(CHECKS);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual([...folders].sort());
  });

  for (const kind of folders) {
    describe(kind, () => {
      it("has index.ts, README.md and test/checks/<kind>.test.ts", () => {
        expect(existsSync(join(root, "checks", kind, "index.ts")), "index.ts").toBe(true);
        expect(existsSync(join(root, "checks", kind, "README.md")), "README.md").toBe(true);
        expect(existsSync(join(root, "test", "checks", `${kind}.test.ts`)), `test/checks/${kind}.test.ts`).toBe(true);
      });

      it("declares its metadata once, matching its folder", () => {
        const def = CHECKS[kind];
        expect(def, `registry entry for ${kind}`).toBeDefined();
        expect(def!.meta.kind).toBe(kind);
        expect(def!.meta.docs).toBe(`checks/${kind}/README.md`);
        expect(def!.meta.title.length).toBeGreaterThan(5);
        expect(def!.meta.description.length).toBeGreaterThan(10);
        expect(def!.meta.description).not.toContain("\n");
        expect(SEVERITIES).toContain(def!.meta.defaultSeverity);
        expect(typeof def!.run).toBe("function");
      });

      it("documents every option it accepts", () => {
        const readme = readFileSync(join(root, "checks", kind, "README.md"), "utf8");
        for (const key of Object.keys(CHECKS[kind]!.options.shape)) expect(readme, `README of ${kind} mentions option '${key}'`).toContain(key);
      });

      it("is listed in the main README", () => {
        expect(readFileSync(join(root, "README.md"), "utf8")).toContain(`checks/${kind}/README.md`);
      });
    });
  }
});
