// Rule packs: per resource type (AWS Config type or Kubernetes kind), which configuration-item fields must match, which are capacity
// (the standby must have at least as much), which are compared by count rather than identity,
// which only inform and which are identity/volatile and left out. Packs are plain data, one file
// per type, documented in ../README.md; a check's own `rules` replace pack rules of the same path.

export type RuleKind = "match" | "atLeast" | "sizeOrder" | "info" | "ignore";

export interface PackRule {
  /** Path glob relative to the configuration item: `configuration.maxSize`, `supplementaryConfiguration.*.status`. */
  path: string;
  /**
   * match: any difference is a finding (the default for fields no rule names; the rule adds the reason).
   * atLeast: numeric, the standby must be >= the primary (within `tolerance`), higher is fine.
   * sizeOrder: instance class (db.r6g.large), the standby's size must be >= the primary's in the same family.
   * info: a difference is shown with level info and costs nothing.
   * ignore: identity or volatile, removed before comparing.
   */
  kind: RuleKind;
  /** Compare the number of items (array length, or entries of a comma-separated string), not the items. */
  count?: boolean;
  /** For atLeast: accepted shortfall, a number or "15%". */
  tolerance?: number | string;
  /** One line shown with every finding of this rule. */
  reason: string;
}

export interface RulePack {
  /** An AWS Config type (`AWS::RDS::DBCluster`) or a Kubernetes `apiVersion kind` (`apps/v1 Deployment`). */
  resourceType: string;
  /** Array path glob -> item key field (as the check's `keys`). */
  keys?: Readonly<Record<string, string>>;
  /**
   * Kubernetes workloads: readiness beside configuration. The standby's `available` (absent: 0)
   * must reach its own `desired` (absent: 1) and the primary's `available`.
   */
  readiness?: { desired: string; available: string };
  rules: PackRule[];
}

/** A source's packs by resource type and the rules every resource of that source gets. */
export interface RuleCatalogue {
  packs: Readonly<Record<string, RulePack>>;
  common: readonly PackRule[];
}
