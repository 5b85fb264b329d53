// drill-recency through the one tester with injected time: cron cadences across month ends, DST
// changes and time zones; drill evidence from real files (content and mtime), a real node:http
// server and real commands (node itself, spawned without a shell).
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import check, { judgeDrill, type DrillInput } from "../../checks/drill-recency/index.js";
import { latestBefore, latestElapsed, nextAfter } from "../../checks/drill-recency/schedule.js";
import { parseOptions, runCheck } from "../helpers/check-tester.js";
import { runCli } from "../helpers/cli.js";
import { decisionTable } from "../helpers/decision-table.js";
import { optionProblems } from "../helpers/option-problems.js";

let dir: string;
let server: Server;
let base: string;

/** Writes the last drill's timestamp to a fresh file and runs the check at `now`. */
let n = 0;
async function drill(lastIso: string, nowIso: string, options: Record<string, unknown>) {
  const file = `drill-${n++}.txt`;
  writeFileSync(join(dir, file), `${lastIso}\n`);
  return runCheck(check, { lastDrill: { file }, ...options } as never, { now: () => new Date(nowIso), baseDir: dir });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "standby-drill-"));
  server = createServer((req, res) => {
    if (req.url === "/drills/latest") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ drill: { status: "success", completedAt: "2026-11-01T09:40:00Z" } }));
    } else if (req.url?.startsWith("/echo")) {
      // Hands the credentials back, so a leak would reach the result.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ at: `${req.headers["x-token"]} ${req.url}` }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
});

const MONTHLY = { cadence: "0 10 1 * *", cadenceTimezone: "Europe/Berlin", grace: "3d" };

describe("monthly cadence in Europe/Berlin", () => {
  it("passes when the last slot's drill happened, and says when the next is due", async () => {
    const r = await drill("2026-11-01T09:30:00Z", "2026-11-25T02:17:00Z", MONTHLY);
    expect(r.status).toBe("pass");
    expect(r.summary).toBe("last drill 23d16h ago, on schedule; next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)");
    expect(r.evidence).toMatchObject({ nextSlot: "2026-12-01T09:00:00.000Z", previousSlot: "2026-11-01T09:00:00.000Z", enforcedSlot: "2026-11-01T09:00:00.000Z" });
  });

  it("fails when a slot was missed beyond its grace", async () => {
    const r = await drill("2026-10-01T08:15:00Z", "2026-11-25T02:17:00Z", MONTHLY);
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("the drill scheduled 2026-11-01 10:00 Europe/Berlin was missed");
    expect(r.findings![0]!.message).toContain("grace 3d ended 2026-11-04 10:00 Europe/Berlin");
    expect(r.measured!.value).toBe(Math.round((Date.parse("2026-11-25T02:17:00Z") - Date.parse("2026-10-01T08:15:00Z")) / 1000));
  });

  it("warns inside the grace period of a slot with no drill yet", async () => {
    const r = await drill("2026-10-01T08:15:00Z", "2026-11-02T12:00:00Z", MONTHLY);
    expect(r.status).toBe("warn");
    expect(r.findings![0]!.message).toContain("the drill scheduled 2026-11-01 10:00 Europe/Berlin is not recorded yet; overdue after 2026-11-04 10:00 Europe/Berlin");
  });

  it("counts a drill done early (within grace) for the coming slot", async () => {
    expect((await drill("2026-10-30T15:00:00Z", "2026-11-25T02:17:00Z", MONTHLY)).status).toBe("pass");
  });

  it("warns shortly before the next slot when nothing newer is recorded", async () => {
    const r = await drill("2026-11-01T09:30:00Z", "2026-11-30T12:00:00Z", MONTHLY);
    expect(r.status).toBe("warn");
    expect(r.findings![0]).toMatchObject({ level: "warn", path: "nextSlot" });
    expect((await drill("2026-11-01T09:30:00Z", "2026-11-30T12:00:00Z", { ...MONTHLY, warnBefore: "1h" })).status).toBe("pass");
  });
});

// The decision alone: the last drill against a monthly Berlin cadence (10:00 on the 1st, grace 3d,
// warnBefore 1d), no files or servers.
const D = 86_400_000;
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const secondsBetween = (a: string, b: string) => Math.round((at(b) - at(a)) / 1000);
type DrillCase = { last: string; now: string; warnBefore?: number };
const judgeMonthly = ({ last, now, warnBefore = D }: DrillCase) =>
  judgeDrill({ at: at(last), from: "test", now: new Date(now), cadence: "0 10 1 * *", timezone: "Europe/Berlin", graceMs: 3 * D, warnBeforeMs: warnBefore } satisfies DrillInput);
decisionTable("drill-recency: last drill against the cadence", judgeMonthly, [
  {
    name: "the enforced slot is covered and the next is far: pass, saying when the next is due",
    input: { last: "2026-11-01T09:30:00Z", now: "2026-11-25T02:17:00Z" },
    expected: {
      status: "pass",
      summary: "last drill 23d16h ago, on schedule; next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)",
      findings: [],
      // The limit: the oldest drill that still covers Nov 1 is Oct 29 09:00Z; nothing warns yet.
      measured: { value: secondsBetween("2026-11-01T09:30:00Z", "2026-11-25T02:17:00Z"), unit: "s", limit: secondsBetween("2026-10-29T09:00:00Z", "2026-11-25T02:17:00Z") },
    },
  },
  {
    name: "a drill up to the grace early covers its slot",
    input: { last: "2026-10-29T09:00:00Z", now: "2026-11-25T02:17:00Z" },
    expected: { status: "pass" },
  },
  {
    name: "one second older than that misses it: fail",
    input: { last: "2026-10-29T08:59:59Z", now: "2026-11-25T02:17:00Z" },
    expected: { status: "fail", findings: [{ path: "lastDrill", message: "the drill scheduled 2026-11-01 10:00 Europe/Berlin was missed: last drill 26d17h ago (2026-10-29T08:59:59.000Z), grace 3d ended 2026-11-04 10:00 Europe/Berlin" }] },
  },
  {
    name: "a slot in its grace without a drill warns, with the age that warns",
    input: { last: "2026-10-01T08:15:00Z", now: "2026-11-02T12:00:00Z" },
    expected: {
      status: "warn",
      summary: "the drill scheduled 2026-11-01 10:00 Europe/Berlin is not recorded yet; overdue after 2026-11-04 10:00 Europe/Berlin (in 1d21h); next drill due 2026-12-01 10:00 Europe/Berlin (in 28d21h)",
      measured: { value: secondsBetween("2026-10-01T08:15:00Z", "2026-11-02T12:00:00Z"), unit: "s", warnAt: secondsBetween("2026-10-29T09:00:00Z", "2026-11-02T12:00:00Z") },
    },
  },
  {
    name: "the next slot within warnBefore and no drill for it: warn",
    input: { last: "2026-11-01T09:30:00Z", now: "2026-11-30T12:00:00Z" },
    expected: { status: "warn", findings: [{ level: "warn", path: "nextSlot", message: "the next slot is within 1d and no drill for it is recorded yet" }], measured: { value: secondsBetween("2026-11-01T09:30:00Z", "2026-11-30T12:00:00Z"), unit: "s", warnAt: 2 * 86_400 + 3 * 3_600 } },
  },
  {
    name: "the same with a shorter warnBefore: pass",
    input: { last: "2026-11-01T09:30:00Z", now: "2026-11-30T12:00:00Z", warnBefore: H },
    expected: { status: "pass" },
  },
  {
    name: "a drill stamped more than 5 minutes ahead warns (clock skew)",
    input: { last: "2026-11-25T03:00:00Z", now: "2026-11-25T02:17:00Z" },
    expected: { status: "warn", summary: "the last drill's timestamp 2026-11-25T03:00:00.000Z is in the future (clock skew or wrong time zone?); next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)", measured: { value: 0, unit: "s" } },
  },
  {
    name: "a minute ahead is within tolerance",
    input: { last: "2026-11-25T02:18:00Z", now: "2026-11-25T02:17:00Z" },
    expected: { status: "pass", summary: "last drill stamped 1m in the future, on schedule; next drill due 2026-12-01 10:00 Europe/Berlin (in 6d6h)" },
  },
]);

describe("month ends", () => {
  it("'31st of the month' skips short months: in mid-May the last slot is March 31", async () => {
    const opts = { cadence: "0 3 31 * *", grace: "1d" };
    expect(latestBefore("0 3 31 * *", "UTC", new Date("2026-05-15T00:00:00Z"))!.toISOString()).toBe("2026-03-31T03:00:00.000Z");
    expect((await drill("2026-03-31T03:30:00Z", "2026-05-15T00:00:00Z", opts)).status).toBe("pass");
    const r = await drill("2026-01-31T03:00:00Z", "2026-05-15T00:00:00Z", opts);
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("2026-03-31 03:00 UTC was missed");
    expect(r.summary).toContain("next drill due 2026-05-31 03:00 UTC");
  });

  it("'L' (last day) lands on February 28 in 2026", async () => {
    const opts = { cadence: "0 9 L * *", grace: "1d" };
    expect(nextAfter("0 9 L * *", "UTC", new Date("2026-02-15T00:00:00Z")).toISOString()).toBe("2026-02-28T09:00:00.000Z");
    expect((await drill("2026-02-27T10:00:00Z", "2026-03-05T00:00:00Z", opts)).status).toBe("pass");
    expect((await drill("2026-02-26T10:00:00Z", "2026-03-05T00:00:00Z", opts)).status).toBe("fail");
  });
});

describe("DST changes", () => {
  it("a daily 02:30 Europe/Berlin slot on the spring-forward day still counts (runs at 03:30 CEST)", async () => {
    // 2026-03-29 02:30 does not exist in Berlin; cron-parser's next() moves it to 01:30Z.
    expect(latestBefore("30 2 * * *", "Europe/Berlin", new Date("2026-03-29T12:00:00Z"))!.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    const opts = { cadence: "30 2 * * *", cadenceTimezone: "Europe/Berlin", grace: "1h", warnBefore: "0s" };
    const r = await drill("2026-03-28T01:30:00Z", "2026-03-29T12:00:00Z", opts);
    expect(r.status).toBe("fail");
    expect(r.summary).toContain("the drill scheduled 2026-03-29 03:30 Europe/Berlin was missed");
    expect((await drill("2026-03-29T01:35:00Z", "2026-03-29T12:00:00Z", opts)).status).toBe("pass");
  });

  it("the repeated hour on the fall-back day does not make a drill at the first 02:30 overdue", async () => {
    const opts = { cadence: "30 2 * * *", cadenceTimezone: "Europe/Berlin", grace: "1h", warnBefore: "0s" };
    // 02:30 CEST = 00:30Z; 02:30 CET = 01:30Z.
    expect((await drill("2026-10-25T00:30:00Z", "2026-10-25T12:00:00Z", opts)).status).toBe("pass");
    expect((await drill("2026-10-24T00:30:00Z", "2026-10-25T12:00:00Z", opts)).status).toBe("fail");
  });

  it("US spring-forward: weekly Sunday 02:00 America/New_York", () => {
    // 2026-03-08 02:00 EST does not exist; the slot is at 03:00 EDT = 07:00Z.
    expect(latestBefore("0 2 * * 0", "America/New_York", new Date("2026-03-09T00:00:00Z"))!.toISOString()).toBe("2026-03-08T07:00:00.000Z");
  });
});

describe("time zones", () => {
  // Monday 2026-11-23 at 20:00Z is Monday 15:00 in New York and Tuesday 05:00 in Tokyo.
  const now = "2026-11-23T20:00:00Z";
  it("the same cron means different instants in different zones", async () => {
    const opts = { cadence: "0 9 * * 1", grace: "2h", warnBefore: "0s" };
    const tokyo = await drill("2026-11-23T05:00:00Z", now, { ...opts, cadenceTimezone: "Asia/Tokyo" });
    expect(tokyo.status).toBe("pass");
    expect(tokyo.evidence).toMatchObject({ enforcedSlot: "2026-11-23T00:00:00.000Z" });
    const ny = await drill("2026-11-23T05:00:00Z", now, { ...opts, cadenceTimezone: "America/New_York" });
    expect(ny.status).toBe("fail");
    expect(ny.summary).toContain("2026-11-23 09:00 America/New_York was missed");
    expect(latestElapsed("0 9 * * 1", "America/New_York", new Date(now), 2 * 3_600_000)!.toISOString()).toBe("2026-11-23T14:00:00.000Z");
  });

  it("rejects unknown zones and invalid cron expressions at config time", () => {
    const lastDrill = { file: "x" };
    const problems = (o: Record<string, unknown>) => optionProblems("drill-recency", { cadence: "0 9 * * 1", lastDrill, ...o });
    expect(problems({ cadenceTimezone: "Mars/Olympus" })).toEqual(["cadenceTimezone: expected an IANA time zone like Europe/Berlin"]);
    expect(problems({ cadence: "61 9 * * 1" })).toEqual([expect.stringMatching(/^cadence: invalid cron expression "61 9 \* \* 1"/)]);
    expect(problems({ grace: "soon" })).toEqual([expect.stringMatching(/^grace: /)]);
    expect(problems({ lastDrill: { url: "ftp://x", pointer: "/at" } })).toEqual(["lastDrill.url: expected an http:// or https:// URL"]);
    expect(problems({ lastDrill: { url: "https://x", pointer: "at" } })).toEqual(["lastDrill.pointer: expected a JSON pointer like /generatedAt or /data/0/version"]);
    expect(problems({ lastDrill: { command: [] } })).toEqual([expect.stringMatching(/^lastDrill\.command: /)]);
    expect(parseOptions(check, { cadence: "0 9 * * 1", lastDrill }).success).toBe(true);
    // Both mistakes at once: each is reported at its own path, the zone one not hiding the cron one.
    const both = parseOptions(check, { cadence: "61 9 * * 1", cadenceTimezone: "Mars/Olympus", lastDrill });
    const issues = both.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toContain("cadenceTimezone: expected an IANA time zone like Europe/Berlin");
    expect(issues.find((i) => i.startsWith("cadence:"))).toContain('invalid cron expression "61 9 * * 1"');
  });
});

describe("evidence sources", () => {
  const now = () => new Date("2026-11-25T02:17:00Z");
  const opts = { cadence: "0 10 1 * *", cadenceTimezone: "Europe/Berlin" };

  it("reads a JSON file at a pointer, or the file's mtime", async () => {
    writeFileSync(join(dir, "drills.json"), JSON.stringify({ last: { at: Date.parse("2026-11-01T09:00:00Z") / 1000 } })); // epoch seconds
    const r = await runCheck(check, { ...opts, lastDrill: { file: "drills.json", pointer: "/last/at" } }, { now, baseDir: dir });
    expect(r.status).toBe("pass");
    expect(r.evidence).toMatchObject({ lastDrill: "2026-11-01T09:00:00.000Z" });
    writeFileSync(join(dir, "marker"), "");
    utimesSync(join(dir, "marker"), new Date("2026-09-01T00:00:00Z"), new Date("2026-09-01T00:00:00Z"));
    const m = await runCheck(check, { ...opts, lastDrill: { file: "marker", mtime: true } }, { now, baseDir: dir });
    expect(m.status).toBe("fail");
    expect(m.evidence).toMatchObject({ lastDrill: "2026-09-01T00:00:00.000Z", lastDrillFrom: "mtime of marker" });
  });

  it("reads a JSON field of an HTTP endpoint", async () => {
    const r = await runCheck(check, { ...opts, lastDrill: { url: `${base}/drills/latest`, pointer: "/drill/completedAt" } }, { now });
    expect(r.status).toBe("pass");
    expect(r.evidence).toMatchObject({ lastDrill: "2026-11-01T09:40:00.000Z" });
    const missing = await runCheck(check, { ...opts, lastDrill: { url: `${base}/drills/latest`, pointer: "/nope" } }, { now });
    expect(missing).toMatchObject({ status: "unknown", reason: "invalid-response" });
    expect(await runCheck(check, { ...opts, lastDrill: { url: `${base}/404`, pointer: "/x" } }, { now })).toMatchObject({ status: "unknown", reason: "invalid-response" });
  });

  it("reads a command's last output line or JSON, spawned without a shell", async () => {
    const node = process.execPath;
    const line = await runCheck(check, { ...opts, lastDrill: { command: [node, "-e", "console.log('drill log...'); console.log('2026-11-01T09:50:00Z')"] } }, { now, baseDir: dir });
    expect(line.status).toBe("pass");
    expect(line.evidence).toMatchObject({ lastDrill: "2026-11-01T09:50:00.000Z", lastDrillFrom: `command ${node}` });
    const json = await runCheck(check, { ...opts, lastDrill: { command: [node, "-e", "console.log(JSON.stringify({ok: '2026-08-01T00:00:00Z'}))"], pointer: "/ok" } }, { now, baseDir: dir });
    expect(json.status).toBe("fail");
    // No shell: `$(...)` and `;` are plain argument text.
    const literal = await runCheck(check, { ...opts, lastDrill: { command: [node, "-e", "console.log(process.argv[1])", "$(echo 2026-11-01T09:00:00Z); rm -rf /"] } }, { now, baseDir: dir });
    expect(literal).toMatchObject({ status: "unknown", reason: "invalid-response" });
  });

  it("is unknown when the command fails, hangs or is missing, or the file is missing", async () => {
    const node = process.execPath;
    const failed = await runCheck(check, { ...opts, lastDrill: { command: [node, "-e", "console.error('no drills table'); process.exit(3)"] } }, { now });
    expect(failed).toMatchObject({ status: "unknown", reason: "error" });
    expect(failed.summary).toContain("exited with 3: no drills table");
    const t0 = Date.now();
    const hung = await runCheck(check, { ...opts, lastDrill: { command: [node, "-e", "setTimeout(() => {}, 60000)"] } }, { now, timeoutMs: 500 });
    expect(hung).toMatchObject({ status: "unknown", reason: "timeout" });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await runCheck(check, { ...opts, lastDrill: { command: ["/nonexistent/drill-tool"] } }, { now })).toMatchObject({ status: "unknown", reason: "unreadable-input" });
    expect(await runCheck(check, { ...opts, lastDrill: { file: "absent.txt" } }, { now, baseDir: dir })).toMatchObject({
      status: "unknown",
      reason: "unreadable-input",
      summary: "drill record absent.txt: no such file (ENOENT)",
    });
    expect(await runCheck(check, { ...opts, lastDrill: { file: "absent.txt", mtime: true } }, { now, baseDir: dir })).toMatchObject({
      status: "unknown",
      reason: "unreadable-input",
      summary: "drill record absent.txt: no such file (ENOENT)",
    });
  });

  it("names the endpoint and the cause when the drill endpoint cannot be read", async () => {
    const port = await new Promise<number>((ok) => {
      const tmp = createServer();
      tmp.listen(0, "127.0.0.1", () => {
        const p = (tmp.address() as AddressInfo).port;
        tmp.close(() => ok(p));
      });
    });
    const refused = await runCheck(check, { ...opts, lastDrill: { url: `http://127.0.0.1:${port}/latest?token=Q`, pointer: "/at" } }, { now });
    expect(refused).toMatchObject({ status: "unknown", reason: "unreachable", summary: `drill endpoint http://127.0.0.1:${port}/latest: connection refused (ECONNREFUSED)` });
    const nothing = await runCheck(check, { ...opts, lastDrill: { url: `${base}/drills/latest`, pointer: "/nope" } }, { now });
    expect(nothing.summary).toBe(`drill endpoint ${base}/drills/latest has nothing at JSON pointer /nope`);
  });
});

describe("secret canary through the CLI", () => {
  const CANARY = "CANARY-drill-7c1e-do-not-print";
  it("never prints a secret that a drill command or endpoint hands back, in any format", async () => {
    writeFileSync(
      join(dir, "canary.yml"),
      `version: 1
services:
  - name: orders
    checks:
      - id: drill-command
        kind: drill-recency
        cadence: "0 10 1 * *"
        lastDrill: { command: ["${process.execPath}", "-e", "console.error('login failed for', process.argv[1]); process.exit(4)", "\${env:DRILL_CANARY}"] }
      - id: drill-endpoint
        kind: drill-recency
        cadence: "0 10 1 * *"
        lastDrill: { url: "${base}/echo?token=\${env:DRILL_CANARY}", headers: { X-Token: "\${env:DRILL_CANARY}" }, pointer: /at }
`,
    );
    for (const format of ["text", "json", "markdown", "junit", "prometheus"]) {
      const r = await runCli(["scan", "-c", join(dir, "canary.yml"), "-f", format, "--no-history"], { env: { DRILL_CANARY: CANARY } });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(CANARY));
      if (format === "json") {
        const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; summary: string }[] };
        const cmd = report.checks.find((c) => c.id === "drill-command")!;
        expect(cmd).toMatchObject({ status: "unknown" });
        expect(cmd.summary).toContain("exited with 4: login failed for ***");
        expect(report.checks.find((c) => c.id === "drill-endpoint")).toMatchObject({ status: "unknown" });
      }
    }
  }, 60_000);
});
