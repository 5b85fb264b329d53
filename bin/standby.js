#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm run build` (run by `npm install`).
import("../build/cli/main.js").then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    // A checkout builds on `npm ci` (prepare); a packed package carries build/ (prepack).
    process.stderr.write("standby: build/cli/main.js is missing: in a checkout run `npm ci` (or `npm run build`); an installed package is incomplete, reinstall it\n");
  } else {
    process.stderr.write(`standby: internal error: ${err && err.message ? err.message : err}\n`);
  }
  process.exit(3); // internal error (EXIT.INTERNAL in src/core/exit-codes.ts)
});
