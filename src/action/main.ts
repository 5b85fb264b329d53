// GitHub Action entry, bundled into dist/action.js by `npm run bundle` (action.yml runs it).
// No Ink, no React, no shell: see run.ts.
import { formatCommand } from "./runner-contract.js";
import { redact } from "../core/secrets.js";
import { run } from "./run.js";
import { EXIT } from "../core/exit-codes.js";

// The runner cancels a step with SIGINT, then SIGTERM: running checks become unknown and the
// partial report, outputs and summary are still written.
const cancel = new AbortController();
const onSignal = (): void => cancel.abort(new Error("cancelled"));
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

try {
  const { exitCode } = await run(process.env, undefined, cancel.signal);
  process.exitCode = exitCode;
} catch (err) {
  // Only reached when even the outputs could not be written.
  process.stdout.write(formatCommand("error", { title: "standby: internal error" }, redact(err instanceof Error ? err.message : String(err))) + "\n");
  process.exitCode = EXIT.INTERNAL;
} finally {
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
