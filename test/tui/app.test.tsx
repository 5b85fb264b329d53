// The Ink app through ink-testing-library: frames asserted on content, keys sent as a user would.
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { App } from "../../src/tui/app.js";
import { makeReport } from "../fixtures/reports.js";
import { FakeSource, NOW, rowsOf, results, snapshot } from "./fixtures.js";

const tick = () => new Promise((r) => setTimeout(r, 30));

async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

function mount(opts: { columns?: number; rows?: number; source?: FakeSource; color?: boolean } = {}) {
  const source = opts.source ?? new FakeSource();
  let quit = 0;
  const app = render(<App source={source} onQuit={() => (quit += 1)} color={opts.color ?? false} size={{ columns: opts.columns ?? 80, rows: opts.rows ?? 24 }} now={() => NOW} clockMs={0} spinnerMs={0} />);
  return { ...app, source, quits: () => quit, frame: () => app.lastFrame() ?? "" };
}

const ESC = "\u001b";
const DOWN = "\u001b[B";
const UP = "\u001b[A";

afterEach(() => cleanup());

describe("overview", () => {
  it("shows status, score, breakdown, services, timing and the checks worst first", () => {
    const { frame } = mount();
    const f = frame();
    expect(f).toContain("NOT_READY");
    expect(f).toMatch(/score \d+\/100/);
    expect(f).toContain("(min 80)");
    expect(f).toMatch(/trend [▁▂▃▄▅▆▇█]{6}/); // the sparkline from the history's scores
    expect(f).toMatch(/-10 orders-db-lag|-5 orders-db-lag/); // the breakdown names what cost points
    expect(f).toContain("orders NOT_READY");
    expect(f).toContain("edge NOT_READY");
    expect(f).toContain("last 11:59:00 (840ms)");
    expect(f).toContain("(orders-db-lag)"); // next scheduled run
    expect(f).toContain("refresh 30s");
    const lines = f.split("\n");
    const order = ["edge-dns", "orders-app-config", "orders-tls", "orders-drill", "orders-db-lag", "edge-cache"].map((id) => lines.findIndex((l) => l.includes(id) && /FAIL|UNKN|WARN|PASS/.test(l)));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order); // worst first: fail, unknown, warn, pass
    expect(lines.find((l) => l.includes("orders-app-config") && l.includes("FAIL"))).toContain("1d2h"); // persisted, from history
  });

  it("fits 80x24 exactly and shows kind and measured vs limit columns when wide", () => {
    const narrow = mount({ columns: 80, rows: 24 }).frame().split("\n");
    expect(narrow.length).toBeLessThanOrEqual(24);
    for (const l of narrow) expect(Array.from(l).length).toBeLessThanOrEqual(80);
    cleanup();
    const wide = mount({ columns: 140, rows: 30 }).frame();
    expect(wide).toContain("KIND");
    expect(wide).toContain("MEASURED");
    expect(wide).toContain("4m12s/5m"); // lag against its limit
    expect(wide).toContain("replication-lag");
  });

  it("shows a spinner for running checks and streams results in", async () => {
    const checks = results();
    const source = new FakeSource(snapshot({ rows: rowsOf(checks).map((r, i) => (i === 0 ? { ...r, result: null, running: true } : r)) }));
    const { frame } = mount({ source });
    expect(frame()).toMatch(/⠋ WAIT .*orders-app-config/);
    expect(frame()).toContain("running 1");
    source.set(snapshot());
    await tick();
    expect(frame()).toMatch(/✗ FAIL .*orders-app-config/);
    expect(frame()).not.toContain("running 1");
  });

  it("with color off (NO_COLOR) sets no color and still says every status in words", () => {
    const plain = mount({ color: false, columns: 100, rows: 30 }).frame();
    expect(plain).not.toMatch(/\u001b\[(3|9)\dm/);
    for (const w of ["FAIL", "WARN", "UNKN", "PASS", "NOT_READY"]) expect(plain).toContain(w);
  });
});

describe("keys", () => {
  it("j/k and arrows move the selection; enter drills down; esc goes back", async () => {
    const { stdin, frame } = mount({ columns: 100, rows: 30 });
    expect(frame()).toMatch(/› ✗ FAIL .*edge-dns/);
    await press(stdin, "j");
    expect(frame()).toMatch(/› ✗ FAIL .*orders-app-config/);
    await press(stdin, DOWN, DOWN);
    expect(frame()).toMatch(/› \? UNKN .*orders-drill/);
    await press(stdin, "k", UP, "k");
    expect(frame()).toMatch(/› ✗ FAIL .*edge-dns/);
    await press(stdin, "j", "\r");
    const d = frame();
    expect(d).toContain("Drift: 3 findings (2 changed, 1 weaker)");
    expect(d).toContain("PRIMARY");
    expect(d).toMatch(/capacity\.maxSize\s+weaker/);
    expect(d).toMatch(/24\s+│ 8/); // side by side
    expect(d).toContain("rule: standby capacity must be at least the primary's");
    expect(d).toMatch(/TLS13-1-2-2021-06".*│ "TLS-1-0-2015-04"/);
    // A message that says more than path and values is shown whole, wrapped, not clipped.
    const flat = d.replace(/\s+/g, " ");
    expect(flat).toContain("listener paired by port 443 only: the standby's policy predates TLS 1.3, so clients that require TLS 1.3 fail the handshake after failover");
    expect(d).not.toContain("still holds the primary's own value"); // only restates path and values
    // Both sides show the same ARN; the row below says what the standby should hold.
    expect(d).toMatch(/"arn:aws:sqs:us-east-1:111:dlq-use1"\s+│ "arn:aws:sqs:us-east-1:111:dlq-use1"/);
    expect(d).toMatch(/expected on standby\s+│ "arn:aws:sqs:us-west-2:222:dlq-usw2"/);
    await press(stdin, ESC);
    await new Promise((r) => setTimeout(r, 100));
    expect(frame()).toContain("STAT");
    expect(frame()).not.toContain("Drift: 2 findings");
  });

  it("/ filters by id, kind, service or text; enter keeps, esc clears", async () => {
    const { stdin, frame } = mount();
    await press(stdin, "/", "d", "n", "s");
    expect(frame()).toContain("/dns█");
    expect(frame()).toContain("edge-dns");
    expect(frame()).not.toMatch(/FAIL .*orders-app-config/);
    await press(stdin, "\r");
    expect(frame()).toContain('filter "dns"');
    await press(stdin, "/", ESC);
    await new Promise((r) => setTimeout(r, 100));
    expect(frame()).toContain("orders-app-config");
    // By service, and by summary text; a burst of keys works like typing.
    await press(stdin, "/edge\r");
    expect(frame()).toContain("edge-cache");
    expect(frame()).not.toMatch(/orders-tls/);
  });

  it("f shows failures only; s cycles the sort", async () => {
    const { stdin, frame } = mount({ columns: 100, rows: 30 });
    await press(stdin, "f");
    expect(frame()).toContain("failures only");
    expect(frame()).not.toContain("edge-cache");
    expect(frame()).toContain("orders-db-lag"); // warn counts
    await press(stdin, "f", "s");
    expect(frame()).toContain("sort id");
    const lines = frame().split("\n").filter((l) => /(PASS|FAIL|WARN|UNKN) /.test(l));
    expect(lines[0]).toContain("edge-cache");
    await press(stdin, "s", "s", "s");
    expect(frame()).toContain("sort persisting");
    const p = frame().split("\n").filter((l) => /(PASS|FAIL|WARN|UNKN) /.test(l));
    expect(p[0]).toContain("orders-tls"); // the oldest problem first
  });

  it("? lists every key; any key closes it; q quits", async () => {
    const { stdin, frame, quits } = mount({ rows: 30 });
    await press(stdin, "?");
    const h = frame();
    for (const k of ["k j", "enter", "esc", "/", "f", "s", "r", "R", "q"]) expect(h).toContain(k);
    expect(h).toContain("re-run every check");
    await press(stdin, "x");
    expect(frame()).not.toContain("re-run every check");
    await press(stdin, "q");
    expect(quits()).toBe(1);
  });

  it("r re-runs the selected check, R all of them", async () => {
    const { stdin, source } = mount();
    await press(stdin, "j", "r", "R");
    expect(source.reruns).toEqual(["orders-app-config"]);
    expect(source.runAlls).toBe(1);
  });

  it("Ctrl-C quits like q", async () => {
    const { stdin, quits } = mount();
    await press(stdin, "\u0003");
    expect(quits()).toBe(1);
  });
});

describe("drill-down views", () => {
  async function open(id: string, size = { columns: 100, rows: 40 }) {
    const m = mount(size);
    await press(m.stdin, "/", ...id, "\r", "\r");
    return m;
  }

  it("certificates: the chain of each side with each expiry", async () => {
    const f = (await open("orders-tls")).frame();
    expect(f).toContain("Certificate chains (warn under 28d, fail under 14d)");
    expect(f).toContain("orders.primary");
    expect(f).toContain("Demo Root");
    expect(f).toMatch(/orders\.standby.*2026-11-30.*5d left/);
    expect(f).toMatch(/root .*3324d left|root .*Demo Root/);
  });

  it("lag: time and byte lag against the RPO, with recent readings from the history", async () => {
    const f = (await open("orders-db-lag")).frame();
    expect(f).toContain("Replication lag against the RPO");
    expect(f).toMatch(/time lag .*4m12s of 5m \(84%\)/);
    expect(f).toContain("3.0 MiB behind · 1.0 KiB not yet received");
    expect(f).toContain("Recent readings (5, from the history)");
    expect(f).toMatch(/trend +[▁▂▃▄▅▆▇█]{5}/);
  });

  it("DNS: the switch-time breakdown against the RTO", async () => {
    const f = (await open("edge-dns")).frame();
    expect(f).toContain("DNS failover time against the RTO");
    expect(f).toMatch(/detection .*3m .*3 x 1m/);
    expect(f).toMatch(/TTL .*15m/);
    expect(f).toMatch(/= estimate .*20m .*OVER the budget/);
    expect(f).toMatch(/budget .*15m .*objectives\.rto/);
  });

  it("an unknown kind gets the generic evidence view, control characters made harmless", async () => {
    const f = (await open("odd-kind")).frame();
    expect(f).toContain("Evidence");
    expect(f).toContain("nested.list[1].deep");
    expect(f).not.toContain("\u001b[31mred");
    expect(f).toContain("\\u001b[31mred");
  });

  it("an unknown drift check's page says it was not compared and why, never 'Drift: 0 findings'", async () => {
    const checks = results().map((c) =>
      c.id === "orders-app-config" ? { ...c, status: "unknown" as const, reason: "timeout" as const, summary: "standby http://127.0.0.1:9/app.json: timed out after 3s", findings: [], evidence: undefined } : c,
    );
    const source = new FakeSource(snapshot({ rows: rowsOf(checks), report: makeReport(checks) }));
    const m = mount({ source, columns: 100, rows: 40 });
    await press(m.stdin, "/app-config\r\r");
    const f = m.frame();
    expect(f).toContain("UNKNOWN (timeout)");
    expect(f).toContain("Not compared (timeout)");
    expect(f).toContain("did not finish in time: standby http://127.0.0.1:9/app.json: timed out after 3s");
    expect(f).not.toContain("Drift:");
    expect(f).not.toMatch(/\b0 findings/);
  });

  it("a view fed evidence of the wrong shape falls back instead of crashing", async () => {
    const checks = results().map((c) => (c.id === "orders-tls" ? { ...c, evidence: { primary: { addresses: "not-a-list" }, standby: 42 } } : c));
    const source = new FakeSource(snapshot({ rows: rowsOf(checks) }));
    const m = mount({ source, columns: 100, rows: 40 });
    await press(m.stdin, "/tls\r\r");
    expect(m.frame()).toContain("orders-tls");
    expect(m.frame()).toContain("Evidence");
  });

  it("scrolls long evidence with j/k in the details", async () => {
    const m = await open("orders-tls", { columns: 80, rows: 24 });
    const first = m.frame();
    expect(first).toMatch(/lines 1-\d+ of \d+/);
    await press(m.stdin, "j", "j", "j");
    expect(m.frame()).toMatch(/lines 4-\d+ of \d+/);
    await press(m.stdin, "g");
    expect(m.frame()).toMatch(/lines 1-/);
  });
});
