// Pure units of config-drift: path globs and formatting, normalisation, diff post-processing.
import { describe, expect, it } from "vitest";
import { allowedDelta, DriftDiffer, originalAt } from "../checks/config-drift/diff.js";
import { makeSubstituter } from "../src/kit/side-vars.js";
import { Normaliser } from "../checks/config-drift/normalise.js";
import { comparePaths, formatPath, GlobSet, keyedSegment, matchPath, positionalSegment } from "../checks/config-drift/paths.js";
import { parseJson, parseYaml, selectPointer } from "../checks/config-drift/sources.js";
import { ProbeError } from "../src/probes/errors.js";

const split = (p: string) => p.split(".");

describe("GlobSet", () => {
  it("matches literals, `*` (one segment), `**` (zero or more) and in-segment wildcards", () => {
    const g = new GlobSet(["metadata.generatedAt", "a.*.etag", "**.lastModified", "spec.**", "*Arn"]);
    expect(g.match(split("metadata.generatedAt"))).toBe(0);
    expect(g.match(split("metadata"))).toBe(-1);
    expect(g.match(split("a.x.etag"))).toBe(1);
    expect(g.match(split("a.x.y.etag"))).toBe(-1);
    expect(g.match(split("lastModified"))).toBe(2);
    expect(g.match(split("x.y.z.lastModified"))).toBe(2);
    expect(g.match(split("x.lastModified.z"))).toBe(-1);
    expect(g.match(split("spec"))).toBe(3);
    expect(g.match(split("spec.a.b"))).toBe(3);
    expect(g.match(["certificateArn"])).toBe(4);
    expect(g.match(["certificateArnX"])).toBe(-1);
  });

  it("reports the first pattern in user order and treats `listeners[]` like `listeners`", () => {
    const g = new GlobSet(["capacity.*", "capacity.desired", "listeners[].port"]);
    expect(g.match(split("capacity.desired"))).toBe(0);
    expect(g.match(split("listeners.port"))).toBe(2);
  });

  it("interns states: stepping the same key twice gives the same state; dead states stay dead", () => {
    const g = new GlobSet(["a.b"]);
    const s1 = g.step(g.start, "a");
    expect(g.step(g.start, "a")).toBe(s1);
    const dead = g.step(g.start, "zzz");
    expect(dead.dead).toBe(true);
    expect(g.step(dead, "b")).toBe(dead);
    expect(new GlobSet([]).start.dead).toBe(true);
  });
});

describe("paths", () => {
  it("formats keyed items, indices and odd keys", () => {
    expect(formatPath(["listeners", keyedSegment("port", 443, 1), "protocol"])).toBe("listeners[port=443].protocol");
    expect(formatPath(["tags", keyedSegment("Key", "Name", 2), "Value"])).toBe("tags[Key=Name#2].Value");
    expect(formatPath(["rules", 3, "priority"])).toBe("rules[3].priority");
    expect(formatPath(["items", positionalSegment(1)])).toBe("items[#1]");
    expect(formatPath(["labels", "app.kubernetes.io/name"])).toBe('labels["app.kubernetes.io/name"]');
    expect(formatPath([])).toBe("(document)");
    expect(formatPath(["users", keyedSegment("token", "abc", 1)], { isSecretField: (f) => f === "token" })).toBe("users[token=***]");
  });

  it("match paths drop array positions and keyed items", () => {
    expect(matchPath(["listeners", keyedSegment("port", 443, 1), "protocol"])).toEqual(["listeners", "protocol"]);
    expect(matchPath(["rules", 2, "conditions", 0, "field"])).toEqual(["rules", "conditions", "field"]);
  });

  it("orders paths with numbers numerically", () => {
    const paths = [["rules", 10], ["rules", 2], ["a"], ["rules", 2, "x"]];
    expect(paths.sort(comparePaths)).toEqual([["a"], ["rules", 2], ["rules", 2, "x"], ["rules", 10]]);
  });
});

describe("makeSubstituter", () => {
  it("replaces longest values first and skips empty or identical vars", () => {
    const sub = makeSubstituter(
      { region: "us-east-1", short: "us", empty: "", same: "orders", suffix: "use1" },
      { region: "us-west-2", short: "eu", empty: "x", same: "orders", suffix: "usw2" },
    )!;
    expect(sub.names).toEqual(["region", "short", "suffix"]);
    expect(sub.apply("arn:aws:sqs:us-east-1:1:orders-use1")).toBe("arn:aws:sqs:us-west-2:1:orders-usw2");
    expect(sub.apply("us-central")).toBe("eu-central");
    expect(sub.apply("nothing here")).toBe("nothing here");
  });

  it("ignores vars only one side has and returns null when nothing differs", () => {
    expect(makeSubstituter({ region: "a" }, {})).toBeNull();
    expect(makeSubstituter({ region: "a" }, { region: "a" })).toBeNull();
  });
});

describe("Normaliser", () => {
  it("removes ignored paths without mutating the input and shares untouched subtrees", () => {
    const doc = { keep: { big: { x: 1 } }, meta: { at: "now", v: 1 } };
    const n = new Normaliser({ ignore: ["meta.at"], keys: {} });
    const out = n.normalise(doc);
    expect(out.value).toEqual({ keep: { big: { x: 1 } }, meta: { v: 1 } });
    expect((out.value as typeof doc).keep).toBe(doc.keep);
    expect(doc.meta.at).toBe("now");
    expect(out.leaves).toBe(2);
    expect(n.normalise(doc).value).not.toBe(doc);
    expect(new Normaliser({ ignore: [], keys: {} }).normalise(doc).value).toBe(doc);
  });

  it("keys arrays by field, numbering duplicates and keeping position for items without the key", () => {
    const n = new Normaliser({ ignore: [], keys: { "**.tags": "Key" } });
    const out = n.normalise({ a: { tags: [{ Key: "env", Value: "p" }, { Key: "env", Value: "q" }, { Value: "z" }] } }).value as {
      a: { tags: Record<string, unknown> };
    };
    expect(Object.keys(out.a.tags)).toEqual([keyedSegment("Key", "env", 1), keyedSegment("Key", "env", 2), positionalSegment(2)]);
  });

  it("substitutes inside strings only, including key values, before keying", () => {
    const sub = makeSubstituter({ region: "us-east-1" }, { region: "us-west-2" });
    const n = new Normaliser({ ignore: [], keys: { regions: "name" } });
    const out = n.normalise({ regions: [{ name: "us-east-1", n: 1 }], "us-east-1": true }, sub).value as Record<string, unknown>;
    expect(Object.keys(out.regions as object)).toEqual([keyedSegment("name", "us-west-2", 1)]);
    expect(Object.keys(out)).toContain("us-east-1"); // object keys are not rewritten
  });

  it("keeps __proto__ as a plain own key", () => {
    const doc = JSON.parse('{"__proto__": {"x": 1}, "drop": 1}') as Record<string, unknown>;
    const out = new Normaliser({ ignore: ["drop"], keys: {} }).normalise(doc).value as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

function diffDocs(p: unknown, s: unknown, rules: { atLeast?: string[]; tolerance?: Record<string, number | string>; keys?: Record<string, string> } = {}) {
  const n = new Normaliser({ ignore: [], keys: rules.keys ?? {} });
  const differ = new DriftDiffer({ atLeast: rules.atLeast ?? [], tolerance: rules.tolerance ?? {} });
  return differ.diff({ original: p, normalised: n.normalise(p).value }, { original: s, normalised: n.normalise(s).value });
}

describe("DriftDiffer", () => {
  it("turns positional array length changes into missing/extra items", () => {
    const r = diffDocs({ rules: [1, 2, 3] }, { rules: [1, 2] });
    expect(r.findings).toEqual([expect.objectContaining({ path: "rules[2]", change: "missing", primary: 3 })]);
    const e = diffDocs({ rules: [1] }, { rules: [1, 5] });
    expect(e.findings).toEqual([expect.objectContaining({ path: "rules[1]", change: "extra", standby: 5 })]);
  });

  it("reports a type change as changed with short value descriptions", () => {
    const r = diffDocs({ a: { x: 1, y: 2 } }, { a: "none" });
    expect(r.findings![0]!.message).toBe("a changed: {2 keys} on primary, none on standby");
  });

  it("applies tolerance as percent of the primary value or absolute", () => {
    expect(allowedDelta("15%", 20)).toBe(3);
    expect(allowedDelta("15%", -20)).toBe(3);
    expect(allowedDelta(2, 100)).toBe(2);
    expect(diffDocs({ d: 20 }, { d: 23 }, { tolerance: { d: "15%" } }).counts).toMatchObject({ changed: 0, accepted: 1 });
    expect(diffDocs({ d: 20 }, { d: 24 }, { tolerance: { d: "15%" } }).counts.changed).toBe(1);
  });

  it("treats numeric strings as numbers for atLeast", () => {
    expect(diffDocs({ c: { max: "10" } }, { c: { max: "9" } }, { atLeast: ["c.max"] }).counts.weaker).toBe(1);
    expect(diffDocs({ c: { max: "10" } }, { c: { max: "11" } }, { atLeast: ["c.max"] }).counts.accepted).toBe(1);
  });

  it("atLeast matches through keyed items by match path", () => {
    const r = diffDocs({ pools: [{ id: "a", size: 4 }] }, { pools: [{ id: "a", size: 2 }] }, { keys: { pools: "id" }, atLeast: ["pools.size"] });
    expect(r.findings).toEqual([expect.objectContaining({ path: "pools[id=a].size", change: "weaker", primary: 4, standby: 2 })]);
  });

  it("caps findings but counts everything", () => {
    const p = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const s = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const n = new Normaliser({ ignore: [], keys: {} });
    const r = new DriftDiffer({ atLeast: [], tolerance: {} }).diff({ original: p, normalised: n.normalise(p).value }, { original: s, normalised: s }, 5);
    expect(r.findings).toHaveLength(5);
    expect(r.counts.changed).toBe(50);
  });

  it("reads finding values from the original document through keyed items", () => {
    const original = { l: [{ port: 80, arn: "us-east-1" }, { port: 443, arn: "x:us-east-1" }] };
    const n = new Normaliser({ ignore: [], keys: { l: "port" } });
    const normalised = n.normalise(original, makeSubstituter({ r: "us-east-1" }, { r: "us-west-2" })).value;
    expect(originalAt({ original, normalised }, ["l", keyedSegment("port", 443, 1), "arn"])).toBe("x:us-east-1");
  });
});

describe("source parsing", () => {
  it("reports JSON errors by position without quoting content", () => {
    try {
      parseJson('{\n  "password": hunter2\n}', "standby file x.json");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProbeError);
      expect((err as ProbeError).reason).toBe("invalid-response");
      expect((err as Error).message).not.toContain("hunter2");
      expect((err as Error).message).toMatch(/^standby file x\.json:2:15: not valid JSON: expected a value, found a bare word/);
    }
  });

  it("reports YAML errors by line/column and accepts an empty-looking document only when it is not empty", () => {
    expect(() => parseYaml("a: [1\n", "f")).toThrow(/^f:\d+:\d+: not valid YAML \([A-Z_]+\)$/);
    expect(() => parseYaml("  \n", "f")).toThrow(/empty/);
    expect(parseYaml("a: 1", "f")).toEqual({ a: 1 });
  });

  it("selects JSON pointers with escapes and array indices", () => {
    const doc = { "a/b": { "m~n": [10, 20] } };
    expect(selectPointer(doc, "/a~1b/m~0n/1", "primary")).toBe(20);
    expect(selectPointer(doc, "", "primary")).toBe(doc);
    expect(() => selectPointer(doc, "/a~1b/m~0n/2", "primary")).toThrow(/nothing at pointer/);
  });
});
