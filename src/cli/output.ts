// Terminal helpers: color decisions and error printing (redacted, no stack traces).
import { redact } from "../config/secrets.js";

/** NO_COLOR (https://no-color.org) wins; FORCE_COLOR forces; otherwise only on a TTY. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && process.env.TERM !== "dumb";
}

export function printError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`standby: internal error: ${redact(message)}\n`);
  if (process.env.STANDBY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
}
