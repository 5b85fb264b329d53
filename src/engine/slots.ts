// A counting semaphore for long-lived runners (watch, tui): at most `limit` runs at once;
// once `stop` aborts, waiters are released and acquire() answers false.
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly stop: AbortSignal,
  ) {
    stop.addEventListener("abort", () => {
      for (const wake of this.waiting.splice(0)) wake();
    }, { once: true });
  }

  async acquire(): Promise<boolean> {
    while (this.active >= this.limit) {
      if (this.stop.aborted) return false;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    if (this.stop.aborted) return false;
    this.active += 1;
    return true;
  }

  release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }
}
