// History survives a real writer process killed with SIGKILL mid-write, again and again.
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readHistory } from "../../src/history/store.js";
import { ROOT } from "../helpers/cli.js";

const WRITER = `
import { HistoryWriter } from ${JSON.stringify(join(ROOT, "build/src/history/store.js"))};
const [file, tag] = process.argv.slice(2);
const w = new HistoryWriter(file, 1 << 30);
const pad = "x".repeat(64);
let i = 0;
process.stdout.write("ready\\n");
for (;;) {
  i++;
  // Some big records (many fingerprints) make a kill during a write more likely.
  const fp = Array.from({ length: i % 50 === 0 ? 2000 : 3 }, (_, k) => (tag + "-" + i + "-" + k + pad.slice(0, i % 13)).slice(0, 40));
  w.append({ v: 1, at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(), src: "scan", status: "READY", score: 100, svc: {}, checks: [{ id: "w" + tag, svc: "s", st: "pass", fp, ms: i }] });
}
`;

describe("history under kill -9", () => {
  it("20 writers killed at random moments: every complete line parses, the torn tail is skipped, nothing earlier is lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "standby-kill-"));
    const script = join(dir, "writer.mjs");
    writeFileSync(script, WRITER);
    const file = join(dir, "history.jsonl");
    let before = 0;
    let tornSeen = 0;
    let maxFragments = 0;
    for (let iter = 0; iter < 20; iter++) {
      const child = spawn(process.execPath, [script, file, String(iter)], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 30)));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      if (iter % 5 === 4) appendFileSync(file, '{"v":1,"at":"2026-01-01T00:00:00.000Z","src":"sc'); // a torn write, for sure
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n");
      const tail = lines.pop()!; // "" when the file ends with a newline
      let complete = 0;
      let fragments = 0;
      for (const line of lines) {
        if (line === "") continue;
        if (isJson(line)) {
          complete += 1;
          continue;
        }
        // Not JSON: a torn fragment (ours, or a writer killed inside a big write) that the next
        // writer closed by starting its record on a new line. It must be a record's beginning.
        expect(line.startsWith('{"v":1,"at":"2026-01-01T'), `writer ${iter}: unexpected line ${line.slice(0, 60)}`).toBe(true);
        fragments += 1;
      }
      maxFragments = Math.max(maxFragments, fragments);
      const { records, notes } = readHistory(file);
      expect(records.length).toBe(complete + (tail && isJson(tail) ? 1 : 0));
      expect(records.length).toBeGreaterThanOrEqual(before); // nothing earlier is ever lost
      if (fragments > 0) expect(notes.some((n) => /skipped \d+ unreadable line/.test(n))).toBe(true);
      if (tail !== "" && !isJson(tail)) {
        tornSeen += 1;
        expect(notes.some((n) => n.includes("torn last line"))).toBe(true);
      }
      // Every writer's records are all there, in order.
      const mine = records.filter((r) => r.checks[0]!.id === `w${iter}`).map((r) => r.checks[0]!.ms);
      expect(mine).toEqual(Array.from({ length: mine.length }, (_, k) => k + 1));
      before = records.length;
    }
    expect(tornSeen).toBeGreaterThanOrEqual(4);
    expect(maxFragments).toBeLessThanOrEqual(20 + 4); // at most one per kill, plus ours
    console.log(`kill -9 loop: 20 writers, ${before} records kept, ${tornSeen} torn tails skipped, ${maxFragments} closed fragments in the file`);
  }, 120_000); // ~5 s alone; generous because CI machines have two cores shared with other test files
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
