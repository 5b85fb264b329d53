// The GitHub Actions runner contract, implemented directly (it is small, and @actions/core
// would add a dependency for four functions): workflow commands on stdout, step outputs
// appended to $GITHUB_OUTPUT, the job summary appended to $GITHUB_STEP_SUMMARY.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { EOL } from "node:os";

/** Workflow command data (the part after `::`): the runner unescapes %25, %0D and %0A. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow command property values (`file=...,title=...`): also `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type CommandProperties = Record<string, string | number | undefined>;

/** `::command key=value,key=value::message`, every part escaped. */
export function formatCommand(command: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
}

export type AnnotationLevel = "error" | "warning" | "notice";

/** Where the runner's contract points: env (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and a stdout sink. */
export class Runner {
  private readonly write: (text: string) => void;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    write?: (text: string) => void,
  ) {
    this.write = write ?? ((text) => void process.stdout.write(text));
  }

  /** A plain log line. Callers pass only trusted text here (see `untrusted` for the rest). */
  log(line: string): void {
    this.write(line + EOL);
  }

  command(command: string, properties: CommandProperties, message: string): void {
    this.write(formatCommand(command, properties, message) + EOL);
  }

  /**
   * `core.setSecret`: the runner masks the value in every later log line. A multi-line value
   * is masked line by line as well (the runner matches masks within a line).
   */
  addMask(value: string): void {
    const parts = new Set([value, ...value.split(/\r?\n/)].map((s) => s.trim()).filter((s) => s !== ""));
    for (const part of parts) this.command("add-mask", {}, part);
  }

  annotate(level: AnnotationLevel, properties: AnnotationProperties, message: string): void {
    this.command(level, { ...properties }, message);
  }

  group(title: string, body: () => void): void {
    this.command("group", {}, title);
    try {
      body();
    } finally {
      this.command("endgroup", {}, "");
    }
  }

  /**
   * Text that may contain anything a remote endpoint returned: workflow command processing
   * is stopped around it (`::stop-commands::<token>`), so a line starting with `::` is shown,
   * not obeyed. Masks still apply.
   */
  untrusted(text: string): void {
    const token = `standby-${randomUUID()}`;
    this.command("stop-commands", {}, token);
    this.write(text.endsWith("\n") ? text : text + EOL);
    this.write(`::${token}::` + EOL);
  }

  /** Step outputs, appended to $GITHUB_OUTPUT in the heredoc form (values may span lines). */
  setOutputs(outputs: Readonly<Record<string, string>>): boolean {
    const file = this.env.GITHUB_OUTPUT;
    if (!file) return false;
    let text = "";
    for (const [name, value] of Object.entries(outputs)) text += heredoc(name, value);
    appendFileSync(file, text, { encoding: "utf8" });
    return true;
  }

  /** Appends Markdown to the job summary; false when the runner gave no summary file. */
  appendSummary(markdown: string): boolean {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (!file) return false;
    appendFileSync(file, markdown.endsWith("\n") ? markdown : markdown + "\n", { encoding: "utf8" });
    return true;
  }
}

/** `name<<DELIM\nvalue\nDELIM\n` with a random delimiter that cannot occur in the value. */
export function heredoc(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`invalid output name ${JSON.stringify(name)}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (value.includes(delimiter)) throw new Error(`output ${name}: value contains the delimiter`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
