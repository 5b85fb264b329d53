// The registry: an explicit, sorted map of kinds (bundlers cannot follow a directory scan).
import type { CheckDefinition } from "../src/engine/types.js";
import configDrift from "./config-drift/index.js";

export const CHECKS: Readonly<Record<string, CheckDefinition>> = {
  "config-drift": configDrift,
};
