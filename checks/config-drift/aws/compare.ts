// Pairs the two sides' configuration items and judges each pair with the effective rules
// (judge.ts). Items that are deleted or not recorded are never compared as current.
// Streaming: batches from src/probes/aws-config arrive side by side and are paired as they come
// (pairing.ts); a judged pair is dropped at once, only findings are kept.
import { verdict, type CheckOutcome, type Finding, type Side, type Undecided } from "../../../src/kit/index.js";
import { type ConfigItem, displayName, identity, type ItemBatch, type SideRead } from "../../../src/probes/aws-config/index.js";
import type { DriftCounts } from "../diff.js";
import type { AwsDriftEvidence } from "../evidence.js";
import { formatPath } from "../paths.js";
import { isGlobalResourceType, PACKS } from "../rules/index.js";
import { AwsJudge } from "./judge.js";
import type { AwsCompareOptions, Pair } from "./options.js";
import { KeyPairer, PositionPairer, type Order } from "./pairing.js";

const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

export interface Ranked {
  order: Order;
  seq: number;
  finding: Finding;
}

/** Which findings a full list keeps: failures, then warnings, then notes, so verdict() sees the worst. */
const KEEP_FIRST = { fail: 0, warn: 1, info: 2 } as const;
function keepRanked(a: Ranked, b: Ranked): number {
  return KEEP_FIRST[a.finding.level ?? "fail"] - KEEP_FIRST[b.finding.level ?? "fail"] || compareRanked(a, b);
}

/** Keeps the first `max` (problems first: the verdict reads them), in report order. */
export function trimRanked(ranked: Ranked[], max: number): void {
  if (ranked.length > max) {
    ranked.sort(keepRanked);
    ranked.length = max;
  }
  ranked.sort(compareRanked);
}

function compareRanked(a: Ranked, b: Ranked): number {
  return a.order.group - b.order.group || a.order.pos - b.order.pos || (a.order.label < b.order.label ? -1 : a.order.label > b.order.label ? 1 : 0) || a.seq - b.seq;
}

/**
 * One check run's comparison, fed batch by batch (add) while the sides are still being read, and
 * summed up once both reads completed (finish).
 */
export class AwsDriftComparison {
  private readonly judge: AwsJudge;
  private readonly pairer: PositionPairer | KeyPairer;
  private readonly counts: DriftCounts = { changed: 0, missing: 0, extra: 0, weaker: 0, accepted: 0, info: 0 };
  private ranked: Ranked[] = [];
  private readonly undecided: string[] = [];
  private pairs = 0;
  private compared = 0;
  private comparedPairs = 0;
  private skippedGlobal = 0;
  private stopped = false;

  constructor(private readonly opts: AwsCompareOptions) {
    this.judge = new AwsJudge(opts);
    const emit = (pair: Pair, order: Order) => this.judgePair(pair, order);
    this.pairer = opts.ids ? new PositionPairer(opts.ids, opts.substituter, emit) : new KeyPairer(opts.pairBy, opts.substituter, emit);
  }

  add(side: Side, batch: ItemBatch): void {
    if (!this.stopped) this.pairer.add(side, batch);
  }

  /** A side failed: the result will be unknown, so stop spending CPU on the other side's items. */
  stop(): void {
    this.stopped = true;
  }

  private push(f: Finding, order: Order, seq: number): void {
    this.ranked.push({ order, seq, finding: f });
    // Keep memory bounded: only the first maxFindings (in report order) can be shown.
    if (this.ranked.length > 4 * this.opts.maxFindings + 64) this.trim();
  }

  private trim(): void {
    trimRanked(this.ranked, this.opts.maxFindings);
  }

  private judgePair(pair: Pair, order: Order): void {
    const opts = this.opts;
    const counts = this.counts;
    this.pairs++;
    const label = formatPath([pair.label]);
    const p = pair.primary;
    const s = pair.standby;
    const notRecorded = [p && p.status === "ResourceNotRecorded" ? `primary ${displayName(p)}` : null, s && s.status === "ResourceNotRecorded" ? `standby ${displayName(s)}` : null].filter(Boolean) as string[];
    if (notRecorded.length > 0) {
      this.undecided.push(...notRecorded.map((w) => `${w} is ResourceNotRecorded`));
      this.push(
        {
          message: `${label}: ${notRecorded.join(" and ")} ${notRecorded.length === 1 ? "is" : "are"} not recorded by AWS Config (ResourceNotRecorded): configuration unknown, not compared`,
          level: "warn",
          path: label,
          rule: "not-recorded",
          why: "items AWS Config does not record have no current configuration",
          ...(p ? { primary: identity(p) } : {}),
          ...(s ? { standby: identity(s) } : {}),
        },
        order,
        0,
      );
      return;
    }
    const pLive = p && !DELETED.has(p.status) ? p : undefined;
    const sLive = s && !DELETED.has(s.status) ? s : undefined;
    if (pLive && sLive) {
      const r = this.judge.diffPair(pLive, sLive, opts.maxFindings);
      this.comparedPairs++;
      this.compared += r.compared;
      for (const k of Object.keys(counts) as Array<keyof DriftCounts>) counts[k] += r.counts[k];
      r.findings.forEach((f, i) => this.push(prefixFinding(f, label), order, i));
      return;
    }
    const one = pLive ?? sLive;
    if (one && isGlobal(one)) {
      this.skippedGlobal++;
      counts.info++;
      this.push(
        {
          message: `${label}: global resource ${one.resourceType} recorded on the ${pLive ? "primary" : "standby"} side only (AWS Config records global resources in one region); not compared`,
          level: "info",
          path: label,
          rule: "global-one-region",
          why: "global resources (IAM) are recorded in one region only",
          ...(pLive ? { primary: identity(pLive) } : { standby: identity(sLive!) }),
        },
        order,
        0,
      );
      return;
    }
    if (!pLive && !sLive) {
      if (p || s) {
        counts.info++;
        this.push({ message: `${label}: deleted on both sides (${[p?.status, s?.status].filter(Boolean).join(", ")}); nothing to compare`, level: "info", path: label, rule: "deleted", why: "deleted resources are not compared" }, order, 0);
      } else {
        counts.missing++;
        this.push({ message: `${label}: found on neither side (${pair.how})`, path: label, change: "missing", rule: "pairing", why: "an explicitly named resource must exist on both sides" }, order, 0);
      }
      return;
    }
    if (pLive) {
      counts.missing++;
      const why = s ? `standby ${displayName(s)} is ${s.status} in AWS Config` : `no standby ${opts.resourceType} (${pair.how})`;
      this.push(
        {
          message: `${label}: ${opts.resourceType} ${displayName(pLive)} is missing on standby: ${why}`,
          path: label,
          change: "missing",
          primary: identity(pLive),
          ...(s ? { standby: identity(s) } : {}),
          rule: s ? "deleted" : "pairing",
          why: s ? "deleted resources are never compared as current" : "every primary resource needs its standby counterpart",
        },
        order,
        0,
      );
    } else {
      counts.extra++;
      const why = p ? `primary ${displayName(p)} is ${p.status} in AWS Config` : `no primary ${opts.resourceType} (${pair.how})`;
      this.push(
        {
          message: `${label}: ${opts.resourceType} ${displayName(sLive!)} exists only on standby: ${why}`,
          path: label,
          change: "extra",
          standby: identity(sLive!),
          ...(p ? { primary: identity(p) } : {}),
          rule: p ? "deleted" : "pairing",
          why: p ? "deleted resources are never compared as current" : "a standby resource without a primary counterpart",
        },
        order,
        0,
      );
    }
  }

  finish(primary: SideRead, standby: SideRead): CheckOutcome<AwsDriftEvidence> {
    this.pairer.finish();
    this.trim();
    const opts = this.opts;
    const counts = this.counts;
    const findings = this.ranked.map((r) => r.finding);
    this.ranked = [];
    const { comparedPairs, compared, skippedGlobal, undecided } = this;
    const drifts = counts.changed + counts.missing + counts.extra + counts.weaker;
    const evidence: AwsDriftEvidence = {
      resourceType: opts.resourceType,
      pairs: this.pairs,
      comparedPairs,
      compared: comparedPairs > 0 ? compared : null,
      ...counts,
      primaryResources: primary.items[0] ?? 0,
      standbyResources: standby.items[0] ?? 0,
      requests: { primary: primary.requests, standby: standby.requests },
      rules: { pack: opts.packs && PACKS[opts.resourceType] ? opts.resourceType : null, total: this.judge.rules.length },
      recorder: { primary: primary.recorder, standby: standby.recorder },
      substitutedVars: opts.substituter ? [...opts.substituter.names] : [],
      ...(skippedGlobal > 0 ? { globalOneSided: skippedGlobal } : {}),
      ...(drifts + counts.info + undecided.length > findings.length ? { findingsShown: findings.length } : {}),
    };
    const infoNote = counts.info > 0 ? `; ${counts.info} informational difference${counts.info === 1 ? "" : "s"}` : "";
    const across = `${comparedPairs} ${opts.resourceType} pair${comparedPairs === 1 ? "" : "s"}`;
    // What could not be compared: with no drift found, the check cannot pass.
    const notComparable: Undecided[] = [];
    if (undecided.length > 0) notComparable.push({ reason: "error", message: `not comparable: ${undecided.join("; ")} (AWS Config holds no current configuration)` });
    else if (this.pairs === 0) notComparable.push({ reason: "error", message: `no ${opts.resourceType} matched on either side: nothing to compare` });
    else if (comparedPairs === 0 && skippedGlobal === 0) notComparable.push({ reason: "error", message: `no ${opts.resourceType} pair could be compared${infoNote}` });
    const passSummary = () =>
      comparedPairs === 0
        ? `no drift: ${skippedGlobal} global ${opts.resourceType} recorded in one region only, shared by both sides${infoNote}`
        : `no drift across ${compared} compared value${compared === 1 ? "" : "s"} in ${across}${infoNote}`;
    const out = verdict({ findings, undecided: notComparable, measured: null, evidence, passSummary });
    if (out.status !== "fail") return out;
    // The summary counts every drift, not only the findings kept.
    const parts = (["changed", "missing", "extra", "weaker"] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
    const undecidedNote = undecided.length > 0 ? `; ${undecided.length} not comparable` : "";
    return { ...out, summary: `${drifts} drift${drifts === 1 ? "" : "s"} across ${across}: ${parts.join(", ")}${infoNote}${undecidedNote}` };
  }
}

function isGlobal(item: ConfigItem): boolean {
  return item.awsRegion === "global" || isGlobalResourceType(item.resourceType);
}

/** `orders-asg-usw2.configuration.maxSize`, message likewise. */
export function prefixFinding(f: Finding, label: string): Finding {
  const inner = f.path ?? "";
  const path = inner.startsWith("[") ? `${label}${inner}` : `${label}.${inner}`;
  const message = f.message.startsWith(inner) ? `${path}${f.message.slice(inner.length)}` : `${label}: ${f.message}`;
  return { ...f, path, message };
}
