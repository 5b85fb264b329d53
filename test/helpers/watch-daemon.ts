// `standby watch` as a real process on a free loopback port: resolves once it says where it listens.
import { spawn, type ChildProcess } from "node:child_process";
import { BIN } from "./cli.js";

export interface Daemon {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export async function startWatch(config: string, opts: { cwd: string; args?: string[]; children?: ChildProcess[] }): Promise<Daemon> {
  const child = spawn(process.execPath, [BIN, "watch", "-c", config, "--listen", "127.0.0.1:0", ...(opts.args ?? [])], { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  opts.children?.push(child);
  let err = "";
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 10_000);
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exit.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, base, stderr: () => err, exit };
}
