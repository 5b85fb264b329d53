// YAML parsed with positions kept, so every error can point at file:line:column.
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Scalar } from "yaml";
import type { ConfigIssue, PathSegment } from "./errors.js";
import { explainYamlError } from "./yaml-errors.js";

export interface PositionedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

export function parseYaml(text: string, file: string): { yaml?: PositionedYaml; issues: ConfigIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  if (doc.errors.length > 0) {
    // Later syntax errors are almost always echoes of the first: report the cause only.
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    const lineText = text.split(/\r?\n/)[pos.line - 1] ?? "";
    if (/\{[^}]*\$\{/.test(lineText)) {
      const hint = " (inside { } a value holding ${...} must be quoted: \"${env:NAME}\")";
      return { issues: [{ file, line: pos.line, column: pos.col, path: "", message: `YAML: ${firstLine(e.message)}${hint}` }] };
    }
    // The line that is wrong and what happened, in words (yaml-errors.ts).
    let p: { line: number; column: number; message: string };
    try {
      p = explainYamlError(text, lines, e);
    } catch {
      // The explanation is a courtesy: a mistake in it must not hide the error itself.
      p = { line: pos.line, column: pos.col, message: firstLine(e.message) };
    }
    return { issues: [{ file, line: p.line, column: p.column, path: "", message: `YAML: ${p.message}` }] };
  }
  // A map or list (or an alias to one) as a key has no JS form: `yaml` would stringify it with a
  // process warning on stderr. standby.yml has none; say where it is instead.
  let badKey: ConfigIssue | null = null;
  visit(doc, {
    Alias(_, alias, ancestors) {
      // yaml only notices these when converting: an alias without an anchor before it (a
      // ReferenceError), and one inside its own anchored node (a cyclic object that every later
      // walk over the config would recurse into forever).
      const target = alias.resolve(doc);
      const problem = target === undefined ? `refers to no anchor &${alias.source} before it` : ancestors.includes(target as never) ? `is inside the node it refers to (&${alias.source}): a cycle` : null;
      if (!problem) return undefined;
      const pos = lines.linePos(alias.range?.[0] ?? 0);
      badKey = { file, line: pos.line, column: pos.col, path: "", message: `YAML: alias *${alias.source} ${problem}` };
      return visit.BREAK;
    },
    Pair(_, pair) {
      // A tagged scalar such as `!!binary x` turns into an object (a Uint8Array) as well.
      const objectScalar = isScalar(pair.key) && typeof pair.key.value === "object" && pair.key.value !== null;
      if (!isCollection(pair.key) && !isAlias(pair.key) && !objectScalar) return undefined;
      const pos = lines.linePos((pair.key as Node).range?.[0] ?? 0);
      const what = isAlias(pair.key) ? "an alias (*name)" : isMap(pair.key) ? "a map" : isSeq(pair.key) ? "a list" : `a tagged value (${((pair.key as Scalar).tag ?? "").replace("tag:yaml.org,2002:", "!!")})`;
      badKey = { file, line: pos.line, column: pos.col, path: "", message: `YAML: a key must be a plain name, not ${what}` };
      return visit.BREAK;
    },
  });
  if (badKey) return { issues: [badKey] };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Aliases expanding past maxAliasCount (a "billion laughs" document), or what yaml refuses late.
    return { issues: [{ file, line: 1, column: 1, path: "", message: `YAML: ${firstLine(err instanceof Error ? err.message : String(err))}` }] };
  }
  return { yaml: { file, doc, lines, value }, issues: [] };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * Position of the node at `path`, or of its nearest existing ancestor. For a missing key, the
 * parent map's position is the most useful place to point at. `atKey` points at the key itself
 * (for unknown keys) rather than its value.
 */
export function positionOf(y: PositionedYaml, path: readonly PathSegment[], atKey = false): { line: number; column: number } {
  let node: unknown = y.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      const target = atKey ? pair.key : (pair.value ?? pair.key);
      best = (target as Node) ?? best;
      if (atKey && seg === path[path.length - 1]) break;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (!item) break;
      best = item as Node;
      node = item;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = y.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function keyText(key: unknown): string {
  if (key && typeof key === "object" && "value" in key) return String((key as { value: unknown }).value);
  return String(key);
}
