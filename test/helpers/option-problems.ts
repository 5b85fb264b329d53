// Invalid options as the user sees them: one check with these options goes through the config
// loader (JSON is YAML), and each problem comes back as "dotted.path: message" relative to the
// check, e.g. "primary.url: expected an http:// or https:// URL" (": ..." for the check itself).
// [] when the options load.
import { loadConfigText } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/errors.js";

const CHECK_PATH = "services[0].checks[0]";

export function optionProblems(kind: string, options: Record<string, unknown>): string[] {
  const check = JSON.stringify({ id: "c", kind, ...options });
  const text = `version: 1\nhistory: { enabled: false }\nservices:\n  - name: s\n    checks:\n      - ${check}\n`;
  try {
    loadConfigText(text, { baseDir: process.cwd(), displayName: "standby.yml", env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => {
      const path = i.path.startsWith(CHECK_PATH) ? i.path.slice(CHECK_PATH.length).replace(/^\./, "") : i.path;
      return `${path}: ${i.message}`;
    });
  }
}
