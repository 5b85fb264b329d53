// One cap on the bytes a probe reads from a server, counted where they arrive (a socket's 'data'
// events, a datagram), not where a driver has parsed them: ioredis, pg and mysql2 buffer a reply
// until it is complete, and a hostile reply can claim gigabytes ("$2147483648") and stream them.
// Past the cap every watched socket is destroyed and the probe fails as invalid-response, with a
// message naming the limit, instead of the process growing until V8 aborts.
import { ProbeError } from "./errors.js";

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Error code of a ProbeError for a passed read cap. */
export const READ_LIMIT_CODE = "READ_LIMIT";

/** 16 MiB, 256 KiB, 900 bytes: how a limit is named in messages and docs. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} bytes`;
}

/** What a cap needs of a stream: its data events, and a way to stop it. */
export interface ReadableSocket {
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  destroy(error?: Error): unknown;
}

export interface ByteCapOptions {
  limit: number;
  /** Who sent it, for the message: "reply from redis://127.0.0.1:6379". */
  what: string;
  /** What the limit counts over, for the message: "connection", "handshake". */
  per?: string;
}

export class ByteCap {
  readonly limit: number;
  private bytes = 0;
  private error: ProbeError | null = null;
  private readonly watched = new WeakSet<object>();
  private readonly live = new Set<ReadableSocket>();
  private trip: (err: ProbeError) => void = () => undefined;
  /** Rejects with the cap's ProbeError the moment the cap is passed; never resolves. */
  readonly exceededSignal: Promise<never>;

  constructor(private readonly options: ByteCapOptions) {
    this.limit = options.limit;
    this.exceededSignal = new Promise<never>((_, reject) => {
      this.trip = reject;
    });
    this.exceededSignal.catch(() => undefined); // nobody may be racing it
  }

  /** Bytes counted so far. */
  get read(): number {
    return this.bytes;
  }

  /** The ProbeError once the cap was passed, else null. */
  get exceeded(): ProbeError | null {
    return this.error;
  }

  /** Count n bytes read; true when the cap is (now or already) passed, and the watched sockets are destroyed. */
  add(n: number): boolean {
    if (this.error) return true;
    this.bytes += n;
    if (this.bytes <= this.limit) return false;
    const { what, per } = this.options;
    const scope = per ? `the read limit per ${per}` : "the read limit";
    this.error = new ProbeError("invalid-response", `${what} exceeded ${formatBytes(this.limit)} (${scope})`, { code: READ_LIMIT_CODE });
    for (const s of this.live) s.destroy();
    this.live.clear();
    this.trip(this.error);
    return true;
  }

  /** Count every chunk the stream emits; once per stream. */
  watch(stream: ReadableSocket | null | undefined): void {
    if (!stream || typeof stream.on !== "function" || this.watched.has(stream)) return;
    this.watched.add(stream);
    if (this.error) {
      stream.destroy();
      return;
    }
    this.live.add(stream);
    stream.on("data", (chunk: Buffer | string) => {
      this.add(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length);
    });
  }

  /**
   * Watch `owner[key]` now and whatever stream a driver puts there later: drivers replace their
   * socket by a TLS socket after STARTTLS (pg, mysql2), or create it only on connect (ioredis).
   */
  follow(owner: object, key: string): void {
    const bag = owner as Record<string, unknown>;
    let current = bag[key];
    this.watch(current as ReadableSocket | undefined);
    Object.defineProperty(owner, key, {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (value: unknown) => {
        current = value;
        this.watch(value as ReadableSocket | undefined);
      },
    });
  }

  /** The work, or the cap's error as soon as the cap is passed (a driver is slow to notice its socket closed). */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.exceededSignal]);
  }
}
