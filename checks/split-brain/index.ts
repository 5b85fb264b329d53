// split-brain: asks every node of the service its role. More than one writable primary is a
// fail naming the nodes; a replica that accepts writes is a fail; a node that cannot be asked
// makes the result unknown (never "not primary"), unless the reachable ones already show a
// split brain. Optionally asks Redis Sentinels where they send writes. See README.md.
import { z } from "zod";
import { connectionOption, defineCheck, sideMessage, verdict, type CheckContext, type CheckOutcome, type Finding, type Undecided } from "../../src/kit/index.js";
import { isProbeError } from "../../src/probes/errors.js";
import { describeTarget, hostPort } from "../../src/probes/target.js";
import type { NodeEvidence, SentinelEvidence, SplitBrainEvidence } from "./evidence.js";

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const connection = connectionOption().describe("Connection string; use ${env:NAME} for the password");

export default defineCheck({
  meta: {
    kind: "split-brain",
    title: "Exactly one writable primary",
    description: "Asks every node (PostgreSQL, MySQL/MariaDB, Redis) its role and fails when more than one accepts writes",
    defaultSeverity: "critical",
    docs: "checks/split-brain/README.md",
  },
  options: z.object({
    engine: z.enum(["postgres", "mysql", "redis"]).describe("Database engine of the nodes"),
    primary: connection.describe("The primary side's node"),
    standby: connection.describe("The standby side's node"),
    nodes: z
      .record(z.string(), connection)
      .default({})
      .describe("More nodes by name (other replicas, a third site)"),
    sentinels: z.array(connection).default([]).describe("Redis Sentinel connection strings to ask where they send writes"),
    masterName: z.string().min(1).optional().describe("The Sentinel master name (required with sentinels)"),
  }).superRefine((o, ctx) => {
    if (o.sentinels.length > 0 && o.engine !== "redis") ctx.addIssue({ code: "custom", path: ["sentinels"], message: "sentinels apply to engine redis only" });
    if (o.sentinels.length > 0 && !o.masterName) ctx.addIssue({ code: "custom", path: ["masterName"], message: "set masterName, the name the sentinels monitor" });
    for (const n of ["primary", "standby"]) if (n in o.nodes) ctx.addIssue({ code: "custom", path: ["nodes", n], message: `'${n}' is taken by the ${n} option` });
    // Checked here, not by the record's key schema: zod words a bad key only as "Invalid key in record".
    for (const n of Object.keys(o.nodes)) if (!NODE_NAME.test(n)) ctx.addIssue({ code: "custom", path: ["nodes", n], message: "expected a node name of letters, digits, '.', '_' or '-'" });
  }),

  async run(options, ctx): Promise<CheckOutcome<SplitBrainEvidence>> {
    const { askRole, askSentinel } = await import("./roles.js");
    const probe = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
    // Every node the same way, sides included: one that cannot be asked is kept as unanswered.
    const nodes = [
      { name: "primary", who: "primary", url: options.primary },
      { name: "standby", who: "standby", url: options.standby },
      ...Object.entries(options.nodes).map(([name, url]) => ({ name, who: `node ${name}`, url })),
    ];
    const answers = await Promise.all(
      nodes.map(async ({ name, who, url }): Promise<NodeEvidence> => {
        const r = await kept(ctx, who, url, () => askRole(options.engine, url, probe));
        return { name, target: hostPort(url), ...("answer" in r ? r.answer : r) };
      }),
    );
    const label = (a: NodeEvidence) => `${a.name} (${a.target})`;

    const findings: Finding[] = [];
    const reachable = answers.filter((a) => !a.unanswered);
    const unanswered = answers.flatMap((a) => a.unanswered ?? []);
    const writable = reachable.filter((a) => a.writable);

    if (writable.length > 1) {
      findings.push({ message: `${writable.length} nodes accept writes: ${writable.map(label).join(", ")}`, rule: "split-brain" });
    }
    for (const a of writable.filter((x) => x.role === "replica")) {
      findings.push({ message: `${label(a)} is a replica of ${a.upstream ?? "?"} but accepts writes`, rule: "writable-replica" });
    }
    for (const a of reachable.filter((x) => x.role === "read-only")) {
      findings.push({ level: "warn", message: `${label(a)} is read-only but replicates from nobody: it is not a standby of anything`, rule: "orphan-node" });
    }
    for (const a of reachable.filter((x) => x.role === "sentinel")) {
      findings.push({ level: "warn", message: `${label(a)} is a Redis Sentinel, not a data node`, rule: "not-a-data-node" });
    }
    // Only when every node answered: an unanswered one may be the primary.
    if (unanswered.length === 0 && writable.length === 0) {
      findings.push({ message: `no node accepts writes: ${answers.map(label).join(", ")} are all replicas or read-only`, rule: "no-primary" });
    }
    let sentinels: SentinelEvidence[] | undefined;
    // No sentinel answered: where they send writes (a split brain through them) is not known.
    const sentinelsUnread: Undecided[] = [];
    if (options.sentinels.length > 0 && options.masterName) {
      const name = options.masterName;
      sentinels = await Promise.all(
        options.sentinels.map(async (url): Promise<SentinelEvidence> => {
          const r = await kept(ctx, "sentinel", url, () => askSentinel(url, name, probe));
          return { sentinel: hostPort(url), ...("answer" in r ? { master: r.answer } : { master: null, ...r }) };
        }),
      );
      if (sentinels.every((x) => x.unanswered)) sentinelsUnread.push(...sentinels.map((x) => x.unanswered!));
      else findings.push(...sentinelFindings(sentinels, name, reachable, writable, label));
    }

    const out = verdict({
      findings,
      undecided: [...unanswered, ...sentinelsUnread],
      // The count of writable nodes is only known when every node answered.
      measured: unanswered.length === 0 ? { value: writable.length, unit: "writable", limit: 1 } : null,
      evidence: { nodes: answers, ...(sentinels ? { sentinels } : {}) },
      passSummary: () => {
        const primary = writable[0]!;
        const others = reachable.filter((a) => a !== primary).map((a) => `${a.name} is a ${a.role === "replica" ? `read-only replica${a.upstream ? ` of ${a.upstream}` : ""}` : a.role}`);
        return `one writable primary: ${label(primary)}${others.length ? `; ${others.join(", ")}` : ""}`;
      },
    });
    if (out.status !== "unknown") return out;
    const caveat = unanswered.length > 0 ? "a node that did not answer may still accept writes" : "no sentinel answered: where they send writes is not known";
    return { ...out, summary: `${out.summary}; ${caveat}` };
  },
});

/**
 * One reading kept either way, on purpose: a node or sentinel that cannot be asked is one
 * undecided reading among others, and the ones that answered may still prove a split brain.
 */
async function kept<T>(ctx: Pick<CheckContext, "reading">, who: string, url: string, read: () => Promise<T>): Promise<{ answer: T } | { unanswered: Undecided }> {
  const target = describeTarget(url);
  try {
    return { answer: await ctx.reading(`${who} ${target}`, read) };
  } catch (err) {
    if (!isProbeError(err)) throw err;
    return { unanswered: { reason: err.reason, message: sideMessage(who, target, err.message) } };
  }
}

function sentinelFindings(said: SentinelEvidence[], masterName: string, reachable: NodeEvidence[], writable: NodeEvidence[], label: (a: NodeEvidence) => string): Finding[] {
  const findings: Finding[] = [];
  const masters = [...new Set(said.filter((s) => s.master).map((s) => s.master!))];
  if (masters.length > 1) {
    findings.push({ message: `sentinels disagree on the master of '${masterName}': ${said.filter((s) => s.master).map((s) => `${s.sentinel} says ${s.master}`).join(", ")}`, rule: "sentinel-disagree" });
  }
  for (const s of said.filter((x) => x.unanswered)) findings.push({ level: "warn", message: `could not ask ${s.unanswered!.message}`, rule: "sentinel-unreachable" });
  for (const s of said.filter((x) => x.master === null && !x.unanswered)) findings.push({ message: `sentinel ${s.sentinel} does not know a master named '${masterName}'`, rule: "sentinel-unknown-master" });
  for (const m of masters) {
    const node = reachable.find((a) => a.target === m);
    if (node && !node.writable) findings.push({ message: `sentinels send writes to ${label(node)}, which is a read-only ${node.role}`, rule: "sentinel-stale" });
    if (!node) findings.push({ level: "warn", message: `sentinels' master ${m} is none of the checked nodes`, rule: "sentinel-other-master" });
  }
  for (const a of writable) {
    if (masters.length > 0 && !masters.includes(a.target)) findings.push({ message: `${label(a)} accepts writes but the sentinels send writes to ${masters.join(", ")}`, rule: "sentinel-split" });
  }
  return findings;
}
