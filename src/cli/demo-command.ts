// `standby demo`: starts the loopback demo environment (src/demo), writes its standby.yml, opens
// the TUI on it (or prints the text report with --no-tui or without a terminal), and stops every
// server on the way out, whatever the way out is.
import { rmSync } from "node:fs";
import { redact } from "../core/secrets.js";
import { EXIT } from "../core/exit-codes.js";

export interface DemoFlags {
  /** commander: false for --no-tui */
  tui?: boolean;
  /** commander: false for --no-postgres */
  postgres?: boolean;
  refresh?: string;
  keep?: boolean;
}

export async function demoCommand(flags: DemoFlags): Promise<number> {
  const { interactiveTerminal, parseRefresh, openTui } = await import("./tui-command.js");
  const refresh = parseRefresh(flags.refresh);
  if (refresh === "invalid") {
    process.stderr.write(`standby: --refresh expects a duration of at least 1s like 30s or 5m, got '${redact(flags.refresh ?? "")}'\n`);
    return EXIT.INVALID;
  }
  const interactive = flags.tui !== false && interactiveTerminal();
  const say = (line: string): void => {
    try {
      process.stderr.write(`standby demo: ${line}\n`);
    } catch {
      /* the terminal is gone (hang-up): the cleanup goes on */
    }
  };
  const { startDemo } = await import("../demo/env.js");
  const env = await startDemo({ postgres: flags.postgres, log: say });
  let stopping: Promise<void> | null = null;
  // Idempotent: every caller (quit, a signal, a crash handler, finally) waits for the one shutdown.
  const shutdown = (): Promise<void> =>
    (stopping ??= (async () => {
      await env.stop();
      if (flags.keep) say(`kept ${env.dir}`);
      else rmSync(env.dir, { recursive: true, force: true });
    })());
  // Servers and PostgreSQL must not outlive us, even on a signal while no TUI owns the terminal.
  const onSignal = (): void => void shutdown().finally(() => process.exit(EXIT.INTERRUPTED));
  if (!interactive) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  try {
    for (const n of env.notes) say(n);
    say(`config ${env.configFile} (${env.checks.length} checks)`);
    if (!interactive) {
      if (flags.tui !== false) say("not an interactive terminal: printing the text report");
      const { scanCommand } = await import("./scan-command.js");
      return await scanCommand({ config: env.configFile, format: "text", failOn: "not-ready" });
    }
    const { loadOrReport } = await import("./load-or-report.js");
    const config = loadOrReport(env.configFile);
    if (!config) return EXIT.INTERNAL; // the demo wrote a config this build rejects: our bug
    return await openTui(config, config.checks, { refreshMs: refresh, onExit: shutdown });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await shutdown();
  }
}
