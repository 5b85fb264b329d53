// Resolves a name to every address the system resolver returns (A and AAAA), the way clients
// see it. getaddrinfo cannot be cancelled, so the signal and the deadline only stop waiting
// for it; the lookup itself finishes in the background.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { abortedStep, ProbeError, timedOut } from "./errors.js";
import { networkCause } from "./network-error.js";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface LookupAllOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** getaddrinfo's "no address" codes the shared classifier does not list: the name has none. */
const LOOKUP_CAUSES = { EAI_NODATA: { reason: "unreachable", words: "host not found" }, ENODATA: { reason: "unreachable", words: "host not found" } } as const;

/** Every address of `host` (IPv4 first, duplicates dropped); an IP literal resolves to itself. */
export async function lookupAll(host: string, options: LookupAllOptions = {}): Promise<ResolvedAddress[]> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  if (literal) return [{ address: bare, family: literal as 4 | 6 }];
  const timeoutMs = options.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(`DNS lookup of ${host}`, timeoutMs)), timeoutMs);
    onAbort = () => reject(abortedStep(`DNS lookup of ${host}`, options.signal!));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const found = await Promise.race([lookup(bare, { all: true, verbatim: true }), stop]);
    const seen = new Set<string>();
    const out: ResolvedAddress[] = [];
    for (const a of found) {
      if (seen.has(a.address)) continue;
      seen.add(a.address);
      out.push({ address: a.address, family: a.family === 6 ? 6 : 4 });
    }
    if (out.length === 0) throw new ProbeError("unreachable", `host not found: ${host} has no A or AAAA address`, { code: "ENODATA" });
    return out.sort((a, b) => a.family - b.family);
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // The one classifier's reason and words (EAI_AGAIN reads as in every other transport).
    const cause = networkCause(code, LOOKUP_CAUSES);
    if (cause?.words === "host not found") throw new ProbeError(cause.reason, `host not found: ${host} (${code})`, { code: code! });
    if (cause) throw new ProbeError(cause.reason, `DNS lookup of ${host}: ${cause.words} (${code})`, { code: code! });
    throw new ProbeError("error", `DNS lookup of ${host} failed${code ? ` (${code})` : ""}`, code ? { code } : {});
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
  }
}

