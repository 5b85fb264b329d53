import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; two cores here, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ["default", "./test/helpers/closing-line-reporter.ts"],
    // A TMPDIR per test file, removed after it: no test leaves a temp directory behind.
    setupFiles: ["./test/helpers/temp-root.ts"],
  },
});
