// One renderer per format, all from the same Report. The renderers redact each value before
// escaping it; every finished document then passes through redactDocument() (belt and braces),
// which leaves alone any secret that could span the document's own syntax.
import type { Report } from "../engine/types.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderPrometheus } from "./prometheus.js";
import { redactDocument } from "../core/secrets.js";
import { renderText } from "./text.js";

export const FORMATS = ["text", "json", "markdown", "junit", "prometheus"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colors (text only). The CLI decides from NO_COLOR / FORCE_COLOR / TTY. */
  color?: boolean;
  /** Size limit in UTF-8 bytes (markdown only; the Action passes GitHub's limits). */
  maxBytes?: number;
  /** Findings shown per check (text only). */
  maxFindings?: number;
}

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function render(report: Report, format: Format, opts: RenderOptions = {}): string {
  switch (format) {
    case "text":
      return redactDocument(renderText(report, { color: opts.color, maxFindings: opts.maxFindings }));
    case "json":
      return redactDocument(renderJson(report));
    case "markdown": {
      let out = redactDocument(renderMarkdown(report, { maxBytes: opts.maxBytes }));
      // markdown.ts measures redacted text, so this never triggers in practice;
      // the size promise holds even if it did.
      if (opts.maxBytes !== undefined && Buffer.byteLength(out, "utf8") > opts.maxBytes) {
        const over = Buffer.byteLength(out, "utf8") - opts.maxBytes;
        out = redactDocument(renderMarkdown(report, { maxBytes: Math.max(0, opts.maxBytes - over) }));
        if (Buffer.byteLength(out, "utf8") > opts.maxBytes) out = "";
      }
      return out;
    }
    case "junit":
      return redactDocument(renderJunit(report));
    case "prometheus":
      return redactDocument(renderPrometheus(report));
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
