// Where a value sits in a JSON or YAML file, as line and column: what puts a drift annotation on
// the drifted key instead of the check's line in standby.yml. The `yaml` parser gives every node
// its source range, for JSON too (JSON is YAML). Only files inside the workspace (symbolic links
// resolved) and of at most LOCATE_MAX_BYTES are parsed, each once; a file that cannot be read or
// parsed, or a path that leads nowhere, locates nothing and the caller falls back.
import { realpathSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { readRegularFileSync } from "../fs/regular-file.js";

/** Parsing with positions costs about 1 s per MiB: larger files are annotated on the check's line. */
export const LOCATE_MAX_BYTES = 1024 * 1024;

export interface Position {
  /** The real file, relative to the workspace, with `/` separators. */
  file: string;
  line: number;
  column: number;
}

interface Parsed {
  doc: Document.Parsed;
  lines: LineCounter;
  file: string;
}

/** Maps with more pairs than this get an index (many findings in one wide map). */
const INDEX_FROM = 16;

export class FileLocator {
  private readonly root: string | null;
  private readonly parsed = new Map<string, Parsed | null>();
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(workspace: string) {
    this.root = real(workspace);
  }

  /**
   * The position of the value at `path` (object keys, array indexes) in `file`: the key's for a
   * value under a key, the item's for an array item. null when it cannot be told.
   */
  locate(file: string, format: "json" | "yaml", path: ReadonlyArray<string | number>): Position | null {
    if (path.length === 0) return null;
    const p = this.parse(file, format);
    if (!p) return null;
    let node: unknown = p.doc.contents;
    let at: number | undefined;
    for (const seg of path) {
      node = this.deref(node, p.doc);
      if (isMap(node)) {
        const pair = this.pairOf(node, String(seg));
        if (!pair || !isScalar(pair.key) || !pair.key.range) return null;
        at = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node)) {
        const index = typeof seg === "number" ? seg : /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : -1;
        const item = index >= 0 ? node.items[index] : undefined;
        const range = (item as Node | undefined)?.range;
        if (!range) return null;
        at = range[0];
        node = item;
      } else return null;
    }
    if (at === undefined) return null;
    const { line, col } = p.lines.linePos(at);
    return { file: p.file, line, column: col };
  }

  private parse(file: string, format: "json" | "yaml"): Parsed | null {
    const key = `${format}:${file}`;
    if (this.parsed.has(key)) return this.parsed.get(key)!;
    let out: Parsed | null = null;
    try {
      out = this.read(file, format);
    } catch {
      out = null;
    }
    this.parsed.set(key, out);
    return out;
  }

  private read(file: string, format: "json" | "yaml"): Parsed | null {
    const path = real(file);
    if (!path || !this.root) return null;
    const rel = relative(this.root, path);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
    let text = readRegularFileSync(path, LOCATE_MAX_BYTES);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = new LineCounter();
    // As the check parsed it: JSON keeps the last of duplicate keys, YAML refuses them.
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: format === "yaml" });
    if (doc.errors.length > 0) return null;
    return { doc, lines, file: sep === "/" ? rel : rel.split(sep).join("/") };
  }

  private deref(node: unknown, doc: Document.Parsed): unknown {
    // An alias stands for its anchor's node: the value is written there.
    for (let i = 0; i < 100 && isAlias(node); i++) node = node.resolve(doc);
    return node;
  }

  /** The last pair with this key (JSON.parse keeps the last of duplicates). */
  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    if (map.items.length <= INDEX_FROM) {
      for (let i = map.items.length - 1; i >= 0; i--) if (keyText(map.items[i]!) === key) return map.items[i] as Pair;
      return undefined;
    }
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const k = keyText(pair);
        if (k !== null) index.set(k, pair as Pair);
      }
      this.indexes.set(map, index);
    }
    return index.get(key);
  }
}

function keyText(pair: { key: unknown }): string | null {
  return isScalar(pair.key) ? String(pair.key.value) : null;
}

function real(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}
