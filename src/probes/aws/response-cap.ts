// The cap on an AWS answer's body, counted as it arrives: the SDK's deserializer buffers a body
// whole, whatever its size. Every client of the pool (pool.ts) and the STS client of an
// assumed role (credentials.ts) carry it; S3 GetObject streams are capped by their reader.
import { PassThrough, type Readable } from "node:stream";
import { ByteCap, MiB, READ_LIMIT_CODE } from "../byte-cap.js";

/** Per response: a page of summaries is tens of KiB. */
export const MAX_RESPONSE_BYTES = 16 * MiB;

/** What the cap needs of a command's or a client's middleware stack. */
export interface CappedStack {
  add(middleware: unknown, options: { step: "deserialize"; priority: "low"; name: string }): void;
}

/**
 * Counts each response's body as it arrives (inside the deserializer, which buffers it whole)
 * and ends it past `limit`: invalid-response, not a process growing without bound. The count
 * runs over the command's attempts (a retried command reads at most `limit` in all).
 */
export function capResponses(stack: CappedStack | undefined, limit: number, what: string): ByteCap | null {
  if (!stack || typeof stack.add !== "function") return null;
  const cap = new ByteCap({ limit, what });
  stack.add(
    (next: (args: unknown) => Promise<{ response: { body?: unknown } }>) => async (args: unknown) => {
      const out = await next(args);
      const response = out.response;
      const body = response.body as Readable | undefined;
      if (body && typeof body.pipe === "function") {
        // A counted copy replaces the body: nothing flows before the deserializer reads it.
        const counted = new PassThrough();
        body.on("error", (e) => counted.destroy(e));
        body.pipe(counted);
        // The SDK gets an error of its own to decorate; send() throws the cap's, untouched.
        // The SDK decorates the error that ends the stream: a copy of the cap's message, so the
        // ProbeError send() throws stays untouched, and where no send() throws it (the STS client
        // of a credentials provider) the SDK's error still says what happened.
        cap.watch({ on: (event, listener) => body.on(event, listener), destroy: () => (body.destroy(), counted.destroy(Object.assign(new Error(cap.exceeded?.message ?? "read limit"), { code: READ_LIMIT_CODE }))) });
        response.body = counted;
      }
      return out;
    },
    { step: "deserialize", priority: "low", name: "standbyByteCap" },
  );
  return cap;
}
