// Why standby.yml does not parse, said in words at the line that is wrong. The yaml library
// reports where its parser gave up, often the line before an indentation mistake, in its own
// terms ("Nested mappings are not allowed in compact mappings"); the common mistakes (a key
// indented unlike its siblings, a tab, a quote or bracket left open, a key set twice) are
// recognised here from the text and the parsed document, and anything else keeps yaml's words.
import { isMap, isScalar, parseDocument, visit, type LineCounter, type Node, type YAMLError } from "yaml";

export interface YamlProblem {
  line: number;
  column: number;
  message: string;
}

export function explainYamlError(text: string, lines: LineCounter, error: YAMLError): YamlProblem {
  const at = lines.linePos(error.pos[0]);
  const source = text.split(/\r?\n/);
  const fallback = { line: at.line, column: at.col, message: firstLine(error.message) };
  const tab = tabIn(source, at.line);
  if (error.code === "TAB_AS_INDENT" || tab) {
    const where = tab ?? { line: at.line, column: at.col };
    return { ...where, message: "a tab in the indentation: YAML indents with spaces only" };
  }
  const message = error.message;
  if (error.code === "DUPLICATE_KEY") return duplicateKey(text, lines, error.pos[0]) ?? fallback;
  if (error.code === "MISSING_CHAR" && /^Missing closing ["']quote/.test(message)) return unclosedQuote(text, lines, error.pos[0]) ?? fallback;
  if (error.code === "BAD_INDENT" && /^Flow (map|sequence) in block collection/.test(message)) return unclosedFlow(text, lines, error.pos[0]) ?? fallback;
  if (error.code === "MULTIPLE_DOCS") return { ...fallback, message: "a second YAML document starts here (a `---` line): a standby config is one document" };
  if (/must start at the same column|Sequence item without - indicator|block sequence may not be used as an implicit map key|^Unexpected scalar at node end/.test(message)) {
    // yaml may stop on a blank or comment line before the one that is out of line.
    const wrong = entriesOf(source[at.line - 1] ?? "", at.line) ? at.line : nextContentLine(source, at.line);
    return (wrong !== null ? misindented(source, wrong) : null) ?? fallback;
  }
  if (error.code === "BLOCK_AS_IMPLICIT_KEY" || error.code === "MULTILINE_IMPLICIT_KEY") {
    const rest = stripComment((source[at.line - 1] ?? "").slice(at.col - 1));
    // `url: a: b`: the value holds ": ", which makes it a key of a mapping of its own.
    if (/:(\s|$)/.test(rest) && error.code === "BLOCK_AS_IMPLICIT_KEY") {
      return { ...fallback, message: "this value holds ': ', which YAML reads as a nested key: put the value in quotes" };
    }
    // `checks` alone on its line, where a key was meant.
    if (/^[A-Za-z0-9_.$-]+\s*$/.test(rest) && !/:(\s|$)/.test(stripComment(source[at.line - 1] ?? ""))) {
      return { ...fallback, message: `\`${rest.trim()}\` has no ':' after it: a key is written \`${rest.trim()}:\`` };
    }
    // The value of this line ran on into the next content line: that line is indented too far.
    const next = nextContentLine(source, at.line);
    if (next !== null) return misindented(source, next) ?? fallback;
  }
  return fallback;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function stripComment(s: string): string {
  return s.replace(/(^|\s)#.*$/, "").trimEnd();
}

/** A tab among a line's leading whitespace, where yaml may report only "bad indentation". */
function tabIn(source: readonly string[], line: number): { line: number; column: number } | null {
  const lead = /^[ \t]*/.exec(source[line - 1] ?? "")![0];
  const i = lead.indexOf("\t");
  return i < 0 ? null : { line, column: i + 1 };
}

function reparse(text: string) {
  return parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, version: "1.2" });
}

function posOf(lines: LineCounter, offset: number): { line: number; column: number } {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** "`name:` is set twice in this mapping (first on line 3)", at the second. */
function duplicateKey(text: string, lines: LineCounter, offset: number): YamlProblem | null {
  let found: YamlProblem | null = null;
  visit(reparse(text), {
    Map(_, map) {
      const second = map.items.find((p) => (p.key as Node | null)?.range?.[0] === offset);
      if (!second) return undefined;
      const name = keyName(second.key);
      const first = map.items.find((p) => p !== second && keyName(p.key) === name);
      const firstLine = first ? ` (first on line ${posOf(lines, (first.key as Node).range![0]).line})` : "";
      found = { ...posOf(lines, offset), message: `\`${name}:\` is set twice in this mapping${firstLine}: a key may appear once` };
      return visit.BREAK;
    },
  });
  return found;
}

/** The quoted value that runs to the end of the file, at its opening quote. */
function unclosedQuote(text: string, lines: LineCounter, offset: number): YamlProblem | null {
  let found: YamlProblem | null = null;
  visit(reparse(text), {
    Scalar(_, node) {
      if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && node.range && node.range[1] >= offset) {
        const q = node.type === "QUOTE_DOUBLE" ? '"' : "'";
        found = { ...posOf(lines, node.range[0]), message: `the ${q} opened here is never closed: end the value with ${q}` };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The innermost `{` or `[` that has no closing bracket, at its opening. */
function unclosedFlow(text: string, lines: LineCounter, offset: number): YamlProblem | null {
  let found: YamlProblem | null = null;
  visit(reparse(text), {
    Node(_, node) {
      const tok = (node as { srcToken?: { type?: string; start?: { offset: number; source: string }; end?: Array<{ type: string }> } }).srcToken;
      if (tok?.type !== "flow-collection" || !tok.start || tok.start.offset > offset) return undefined;
      if (tok.end?.some((t) => t.type === "flow-map-end" || t.type === "flow-seq-end")) return undefined;
      const [open, close] = isMap(node) ? ["{", "}"] : ["[", "]"];
      found = { ...posOf(lines, tok.start.offset), message: `the ${open} opened here is never closed: end it with ${close} (on this line, or on a later line indented more than its key)` };
      return undefined; // keep looking: an inner one left open is the more precise place
    },
  });
  return found;
}

// ---- indentation --------------------------------------------------------------------------

interface Entry {
  /** 0-based column. */
  col: number;
  type: "key" | "item";
  /** The key, or for a list item the key that follows its `-` on the line ("" when none). */
  name: string;
  line: number;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`][^#]*?)[ \t]*:(?=\s|$)/;

/** The list items and the key a content line starts (`  - name: x` is an item at 2, a key at 4). */
function entriesOf(text: string, line: number): { entries: Entry[]; rest: string } | null {
  let i = /^ */.exec(text)![0].length;
  if (i >= text.length || text[i] === "#") return null;
  const entries: Entry[] = [];
  while (text[i] === "-" && (i + 1 === text.length || text[i + 1] === " ")) {
    entries.push({ col: i, type: "item", name: "", line });
    i++;
    while (text[i] === " ") i++;
  }
  const key = KEY.exec(text.slice(i));
  if (key) {
    const name = key[1]!.replace(/^["']|["']$/g, "");
    for (const e of entries) e.name ||= name;
    entries.push({ col: i, type: "key", name, line });
    return { entries, rest: stripComment(text.slice(i + key[0].length)).trim() };
  }
  return { entries, rest: stripComment(text.slice(i)).trim() };
}

/** Line numbers of the lines that hold no block structure: block scalars, multi-line flows and quotes. */
function structuralLines(source: readonly string[], upTo: number): Array<{ line: number; entries: Entry[] }> {
  const out: Array<{ line: number; entries: Entry[] }> = [];
  let scalarAbove = -1; // block scalar content: lines indented more than this column
  let open = 0; // unclosed [ { on the lines so far
  let quote: '"' | "'" | null = null;
  for (let n = 1; n < upTo; n++) {
    const text = source[n - 1] ?? "";
    const indent = /^ */.exec(text)![0].length;
    if (scalarAbove >= 0) {
      if (text.trim() === "" || indent > scalarAbove) continue;
      scalarAbove = -1;
    }
    if (open > 0 || quote) {
      ({ open, quote } = balance(text, open, quote));
      continue;
    }
    const parsed = entriesOf(text, n);
    if (!parsed) continue;
    if (parsed.entries.length > 0) out.push({ line: n, entries: parsed.entries });
    if (/^[|>][-+0-9]*$/.test(parsed.rest)) scalarAbove = parsed.entries.at(-1)?.col ?? indent;
    else ({ open, quote } = balance(parsed.rest, 0, null));
  }
  return out;
}

function balance(text: string, open: number, quote: '"' | "'" | null): { open: number; quote: '"' | "'" | null } {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      // A quote opens a scalar only where one can start (not in `it's` of a plain value).
      if (i === 0 || /[\s[{,:]/.test(text[i - 1]!)) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) break;
    else if (c === "[" || c === "{") open++;
    else if ((c === "]" || c === "}") && open > 0) open--;
  }
  return { open, quote };
}

/** The first line after `line` with content (not blank, not only a comment). */
function nextContentLine(source: readonly string[], line: number): number | null {
  for (let n = line + 1; n <= source.length; n++) if (entriesOf(source[n - 1] ?? "", n)) return n;
  return null;
}

const spaces = (n: number) => (n === 1 ? "one space" : `${n} spaces`);
const label = (e: Entry) => (e.type === "key" ? `\`${e.name}:\`` : e.name ? `\`- ${e.name}:\`` : "`-`");

/**
 * "`primary:` is indented one space more than `kind:` on line 6": line `wrong` compared with the
 * keys (or list items) open above it that it could belong beside.
 */
function misindented(source: readonly string[], wrong: number): YamlProblem | null {
  const own = entriesOf(source[wrong - 1] ?? "", wrong)?.entries[0];
  if (!own) return null;
  // The keys and items still open where `wrong` starts, shallowest first.
  const stack: Entry[] = [];
  for (const { entries } of structuralLines(source, wrong)) {
    for (const e of entries) {
      // A list may sit in its key's column (`checks:` / `- id: a`): the key stays open.
      while (stack.length > 0 && (stack.at(-1)!.col > e.col || (stack.at(-1)!.col === e.col && !(stack.at(-1)!.type === "key" && e.type === "item")))) stack.pop();
      stack.push(e);
    }
  }
  // A key (or item) open in the same column: the indentation is not what is wrong.
  if (stack.some((e) => e.col === own.col && e.type === own.type)) return null;
  const below = stack.filter((e) => e.col < own.col).at(-1);
  const sibling = below?.type === own.type ? below : undefined;
  const deeper = stack.find((e) => e.col > own.col && e.type === own.type);
  if (!sibling && !deeper) return null;
  const parts: string[] = [];
  if (sibling) parts.push(`${spaces(own.col - sibling.col)} more than ${label(sibling)} on line ${sibling.line}`);
  if (deeper) parts.push(`${spaces(deeper.col - own.col)} less than ${label(deeper)} on line ${deeper.line}`);
  const rule = own.type === "key" ? "the keys of one mapping start in the same column" : "the items of one list start in the same column";
  return { line: wrong, column: own.col + 1, message: `${label(own)} is indented ${parts.join(" and ")}: ${rule}` };
}
