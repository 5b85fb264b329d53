// The client runs a kubeconfig's exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin)
// with child_process.spawn, without a timeout and reading its output whole. Its spawn is swapped
// here for one bound to the check: the check's signal (its timeout, a cancelled scan) kills the
// child, and a plugin that prints more than a credential ever is is stopped before it fills memory.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { MiB } from "../byte-cap.js";

/** An ExecCredential is a few KiB; a certificate pair a few more. */
export const MAX_PLUGIN_OUTPUT = 1 * MiB;

/** Binds the exec plugins `kc` (a KubeConfig) would run to `signal`; a client without the hook is left as is. */
export function bindExecPlugins(kc: object, signal: AbortSignal): void {
  const authenticators = (kc as { authenticators?: unknown }).authenticators;
  if (!Array.isArray(authenticators)) return;
  for (const auth of authenticators as Array<{ execFn?: unknown } | null>) {
    if (!auth || typeof auth.execFn !== "function") continue;
    auth.execFn = (command: string, args: readonly string[] | undefined, opts: SpawnOptions = {}): ChildProcess => {
      const child = spawn(command, args ?? [], { ...opts, signal, killSignal: "SIGKILL" });
      // Errors the spawn's own abort raises are the client's to see (it rejects; we already have).
      let bytes = 0;
      const count = (chunk: Buffer | string) => {
        bytes += chunk.length;
        if (bytes <= MAX_PLUGIN_OUTPUT) return;
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.kill("SIGKILL");
        child.emit("error", new Error(`the exec plugin ${command} printed more than 1 MiB (no credential is that large): stopped`));
      };
      child.stdout?.on("data", count);
      child.stderr?.on("data", count);
      return child;
    };
  }
}
