// The process exit codes (README "Exit codes", DESIGN.md): named once, so no command writes a bare
// `return 2`. In core because the CLI, the Action and the TUI all exit with them.
export const EXIT = {
  /** Ready enough for --fail-on, or a command that did its job. */
  OK: 0,
  /** The status is at least as bad as --fail-on (NOT_READY by default, UNKNOWN too). */
  NOT_READY: 1,
  /** Invalid config, flags or inputs: nothing was judged. */
  INVALID: 2,
  /** standby itself broke. */
  INTERNAL: 3,
  /** watch: a shutdown cut short (a second signal, or past its deadline); history may be unsynced. */
  FORCED_STOP: 1,
  /** The terminal hung up (128 + SIGHUP). */
  HANGUP: 129,
  /** Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
