// `standby watch`: the long-running mode. Process concerns only (signals, the HTTP server, exit);
// the scheduling, history and metrics live in src/watch/engine.ts.
import { redact } from "../core/secrets.js";
import { selectChecks } from "../engine/select.js";
import { HistorySession, historyFile } from "../history/session.js";
import { resolveShard, selectShard } from "../schedule/shard.js";
import type { LoadedCheck, LoadedConfig } from "../config/load.js";
import { newCounters, WatchEngine, type ReloadState } from "../watch/engine.js";
import { addressOf, parseListen, startServer } from "../watch/server.js";
import { loadOrReport, loadOrReportAsync } from "./load-or-report.js";
import type { UntrustedFlags } from "./untrusted-flags.js";
import { EXIT } from "../core/exit-codes.js";

export interface WatchFlags extends UntrustedFlags {
  config: string;
  listen?: string;
  only?: string[];
  shard?: string;
  history?: string | boolean;
  /** commander's --no-initial-run: false turns the run at start off. */
  initialRun?: boolean;
}

/** How long shutdown may take before the process exits anyway (a check stuck in native code). */
const SHUTDOWN_DEADLINE_MS = 10_000;

export async function watchCommand(flags: WatchFlags): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`${redact(line)}\n`);
  const config = loadOrReport(flags.config, flags);
  if (!config) return EXIT.INVALID;
  const checks = selectForWatch(config, flags, log);
  if (!checks) return EXIT.INVALID;
  const listenText = flags.listen ?? config.watch?.listen ?? "127.0.0.1:9464";
  const addr = parseListen(listenText);
  if (!addr) {
    log(`standby: --listen expects host:port (e.g. 127.0.0.1:9464), got '${listenText}'`);
    return EXIT.INVALID;
  }

  const file = historyFile(config, flags);
  let history: HistorySession | null = null;
  if (file) {
    try {
      history = new HistorySession(file, config.history?.maxBytes);
      for (const n of history.notes) log(`standby: history: ${n}`);
    } catch (err) {
      log(`standby: history: cannot read ${file}: ${(err as Error).message}; going on without it`);
    }
  }

  // A daemon outlives bugs: an exception escaping a check (a stray event emitter error) is logged, not fatal.
  const onUncaught = (err: unknown): void => log(`standby watch: unexpected error (continuing): ${err instanceof Error ? err.message : String(err)}`);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);

  // Owned by the process, shared by every engine a reload creates: counters go on, and webhook
  // alerts in flight are cancelled by shutdown only, never by a reload.
  const reloads: ReloadState = { lastSuccessful: true, lastSuccessAt: Date.now(), failures: 0 };
  const counters = newCounters();
  const shutdown = new AbortController();
  const shared = { history, log, reloads, counters, notifySignal: shutdown.signal };
  let engine = new WatchEngine({ config, checks, webhook: config.notify?.webhook, initialRun: flags.initialRun !== false, ...shared });
  let server;
  try {
    server = await startServer(() => engine, addr);
  } catch (err) {
    log(`standby: cannot listen on ${listenText}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
    return EXIT.INVALID;
  }
  engine.start();
  log(`standby watch: ${checks.length} check${checks.length === 1 ? "" : "s"}, listening on http://${addressOf(server)} (/metrics /healthz /report.json); history: ${file ?? "off"}`);

  // SIGHUP: read the config again. Invalid: say why and keep running the previous one. Valid: a
  // new engine takes over the schedule, carrying results and counters of unchanged checks; runs of
  // the old one still going are cancelled (a run lost, nothing recorded twice).
  let reloading: Promise<void> = Promise.resolve();
  const reload = (): void => {
    reloading = reloading.then(async () => {
      log(`standby watch: SIGHUP: reloading ${flags.config}`);
      // Read with fs/promises: /healthz, /metrics and the signals keep being served meanwhile.
      const next = await loadOrReportAsync(flags.config, flags);
      const nextChecks = next ? selectForWatch(next, flags, log) : null;
      if (!next || !nextChecks) {
        reloads.lastSuccessful = false;
        reloads.failures += 1;
        log("standby watch: reload refused; still running the previous config");
        return;
      }
      const restartOnly = [
        (flags.listen ?? next.watch?.listen ?? "127.0.0.1:9464") !== listenText ? "the listen address" : null,
        historyFile(next, flags) !== file ? "the history file" : null,
      ].filter((x): x is string => x !== null);
      if (restartOnly.length) log(`standby watch: ${restartOnly.join(" and ")} changed: that takes a restart; kept as they were`);
      const old = engine;
      const fresh = new WatchEngine({ config: next, checks: nextChecks, webhook: next.notify?.webhook, previous: old, ...shared });
      fresh.start();
      // Only now is the new config the running one (an exception above leaves the old one serving).
      engine = fresh;
      reloads.lastSuccessful = true;
      reloads.lastSuccessAt = Date.now();
      const cancelled = old.runningChecks();
      try {
        await old.stop();
      } catch (err) {
        log(`standby watch: stopping the previous config's engine: ${err instanceof Error ? err.message : String(err)}`);
      }
      log(`standby watch: reloaded: ${nextChecks.length} check${nextChecks.length === 1 ? "" : "s"}${cancelled.length ? `; cancelled the runs of ${cancelled.join(", ")} still going` : ""}`);
    }).catch((err: unknown) => {
      // Keeps the chain alive for the next SIGHUP; the running config goes on.
      reloads.lastSuccessful = false;
      reloads.failures += 1;
      log(`standby watch: reload failed (${err instanceof Error ? err.message : String(err)}); still running the previous config`);
    });
  };
  process.on("SIGHUP", reload);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  // From here a SIGHUP is ignored (its default action would kill the process before the history is synced).
  process.off("SIGHUP", reload);
  process.on("SIGHUP", () => log("standby watch: SIGHUP ignored while shutting down"));
  log(`standby watch: ${signal}: stopping (cancelling ${engine.runningChecks().length} running check(s))`);
  const deadline = setTimeout(() => {
    log("standby watch: shutdown took too long; exiting");
    process.exit(EXIT.FORCED_STOP);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  const again = (): void => {
    log("standby watch: second signal; exiting now");
    process.exit(EXIT.FORCED_STOP);
  };
  process.once("SIGTERM", again);
  process.once("SIGINT", again);
  await reloading;
  shutdown.abort(new Error("standby watch is shutting down"));
  await engine.stop();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  const s = engine.stats();
  log(`standby watch: stopped after ${s.runs} run(s), ${s.skipped} skipped overrun(s); history ${file ? "flushed" : "off"}`);
  // Sockets of checks that ignored their abort signal may still be open: exit rather than wait on them.
  process.exit(EXIT.OK);
}

/** The checks --only and --shard select; null (after saying why) when that is none or the flags are wrong. */
function selectForWatch(config: LoadedConfig, flags: WatchFlags, log: (line: string) => void): LoadedCheck[] | null {
  let checks = selectChecks(config.checks, flags.only);
  if (flags.shard !== undefined) {
    const resolved = resolveShard(flags.shard);
    if ("error" in resolved) {
      log(redact(`standby: ${resolved.error}`));
      return null;
    }
    checks = selectShard(checks, resolved.shard);
  }
  if (checks.length === 0) {
    log(`standby: nothing to watch: no check matches --only/--shard; ids: ${config.checks.map((c) => c.id).join(", ")}`);
    return null;
  }
  return checks;
}
