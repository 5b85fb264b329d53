// Snapshots for the TUI tests: results shaped like the real kinds' (drift findings, certificate
// chains, lag readings, the DNS breakdown), points and statuses from the real scoring code.
process.env.TZ = "UTC"; // clock times in frames are local times
import { makeCheck, makeReport, ordersConfigDriftFail } from "../fixtures/reports.js";
import type { CheckReport } from "../../src/engine/types.js";
import type { LiveSource } from "../../src/tui/app.js";
import type { CheckRow, Snapshot } from "../../src/tui/model.js";

export const NOW = Date.parse("2026-11-25T12:00:00Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const H = 3_600_000;

export function results(): CheckReport[] {
  return [
    makeCheck({
      ...ordersConfigDriftFail,
      summary: "3 drifts: 2 changed, 1 weaker",
      findings: [
        { message: "capacity.maxSize weaker", path: "capacity.maxSize", change: "weaker", primary: 24, standby: 8, rule: "at-least", why: "standby capacity must be at least the primary's", firstSeen: ago(26 * H) },
        {
          message: "listener paired by port 443 only: the standby's policy predates TLS 1.3, so clients that require TLS 1.3 fail the handshake after failover",
          path: "tls.policy",
          change: "changed",
          primary: "TLS13-1-2-2021-06",
          standby: "TLS-1-0-2015-04",
          firstSeen: ago(2 * H),
        },
        {
          message: "queues.deadLetter on standby still holds the primary's own value",
          path: "queues.deadLetter",
          change: "changed",
          primary: "arn:aws:sqs:us-east-1:111:dlq-use1",
          standby: "arn:aws:sqs:us-east-1:111:dlq-use1",
          expected: "arn:aws:sqs:us-west-2:222:dlq-usw2",
        },
      ],
      evidence: { compared: 41, changed: 2, weaker: 1, missing: 0, extra: 0, substitutedVars: ["region"] },
    }),
    makeCheck({
      id: "orders-db-lag",
      service: "orders",
      kind: "replication-lag",
      severity: "critical",
      status: "warn",
      summary: "standby replays 4m12s behind primary (limit 5m, warns at 4m)",
      measured: { value: 252, unit: "s", limit: 300, warnAt: 240 },
      evidence: { bytesBehind: 3_145_728, bytesBehindReceive: 1024, maxBytes: null, lagBasis: "last-replayed-commit", lagIsLowerBound: false },
    }),
    makeCheck({
      id: "orders-tls",
      service: "orders",
      kind: "tls-certificate",
      severity: "high",
      status: "fail",
      summary: "standby localhost:8443: leaf \"localhost\" expires in 5d",
      measured: { value: 5, unit: "d", limit: 14, warnAt: 28 },
      evidence: {
        thresholds: { warnMs: 28 * 86_400_000, failMs: 14 * 86_400_000 },
        primary: { target: "localhost:443", name: "localhost", addresses: [{ address: "127.0.0.1", protocol: "TLSv1.3", verified: true, verifyError: null, nameMatch: true, chain: [{ role: "leaf", subject: "CN=orders.primary", notAfter: "2027-06-01T00:00:00.000Z", daysLeft: 188 }, { role: "root", subject: "CN=Demo Root", notAfter: "2036-01-01T00:00:00.000Z", daysLeft: 3324 }] }], errors: [] },
        standby: { target: "localhost:8443", name: "localhost", addresses: [{ address: "127.0.0.1", protocol: "TLSv1.3", verified: true, verifyError: null, nameMatch: true, chain: [{ role: "leaf", subject: "CN=orders.standby", notAfter: "2026-11-30T00:00:00.000Z", daysLeft: 5 }] }], errors: [] },
      },
    }),
    makeCheck({
      id: "edge-dns",
      service: "edge",
      kind: "dns-failover",
      severity: "high",
      status: "fail",
      summary: "failover in ~20m (detection 3m + TTL 15m + client caching 2m), over the 15m budget",
      measured: { value: 1200, unit: "s", limit: 900, warnAt: 720 },
      evidence: { name: "api.example.test", breakdown: { detectionMs: 180_000, detection: "3 x 1m", ttlMs: 900_000, clientCachingMs: 120_000, estimateMs: 1_200_000, negativeTtlMs: 300_000, negativeEstimateMs: 600_000, limitMs: 900_000, limitFrom: "objectives.rto" } },
    }),
    makeCheck({ id: "edge-cache", service: "edge", kind: "cache-age", severity: "medium", status: "pass", summary: "body timestamp 40s old (limit 5m (RPO))" }),
    makeCheck({ id: "orders-drill", service: "orders", kind: "drill-recency", severity: "medium", status: "unknown", reason: "unreachable", summary: "last drill: drill record drill.txt does not exist" }),
    // A kind nobody wrote a view for, with odd evidence: the generic rendering must cope.
    makeCheck({ id: "odd-kind", service: "edge", kind: "future-kind", severity: "low", status: "pass", summary: "fine", evidence: { nested: { list: [1, { deep: "x\u001b[31mred" }], empty: [] }, flag: true } }),
  ];
}

export function rowsOf(checks: CheckReport[], running: string[] = []): CheckRow[] {
  return checks.map((c) => ({ id: c.id, service: c.service, kind: c.kind, title: c.title, severity: c.severity, result: c, running: running.includes(c.id), queued: false, runs: 1, lastRunAt: ago(60_000), nextRunAt: null }));
}

export function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  const checks = results();
  return {
    configFile: "standby.yml",
    minScore: 80,
    rows: rowsOf(checks),
    report: makeReport(checks),
    lastScanAt: ago(60_000),
    lastScanMs: 840,
    nextRun: { at: new Date(NOW + 14 * H).toISOString(), what: "orders-db-lag" },
    refreshMs: 30_000,
    trend: [100, 90, 80, 72, 60, 45],
    readings: { "orders-db-lag": [10, 30, 120, 200, 252].map((v, i) => ({ at: ago((5 - i) * H), status: v >= 240 ? ("warn" as const) : ("pass" as const), value: v })) },
    problemSince: { "orders-app-config": ago(26 * H), "orders-db-lag": ago(3 * H), "orders-tls": ago(49 * H), "edge-dns": ago(10 * 60_000), "orders-drill": ago(90_000) },
    notes: [],
    historyFile: null,
    ...extra,
  };
}

/** A LiveSource over a fixed (but replaceable) snapshot that records what the keys asked for. */
export class FakeSource implements LiveSource {
  private listeners = new Set<() => void>();
  readonly reruns: string[] = [];
  runAlls = 0;
  constructor(public snap: Snapshot = snapshot()) {}
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = () => this.snap;
  rerun = (id: string) => this.reruns.push(id);
  runAll = () => (this.runAlls += 1);
  set(snap: Snapshot): void {
    this.snap = snap;
    for (const l of this.listeners) l();
  }
}
