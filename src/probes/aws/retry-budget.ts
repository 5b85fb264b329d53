// One retry budget per AWS endpoint and identity, shared by every client of a run (pool.ts), so a
// scan of many AWS checks retries like the checks run one at a time. The SDK's own adaptive mode
// keeps its retry quota and rate limiter per client: twelve clients against one throttling
// endpoint then collide, and a request whose every attempt lands in the endpoint's refusals fails
// "after 3 attempts" though the endpoint served the others all along. Here:
// - a throttled attempt counts against the request's own maxAttempts only when the endpoint
//   served no other request of the same operation since the request's previous attempt failed
//   (alone, that is every throttled attempt: exactly the SDK's maxAttempts); otherwise it is
//   congestion, paid from the shared retry quota (the SDK's 500-token bucket) and capped at
//   CONGESTION_ATTEMPTS times maxAttempts;
// - one send-rate limiter per budget slows every client of the endpoint after a throttle.
// Implements the SDK's RetryStrategyV2 shape structurally: no SDK import (it loads lazily).

export type RetryErrorType = "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR";

export interface RetryErrorInfo {
  errorType: RetryErrorType;
  retryAfterHint?: Date;
}

/** The SDK's retry token interface, plus what the budget tracks per request. */
export class BudgetToken {
  constructor(
    /** Operation (the retry scope: the command's name). */
    readonly op: string,
    private readonly count: number,
    private readonly delay: number,
    private readonly cost: number,
    /** Failed attempts that count against maxAttempts (not explained by congestion). */
    readonly own: number,
    /** The operation's served count when the previous attempt failed (or the first was sent). */
    readonly mark: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
  getRetryCost(): number {
    return this.cost;
  }
}

/** The SDK's retry quota: 500 tokens, 5 per throttled retry, 10 per other, 1 back per success. */
const CAPACITY = 500;
const THROTTLE_COST = 5;
const RETRY_COST = 10;
/** A request retried for congestion stops after this many times maxAttempts attempts in all. */
export const CONGESTION_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const THROTTLE_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms).unref?.()),
  random: Math.random,
};

export class RetryBudget {
  private capacity = CAPACITY;
  private readonly served = new Map<string, number>();
  readonly limiter: SendRateLimiter;

  constructor(private readonly clock: BudgetClock = realClock) {
    this.limiter = new SendRateLimiter(clock);
  }

  /** The retry strategy one client hands its SDK (`retryStrategy`); state lives in the budget. */
  strategy(maxAttempts: number) {
    const mode = "adaptive";
    return {
      mode,
      acquireInitialRetryToken: async (scope: string): Promise<BudgetToken> => {
        await this.limiter.acquire();
        return new BudgetToken(scope ?? "", 0, 0, 0, 0, this.servedOf(scope ?? ""));
      },
      refreshRetryTokenForRetry: async (token: BudgetToken, info: RetryErrorInfo): Promise<BudgetToken> => {
        const next = this.refresh(token, info, maxAttempts);
        await this.limiter.acquire();
        return next;
      },
      recordSuccess: (token: BudgetToken): void => this.success(token),
      maxAttempts: async () => maxAttempts,
    };
  }

  /** Remaining quota (tests, evidence). */
  get quota(): number {
    return this.capacity;
  }

  private servedOf(op: string): number {
    return this.served.get(op) ?? 0;
  }

  private refresh(token: BudgetToken, info: RetryErrorInfo, maxAttempts: number): BudgetToken {
    const throttled = info.errorType === "THROTTLING";
    if (!throttled && info.errorType !== "TRANSIENT") throw new Error("not retryable");
    if (throttled) this.limiter.throttled();
    const served = this.servedOf(token.op);
    const congestion = throttled && served > token.mark;
    const own = token.own + (congestion ? 0 : 1);
    const attempts = token.getRetryCount() + 1;
    const cost = throttled ? THROTTLE_COST : RETRY_COST;
    if (own >= maxAttempts || attempts >= maxAttempts * CONGESTION_ATTEMPTS || this.capacity < cost) throw new Error("retries exhausted");
    this.capacity -= cost;
    const base = throttled ? THROTTLE_BASE_DELAY_MS : BASE_DELAY_MS;
    let delay = Math.floor(this.clock.random() * Math.min(MAX_DELAY_MS, base * 2 ** token.getRetryCount()));
    if (info.retryAfterHint instanceof Date) delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - this.clock.now(), delay + 5000));
    return new BudgetToken(token.op, attempts, delay, cost, own, served);
  }

  private success(token: BudgetToken): void {
    this.served.set(token.op, this.servedOf(token.op) + 1);
    this.capacity = Math.min(CAPACITY, this.capacity + (token.getRetryCost() || 1));
    this.limiter.succeeded();
  }
}

/** Sends per second never throttled below this: a scan must still finish within its checks' timeouts. */
const MIN_RATE = 4;
/** One multiplicative decrease per this many ms (a burst of refusals is one signal, as TCP reacts once per round trip). */
const DECREASE_EVERY_MS = 500;

/**
 * A client-side token bucket, off until the endpoint first throttles: then its rate starts at 70%
 * of the measured send rate and grows by one send per second with each success (AIMD). Shared by
 * every client of an endpoint, so twelve clients slow down together instead of each on its own.
 */
export class SendRateLimiter {
  private enabled = false;
  private rate = 0;
  private tokens = 0;
  private last = 0;
  private lastDecrease = -Infinity;
  /** Send times of the last second, oldest first (a ring over an array with a moving head). */
  private sends: number[] = [];
  private head = 0;

  constructor(private readonly clock: BudgetClock) {}

  async acquire(): Promise<void> {
    this.recordSend();
    if (!this.enabled) return;
    this.refill();
    while (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      this.refill();
    }
    this.tokens -= 1;
  }

  throttled(): void {
    const now = this.clock.now();
    if (now - this.lastDecrease < DECREASE_EVERY_MS) return;
    this.lastDecrease = now;
    this.refill();
    const from = this.enabled ? Math.min(this.rate, this.measured()) : this.measured();
    this.rate = Math.max(MIN_RATE, 0.7 * from);
    this.tokens = Math.min(this.tokens, this.rate);
    this.enabled = true;
  }

  succeeded(): void {
    if (!this.enabled) return;
    this.refill();
    this.rate += 1;
    // Twice what is actually sent: the limit no longer limits anything.
    if (this.rate > 2 * this.measured() + MIN_RATE) this.enabled = false;
  }

  /** Current rate limit in sends per second; 0 while off. */
  get limit(): number {
    return this.enabled ? this.rate : 0;
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.last) this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private recordSend(): void {
    this.sends.push(this.clock.now());
    this.trim();
  }

  private measured(): number {
    this.trim();
    return this.sends.length - this.head;
  }

  private trim(): void {
    const since = this.clock.now() - 1000;
    while (this.head < this.sends.length && this.sends[this.head]! < since) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sends.length) {
      this.sends = this.sends.slice(this.head);
      this.head = 0;
    }
  }
}
