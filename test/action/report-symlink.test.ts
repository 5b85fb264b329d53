// The Action never writes a report through a link planted in the repository, nor outside the
// workspace: such a report-path is refused before the scan (exit 2, invalid-config), with an
// error annotation saying why; the file the link points to is untouched.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTION, runAction, workspace, type ActionRun } from "./helpers.js";

beforeAll(() => {
  if (!existsSync(ACTION)) throw new Error("dist/action.js is missing: run `npm run bundle`");
});

function outsideFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "standby-outside-")), "precious.txt");
  writeFileSync(file, "precious\n");
  return file;
}

function refused(r: ActionRun, why: string): void {
  expect(r.code).toBe(2);
  expect(r.outputs["failure-reason"]).toBe("invalid-config");
  expect(r.outputs.status).toBe(""); // no scan ran
  const errors = r.commands.filter((c) => c.command === "error");
  expect(errors).toHaveLength(1);
  expect(errors[0]!.properties.title).toBe("standby: cannot write the report");
  expect(errors[0]!.message).toContain(why);
  expect(r.summary).toContain(why);
}

describe("report-path and planted links", () => {
  it("standby-report.json -> a file outside the workspace: refused, the file untouched", async () => {
    const ws = workspace({ quickstart: true });
    const outside = outsideFile();
    symlinkSync(outside, join(ws, "standby-report.json"));
    const r = await runAction(ws);
    refused(r, "input 'report-path': standby-report.json is a symbolic link; standby never writes through a link");
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(lstatSync(join(ws, "standby-report.json")).isSymbolicLink()).toBe(true);
  });

  it("an extra format's file as a link is refused the same way, before anything is written", async () => {
    const ws = workspace({ quickstart: true });
    const outside = outsideFile();
    symlinkSync(outside, join(ws, "standby-report.md"));
    const r = await runAction(ws, { format: "markdown" });
    refused(r, "standby-report.md is a symbolic link");
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(existsSync(join(ws, "standby-report.json"))).toBe(false);
  });

  it("a directory on the way that links outside: refused, nothing created there", async () => {
    const ws = workspace({ quickstart: true });
    const outsideDir = mkdtempSync(join(tmpdir(), "standby-outside-"));
    symlinkSync(outsideDir, join(ws, "out"));
    const r = await runAction(ws, { "report-path": "out/sub/report.json" });
    refused(r, `input 'report-path': out/sub/report.json: out leads outside the workspace`);
    expect(readdirSync(outsideDir)).toEqual([]);
  });

  it("a report-path outside the workspace (../, absolute) is refused", async () => {
    const ws = workspace({ quickstart: true });
    const escaped = `${basename(ws)}-escaped.json`;
    const up = await runAction(ws, { "report-path": `../${escaped}` });
    refused(up, "is outside the workspace");
    expect(existsSync(join(ws, "..", escaped))).toBe(false);
    const abs = join(mkdtempSync(join(tmpdir(), "standby-outside-")), "abs.json");
    const r = await runAction(ws, { "report-path": abs });
    refused(r, "is outside the workspace");
    expect(existsSync(abs)).toBe(false);
  });

  it("a directory link that stays inside the workspace is fine; no temp file is left behind", async () => {
    const ws = workspace({ quickstart: true });
    mkdirSync(join(ws, "reports"));
    symlinkSync(join(ws, "reports"), join(ws, "latest"));
    const r = await runAction(ws, { "report-path": "latest/standby.json", format: "junit" });
    expect(r.code).toBe(1); // the quickstart is NOT_READY on purpose
    expect(r.outputs["report-path"]).toBe("latest/standby.json");
    expect(readdirSync(join(ws, "reports")).sort()).toEqual(["standby.json", "standby.xml"]);
    expect(JSON.parse(readFileSync(join(ws, "reports", "standby.json"), "utf8")).schemaVersion).toBe(1);
  });
});
