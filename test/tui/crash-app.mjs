// Helper for e2e-tmux.test.ts (not a test itself): the built TUI over the quickstart config with a
// runner whose results break rendering (a status no renderer knows), so the app crashes inside
// Ink's render. The terminal must be restored and the process must exit 3, not hang.
import { join } from "node:path";
const ROOT = join(import.meta.dirname, "..", "..");
const { loadConfigFile } = await import(join(ROOT, "build/src/config/load.js"));
const { runTui } = await import(join(ROOT, "build/src/tui/run.js"));
const config = loadConfigFile(join(ROOT, "examples/quickstart/standby.yml"));
const runCheck = async (_config, check) => ({
  id: check.id, service: check.service.name, kind: check.kind, title: "t", severity: check.severity,
  status: "no-such-status", reason: null, summary: "s", findings: [], durationMs: 1, points: { earned: 0, possible: 5 },
});
process.exitCode = await runTui({ config, color: false, historyFile: null, runCheck });
