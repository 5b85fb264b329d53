// ${file:} and the config file itself: only a regular file, within a size cap, and never a read
// that blocks or never ends. /dev/zero, a FIFO without a writer, a directory, a Unix socket and
// an oversized file each become a config error naming the kind of file, at once. Through the
// built CLI (a child process: a read that blocked would hang it, not the test) and the loader.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/errors.js";
import { loadConfigFile, loadConfigFileAsync } from "../../src/config/load.js";
import { CONFIG_MAX_BYTES, FILE_REF_MAX_BYTES } from "../../src/fs/regular-file.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "standby-file-refs-"));
const fifo = join(dir, "fifo");
const sock = join(dir, "sock");
let server: Server;

beforeAll(async () => {
  execFileSync("mkfifo", [fifo]);
  mkdirSync(join(dir, "a-dir"));
  writeFileSync(join(dir, "big.txt"), Buffer.alloc(FILE_REF_MAX_BYTES + 1, "a"));
  writeFileSync(join(dir, "ok.txt"), "fine\n");
  server = createServer();
  await new Promise<void>((r) => server.listen(sock, r));
});
afterAll(() => server.close());

/** A config whose one check has `${file:REF}` in a URL. */
function withRef(name: string, ref: string): string {
  const file = join(dir, `${name}.yml`);
  writeFileSync(
    file,
    `version: 1\nservices:\n  - name: api\n    checks:\n      - id: c\n        kind: config-drift\n        primary: { url: "https://a.example.com/\${file:${ref}}" }\n        standby: { url: "https://b.example.com/" }\n`,
  );
  return file;
}

const CASES: Array<[string, string, string]> = [
  ["dev-zero", "/dev/zero", "is a character device, not a regular file"],
  ["fifo", "fifo", "is a FIFO (named pipe), not a regular file"],
  ["dir", "a-dir", "is a directory, not a regular file"],
  ["socket", "sock", "is a socket or a device without a reader, not a regular file"],
  ["big", "big.txt", "is larger than 1 MiB, the limit for a ${file:} (a secret, a token or a URL)"],
];

describe("${file:} of something that is not a small regular file", () => {
  for (const [name, ref, why] of CASES) {
    it(`${ref}: standby validate is a config error at its line, at once`, async () => {
      const t0 = Date.now();
      withRef(name, ref);
      const r = await runCli(["validate", "-c", `${name}.yml`], { cwd: dir, timeoutMs: 10_000 });
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`standby: invalid config (1 problem):\n  ${name}.yml:7:25: services[0].checks[0].primary.url: cannot read \${file:${ref}}: ${why}\n`);
    });
  }

  it("the loader, synchronous and asynchronous, says the same; a regular file still reads", async () => {
    for (const [name, ref, why] of CASES) {
      const file = withRef(name, ref);
      const expected = [`${name}.yml:7:25: services[0].checks[0].primary.url: cannot read \${file:${ref}}: ${why}`];
      expect(issues(() => loadConfigFile(file, { displayName: `${name}.yml` }))).toEqual(expected);
      expect(await issuesAsync(() => loadConfigFileAsync(file, { displayName: `${name}.yml` }))).toEqual(expected);
    }
    const ok = await loadConfigFileAsync(withRef("ok", "ok.txt"));
    expect((ok.checks[0]!.options as { primary: { url: string } }).primary.url).toBe("https://a.example.com/fine");
  });
});

describe("the config file itself", () => {
  it("a FIFO, /dev/zero or a directory as -c is an error naming the kind of file, at once", async () => {
    for (const [path, why] of [[fifo, "is a FIFO (named pipe), not a regular file"], ["/dev/zero", "is a character device, not a regular file"], [join(dir, "a-dir"), "is a directory, not a regular file"]]) {
      const r = await runCli(["validate", "-c", path!], { cwd: dir, timeoutMs: 10_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`standby: invalid config (1 problem):\n  ${path}:1:1: ${why}\n`);
    }
  });

  it(`a config larger than ${CONFIG_MAX_BYTES / 1024 / 1024} MiB is refused before parsing`, async () => {
    const huge = join(dir, "huge.yml");
    writeFileSync(huge, `version: 1\nservices: []\n#${"x".repeat(CONFIG_MAX_BYTES)}\n`);
    const t0 = Date.now();
    const r = await runCli(["validate", "-c", huge], { cwd: dir });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`standby: invalid config (1 problem):\n  ${huge}:1:1: is larger than 4 MiB, the limit for a config file: not parsed\n`);
    expect(await issuesAsync(() => loadConfigFileAsync(huge, { displayName: "huge.yml" }))).toEqual(["huge.yml:1:1: is larger than 4 MiB, the limit for a config file: not parsed"]);
  });
});

describe("file sources of checks (read when the check runs)", () => {
  it("a FIFO, /dev/zero or a directory as config-drift's or tls-certificate's file is unknown/unreadable-input at once, saying what it is", async () => {
    const file = join(dir, "sources.yml");
    const drift = (id: string, path: string) => `      - id: ${id}\n        kind: config-drift\n        primary: { file: ${path} }\n        standby: { file: ok.txt }\n`;
    writeFileSync(
      file,
      `version: 1\nhistory: { enabled: false }\nservices:\n  - name: api\n    checks:\n${drift("fifo", "fifo")}${drift("zero", "/dev/zero")}${drift("dir", "a-dir")}` +
        `      - id: pem\n        kind: tls-certificate\n        primary: { pemFile: fifo }\n        standby: { pemFile: big.txt }\n`,
    );
    const t0 = Date.now();
    const r = await runCli(["scan", "-c", "sources.yml", "-f", "json"], { cwd: dir, timeoutMs: 15_000 });
    expect(Date.now() - t0).toBeLessThan(8_000);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; reason: string; summary: string }> }).checks;
    expect(checks.map((c) => [c.id, c.status, c.reason])).toEqual([
      ["fifo", "unknown", "unreadable-input"],
      ["zero", "unknown", "unreadable-input"],
      ["dir", "unknown", "unreadable-input"],
      ["pem", "unknown", "unreadable-input"],
    ]);
    expect(checks[0]!.summary).toBe("primary fifo: is a FIFO (named pipe), not a regular file");
    expect(checks[1]!.summary).toBe("primary /dev/zero: is a character device, not a regular file");
    expect(checks[2]!.summary).toBe("primary a-dir: is a directory (EISDIR)");
    expect(checks[3]!.summary).toContain("PEM file fifo: is a FIFO (named pipe), not a regular file");
  });
});

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error("expected a config error");
}

async function issuesAsync(fn: () => Promise<unknown>): Promise<string[]> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error("expected a config error");
}
