// What the checks of one run share (DESIGN: checks are independent; this is the one exception,
// for clients whose sharing changes verdicts, such as the AWS client pool and its retry budget).
// A scan or a run of one check owns a scope and closes it when it ends, so nothing cached in it
// (clients, assumed-role credentials) outlives the run: watch and continuous mode start fresh.
export class RunScope {
  private readonly entries = new Map<symbol, { value: unknown; close?: ((value: never) => void | Promise<void>) | undefined }>();
  private closed = false;

  /** The scope's value under `key`, made on first use; `close` runs when the scope closes. */
  shared<T>(key: symbol, make: () => T, close?: (value: T) => void | Promise<void>): T {
    if (this.closed) throw new Error("run scope already closed");
    const hit = this.entries.get(key);
    if (hit) return hit.value as T;
    const value = make();
    this.entries.set(key, { value, close: close as ((value: never) => void | Promise<void>) | undefined });
    return value;
  }

  /** Closes every value (errors are swallowed: a run's end never fails on cleanup). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(async (e) => {
      try {
        await e.close?.(e.value as never);
      } catch {
        /* cleanup only */
      }
    }));
  }
}
