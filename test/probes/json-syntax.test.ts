// Where a JSON text stops being JSON: the line, the column and why, in words that never quote it.
import { describe, expect, it } from "vitest";
import { jsonSyntaxProblem } from "../../src/probes/json-syntax.js";

const at = (text: string) => {
  const p = jsonSyntaxProblem(text);
  return p && `${p.line}:${p.column}: ${p.message}`;
};

describe("jsonSyntaxProblem", () => {
  it("names line, column and the mistake for what V8 words without a position", () => {
    expect(at('{\n  "password": hunter2-CANARY\n}')).toBe("2:15: expected a value, found a bare word (JSON strings need double quotes; true, false and null are lower case)");
    expect(at('{\n  "a": 1\n  "b": 2\n}')).toBe("3:3: expected ',' or '}' after a value, found a string");
    expect(at('{"a": 1,}')).toBe("1:9: a comma before } (JSON allows no trailing comma)");
    expect(at("[1,]")).toBe("1:4: a comma before ] (JSON allows no trailing comma)");
    expect(at("{'a': 1}")).toBe("1:2: expected a key in double quotes, found a single quote (JSON strings use double quotes)");
    expect(at('{"a": 1 // note\n}')).toBe("1:9: expected ',' or '}' after a value, found a comment (JSON has none)");
    expect(at('{"a": [1, 2}')).toBe("1:12: expected ',' or ']' after a value, found '}'");
    expect(at('{"a": {"b": 1}')).toBe("1:15: the document ends inside a { } object: a closing } is missing");
    expect(at('{"a": "x\n"}')).toBe("1:9: a string is not closed before the end of its line (a \" is missing)");
    expect(at('{"a": 1}}')).toBe("1:9: more after the end of the document: '}'");
    expect(at("")).toBe("1:1: the document ends where a value was expected");
  });

  it("agrees with JSON.parse on what is valid, over thousands of mutations of a document", () => {
    const base = JSON.stringify({ a: [1, 2, { b: "x\\y\u00e9", c: null, d: true, e: false }], f: -1.25e-3, g: "", h: {} }, null, 2);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = '{}[]:,"\\ 0123456789-+.eEtrufalsn\n\t/u';
    let invalid = 0;
    for (let k = 0; k < 20_000; k++) {
      const chars = base.split("");
      for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) {
        const pos = Math.floor(rnd() * chars.length);
        const op = rnd();
        const c = pick[Math.floor(rnd() * pick.length)]!;
        if (op < 0.33) chars.splice(pos, 1);
        else if (op < 0.66) chars.splice(pos, 0, c);
        else chars[pos] = c;
      }
      const text = chars.join("");
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
        invalid++;
      }
      expect({ text, parses: jsonSyntaxProblem(text) === null }).toEqual({ text, parses });
    }
    expect(invalid).toBeGreaterThan(10_000);
  });
});
