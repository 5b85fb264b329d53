// Preloaded into a CLI child (node --import) by peak-rss.ts: on exit, writes the process's peak
// resident set size (KiB, getrusage ru_maxrss) to $STANDBY_TEST_MAXRSS_FILE.
import { writeFileSync } from "node:fs";

const out = process.env.STANDBY_TEST_MAXRSS_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
