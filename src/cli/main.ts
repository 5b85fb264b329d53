// Entry point. Commands load their modules lazily so `--version` and `--help` stay instant.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import { printError } from "./output.js";

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command("standby")
    .description("Configuration-drift and standby-readiness scanner: would the standby take over cleanly right now?")
    .version(VERSION, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("scan")
    .description("run the checks once and report readiness")
    .option("-c, --config <file>", "config file", "standby.yml")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "markdown", "junit", "prometheus"]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--only <ids...>", "run only these check ids or globs (also matches kind or service)")
    .addOption(new Option("--fail-on <level>", "exit 1 when the status is at least this bad").choices(["not-ready", "degraded", "never"]).default("not-ready"))
    .option("--concurrency <n>", "checks run at once (default: defaults.concurrency)", parsePositiveInt)
    .action(async (opts) => {
      const { scanCommand } = await import("./scan-command.js");
      process.exitCode = await scanCommand(opts);
    });

  program
    .command("validate")
    .description("check the config file and exit (2 when invalid)")
    .option("-c, --config <file>", "config file", "standby.yml")
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
    .description("list the check kinds with their description and docs")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (opts) => {
      const { listChecksCommand } = await import("./list-checks-command.js");
      process.exitCode = listChecksCommand(opts);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every usage error is exit 2 (DESIGN.md exit codes).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    printError(err);
    process.exitCode = 3;
  }
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}
