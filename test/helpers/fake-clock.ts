// An injected clock for the scheduler: time moves only when the test advances it.
import type { Clock, TimerHandle } from "../../src/schedule/clock.js";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets pending promise callbacks and I/O callbacks run (one macrotask turn). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start: Date | number) {
    this.t = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** A promise that resolves when fake time reaches now + ms. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  /** Fires every timer due up to `target` in time order, letting async work settle after each. */
  async advanceTo(target: number | Date): Promise<void> {
    const end = typeof target === "number" ? target : target.getTime();
    for (;;) {
      let next: [number, Timer] | null = null;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq))) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await flush();
    }
    this.t = Math.max(this.t, end);
    await flush();
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.t + ms);
  }
}
