// A real authoritative DNS server for tests: NSD (Debian package nsd) on a free loopback port,
// serving the zone files a test writes, with known TTLs and SOA values. No recursion, no
// chroot, no privilege drop; everything lives in a temp dir and is removed on stop().
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { queryDns } from "../../../src/probes/dns-authoritative.js";
import { findBinary, freePort, removeDir, startProcess, tempDir, waitFor, type Proc } from "./common.js";

export function nsdMissing(): string | null {
  return findBinary(["/usr/sbin/nsd", "nsd"]) ? null : "nsd (Debian package nsd)";
}

export interface NsdServer {
  port: number;
  /** "127.0.0.1:PORT", for nameservers / authoritative options. */
  address: string;
  dir: string;
  stop(): Promise<void>;
}

/** zones: zone name -> zone file text (with $ORIGIN / $TTL as the test wants). */
export async function startNsd(zones: Record<string, string>): Promise<NsdServer> {
  const bin = findBinary(["/usr/sbin/nsd", "nsd"]);
  if (!bin) throw new Error(`NSD not found: ${nsdMissing()}`);
  const dir = tempDir("nsd");
  const port = await freePort();
  const zoneBlocks: string[] = [];
  for (const [name, text] of Object.entries(zones)) {
    const file = `${name}.zone`;
    writeFileSync(join(dir, file), text);
    zoneBlocks.push(`zone:\n  name: "${name}"\n  zonefile: "${join(dir, file)}"\n`);
  }
  const conf = join(dir, "nsd.conf");
  writeFileSync(
    conf,
    [
      "server:",
      `  ip-address: 127.0.0.1@${port}`,
      `  port: ${port}`,
      '  username: ""',
      '  chroot: ""',
      `  zonesdir: "${dir}"`,
      `  pidfile: "${join(dir, "nsd.pid")}"`,
      '  database: ""',
      `  zonelistfile: "${join(dir, "zone.list")}"`,
      `  xfrdfile: "${join(dir, "xfrd.state")}"`,
      `  xfrdir: "${dir}"`,
      `  logfile: "${join(dir, "nsd.log")}"`,
      "  server-count: 1",
      "  do-ip6: no",
      "  verbosity: 1",
      "  hide-version: yes",
      "remote-control:",
      "  control-enable: no",
      ...zoneBlocks,
    ].join("\n"),
  );
  let proc: Proc | null = null;
  const stop = async () => {
    await proc?.stop("SIGTERM");
    removeDir(dir);
  };
  try {
    proc = startProcess(bin, ["-d", "-c", conf], join(dir, "nsd.out"));
    const first = Object.keys(zones)[0]!;
    await waitFor(
      `nsd on 127.0.0.1:${port}`,
      async () => {
        if (proc!.child.exitCode !== null) throw new Error(`nsd exited with ${proc!.child.exitCode}`);
        const m = await queryDns({ host: "127.0.0.1", port }, first, "SOA", { timeoutMs: 300 });
        return m.flags.aa && m.answers.length > 0;
      },
      15_000,
      join(dir, "nsd.log"),
    );
    return { port, address: `127.0.0.1:${port}`, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
