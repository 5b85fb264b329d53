// Setup file (vitest.config.ts): each test file gets its own TMPDIR, removed after its tests. Every
// mkdtemp(tmpdir()) of a test, and of the CLIs, daemons and servers it starts (they inherit the
// environment), lands inside it, so a run leaves nothing in /tmp, even from a process a test
// killed before it could clean up after itself.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// Workers run file after file: the base is the TMPDIR the run started with, not the last file's.
process.env.STANDBY_TEST_TMP_BASE ??= tmpdir();
const root = mkdtempSync(join(process.env.STANDBY_TEST_TMP_BASE, "standby-test-"));
// Open like /tmp itself: servers a test starts as another user (PostgreSQL refuses root) reach their directories.
chmodSync(root, 0o1777);
process.env.TMPDIR = root;

afterAll(() => {
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  process.env.TMPDIR = process.env.STANDBY_TEST_TMP_BASE;
});
