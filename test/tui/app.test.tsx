// The Ink app through ink-testing-library: frames asserted on content, keys sent as a user would.
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { App } from "../../src/tui/app.js";
import { makeCheck, makeReport } from "../fixtures/reports.js";
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
    expect(d).toContain("[at-least: standby capacity must be at least the primary's]");
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

  it("a key that arrives before the handler of the new page is subscribed still scrolls it", async () => {
    const m = mount({ columns: 80, rows: 24 });
    await press(m.stdin, "/", ..."orders-tls", "\r");
    // Same tick: Ink still calls the list's handler, whose page length was that of no page.
    m.stdin.write("\r");
    m.stdin.write("j");
    await expect.poll(() => m.frame()).toMatch(/lines 2-\d+ of \d+/);
  });

  it("scrolls long evidence with j/k in the details", async () => {
    const m = await open("orders-tls", { columns: 80, rows: 24 });
    const first = m.frame();
    expect(first).toMatch(/lines 1-\d+ of \d+/);
    await press(m.stdin, "j", "j", "j");
    // Polled: on a loaded machine the third key's frame can land after the 30 ms between keys.
    await expect.poll(() => m.frame()).toMatch(/lines 4-\d+ of \d+/);
    await press(m.stdin, "g");
    await expect.poll(() => m.frame()).toMatch(/lines 1-/);
  });
});

/** The check ids of the list rows on screen, top to bottom. */
function listed(frame: string): string[] {
  return frame
    .split("\n")
    .filter((l) => /^[ ›] \S (FAIL|WARN|UNKN|PASS|SKIP|WAIT) /.test(l))
    .map((l) => /^[ ›] \S \S+ +\S+ +(\S+)/.exec(l)![1]!);
}

/** The last line on screen: the footer. */
const footerOf = (frame: string): string => frame.trimEnd().split("\n").at(-1)!;

describe("filter at 3 AM", () => {
  it("esc in the list clears an applied filter (and failures only); / starts a new filter", async () => {
    const { stdin, frame } = mount({ columns: 100, rows: 30 });
    await press(stdin, "/dns\r");
    expect(listed(frame())).toEqual(["edge-dns"]);
    expect(footerOf(frame())).toContain('filter "dns"');
    await press(stdin, ESC);
    await expect.poll(() => listed(frame())).toHaveLength(7);
    expect(footerOf(frame())).not.toContain('filter "');
    // `/` does not append to the last filter: it starts over.
    await press(stdin, "/tls\r", "/");
    expect(footerOf(frame())).toMatch(/^\/█/);
    await press(stdin, "drill\r");
    expect(footerOf(frame())).toContain('filter "drill"');
    expect(listed(frame())).toEqual(["orders-drill"]);
    // esc also turns failures only off: every check again.
    await press(stdin, ESC);
    await expect.poll(() => footerOf(frame())).not.toContain('filter "');
    await press(stdin, "f");
    expect(listed(frame())).not.toContain("edge-cache");
    await press(stdin, ESC);
    await expect.poll(() => listed(frame())).toContain("edge-cache");
    expect(footerOf(frame())).not.toContain("failures only");
  });

  it("status and severity words match the status and the severity, not text that contains them", async () => {
    const checks = [...results(), makeCheck({ id: "edge-failover-drill", service: "edge", kind: "drill-recency", severity: "info", status: "pass", summary: "failover rehearsed 3d ago, nothing failed" })];
    const source = new FakeSource(snapshot({ rows: rowsOf(checks), report: makeReport(checks) }));
    const { stdin, frame } = mount({ source, columns: 100, rows: 30 });
    const filter = async (text: string): Promise<string[]> => {
      await press(stdin, "/", text, "\r");
      return listed(frame()).sort();
    };
    expect(await filter("fail")).toEqual(["edge-dns", "orders-app-config", "orders-tls"]);
    expect(await filter("FAIL")).toEqual(["edge-dns", "orders-app-config", "orders-tls"]);
    expect(await filter("warn")).toEqual(["orders-db-lag"]);
    expect(await filter("unknown")).toEqual(["orders-drill"]);
    expect(await filter("unkn")).toEqual(["orders-drill"]);
    expect(await filter("pass")).toEqual(["edge-cache", "edge-failover-drill", "odd-kind"]);
    expect(await filter("critical")).toEqual(["orders-db-lag"]);
    expect(await filter("crit")).toEqual(["orders-db-lag"]);
    expect(await filter("high")).toEqual(["edge-dns", "orders-app-config", "orders-tls"]);
    expect(await filter("medium")).toEqual(["edge-cache", "orders-drill"]);
    expect(await filter("info")).toEqual(["edge-failover-drill"]);
    // Words combine with each other and with text; any other word is still text.
    expect(await filter("orders fail")).toEqual(["orders-app-config", "orders-tls"]);
    expect(await filter("edge high fail")).toEqual(["edge-dns"]);
    expect(await filter("failover")).toEqual(["edge-dns", "edge-failover-drill"]);
    expect(await filter("unreachable")).toEqual(["orders-drill"]); // an unknown's reason
  });
});

describe("footer and position", () => {
  it("keeps `? help` and `q quit` at 80 columns and narrower, dropping other hints first", async () => {
    for (const columns of [80, 60, 40, 30]) {
      const { stdin, frame } = mount({ columns, rows: 24 });
      const check = (): void => {
        const f = footerOf(frame());
        expect(f, `at ${columns} columns`).toContain("? help");
        expect(f, `at ${columns} columns`).toContain("q quit");
        expect(Array.from(f).length).toBeLessThanOrEqual(columns);
      };
      check();
      // With every piece of state on (a long filter, failures only), and in the details.
      await press(stdin, "f", "/", "orders edge high fail critical warn unknown tls dns lag drill config", "\r");
      check();
      await press(stdin, ESC);
      await expect.poll(() => footerOf(frame())).not.toContain("failures only");
      await press(stdin, "\r");
      await expect.poll(() => frame()).toMatch(/lines 1-/);
      check();
      cleanup();
    }
    // Wide enough, every hint is there.
    const wide = footerOf(mount({ columns: 140, rows: 24 }).frame());
    for (const h of ["↑↓ move", "enter details", "/ filter", "f failures", "s sort", "r/R re-run", "? help", "q quit"]) expect(wide).toContain(h);
  });

  it("the least useful hints go first; the filter is clipped before it would go", async () => {
    const { stdin, frame } = mount({ columns: 80, rows: 24 });
    const f = footerOf(frame());
    expect(f).toContain("enter details");
    expect(f).toContain("/ filter");
    expect(f).not.toContain("r/R re-run");
    // With a filter on: how to clear it and how to open a row outlast the sort and the other keys.
    await press(stdin, "/fail\r");
    const h = footerOf(frame());
    expect(h).toMatch(/^1\/3 \(of 7\) filter "fail" +esc clear · enter details · .*\? help · q quit$/);
    expect(h).not.toContain("↑↓ move");
    await press(stdin, "/", "a-very-long-filter-that-would-never-fit-in-the-footer-of-this-terminal", "\r");
    const g = footerOf(frame());
    expect(g).toMatch(/filter "a-very-long-filter.*…"/);
    expect(g).toMatch(/\? help · q quit$/);
  });

  it("shows the selected row's position among the visible rows: 12/340", async () => {
    const { stdin, frame } = mount({ columns: 100, rows: 30 });
    expect(footerOf(frame())).toMatch(/^1\/7 /);
    await press(stdin, "j", "j");
    expect(footerOf(frame())).toMatch(/^3\/7 /);
    await press(stdin, "G");
    expect(footerOf(frame())).toMatch(/^7\/7 /);
    // Filtered: the position among what is shown, and how many there are in all.
    await press(stdin, "/orders\r");
    expect(footerOf(frame())).toMatch(/^1\/4 \(of 7\) filter "orders"/);
    await press(stdin, "j");
    expect(footerOf(frame())).toMatch(/^2\/4 /);
    await press(stdin, "/nothing-matches\r");
    expect(footerOf(frame())).toMatch(/^0\/0 \(of 7\)/);
  });

  it("scrolls a long list with the selection and counts past the screen", async () => {
    const many = Array.from({ length: 340 }, (_, i) => makeCheck({ id: `svc-${i + 1}`, service: "bulk", kind: "cache-age", severity: "low", status: "pass" }));
    const source = new FakeSource(snapshot({ rows: rowsOf(many), report: makeReport(many), problemSince: {}, readings: {} }));
    const { stdin, frame } = mount({ source, columns: 80, rows: 24 });
    await press(stdin, "j".repeat(11));
    expect(footerOf(frame())).toMatch(/^12\/340 /);
    expect(frame()).toMatch(/› ✓ PASS .*svc-12 /);
    await press(stdin, "G");
    expect(footerOf(frame())).toMatch(/^340\/340 /);
    expect(frame()).toMatch(/› ✓ PASS .*svc-340 /);
  });
});

describe("natural order of ids", () => {
  const ids = ["db-20", "db-4", "db-100", "db-3", "cache-10", "cache-9"];
  const checks = () => ids.map((id) => makeCheck({ id, service: id.startsWith("db") ? "svc-10" : "svc-9", kind: "cache-age", severity: "medium", status: "pass" }));

  it("lists a-4 before a-20 in the worst-first sort (ties), the id sort and the service sort", async () => {
    const source = new FakeSource(snapshot({ rows: rowsOf(checks()), report: makeReport(checks()), problemSince: {}, readings: {} }));
    const { stdin, frame } = mount({ source, columns: 100, rows: 30 });
    expect(listed(frame())).toEqual(["cache-9", "cache-10", "db-3", "db-4", "db-20", "db-100"]);
    await press(stdin, "s");
    expect(footerOf(frame())).toContain("sort id");
    expect(listed(frame())).toEqual(["cache-9", "cache-10", "db-3", "db-4", "db-20", "db-100"]);
    await press(stdin, "s");
    expect(footerOf(frame())).toContain("sort service");
    expect(listed(frame())).toEqual(["cache-9", "cache-10", "db-3", "db-4", "db-20", "db-100"]); // svc-9 before svc-10
  });

  it("orders the header's point costs naturally too", () => {
    const failing = ["lag-20", "lag-4", "lag-100"].map((id) => makeCheck({ id, service: "db", kind: "replication-lag", severity: "high", status: "fail" }));
    const source = new FakeSource(snapshot({ rows: rowsOf(failing), report: makeReport(failing), problemSince: {}, readings: {} }));
    const f = mount({ source, columns: 140, rows: 30 }).frame();
    expect(f).toMatch(/-\d+ lag-4 · -\d+ lag-20 · -\d+ lag-100/);
  });
});
