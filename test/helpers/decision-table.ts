// Table tests for pure decision functions, in the style of ESLint's RuleTester: each case names
// its input and the decision it must produce, and runs as its own test (a failing row says which).
import { describe, expect, it } from "vitest";

export interface DecisionCase<I, O> {
  name: string;
  input: I;
  /** A subset of the output that must match (toMatchObject), or the exact value for primitives. */
  expected: O extends object ? Partial<O> : O;
}

export function decisionTable<I, O>(title: string, decide: (input: I) => O, cases: ReadonlyArray<DecisionCase<I, O>>): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const out = decide(c.input);
        if (out !== null && typeof out === "object") expect(out).toMatchObject(c.expected as object);
        else expect(out).toBe(c.expected);
      });
    }
  });
}
