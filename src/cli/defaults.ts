// Defaults the command line shares; a module of its own so that main.ts loads nothing heavy.

/** What -c defaults to: standby.yml in the current directory. */
export const DEFAULT_CONFIG = "standby.yml";
