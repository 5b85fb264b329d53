// The findings of a paired comparison (AWS Config items, Kubernetes objects), kept bounded while
// pairs are judged one by one: at most maxFindings in the end, problems first (verdict() reads
// them), in report order.
import type { Finding } from "../../src/engine/types.js";
import type { DriftCounts } from "./diff.js";
import type { Order } from "./key-pairer.js";

interface Ranked {
  order: Order;
  seq: number;
  finding: Finding;
}

/** Which findings a full list keeps: failures, then warnings, then notes, so verdict() sees the worst. */
const KEEP_FIRST = { fail: 0, warn: 1, info: 2 } as const;
function keepRanked(a: Ranked, b: Ranked): number {
  return KEEP_FIRST[a.finding.level ?? "fail"] - KEEP_FIRST[b.finding.level ?? "fail"] || compareRanked(a, b);
}

function compareRanked(a: Ranked, b: Ranked): number {
  return a.order.group - b.order.group || a.order.pos - b.order.pos || (a.order.label < b.order.label ? -1 : a.order.label > b.order.label ? 1 : 0) || a.seq - b.seq;
}

export class FindingKeeper {
  private ranked: Ranked[] = [];

  constructor(private readonly maxFindings: number) {}

  push(f: Finding, order: Order, seq: number): void {
    this.ranked.push({ order, seq, finding: f });
    // Keep memory bounded: only the first maxFindings (in report order) can be shown.
    if (this.ranked.length > 4 * this.maxFindings + 64) this.trim();
  }

  /** The findings kept, in report order; the keeper is empty afterwards. */
  take(): Finding[] {
    this.trim();
    const out = this.ranked.map((r) => r.finding);
    this.ranked = [];
    return out;
  }

  /** Keeps the first maxFindings (problems first: the verdict reads them), in report order. */
  private trim(): void {
    if (this.ranked.length > this.maxFindings) {
      this.ranked.sort(keepRanked);
      this.ranked.length = this.maxFindings;
    }
    this.ranked.sort(compareRanked);
  }
}

/** `orders-asg-usw2.configuration.maxSize`, message likewise: a pair's finding named from the pair's label. */
export function prefixFinding(f: Finding, label: string): Finding {
  const inner = f.path ?? "";
  const path = inner.startsWith("[") ? `${label}${inner}` : `${label}.${inner}`;
  const message = f.message.startsWith(inner) ? `${path}${f.message.slice(inner.length)}` : `${label}: ${f.message}`;
  return { ...f, path, message };
}

/** How a paired comparison's summary words its counts, all of them (not only the findings kept). */
export class PairedSummary {
  readonly drifts: number;
  /** "; 2 informational differences", or "". */
  readonly infoNote: string;
  /** "3 AWS::RDS::DBCluster pairs" */
  readonly across: string;

  constructor(
    private readonly counts: DriftCounts,
    comparedPairs: number,
    resourceType: string,
  ) {
    this.drifts = counts.changed + counts.missing + counts.extra + counts.weaker;
    this.infoNote = counts.info > 0 ? `; ${counts.info} informational difference${counts.info === 1 ? "" : "s"}` : "";
    this.across = `${comparedPairs} ${resourceType} pair${comparedPairs === 1 ? "" : "s"}`;
  }

  /** "no drift across 214 compared values in 3 ... pairs; 1 informational difference" */
  pass(compared: number): string {
    return `no drift across ${compared} compared value${compared === 1 ? "" : "s"} in ${this.across}${this.infoNote}`;
  }

  /** "2 drifts across 3 ... pairs: 1 changed, 1 weaker; 1 informational difference" and a suffix. */
  fail(suffix = ""): string {
    const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => this.counts[k] > 0).map((k) => `${this.counts[k]} ${k}`);
    return `${this.drifts} drift${this.drifts === 1 ? "" : "s"} across ${this.across}: ${parts.join(", ")}${this.infoNote}${suffix}`;
  }
}
