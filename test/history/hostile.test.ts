// The history against a hostile or unlucky file system, with real files and the built CLI:
// a planted symbolic link, 40 concurrent scans rotating, a 400 MB history, a history that is a
// directory or a FIFO.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HistorySession } from "../../src/history/session.js";
import { HistoryWriter, MAX_HISTORY_BYTES, READ_LIMIT_BYTES, readHistory } from "../../src/history/store.js";
import { BIN, ROOT, runCli } from "../helpers/cli.js";

const QUICKSTART = join(ROOT, "examples/quickstart");
const IDS = ["orders-app-config", "orders-feature-flags", "search-cluster-settings"];
const temps: string[] = [];

function quickstart(extraYaml = ""): { dir: string; config: string; history: string } {
  const dir = mkdtempSync(join(tmpdir(), "standby-hostile-"));
  temps.push(dir);
  cpSync(QUICKSTART, dir, { recursive: true, filter: (src) => !src.includes(".standby") });
  const config = join(dir, "standby.yml");
  if (extraYaml) writeFileSync(config, readFileSync(config, "utf8") + `\n${extraYaml}\n`);
  return { dir, config, history: join(dir, ".standby", "history.jsonl") };
}

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const line = (at: number, ids: string[], pad = 0): string =>
  JSON.stringify({ v: 1, at: new Date(at).toISOString(), src: "scan", status: "DEGRADED", score: 50, svc: {}, checks: ids.map((id) => ({ id, svc: "orders", st: "fail", fp: ["aaaaaaaaaaaa", "x".repeat(pad)], ms: 1 })) }) + "\n";

function countLines(path: string): number {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "").length : 0;
}

describe("a planted symbolic link for the history", () => {
  it("is not followed: the scan says so, appends nothing, and the file it points to is untouched", async () => {
    const { dir, config, history } = quickstart();
    const outside = join(mkdtempSync(join(tmpdir(), "standby-outside-")), "precious.txt");
    temps.push(join(outside, ".."));
    writeFileSync(outside, "precious\n");
    mkdirSync(join(dir, ".standby"));
    symlinkSync(outside, history);

    const r = await runCli(["scan", "-c", config, "-f", "json", "--fail-on", "never"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).checks).toHaveLength(3); // the scan itself goes on
    expect(r.stderr).toContain(`standby: history: cannot read ${history}: ${history} is a symbolic link; the history is never read or written through a link`);
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(lstatSync(history).isSymbolicLink()).toBe(true);

    const due = await runCli(["scan", "-c", config, "--due"]);
    expect(due.code).toBe(2);
    expect(due.stderr).toContain("is a symbolic link");
    const shown = await runCli(["history", "-c", config]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain("is a symbolic link");
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
  });

  it("rotation replaces a planted FILE.1 or FILE.lock link instead of writing through it", () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-hostile-"));
    temps.push(dir);
    const file = join(dir, "h.jsonl");
    for (const name of ["one.txt", "lock.txt"]) writeFileSync(join(dir, name), "precious\n");
    symlinkSync(join(dir, "one.txt"), `${file}.1`);
    symlinkSync(join(dir, "lock.txt"), `${file}.lock`);
    const rec = (i: number) => JSON.parse(line(Date.UTC(2026, 0, 1, 0, i), ["a"]));
    const w = new HistoryWriter(file, 2.5 * line(0, ["a"]).length); // two records a generation: rotates once in four
    for (let i = 0; i < 4; i++) expect(w.append(rec(i))).toEqual([]);
    for (const name of ["one.txt", "lock.txt"]) expect(readFileSync(join(dir, name), "utf8")).toBe("precious\n");
    expect(lstatSync(`${file}.1`).isFile()).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readHistory(file).records).toHaveLength(4);
  });
});

describe("40 concurrent scans rotating the history", () => {
  it("keep every record, and every scan exits normally with nothing on stderr", async () => {
    // The size of one record of this config, to pick a limit that rotates once in 40 records (so
    // retention, which keeps two generations, drops nothing and every record must be there).
    const probe = quickstart();
    await runCli(["scan", "-c", probe.config, "--fail-on", "never"]);
    const recordBytes = readFileSync(probe.history).length;
    const maxSizeMb = (25 * recordBytes) / (1024 * 1024);
    const { config, history } = quickstart(`history: { maxSizeMb: ${maxSizeMb.toFixed(6)} }`);

    const runs = await Promise.all(Array.from({ length: 40 }, () => runCli(["scan", "-c", config, "-f", "json", "--fail-on", "never"], { timeoutMs: 110_000 })));
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    expect(existsSync(`${history}.1`)).toBe(true); // it did rotate
    expect(countLines(history) + countLines(`${history}.1`)).toBe(40);
    const { records, notes } = readHistory(history);
    expect(notes).toEqual([]);
    expect(records).toHaveLength(40);
    expect(readdirSync(join(history, ".."))).toEqual(["history.jsonl", "history.jsonl.1"]); // no lock left behind
  }, 120_000);
});

describe("a 400 MB history", () => {
  let big = "";
  let small = "";
  afterAll(() => {
    for (const f of [big, small]) if (f) rmSync(f, { force: true });
  });

  /** Old records of another check, then the recent runs of the quickstart's checks at the end. */
  function generate(path: string, bytes: number): void {
    const t0 = Date.now() - 400 * 86_400_000;
    const block: string[] = [];
    for (let i = 0; i < 10_000; i++) block.push(line(t0 + i * 1000, ["retired-check"], 400));
    const chunk = block.join("");
    const fd = openSync(path, "w");
    for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk);
    writeSync(fd, line(Date.now() - 60_000, IDS));
    closeSync(fd);
  }

  it("is read from its tail: --due still knows the last runs, fast and in bounded memory, and says it read only part", async () => {
    const { dir, config } = quickstart();
    big = join(dir, "big.jsonl");
    generate(big, 400 * 1024 * 1024);
    // Peak RSS of the real CLI process, written by a preload at exit.
    const hook = join(dir, "rusage.mjs");
    const out = join(dir, "rusage.json");
    writeFileSync(hook, `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.resourceUsage())));\n`);
    const started = Date.now();
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", hook, BIN, "scan", "-c", config, "--due", "--history", big], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    const elapsed = Date.now() - started;
    const maxRssMb = JSON.parse(readFileSync(out, "utf8")).maxRSS / 1024;
    console.log(`400 MB history: scan --due took ${elapsed} ms, peak RSS ${maxRssMb.toFixed(0)} MB`);
    expect(r.stderr).toMatch(/no check is due; next: /);
    expect(r.stderr).toContain(`${big}: 40`); // 400 and a bit
    expect(r.stderr).toMatch(/ MiB of history, more than the 40 MiB read limit: only the last 40 MiB was read \(older records are not used\)/);
    expect(r.code).toBe(0);
    expect(maxRssMb).toBeLessThan(250); // it was 1.4 GB
    expect(elapsed).toBeLessThan(8_000); // it was 10 s; ~1 s here, generous for a loaded CI machine
  }, 120_000);

  it("bytes read do not depend on the file's size; the last N records are the newest", () => {
    small = join(mkdtempSync(join(tmpdir(), "standby-hostile-")), "small.jsonl");
    temps.push(join(small, ".."));
    generate(small, 48 * 1024 * 1024);
    const a = readHistory(small, { last: 1 });
    const b = readHistory(big, { last: 1 });
    expect(a.stats.totalBytes).toBeGreaterThan(READ_LIMIT_BYTES);
    expect(b.stats.totalBytes).toBeGreaterThan(7 * a.stats.totalBytes);
    for (const x of [a, b]) {
      expect(x.stats.bytesRead).toBeLessThanOrEqual(READ_LIMIT_BYTES + 64 * 1024);
      expect(x.records.map((rec) => rec.checks.map((c) => c.id))).toEqual([IDS]);
    }
    expect(Math.abs(a.stats.bytesRead - b.stats.bytesRead)).toBeLessThan(64 * 1024);
    console.log(`tail read: ${(a.stats.bytesRead / 2 ** 20).toFixed(1)} MiB of ${(a.stats.totalBytes / 2 ** 20).toFixed(0)} MiB, ${(b.stats.bytesRead / 2 ** 20).toFixed(1)} MiB of ${(b.stats.totalBytes / 2 ** 20).toFixed(0)} MiB`);
  });
});

describe("a history that cannot be read is reported, never taken for an empty one", () => {
  it("a directory: scan says so and goes on, --due and standby history fail with the reason", async () => {
    const { dir, config } = quickstart();
    const path = join(dir, "history-dir");
    mkdirSync(path);
    const r = await runCli(["scan", "-c", config, "--history", path, "-f", "json", "--fail-on", "never"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`standby: history: cannot read ${path}: ${path} is a directory, not a history file; going on without it\n`);
    const due = await runCli(["scan", "-c", config, "--due", "--history", path]);
    expect(due.code).toBe(2);
    expect(due.stdout).toBe(""); // nothing ran: --due cannot tell what is due
    expect(due.stderr).toContain("is a directory");
    const shown = await runCli(["history", "--history", path]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toBe(`standby: history: cannot read ${path}: ${path} is a directory, not a history file\n`);
  });

  it("a FIFO: reported at once, never waited on", async () => {
    const { dir, config } = quickstart();
    const fifo = join(dir, "history.fifo");
    execFileSync("mkfifo", [fifo]);
    const r = await runCli(["scan", "-c", config, "--history", fifo, "--fail-on", "never"], { timeoutMs: 10_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${fifo} is a FIFO, not a history file; going on without it`);
  });

  it("a huge foreign line is skipped unread; an oversized history.maxSizeMb is lowered with a note", () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-hostile-"));
    temps.push(dir);
    const file = join(dir, "h.jsonl");
    writeFileSync(file, line(Date.UTC(2026, 0, 1), ["a"]) + "x".repeat(20 * 1024 * 1024) + "\n" + line(Date.UTC(2026, 0, 2), ["a"]));
    const s = new HistorySession(file, 1024 * 1024 * 1024);
    expect(s.state.records).toBe(2);
    expect(s.notes).toEqual([
      `history.maxSizeMb 1024 is above the limit of ${MAX_HISTORY_BYTES / 2 ** 20} (a larger history slows every scan that reads it); ${MAX_HISTORY_BYTES / 2 ** 20} is used`,
      `${file}: skipped 1 unreadable line (interrupted writes or foreign data)`,
    ]);
  });
});
