// Reading the two sides of a check, one way for every kind: both sides are read at once, each
// under a label ("standby https://host") that a timeout names, and a side that cannot be read
// becomes an undecided reading whose message starts with that label. A bug (an error without a
// reason) still throws: the runner reports it as a crash instead of hiding it.
import { isReasoned } from "../engine/failure.js";
import type { CheckContext, Side } from "../engine/types.js";
import type { Undecided } from "../engine/verdict.js";

export interface SidesRead<T> {
  primary?: T;
  standby?: T;
  /** The sides that could not be read, primary first. */
  undecided: Undecided[];
}

/**
 * Reads every side given a target (URL origin, host:port, file path: how messages name it) with
 * `read`. Sides without a target are not read.
 */
export async function readSides<T>(
  ctx: Pick<CheckContext, "reading">,
  targets: Partial<Record<Side, string>>,
  read: (side: Side) => Promise<T>,
): Promise<SidesRead<T>> {
  const sides = (["primary", "standby"] as const).filter((s) => targets[s] !== undefined);
  const settled = await Promise.allSettled(sides.map((side) => ctx.reading(`${side} ${targets[side]}`, () => read(side))));
  const out: SidesRead<T> = { undecided: [] };
  settled.forEach((r, i) => {
    const side = sides[i]!;
    if (r.status === "fulfilled") out[side] = r.value;
    else if (isReasoned(r.reason)) out.undecided.push({ reason: r.reason.reason, message: sideMessage(side, targets[side]!, r.reason.message) });
    else throw r.reason;
  });
  return out;
}

/**
 * "standby https://host: connection refused": the side first, then the target, then the cause,
 * without repeating what the probe's message already says. `side` may also name a reading that
 * is no side ("node dr", "sentinel"), worded the same way.
 */
export function sideMessage(side: string, target: string, message: string): string {
  if (message.startsWith(`${side} `) || message.startsWith(`${side}:`)) return message;
  if (target !== "" && message.startsWith(target)) return `${side} ${message}`;
  return `${side} ${target}: ${message}`;
}
