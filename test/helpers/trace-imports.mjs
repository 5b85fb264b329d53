// Loaded with `node --import`: records every module URL the process resolves into $STANDBY_TRACE_FILE.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.STANDBY_TRACE_FILE) appendFileSync(process.env.STANDBY_TRACE_FILE, r.url + "\\n");
  return r;
}`),
);
