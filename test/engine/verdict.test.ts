// verdict(): fail beats unknown beats warn beats pass, for every kind.
import { verdict, type VerdictInput } from "../../src/engine/verdict.js";
import type { CheckOutcome } from "../../src/engine/types.js";
import { decisionTable } from "../helpers/decision-table.js";

const base: VerdictInput = { findings: [], undecided: [], measured: null, evidence: {}, passSummary: () => "all good" };
const fail = { message: "standby drifted" };
const fail2 = { message: "second failure" };
const warn = { message: "expires soon", level: "warn" as const };
const info = { message: "noted", level: "info" as const };
const refused = { reason: "unreachable" as const, message: "standby http://127.0.0.1:1: connection refused (ECONNREFUSED)" };
const slow = { reason: "timeout" as const, message: "primary 10.0.0.1:5432: timed out after 3s" };

decisionTable<Partial<VerdictInput>, CheckOutcome>("verdict", (i) => verdict({ ...base, ...i }), [
  { name: "nothing found, everything read: pass with the pass summary", input: {}, expected: { status: "pass", summary: "all good" } },
  { name: "info findings alone still pass", input: { findings: [info] }, expected: { status: "pass" } },
  { name: "a warn finding warns", input: { findings: [warn] }, expected: { status: "warn", summary: "expires soon" } },
  { name: "a fail finding fails", input: { findings: [fail] }, expected: { status: "fail", summary: "standby drifted" } },
  { name: "fail and warn: fail, counting the warning among the rest", input: { findings: [warn, fail] }, expected: { status: "fail", summary: "standby drifted (+1 more)" } },
  { name: "two failures: the first, and how many more", input: { findings: [fail, fail2] }, expected: { status: "fail", summary: "standby drifted (+1 more)" } },
  { name: "an unread side is never a pass", input: { undecided: [refused] }, expected: { status: "unknown", reason: "unreachable", summary: refused.message } },
  { name: "an unread side outranks a warning", input: { findings: [warn], undecided: [refused] }, expected: { status: "unknown", reason: "unreachable" } },
  { name: "a definite failure stands when another side could not be read", input: { findings: [fail], undecided: [refused] }, expected: { status: "fail", summary: "standby drifted" } },
  { name: "two unread sides: the first reason, both messages", input: { undecided: [slow, refused] }, expected: { status: "unknown", reason: "timeout", summary: `${slow.message}; ${refused.message}` } },
  { name: "findings are kept on an unknown (what was seen stays visible)", input: { findings: [warn], undecided: [slow] }, expected: { status: "unknown", findings: [warn] } },
]);

// measuredRules: measured stays only when it is about what failed or warned.
const lifetime = { value: 2_592_000, unit: "s", limit: 86_400, warnAt: 604_800 };
const parity = { message: "standby JWKS lacks kid k1", rule: "jwks-parity" };
const expiring = { message: "token expires in 5d", level: "warn" as const, rule: "expiry" };
const about = { measured: lifetime, measuredRules: ["expired", "expiry"] };
const shown = (o: CheckOutcome) => ({ measured: o.measured, reading: o.reading });
decisionTable<Partial<VerdictInput>, ReturnType<typeof shown>>("verdict: measured is about what it compares", (i) => shown(verdict({ ...base, ...i })), [
  { name: "a pass keeps it", input: about, expected: { measured: lifetime, reading: undefined } },
  { name: "a parity failure alone sets it aside as the reading", input: { ...about, findings: [parity] }, expected: { measured: null, reading: lifetime } },
  { name: "a failure on another rule and a warning on its own: kept (it is part of what is wrong)", input: { ...about, findings: [parity, expiring] }, expected: { measured: lifetime, reading: undefined } },
  { name: "a warning on its own rule keeps it", input: { ...about, findings: [expiring] }, expected: { measured: lifetime, reading: undefined } },
  { name: "an info finding on another rule changes nothing", input: { ...about, findings: [{ ...parity, level: "info" as const }] }, expected: { measured: lifetime, reading: undefined } },
  { name: "unknown keeps what was measured", input: { ...about, findings: [{ ...parity, level: "warn" as const }], undecided: [refused] }, expected: { measured: lifetime, reading: undefined } },
  { name: "without measuredRules nothing changes", input: { measured: lifetime, findings: [parity] }, expected: { measured: lifetime, reading: undefined } },
  { name: "nothing measured, nothing set aside", input: { measuredRules: ["expiry"], findings: [parity] }, expected: { measured: null, reading: undefined } },
]);
