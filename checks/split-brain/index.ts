// split-brain: asks every node of the service its role. More than one writable primary is a
// fail naming the nodes; a replica that accepts writes is a fail; a node that cannot be asked
// makes the result unknown (never "not primary"), unless the reachable ones already show a
// split brain. Optionally asks Redis Sentinels where they send writes. See README.md.
import { z } from "zod";
import { connectionOption } from "../../src/options/reach.js";
import { defineCheck, type CheckOutcome, type Finding } from "../../src/engine/types.js";
import { hostPort } from "../../src/probes/target.js";
import type { NodeAnswer } from "./roles.js";

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
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a node name of letters, digits, '.', '_' or '-'"), connection)
      .default({})
      .describe("More nodes by name (other replicas, a third site)"),
    sentinels: z.array(connection).default([]).describe("Redis Sentinel connection strings to ask where they send writes"),
    masterName: z.string().min(1).optional().describe("The Sentinel master name (required with sentinels)"),
  }).superRefine((o, ctx) => {
    if (o.sentinels.length > 0 && o.engine !== "redis") ctx.addIssue({ code: "custom", path: ["sentinels"], message: "sentinels apply to engine redis only" });
    if (o.sentinels.length > 0 && !o.masterName) ctx.addIssue({ code: "custom", path: ["masterName"], message: "set masterName, the name the sentinels monitor" });
    for (const n of ["primary", "standby"]) if (n in o.nodes) ctx.addIssue({ code: "custom", path: ["nodes", n], message: `'${n}' is taken by the ${n} option` });
  }),

  async run(options, ctx): Promise<CheckOutcome> {
    const { askRole, askSentinel } = await import("./roles.js");
    const probe = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
    const nodes: [string, string][] = [["primary", options.primary], ["standby", options.standby], ...Object.entries(options.nodes)];
    const answers = await Promise.all(nodes.map(([name, url]) => askRole(options.engine, name, url, hostPort(url), probe)));
    const label = (a: NodeAnswer) => `${a.name} (${a.target})`;

    const findings: Finding[] = [];
    const reachable = answers.filter((a) => a.answer);
    const unreachable = answers.filter((a) => a.error);
    const writable = reachable.filter((a) => a.answer!.writable);
    const writableReplicas = reachable.filter((a) => a.answer!.writable && a.answer!.role === "replica");

    if (writable.length > 1) {
      findings.push({ message: `${writable.length} nodes accept writes: ${writable.map(label).join(", ")}`, rule: "split-brain" });
    }
    for (const a of writableReplicas) {
      findings.push({ message: `${label(a)} is a replica of ${a.answer!.upstream ?? "?"} but accepts writes`, rule: "writable-replica" });
    }
    for (const a of reachable.filter((x) => x.answer!.role === "read-only")) {
      findings.push({ level: "warn", message: `${label(a)} is read-only but replicates from nobody: it is not a standby of anything`, rule: "orphan-node" });
    }
    for (const a of reachable.filter((x) => x.answer!.role === "sentinel")) {
      findings.push({ level: "warn", message: `${label(a)} is a Redis Sentinel, not a data node`, rule: "not-a-data-node" });
    }
    if (unreachable.length === 0 && writable.length === 0) {
      findings.push({ message: `no node accepts writes: ${answers.map(label).join(", ")} are all replicas or read-only`, rule: "no-primary" });
    }
    if (options.sentinels.length > 0 && options.masterName) {
      const said = await Promise.all(options.sentinels.map(async (url) => ({ sentinel: hostPort(url), ...(await askSentinel(url, options.masterName!, probe)) })));
      const masters = [...new Set(said.filter((s) => s.master).map((s) => s.master!))];
      if (masters.length > 1) {
        findings.push({ message: `sentinels disagree on the master of '${options.masterName}': ${said.filter((s) => s.master).map((s) => `${s.sentinel} says ${s.master}`).join(", ")}`, rule: "sentinel-disagree" });
      }
      for (const s of said.filter((x) => x.error)) findings.push({ level: "warn", message: `sentinel ${s.sentinel} could not be asked: ${s.error!.message}`, rule: "sentinel-unreachable" });
      for (const s of said.filter((x) => x.master === null && !x.error)) findings.push({ message: `sentinel ${s.sentinel} does not know a master named '${options.masterName}'`, rule: "sentinel-unknown-master" });
      for (const m of masters) {
        const node = reachable.find((a) => a.target === m);
        if (node && !node.answer!.writable) findings.push({ message: `sentinels send writes to ${label(node)}, which is a read-only ${node.answer!.role}`, rule: "sentinel-stale" });
        if (!node) findings.push({ level: "warn", message: `sentinels' master ${m} is none of the checked nodes`, rule: "sentinel-other-master" });
      }
      for (const a of writable) {
        if (masters.length > 0 && !masters.includes(a.target)) findings.push({ message: `${label(a)} accepts writes but the sentinels send writes to ${masters.join(", ")}`, rule: "sentinel-split" });
      }
    }

    const evidence = {
      nodes: answers.map((a) => ({
        name: a.name,
        target: a.target,
        ...(a.answer ? { role: a.answer.role, writable: a.answer.writable, upstream: a.answer.upstream, ...a.answer.detail } : { unreachable: a.error }),
      })),
    };
    const measured = { value: writable.length, unit: "writable", limit: 1 };
    const failing = findings.filter((f) => (f.level ?? "fail") === "fail");
    // Reachable nodes alone can prove a split brain; they can never prove its absence.
    if (failing.length > 0 && (unreachable.length === 0 || writable.length > 1 || writableReplicas.length > 0)) {
      return { status: "fail", summary: failing.map((f) => f.message).join("; "), measured, findings, evidence };
    }
    if (unreachable.length > 0) {
      const first = unreachable[0]!.error!;
      return {
        status: "unknown",
        reason: first.reason,
        summary: `cannot tell: ${unreachable.map((a) => `${label(a)} did not answer (${a.error!.message})`).join("; ")}; an unreachable node may still accept writes`,
        measured: null,
        findings,
        evidence,
      };
    }
    const primary = writable[0]!;
    const others = reachable.filter((a) => a !== primary).map((a) => `${a.name} is a ${a.answer!.role === "replica" ? `read-only replica${a.answer!.upstream ? ` of ${a.answer!.upstream}` : ""}` : a.answer!.role}`);
    const summary = `one writable primary: ${label(primary)}${others.length ? `; ${others.join(", ")}` : ""}`;
    const warning = findings.filter((f) => f.level === "warn");
    if (warning.length > 0) return { status: "warn", summary: `${summary}; ${warning[0]!.message}`, measured, findings, evidence };
    return { status: "pass", summary, measured, findings, evidence };
  },
});
