// JUnit XML: one <testsuite> per service, one <testcase> per check.
// fail -> <failure>, unknown -> <error type="<reason>">, skipped -> <skipped/>, warn passes with <system-out>.
import { redact } from "../core/secrets.js";
import { worstFirst } from "../engine/score.js";
import type { CheckReport, Report } from "../engine/types.js";
import { formatMeasured, formatNumber, undecidedPoints } from "./format.js";
import { findingText } from "./text.js";

/**
 * Characters XML 1.0 forbids (C0 controls but tab/LF/CR, FFFE/FFFF, lone surrogates) and the
 * discouraged DEL/C1 controls: removed, not escaped (&#1; is not well-formed either).
 */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element text: redacted, invalid characters removed, & < > escaped. */
export function xmlText(text: string): string {
  return redact(text)
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Attribute value (double-quoted): as text, plus quotes and whitespace kept as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

interface Suite {
  name: string;
  checks: CheckReport[];
}

function suites(report: Report): Suite[] {
  const byName = new Map<string, CheckReport[]>();
  for (const s of report.services) byName.set(s.name, []);
  for (const c of report.checks) {
    const list = byName.get(c.service) ?? [];
    list.push(c);
    byName.set(c.service, list);
  }
  return [...byName].map(([name, checks]) => ({ name, checks: worstFirst(checks) }));
}

function counts(checks: CheckReport[]) {
  return {
    tests: checks.length,
    failures: checks.filter((c) => c.status === "fail").length,
    errors: checks.filter((c) => c.status === "unknown").length,
    skipped: checks.filter((c) => c.status === "skipped").length,
    time: seconds(checks.reduce((t, c) => t + (c.durationMs || 0), 0)),
  };
}

function details(c: CheckReport): string {
  const lines = [c.summary];
  if (c.measured) lines.push(`measured ${formatMeasured(c.measured)}`);
  const lost = c.points.possible - c.points.earned;
  if (lost > 0) lines.push(`points: cost ${formatNumber(lost)} of ${formatNumber(c.points.possible)} (score ${formatNumber(c.points.earned)}/${formatNumber(c.points.possible)})`);
  for (const f of c.findings ?? []) lines.push(`- ${findingText(f)}`);
  if (c.docs) lines.push(`docs: ${c.docs}`);
  return lines.join("\n");
}

export function renderJunit(report: Report): string {
  const all = counts(report.checks);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites${attrs({
      name: "standby",
      tests: all.tests,
      failures: all.failures,
      errors: all.errors,
      skipped: all.skipped,
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    })}>`,
  );
  for (const suite of suites(report)) {
    const n = counts(suite.checks);
    const service = report.services.find((s) => s.name === suite.name);
    out.push(
      `  <testsuite${attrs({
        name: suite.name,
        tests: n.tests,
        failures: n.failures,
        errors: n.errors,
        skipped: n.skipped,
        time: n.time,
        timestamp: report.startedAt,
      })}>`,
    );
    const props: Record<string, string | number> = { "standby.status": report.status, "standby.score": report.score, "standby.points.undecided": undecidedPoints(report) };
    if (service) {
      props["standby.service.status"] = service.status;
      props["standby.service.score"] = service.score;
    }
    out.push("    <properties>");
    for (const [name, value] of Object.entries(props)) out.push(`      <property${attrs({ name, value })}/>`);
    out.push("    </properties>");
    for (const c of suite.checks) out.push(...testcase(c));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

function testcase(c: CheckReport): string[] {
  const open = `    <testcase${attrs({ classname: `standby.${c.service}`, name: c.id, time: seconds(c.durationMs) })}`;
  const message = `[${c.severity}] ${c.summary}`;
  switch (c.status) {
    case "pass":
      return [`${open}/>`];
    case "skipped":
      return [`${open}>`, `      <skipped${attrs({ message: c.summary })}/>`, "    </testcase>"];
    case "fail":
      return [
        `${open}>`,
        `      <failure${attrs({ message, type: "fail" })}>${xmlText(details(c))}</failure>`,
        "    </testcase>",
      ];
    case "unknown":
      return [
        `${open}>`,
        `      <error${attrs({ message, type: c.reason ?? "error" })}>${xmlText(details(c))}</error>`,
        "    </testcase>",
      ];
    case "warn":
      return [
        `${open}>`,
        `      <system-out>${xmlText(`WARN (${c.severity}): ${details(c)}`)}</system-out>`,
        "    </testcase>",
      ];
  }
}
