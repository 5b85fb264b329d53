// Where a JSON text stops being JSON, and why, for a message that names line and column. V8's
// SyntaxError has no position for some mistakes ("Unexpected token 'h', "...hunter2..." is not
// valid JSON") and quotes the text, which may be a secret; this scanner runs only after
// JSON.parse failed and words the problem with punctuation and kinds of token, never the content.

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** "expected ',' or '}' after a value, found a string" */
  message: string;
}

type Want = "value" | "key-or-end" | "key" | "colon" | "comma-or-end-object" | "comma-or-end-array" | "value-or-end" | "nothing";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** The first syntax problem of `text` (a BOM already removed), or null when it parses. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const stack: Array<"{" | "["> = [];
  let want = "value" as Want;
  let i = 0;
  const fail = (at: number, message: string): JsonSyntaxProblem => ({ ...lineColumn(text, at), message });
  const afterValue = (): Want => (stack.length === 0 ? "nothing" : stack.at(-1) === "{" ? "comma-or-end-object" : "comma-or-end-array");
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
    const c = text[i];
    if (c === undefined) {
      if (want === "nothing") return null;
      const open = stack.at(-1);
      return fail(i, open ? `the document ends inside a ${open === "{" ? "{ } object" : "[ ] list"}: a closing ${open === "{" ? "}" : "]"} is missing` : "the document ends where a value was expected");
    }
    const found = describe(text, i);
    const keyWanted: boolean = want === "key" || want === "key-or-end";
    switch (want) {
      case "nothing":
        return fail(i, `more after the end of the document: ${found}`);
      case "colon":
        if (c !== ":") return fail(i, `expected ':' after the key, found ${found}`);
        i++;
        want = "value";
        continue;
      case "comma-or-end-object":
      case "comma-or-end-array": {
        const close = want === "comma-or-end-object" ? "}" : "]";
        if (c === ",") {
          i++;
          want = want === "comma-or-end-object" ? "key" : "value";
          continue;
        }
        if (c === close) {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        return fail(i, `expected ',' or '${close}' after a value, found ${found}`);
      }
      case "key-or-end":
      case "key":
        if (c === "}" && want === "key-or-end") {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        if (c === "}") return fail(i, "a comma before } (JSON allows no trailing comma)");
        if (c !== '"') return fail(i, `expected a key in double quotes, found ${found}`);
        break;
      case "value-or-end":
        if (c === "]") {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        break;
      case "value":
        if (c === "]" && stack.at(-1) === "[") return fail(i, "a comma before ] (JSON allows no trailing comma)");
        break;
    }
    // A value (or, where a key is wanted, a string).
    if (c === '"') {
      const end = stringEnd(text, i);
      if (typeof end === "object") return fail(end.at, end.message);
      i = end;
      want = keyWanted ? "colon" : afterValue();
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      want = c === "{" ? "key-or-end" : "value-or-end";
      continue;
    }
    const token = match(NUMBER, text, i) ?? match(LITERAL, text, i);
    if (token === null) return fail(i, `expected a value, found ${found}`);
    if (/[\w.]/.test(text[i + token.length] ?? "")) return fail(i, "a malformed number or word (leading zeros, a trailing dot, or letters after a value)");
    i += token.length;
    want = afterValue();
  }
}

function match(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? null;
}

/** The offset after the string starting at `at`, or where and why it is broken. */
function stringEnd(text: string, at: number): number | { at: number; message: string } {
  for (let i = at + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { at: i, message: code === 0x0a ? "a string is not closed before the end of its line (a \" is missing)" : "a control character inside a string (write it as an escape like \\t)" };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !next || !'"\\/bfnrt'.includes(next)) return { at: i, message: "an invalid escape in a string (a backslash is written \\\\)" };
      i += next === "u" ? 5 : 1;
    }
  }
  return { at, message: "a string is never closed (a \" is missing)" };
}

/** What stands at `at`, in words that never quote the document's text beyond punctuation. */
function describe(text: string, at: number): string {
  const c = text[at]!;
  if ("{}[]:,".includes(c)) return `'${c}'`;
  if (c === '"') return "a string";
  if (c === "'") return "a single quote (JSON strings use double quotes)";
  if (/[-\d]/.test(c)) return "a number";
  if (/[A-Za-z_]/.test(c)) return "a bare word (JSON strings need double quotes; true, false and null are lower case)";
  if (c === "/") return "a comment (JSON has none)";
  if (c === "<") return "'<' (HTML or XML, not JSON)";
  return "an unexpected character";
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
