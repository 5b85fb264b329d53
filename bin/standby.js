#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm run build` (run by `npm install`).
import("../build/cli/main.js").then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write("standby: not built yet; run `npm install` (or `npm run build`) first\n");
  } else {
    process.stderr.write(`standby: internal error: ${err && err.message ? err.message : err}\n`);
  }
  process.exit(3); // internal error (EXIT.INTERNAL in src/core/exit-codes.ts)
});
