import { describe, expect, it } from "vitest";
import { FORMATS, isFormat, render } from "../../src/report/index.js";
import { redact } from "../../src/core/secrets.js";
import { secrets } from "../../src/core/secrets.js";
import { mixedReport } from "../fixtures/reports.js";

describe("render()", () => {
  it("knows the five formats", () => {
    expect(FORMATS).toEqual(["text", "json", "markdown", "junit", "prometheus"]);
    expect(isFormat("junit")).toBe(true);
    expect(isFormat("html")).toBe(false);
  });

  it("renders every format from the same report, ending in a newline", () => {
    const report = mixedReport();
    const before = JSON.stringify(report);
    for (const f of FORMATS) {
      const out = render(report, f);
      expect(out.endsWith("\n"), f).toBe(true);
      expect(out, f).toContain("orders-db-lag");
    }
    expect(JSON.stringify(report)).toBe(before); // renderers do not mutate the report
  });

  it("the output redaction pass is idempotent", () => {
    secrets.add("s3cr3t-value");
    try {
      for (const t of ['{"a": "password=***",\n', "<x>pwd=\\*\\*\\*</x>", 'u="password=*** y"}']) {
        expect(redact(t)).toBe(t);
      }
      expect(redact('"password=hunter2",')).toBe('"password=***",');
      expect(redact("x s3cr3t-value y")).toBe("x *** y");
    } finally {
      secrets.clear();
    }
  });
});
