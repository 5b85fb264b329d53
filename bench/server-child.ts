// The fake servers of a benchmark run in a child process (the same file, run with --server), so
// the scanner's CPU is measured apart from theirs. A question is a message; the answer the next one.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ServerChild {
  child: ChildProcess;
  /** Sends `msg` (null: only waits) and resolves with the child's next message. */
  ask<T>(msg: object | null): Promise<T>;
  /** The child's peak RSS in MB (it answers { rssMb } to { rss: true }). */
  rssMb(): Promise<number>;
}

export function forkServer(moduleUrl: string): ServerChild {
  const child = fork(fileURLToPath(moduleUrl), ["--server"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = <T>(msg: object | null): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      child.once("message", (m) => resolve(m as T));
      child.once("error", reject);
      if (msg) child.send(msg);
    });
  return { child, ask, rssMb: async () => (await ask<{ rssMb: number }>({ rss: true })).rssMb };
}
