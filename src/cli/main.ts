// Entry point. Commands load their modules lazily so `--version` and `--help` stay instant.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import { DEFAULT_CONFIG } from "./defaults.js";
import { exitQuietlyWhenReaderCloses, printError } from "./output.js";
import { collectHosts, collectList } from "./untrusted-flags.js";
import { EXIT } from "../core/exit-codes.js";

/** --untrusted-config and its allowlists, on every command that loads a config and runs it. */
function untrustedOptions(cmd: Command): Command {
  return cmd
    .option("--untrusted-config", "the config is someone else's: no commands, ${env:} only from --allowed-env, files only under the current directory, hosts only from --allowed-hosts")
    .option("--allowed-env <names>", "with --untrusted-config: environment variables ${env:} may read (comma separated, repeatable)", collectList)
    .option("--allowed-hosts <hosts>", "with --untrusted-config: the only hosts to connect to (host, *.domain, address, each with an optional :port)", collectHosts);
}

export async function main(argv: readonly string[]): Promise<void> {
  exitQuietlyWhenReaderCloses();
  const program = new Command("standby")
    .description("Configuration-drift and standby-readiness scanner: would the standby take over cleanly right now?")
    .version(VERSION, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("scan")
    .description("run the checks once and report readiness")
    .option("-c, --config <file>", "config file", DEFAULT_CONFIG)
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "markdown", "junit", "prometheus"]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--only <ids...>", "run only these check ids or globs (also matches kind or service)")
    .addOption(new Option("--fail-on <level>", "exit 1 when the status is at least this bad").choices(["not-ready", "degraded", "never"]).default("not-ready"))
    .option("--concurrency <n>", "checks run at once (default: defaults.concurrency)", parsePositiveInt)
    .option("--due", "run only the checks whose schedule came due since their last run (from the history)")
    .option("--shard <i/n>", "run only shard I of N (a stable subset by hashing check ids), e.g. 2/4; auto in a Kubernetes Indexed Job")
    .option("--history <file>", "history file (default: history.file, .standby/history.jsonl beside the config)")
    .option("--no-history", "do not read or append the history")
    .action(async (opts) => {
      const { scanCommand } = await import("./scan-command.js");
      process.exitCode = await scanCommand(opts);
    });

  program
    .command("watch")
    .description("run each check on its own schedule, serve /metrics, /healthz and /report.json; SIGHUP reloads the config")
    .option("-c, --config <file>", "config file", DEFAULT_CONFIG)
    .option("--listen <host:port>", "address to serve on (default: watch.listen, 127.0.0.1:9464; port 0 picks one)")
    .option("--only <ids...>", "watch only these check ids or globs (also matches kind or service)")
    .option("--shard <i/n>", "watch only shard I of N (a stable subset by hashing check ids); auto in a Kubernetes Indexed Job")
    .option("--history <file>", "history file (default: history.file, .standby/history.jsonl beside the config)")
    .option("--no-history", "do not read or append the history")
    .option("--no-initial-run", "do not run every check once at start (results from the history are shown until their schedules run them)")
    .action(async (opts) => {
      const { watchCommand } = await import("./watch-command.js");
      process.exitCode = await watchCommand(opts);
    });

  program
    .command("tui")
    .description("interactive terminal UI: live results, drill-down into the evidence, filter, re-run (text report when not a terminal)")
    .option("-c, --config <file>", "config file", DEFAULT_CONFIG)
    .option("--only <ids...>", "show only these check ids or globs (also matches kind or service)")
    .option("--refresh <duration>", "re-run every check this often (e.g. 1m, 5m; default 30s; 0 for never); checks also run on their schedules")
    .option("--history <file>", "history file (default: history.file, .standby/history.jsonl beside the config)")
    .option("--no-history", "do not read or append the history")
    .action(async (opts) => {
      const { tuiCommand } = await import("./tui-command.js");
      process.exitCode = await tuiCommand(opts);
    });

  program
    .command("demo")
    .description("start a local primary/standby demo environment on loopback and open the TUI on it")
    .option("--no-tui", "print the text report instead of opening the TUI")
    .option("--no-postgres", "do not start PostgreSQL even when its binaries are installed")
    .option("--refresh <duration>", "re-run every check this often in the TUI", "30s")
    .option("--keep", "keep the demo directory (config, certificates, history) after exit")
    .action(async (opts) => {
      const { demoCommand } = await import("./demo-command.js");
      process.exitCode = await demoCommand(opts);
    });

  program
    .command("history")
    .description("score and status over time, and the checks that flap")
    .option("-c, --config <file>", "config file (locates the history)", DEFAULT_CONFIG)
    .option("--history <file>", "history file (default: from the config)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--last <n>", "only the last N records", parsePositiveInt)
    .option("--since <duration>", "only records newer than this (e.g. 7d, 12h)")
    .action(async (opts) => {
      const { historyCommand } = await import("./history-command.js");
      process.exitCode = await historyCommand(opts);
    });

  program
    .command("merge")
    .description("combine JSON reports (e.g. from --shard runs) into one report with the same score rules")
    .argument("<reports...>", "JSON report files (from scan --format json)")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "markdown", "junit", "prometheus"]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .addOption(new Option("--fail-on <level>", "exit 1 when the status is at least this bad").choices(["not-ready", "degraded", "never"]).default("not-ready"))
    .option("--min-score <n>", "minimum score (default: the reports' minScore)", parseScore)
    .action(async (files: string[], opts) => {
      const { mergeCommand } = await import("./merge-command.js");
      process.exitCode = await mergeCommand(files, opts);
    });

  program
    .command("validate")
    .description("check the config file and the local files its checks read, and exit (2 when invalid)")
    .option("-c, --config <file>", "config file", DEFAULT_CONFIG)
    .option("--offline", "read no ${env:} or ${file:} value (a job without secrets): check everything else")
    .action(async (opts) => {
      const { validateCommand } = await import("./validate-command.js");
      process.exitCode = await validateCommand(opts);
    });

  program
    .command("schema")
    .description("print the JSON Schema of standby.yml (for editor completion)")
    .action(async () => {
      const { schemaCommand } = await import("./schema-command.js");
      process.exitCode = schemaCommand();
    });

  program
    .command("list-checks")
    .description("list the check kinds with their description and docs; with KIND, print that kind's manual")
    .argument("[kind]", "a check kind, e.g. config-drift: print its manual (checks/KIND/README.md)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (kind: string | undefined, opts) => {
      const { listChecksCommand } = await import("./list-checks-command.js");
      process.exitCode = listChecksCommand(kind, opts);
    });

  for (const name of ["scan", "watch", "tui", "validate"]) untrustedOptions(program.commands.find((c) => c.name() === name)!);

  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every usage error is exit 2 (DESIGN.md exit codes).
      process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.INVALID;
      return;
    }
    printError(err);
    process.exitCode = EXIT.INTERNAL;
  }
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`expected a score from 0 to 100, got '${value}'`);
  return n;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}
