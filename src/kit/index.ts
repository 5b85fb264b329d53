// The kit a check kind is written with (DESIGN.md "What a kind writes"): the contract, the two
// sides, reading them, the verdict, the option building blocks and thresholds, side-var
// substitution. A kind that uses it needs no try/catch, no error-code list and no threshold
// parsing of its own.
export { defineCheck, SIDES, type CheckContext, type CheckOutcome, type Finding, type Measured, type Side } from "../engine/types.js";
export { verdict, type Undecided, type VerdictInput } from "../engine/verdict.js";
export { readSides, sideMessage, type SidesRead } from "./read-sides.js";
export { makeSubstituter, substitution, type Substituter } from "./side-vars.js";
export { commandOption, connectionOption, fileOption, hostOption, httpUrlOption, labelOption } from "../options/reach.js";
export { budgetLevel, budgetLimits, budgetOptions, describeBudget, expiryLevel, expiryLimits, expiryOptions, warnAtOption, type BudgetLimits, type ExpiryLimits } from "../options/thresholds.js";
export { ProbeError } from "../probes/errors.js";
