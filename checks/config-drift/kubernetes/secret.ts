// Secret values never leave the check, nor does anything a dictionary could turn back into them:
// each value is replaced by an HMAC under a key drawn for this run only, so equal values on both
// sides compare equal and nothing printed or stored outlives the run.
import { createHmac, randomBytes } from "node:crypto";
import { setOwn } from "../../../src/core/own-property.js";
import type { KubeObject } from "../../../src/probes/kubernetes/index.js";

/** Paths whose values a finding never shows, even as hashes (the differ hides them). */
export const SECRET_PATHS: readonly string[] = ["data", "stringData"];

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

export class SecretHasher {
  private readonly key = randomBytes(32);

  /**
   * The Secret with its data hashed: `data` values are base64 (decoded first, so the hash is of
   * the bytes), `stringData` values plain text. kubectl's last-applied annotation holds the values
   * in clear and is dropped whatever the rules say.
   */
  hash(obj: KubeObject): KubeObject {
    const out: KubeObject = { ...obj };
    if (isMap(obj.data)) out.data = this.hashMap(obj.data, true);
    if (isMap(obj.stringData)) out.stringData = this.hashMap(obj.stringData, false);
    const annotations = obj.metadata.annotations;
    if (isMap(annotations) && LAST_APPLIED in annotations) {
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(annotations)) if (k !== LAST_APPLIED) setOwn(rest, k, v);
      out.metadata = { ...obj.metadata, annotations: rest };
    }
    return out;
  }

  private hashMap(map: Record<string, unknown>, base64: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(map)) {
      const bytes = typeof v === "string" ? (base64 ? Buffer.from(v, "base64") : Buffer.from(v, "utf8")) : Buffer.from(JSON.stringify(v) ?? "");
      setOwn(out, k, `hmac-sha256:${createHmac("sha256", this.key).update(bytes).digest("hex").slice(0, 32)}`);
    }
    return out;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
