// What a shared-fate result carries: what was compared, and what discovery found behind the
// sides' hosts.
import type { Side } from "../../src/kit/index.js";

/** What can be shared: the finding paths (dependencies as `dependencies.<name>`). */
export type SharedKey = "region" | "zones" | "account" | "dns" | "identity" | "network" | "dependencies";

export interface Discovered {
  /** host -> its zone's NS hosts */
  nameservers: Record<string, string[]>;
  /** host -> addresses */
  addresses: Record<string, string[]>;
}

export interface SharedFateEvidence {
  /** What both sides declared or discovery found, in the order compared. */
  compared: SharedKey[];
  /** What one side or both left out (or discovery could not find): not shown to be independent. */
  notCompared: SharedKey[];
  /** With hosts on both sides: what the resolver found per side. */
  discovered?: Record<Side, Discovered>;
  /** Lookups that failed, side first ("standby b.example.com: ..."). */
  discoveryErrors?: string[];
}
