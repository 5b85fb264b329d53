// What the history knows, folded record by record: each check's last run, when each of its
// current problems was first seen, and each service's last status. `scan` builds it from the
// file once; `watch` builds it at start and then keeps it up to date in memory.
import { clip } from "../report/format.js";
import { findingFingerprint, problemFindings, problemKeys, statusKey, type CheckEntry, type HistoryRecord } from "./record.js";
import type { CheckReport, Comparison, ComparisonItem, OverallStatus, Report } from "../engine/types.js";

export interface LastRun {
  at: string;
  entry: CheckEntry;
}

export class HistoryState {
  lastAt: string | null = null;
  readonly lastRun = new Map<string, LastRun>();
  /** check id -> problem key -> first seen (ISO), for the problems of the current streak */
  readonly firstSeen = new Map<string, Map<string, string>>();
  readonly services = new Map<string, OverallStatus>();
  records = 0;

  static from(records: readonly HistoryRecord[]): HistoryState {
    const s = new HistoryState();
    for (const r of records) s.apply(r);
    return s;
  }

  apply(r: HistoryRecord): void {
    this.records += 1;
    if (!this.lastAt || Date.parse(r.at) >= Date.parse(this.lastAt)) this.lastAt = r.at;
    for (const e of r.checks) {
      const prev = this.lastRun.get(e.id);
      if (prev && Date.parse(prev.at) > Date.parse(r.at)) continue; // out of order: older than what we know
      this.lastRun.set(e.id, { at: r.at, entry: e });
      const before = this.firstSeen.get(e.id) ?? new Map<string, string>();
      const now = new Map<string, string>();
      for (const k of problemKeys(e)) now.set(k, before.get(k) ?? r.at);
      // A run that could not decide says nothing about the findings: their streak goes on.
      if (e.st === "unknown" || e.st === "skipped") {
        for (const [k, v] of before) if (!k.startsWith("status:") && !now.has(k)) now.set(k, v);
      }
      if (now.size > 0) this.firstSeen.set(e.id, now);
      else this.firstSeen.delete(e.id);
    }
    for (const [name, st] of Object.entries(r.svc ?? {})) this.services.set(name, st);
  }
}

/**
 * Adds `firstSeen` to each problem finding and `comparison` (new / resolved / persisting problems
 * against each check's previous run) to a report. Returns a new report; the input is not changed.
 */
export function annotateReport(report: Report, state: HistoryState, opts: { compare?: boolean } = {}): Report {
  const items = { new: [] as ComparisonItem[], resolved: [] as ComparisonItem[], persisting: [] as ComparisonItem[] };
  const checks = report.checks.map((c) => annotateCheck(c, state, report.startedAt, items));
  const out: Report = { ...report, checks };
  if (opts.compare !== false && state.lastAt) {
    const comparison: Comparison = { previousAt: state.lastAt, ...items };
    out.comparison = comparison;
  }
  return out;
}

export function annotateCheck(c: CheckReport, state: HistoryState, at: string, items?: { new: ComparisonItem[]; resolved: ComparisonItem[]; persisting: ComparisonItem[] }): CheckReport {
  const seen = state.firstSeen.get(c.id);
  const prev = state.lastRun.get(c.id);
  const prevKeys = new Set(prev ? problemKeys(prev.entry) : []);
  const problems = new Set(problemFindings(c));
  const current = new Set<string>();
  const findings = (c.findings ?? []).map((f) => {
    if (!problems.has(f)) return f;
    const fp = findingFingerprint(c.id, f);
    current.add(fp);
    const firstSeen = seen?.get(fp) ?? at;
    const item: ComparisonItem = { check: c.id, service: c.service, fingerprint: fp, firstSeen, message: clip(findingLabel(f), 200) };
    if (f.path !== undefined) item.path = f.path;
    if (f.change !== undefined) item.change = f.change;
    items?.[prevKeys.has(fp) ? "persisting" : "new"].push(item);
    return { ...f, firstSeen };
  });
  if (current.size === 0 && (c.status === "fail" || c.status === "warn" || c.status === "unknown")) {
    const key = statusKey(c.status, c.reason);
    current.add(key);
    items?.[prevKeys.has(key) ? "persisting" : "new"].push({ check: c.id, service: c.service, fingerprint: key, firstSeen: seen?.get(key) ?? at, message: clip(`${c.status}${c.reason ? ` (${c.reason})` : ""}: ${c.summary}`, 200) });
  }
  if (items && prev) {
    for (const k of prevKeys) {
      if (current.has(k)) continue;
      // An undecided run does not resolve the findings it could not look at.
      if ((c.status === "unknown" || c.status === "skipped") && !k.startsWith("status:")) continue;
      const item: ComparisonItem = { check: c.id, service: c.service, fingerprint: k, lastSeen: prev.at, message: k.startsWith("status:") ? `was ${k.slice(7).replace(":", " (")}${k.split(":").length > 2 ? ")" : ""}` : "a finding of the previous run" };
      const fs = seen?.get(k);
      if (fs) item.firstSeen = fs;
      items.resolved.push(item);
    }
  }
  return { ...c, findings };
}

function findingLabel(f: { path?: string; change?: string; message?: string }): string {
  if (f.path !== undefined) return `${f.path}: ${f.change ?? "changed"}`;
  return String(f.message ?? "");
}
