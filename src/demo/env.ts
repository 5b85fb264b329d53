// `standby demo`: a self-contained primary/standby environment on loopback with problems worth
// seeing, and a standby.yml that checks it with every registered kind that has something to look
// at here. Nothing leaves 127.0.0.1; everything lives in one temp dir and stops with stop().
//   config endpoints (HTTP JSON) whose standby drifted       -> config-drift
//   two Kubernetes API servers, the standby's objects drifted -> config-drift (kubernetes sources)
//   TLS endpoints, the standby's certificate about to expire -> tls-certificate (openssl CLI)
//   JWKS where the standby lacks the primary's signing key   -> jwt
//   a catalog the standby serves 20 minutes stale            -> cache-age
//   a drill record older than the quarterly cadence allows   -> drill-recency
//   two "independent" sides sharing an account and an IdP    -> shared-fate
//   PostgreSQL primary + streaming standby (when installed)  -> replication-lag, split-brain
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { stringify } from "yaml";
import { CHECK_BASE_KEYS } from "../config/schema.js";
import { getKind } from "../../checks/registry.js";
import { startPostgresPair, type PgPair } from "./postgres.js";
import { kubeDemoChecks, startKubeClusters } from "./kube-clusters.js";

export interface DemoOptions {
  postgres?: boolean;
  /** Progress lines ("starting PostgreSQL..."). */
  log?: (line: string) => void;
}

export interface DemoEnv {
  dir: string;
  configFile: string;
  /** What was left out and why (a missing binary, a kind not registered). */
  notes: string[];
  /** Check ids in the config. */
  checks: string[];
  stop(): Promise<void>;
}

const DAY = 86_400_000;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function listen(server: Server | TlsServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function json(body: unknown): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" });
    res.end(JSON.stringify(body));
  };
}

async function httpSide(routes: Record<string, Handler | (() => unknown)>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? "/").split("?")[0]!];
    if (!route) {
      res.writeHead(404).end("not found");
      return;
    }
    if (route.length === 0) json((route as () => unknown)())(req, res);
    else (route as Handler)(req, res);
  });
  server.keepAliveTimeout = 1000;
  const port = await listen(server);
  return { server, base: `http://127.0.0.1:${port}` };
}

// ---- TLS: a demo CA and two leaves, made with the openssl CLI at runtime ----------------------

interface Pki {
  caFile: string;
  leaves: Record<"primary" | "standby", { cert: string; key: string }>;
}

function makePki(dir: string, days: { primary: number; standby: number }): Pki {
  const o = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  o(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/CN=standby demo root CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  writeFileSync(join(dir, "leaf.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
  const leaves = {} as Pki["leaves"];
  for (const side of ["primary", "standby"] as const) {
    o(["req", ...ec, "-keyout", `${side}.key`, "-out", `${side}.csr`, "-subj", `/CN=orders-api ${side}`]);
    o(["x509", "-req", "-in", `${side}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${side}.pem`, "-days", String(days[side]), "-extfile", "leaf.ext"]);
    leaves[side] = { cert: readFileSync(join(dir, `${side}.pem`), "utf8") + readFileSync(join(dir, "ca.pem"), "utf8"), key: readFileSync(join(dir, `${side}.key`), "utf8") };
  }
  return { caFile: join(dir, "ca.pem"), leaves };
}

// ---- JWT: ES256 keys and a token, with node:crypto only ----------------------------------------

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

function jwk(key: KeyObject, kid: string): Record<string, unknown> {
  return { ...(key.export({ format: "jwk" }) as Record<string, unknown>), kid, alg: "ES256", use: "sig" };
}

function signJwt(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = sign("sha256", Buffer.from(`${head}.${body}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${head}.${body}.${b64url(sig)}`;
}

// ---- the environment ---------------------------------------------------------------------------

export async function startDemo(opts: DemoOptions = {}): Promise<DemoEnv> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), "standby-demo-"));
  const notes: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  const closeServer = (s: Server | TlsServer) => () =>
    new Promise<void>((r) => {
      (s as Server).closeAllConnections?.();
      s.close(() => r());
    });

  try {
    const now = Date.now();
    // Config documents: the standby drifted (weaker capacity, older TLS policy, a DLQ left in
    // the primary region, a feature flag missing); region names differ as expected.
    const appConfig = (side: "primary" | "standby") => {
      const region = side === "primary" ? "us-east-1" : "us-west-2";
      return {
        service: "orders-api",
        region,
        capacity: { minSize: 4, maxSize: side === "primary" ? 24 : 8, desired: side === "primary" ? 12 : 11 },
        listeners: [
          { port: 443, protocol: "HTTPS", sslPolicy: side === "primary" ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : "ELBSecurityPolicy-2016-08" },
          { port: 80, protocol: "HTTP", redirect: "https" },
        ],
        queues: { orders: `https://sqs.${region}.amazonaws.com/111111111111/orders`, deadLetter: "https://sqs.us-east-1.amazonaws.com/111111111111/orders-dlq" },
        features: side === "primary" ? { newCheckout: true, fraudScoring: true } : { newCheckout: true },
        metadata: { deployedAt: new Date(now - (side === "primary" ? 3 : 9) * DAY).toISOString() },
      };
    };

    const primaryKeys = [generateKeyPairSync("ec", { namedCurve: "P-256" }), generateKeyPairSync("ec", { namedCurve: "P-256" })];
    const jwksPrimary = { keys: [jwk(primaryKeys[0]!.publicKey, "orders-2026-10"), jwk(primaryKeys[1]!.publicKey, "orders-2026-11")] };
    const jwksStandby = { keys: [jwk(primaryKeys[0]!.publicKey, "orders-2026-10")] }; // the rotated key never reached the standby
    const token = signJwt(primaryKeys[1]!.privateKey, "orders-2026-11", { iss: "https://auth.demo.test", sub: "service:checkout", aud: "orders-api", iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 30 * 86400 });

    const catalog = (ageMs: number, version: string) => () => ({ generatedAt: new Date(Date.now() - ageMs).toISOString(), version, items: 1284 });
    const primary = await httpSide({
      "/config.json": () => appConfig("primary"),
      "/.well-known/jwks.json": () => jwksPrimary,
      "/token": (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(token),
      "/catalog.json": catalog(15_000, "2026.11.25-3"),
    });
    closers.push(closeServer(primary.server));
    const standby = await httpSide({
      "/config.json": () => appConfig("standby"),
      "/.well-known/jwks.json": () => jwksStandby,
      "/catalog.json": catalog(20 * 60_000, "2026.11.25-1"),
    });
    closers.push(closeServer(standby.server));
    log(`config, JWKS and catalog endpoints on ${primary.base} (primary) and ${standby.base} (standby)`);

    // The last failover drill: 100 days ago, on a quarterly cadence.
    writeFileSync(join(dir, "last-drill.txt"), `${new Date(now - 100 * DAY).toISOString()}\n`);

    let tls: { primary: number; standby: number; caFile: string } | null = null;
    let serving: { cert: string; key: string; ca: string } | null = null;
    try {
      const pki = makePki(dir, { primary: 200, standby: 5 });
      serving = { ...pki.leaves.primary, ca: readFileSync(pki.caFile, "utf8") };
      const ports = { primary: 0, standby: 0 };
      for (const side of ["primary", "standby"] as const) {
        const server = createTlsServer({ cert: pki.leaves[side].cert, key: pki.leaves[side].key }, (s) => s.end());
        server.on("tlsClientError", () => undefined);
        ports[side] = await listen(server);
        closers.push(closeServer(server));
      }
      tls = { ...ports, caFile: pki.caFile };
      log(`TLS endpoints on 127.0.0.1:${ports.primary} (primary) and 127.0.0.1:${ports.standby} (standby, certificate expires in 5 days)`);
    } catch (err) {
      notes.push(`TLS endpoints skipped: cannot make certificates with the openssl CLI (${(err as Error).message.split("\n")[0]})`);
    }

    let kube = false;
    if (getKind("config-drift") && !serving) notes.push("Kubernetes API servers skipped: they serve HTTPS, and the openssl CLI made no certificate");
    else if (getKind("config-drift") && serving) {
      const clusters = await startKubeClusters(dir, serving);
      closers.push(() => clusters.stop());
      kube = true;
      log(`Kubernetes API servers on ${clusters.servers.primary.url} (context prod-use1) and ${clusters.servers.standby.url} (prod-usw2, drifted); kubeconfig ${clusters.kubeconfig}`);
    }

    let pg: PgPair | null = null;
    if (opts.postgres !== false) {
      log("starting PostgreSQL primary and streaming standby (a few seconds)...");
      try {
        pg = await startPostgresPair();
        closers.push(() => pg!.stop());
        log(`PostgreSQL primary ${pg.primaryUrl}, standby ${pg.standbyUrl}`);
      } catch (err) {
        notes.push(`PostgreSQL skipped: ${(err as Error).message}`);
      }
    } else notes.push("PostgreSQL skipped (--no-postgres)");

    // ---- the config: one entry per kind that is registered and accepts these options ----------
    const wanted: Array<{ service: "orders" | "catalog"; entry: Record<string, unknown> }> = [
      {
        service: "orders",
        entry: {
          id: "orders-app-config",
          kind: "config-drift",
          severity: "high",
          description: "the application's runtime configuration as each region serves it",
          primary: { url: `${primary.base}/config.json` },
          standby: { url: `${standby.base}/config.json` },
          ignore: ["metadata.deployedAt"],
          keys: { listeners: "port" },
          atLeast: ["capacity.maxSize", "capacity.desired"],
          tolerance: { "capacity.desired": "15%" },
        },
      },
      {
        service: "orders",
        entry: {
          id: "orders-tokens",
          kind: "jwt",
          severity: "high",
          primary: { url: `${primary.base}/token`, jwks: `${primary.base}/.well-known/jwks.json` },
          standby: { jwks: `${standby.base}/.well-known/jwks.json` },
        },
      },
      {
        service: "orders",
        entry: { id: "orders-failover-drill", kind: "drill-recency", severity: "medium", cadence: "0 10 1 */3 *", lastDrill: { file: "last-drill.txt" }, grace: "7d" },
      },
      {
        service: "orders",
        entry: {
          id: "orders-shared-fate",
          kind: "shared-fate",
          severity: "medium",
          primary: { region: "us-east-1", zones: ["use1-az1", "use1-az2"], account: "111111111111", identity: "https://auth.demo.test", dependencies: ["okta", "github-actions"] },
          standby: { region: "us-west-2", zones: ["usw2-az1", "usw2-az2"], account: "111111111111", identity: "https://auth.demo.test", dependencies: ["okta"] },
        },
      },
      {
        service: "catalog",
        entry: {
          id: "catalog-cache-age",
          kind: "cache-age",
          severity: "medium",
          http: { url: `${standby.base}/catalog.json`, primary: `${primary.base}/catalog.json`, timestamp: "/generatedAt", version: "/version", parity: ["version"] },
          max: "5m",
        },
      },
    ];
    if (tls) {
      wanted.push({
        service: "orders",
        entry: {
          id: "orders-tls",
          kind: "tls-certificate",
          severity: "high",
          primary: { host: "localhost", port: tls.primary, addresses: ["127.0.0.1"], caFile: tls.caFile },
          standby: { host: "localhost", port: tls.standby, addresses: ["127.0.0.1"], caFile: tls.caFile },
        },
      });
    }
    if (kube) wanted.push(...kubeDemoChecks().map((entry) => ({ service: "orders" as const, entry })));
    if (pg) {
      wanted.push(
        { service: "orders", entry: { id: "orders-db-lag", kind: "replication-lag", severity: "critical", engine: "postgres", primary: pg.primaryUrl, standby: pg.standbyUrl, wait: "2s" } },
        { service: "orders", entry: { id: "orders-db-split-brain", kind: "split-brain", severity: "critical", engine: "postgres", primary: pg.primaryUrl, standby: pg.standbyUrl } },
      );
    }

    if (getKind("dns-failover")) notes.push("dns-failover is not in the demo: it needs an authoritative DNS server for the zone (see checks/dns-failover/README.md)");
    const services = {
      orders: { name: "orders", description: "demo: orders API and its database", primary: { vars: { region: "us-east-1" } }, standby: { vars: { region: "us-west-2" } }, checks: [] as Record<string, unknown>[] },
      catalog: { name: "catalog", description: "demo: product catalog behind a cache", primary: { vars: { region: "us-east-1" } }, standby: { vars: { region: "us-west-2" } }, checks: [] as Record<string, unknown>[] },
    };
    for (const { service, entry } of wanted) {
      const kind = String(entry.kind);
      const def = getKind(kind);
      if (!def) {
        notes.push(`${entry.id}: check kind ${kind} is not registered in this build; left out`);
        continue;
      }
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entry)) if (!CHECK_BASE_KEYS.includes(k)) options[k] = v;
      const parsed = def.options.strict().safeParse(options);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        notes.push(`${entry.id}: the ${kind} kind does not accept the demo's options (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}); left out`);
        continue;
      }
      services[service].checks.push(entry);
    }
    const config = {
      version: 1,
      objectives: { rpo: "5m", rto: "15m" },
      scoring: { minScore: 80 },
      defaults: { timeout: "10s", schedule: "*/5 * * * *", concurrency: 8 },
      history: { file: "history.jsonl" },
      services: Object.values(services).filter((s) => s.checks.length > 0),
    };
    const configFile = join(dir, "standby.yml");
    writeFileSync(configFile, `# standby demo environment (generated; everything runs on 127.0.0.1)\n${stringify(config, { lineWidth: 0 })}`);
    return {
      dir,
      configFile,
      notes,
      checks: config.services.flatMap((s) => s.checks.map((c) => String(c.id))),
      stop: async () => {
        await stop();
      },
    };
  } catch (err) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
