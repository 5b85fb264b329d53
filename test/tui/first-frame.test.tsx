// The first frame: drawn from the config before React and Ink load, and the same screen the app
// then draws. Equal to <App>'s frame for the same snapshot (so the hand-over cannot jump), free of
// React and Ink in the bundle, and in a real pseudo-terminal on screen before Ink's first write.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/config/load.js";
import { App } from "../../src/tui/app.js";
import { frameLines, frameText, initialSnapshot, paintFirstFrame } from "../../src/tui/first-frame.js";
import type { Snapshot } from "../../src/tui/model.js";
import { BIN, ROOT } from "../helpers/cli.js";
import { FakeSource, NOW, snapshot } from "./fixtures.js";

const QUICKSTART = join(ROOT, "examples/quickstart/standby.yml");
const ESC_SEQ = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const plain = (text: string): string =>
  text
    .replace(ESC_SEQ, "")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trimEnd();

afterEach(() => cleanup());

function appFrame(snap: Snapshot, columns: number, rows: number): string {
  const app = render(<App source={new FakeSource(snap)} onQuit={() => undefined} color={false} size={{ columns, rows }} now={() => NOW} clockMs={0} spinnerMs={0} />);
  return plain(app.lastFrame() ?? "");
}

describe("the first frame", () => {
  const config = loadConfigFile(QUICKSTART);
  const fresh = initialSnapshot(config, config.checks, 30_000);

  it("is the app's own first frame, at every size, before and after results", () => {
    for (const [columns, rows] of [[80, 24], [100, 30], [140, 40], [40, 12], [20, 8]] as const) {
      for (const snap of [fresh, snapshot()]) {
        const mine = plain(frameText(frameLines(snap, { columns, rows }, NOW, true), false));
        expect(mine, `${columns}x${rows}`).toBe(appFrame(snap, columns, rows));
        cleanup();
      }
    }
  });

  it("shows every check's row, waiting, with the position and the footer's essentials", () => {
    const f = plain(frameText(frameLines(fresh, { columns: 80, rows: 24 }, NOW), false));
    for (const c of config.checks) expect(f).toMatch(new RegExp(`· WAIT .*${c.id} +waiting`));
    expect(f).toContain("refresh 30s");
    expect(f).not.toContain("next"); // not known before the schedules are read: left out, not guessed
    expect(f.split("\n")).toHaveLength(23); // one line short of the terminal, as the app
    expect(f.split("\n").at(-1)).toMatch(/^1\/3 .*\? help · q quit$/);
  });

  it("colors only with color on; bold and dim either way", () => {
    const lines = frameLines(snapshot(), { columns: 100, rows: 30 }, NOW, true);
    expect(frameText(lines, true)).toMatch(/\u001b\[1;31mFAIL/);
    expect(frameText(lines, false)).not.toMatch(/\u001b\[[0-9;]*3\dm/);
    expect(frameText(lines, false)).toMatch(/\u001b\[1mFAIL/);
  });

  it("takes the terminal and gives it back; a signal while loading is remembered, not fatal", () => {
    const written: string[] = [];
    const raw: boolean[] = [];
    const stdout = { columns: 80, rows: 24, write: (t: string) => (written.push(t), true) } as unknown as NodeJS.WriteStream;
    const stdin = { isTTY: true, setRawMode: (on: boolean) => (raw.push(on), stdin) } as unknown as NodeJS.ReadStream;
    const before = { int: process.listenerCount("SIGINT"), exit: process.listenerCount("exit") };
    const screen = paintFirstFrame({ stdout, stdin, config, checks: config.checks, refreshMs: null, color: false, now: NOW });
    expect(written.join("")).toMatch(/^\u001b\[\?1049h/); // the alternate screen
    expect(plain(written.join(""))).toContain("orders-app-config");
    expect(plain(written.join(""))).not.toContain("refresh"); // --refresh 0
    expect(raw).toEqual([true]); // keys typed now wait for the app instead of echoing over the frame
    expect(process.listenerCount("SIGINT")).toBe(before.int + 1);
    expect(screen.interrupted).toBe(false);
    (process.listeners("SIGINT").at(-1) as (s: string) => void)("SIGINT");
    expect(screen.interrupted).toBe(true);
    screen.release();
    expect(raw).toEqual([true, false]);
    expect(written.at(-1)).toBe("\u001b[?25h\u001b[?1049l");
    expect(process.listenerCount("SIGINT")).toBe(before.int);
    expect(process.listenerCount("exit")).toBe(before.exit);
    screen.release(); // idempotent
    expect(raw).toEqual([true, false]);
  });

  it("is drawn by code that loads neither React nor Ink (build/cli/meta.json)", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "build/cli/meta.json"), "utf8")) as {
      outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }>;
    };
    const chunkOf = (source: string): string => Object.keys(meta.outputs).find((o) => o.endsWith(".js") && source in meta.outputs[o]!.inputs)!;
    const closure = (out: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(out)) return seen;
      seen.add(out);
      for (const i of meta.outputs[out]!.imports) if (i.kind === "import-statement" && meta.outputs[i.path]) closure(i.path, seen);
      return seen;
    };
    const first = chunkOf("src/tui/first-frame.ts");
    expect(first).toBeTruthy();
    const inputs = [...closure(first)].flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
    expect(inputs).toContain("src/tui/screen.ts");
    expect(inputs.filter((i) => /node_modules\/(ink|react|react-reconciler|yoga-layout|scheduler)\//.test(i))).toEqual([]);
    expect(inputs).not.toContain("src/tui/app.tsx");
    expect(inputs).not.toContain("src/tui/live.ts");
  });
});

const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

/** Runs the built `standby tui` in an 80x24 pseudo-terminal until `done` says so, then presses q. */
function inPty(args: string[], done: (out: string) => boolean): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const cmd = `stty cols 80 rows 24; exec '${process.execPath}' '${BIN}' tui ${args.join(" ")}`;
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", TERM: "xterm-256color" };
    delete env.CI;
    const child = spawn("script", ["-qfec", cmd, "/dev/null"], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let quit = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; the output was:\n${plain(out)}`));
    }, 20_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
      if (!quit && done(out)) {
        quit = true;
        child.stdin.write("q");
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ out, code });
    });
  });
}

describe.skipIf(!HAS_SCRIPT)("the first frame in a pseudo-terminal (util-linux script)", () => {
  const INK_FRAME = "\u001b[?2026h"; // Ink opens a synchronized update around every frame it writes
  const ids = ["orders-app-config", "orders-feature-flags", "search-cluster-settings"];

  it("shows every check row before Ink's first frame; the app then takes over, refreshing every 30s", async () => {
    const { out, code } = await inPty(["-c", QUICKSTART, "--no-history"], (o) => /last \d\d:\d\d:\d\d/.test(plain(o)));
    expect(code).toBe(0);
    const ink = out.indexOf(INK_FRAME);
    expect(ink, "Ink drew a frame").toBeGreaterThan(0);
    // The first frame is cleared by Ink's first write itself, inside its synchronized update: no blank screen between.
    expect(out.startsWith("\u001b[?2026h\u001b[2J\u001b[H", ink)).toBe(true);
    expect(out.slice(0, ink).split("\u001b[2J")).toHaveLength(2); // only the first frame's own clear before it
    const before = plain(out.slice(0, ink));
    for (const id of ids) expect(before).toMatch(new RegExp(`WAIT .*${id}`));
    expect(before).toMatch(/1\/3 .*\? help · q quit/);
    const after = plain(out.slice(ink));
    expect(after).toMatch(/FAIL .*orders-app-config/); // results came in through the app
    expect(after).toContain("refresh 30s"); // the default, with no --refresh
    expect(out.endsWith("\u001b[?1049l") || out.includes("\u001b[?1049l")).toBe(true); // the terminal is given back
  }, 30_000);

  it("--refresh 0 never refreshes: no refresh timer in the header", async () => {
    const { out, code } = await inPty(["-c", QUICKSTART, "--no-history", "--refresh", "0"], (o) => /last \d\d:\d\d:\d\d/.test(plain(o)));
    expect(code).toBe(0);
    expect(plain(out)).toMatch(/FAIL .*orders-app-config/);
    expect(plain(out)).not.toContain("refresh");
    expect(plain(out)).toMatch(/next \d\d:\d\d:\d\d .*\(orders-app-config\)/); // the schedule's next run instead
  }, 30_000);
});
