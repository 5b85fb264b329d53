import { CHECKS } from "./index.js";
import type { CheckDefinition } from "../src/engine/types.js";

export function kinds(): string[] {
  return Object.keys(CHECKS).sort();
}

export function getKind(kind: string): CheckDefinition | undefined {
  return Object.hasOwn(CHECKS, kind) ? CHECKS[kind] : undefined;
}

export function allKinds(): CheckDefinition[] {
  return kinds().map((k) => CHECKS[k]!);
}
