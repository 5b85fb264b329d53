// Layers (lowest first): a module imports only its own layer or lower ones, and no check kind
// imports another. Keeps the contract honest: the engine runs any kind without knowing config,
// probes serve any kind without knowing one, and a kind can be read (and deleted) on its own.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const LAYERS: Record<string, number> = {
  "src/version": 0,
  "src/core": 0,
  "src/engine": 1,
  "src/options": 2,
  "src/schedule": 2,
  "src/fs": 2,
  "src/probes": 3,
  "src/kit": 4,
  checks: 5,
  "src/config": 6,
  "src/report": 7,
  "src/history": 8,
  "src/demo": 8,
  "src/continuous": 9,
  "src/watch": 9,
  "src/tui": 9,
  "src/action": 10,
  "src/cli": 10,
};
/** The contract every layer may name (statuses, reasons, types): core's redaction words come from it. */
const CONTRACT = "src/engine/types";

function layerOf(file: string): string {
  const rel = relative(ROOT, file).replace(/\.(tsx?|js)$/, "");
  if (rel.startsWith("checks/")) return "checks";
  const hit = Object.keys(LAYERS).filter((l) => rel === l || rel.startsWith(`${l}/`)).sort((a, b) => b.length - a.length)[0];
  if (!hit) throw new Error(`no layer for ${rel}: add it to LAYERS`);
  return hit;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, ""));
}

const KIND_OF = (file: string): string | null => {
  const m = /^checks\/([^/]+)\//.exec(relative(ROOT, file));
  return m ? m[1]! : null;
};

describe("architecture", () => {
  const files = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "checks"))];

  it("no module imports a higher layer", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const rel = relative(ROOT, target);
        if (rel === CONTRACT) continue;
        const to = layerOf(target);
        if (LAYERS[to]! > LAYERS[from]!) violations.push(`${relative(ROOT, file)} (${from}) imports ${rel} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("engine, core and probes never import config, checks or renderers", () => {
    const low = files.filter((f) => ["src/core", "src/engine", "src/probes"].includes(layerOf(f)));
    const bad = low.flatMap((f) => importsOf(f).filter((t) => /\/(config|checks|report|tui|cli)\//.test(`/${relative(ROOT, t)}`)).map((t) => `${relative(ROOT, f)} -> ${relative(ROOT, t)}`));
    expect(bad).toEqual([]);
  });

  it("check kinds do not import each other", () => {
    const bad: string[] = [];
    for (const file of files) {
      const kind = KIND_OF(file);
      if (!kind) continue;
      for (const target of importsOf(file)) {
        const other = KIND_OF(target);
        if (other && other !== kind) bad.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
