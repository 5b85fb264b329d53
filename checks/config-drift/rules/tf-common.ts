// Terraform packs: the rules of the AWS Config pack for the same resource, in the attribute
// names of the Terraform AWS provider. `sameReason` takes each reason from the AWS Config pack,
// so both sources give a finding the same why. The common rules leave out what every resource
// instance in a state has but that is not its configuration.
import type { PackRule, RulePack } from "./types.js";

/** The reason the AWS Config pack gives for `path`; a missing path is a bug caught at load (and in tests). */
export function sameReason(pack: RulePack): (path: string) => string {
  return (path) => {
    const rule = pack.rules.find((r) => r.path === path);
    if (!rule) throw new Error(`${pack.resourceType} has no rule for ${path}`);
    return rule.reason;
  };
}

const IDENTITY = "identity of the resource, different on each side by nature";
const VOLATILE = "a timestamp: when, not how, the resource is configured";

export const TF_COMMON_RULES: readonly PackRule[] = [
  { path: "id", kind: "ignore", reason: IDENTITY },
  { path: "arn", kind: "ignore", reason: IDENTITY },
  { path: "tags_all", kind: "ignore", reason: "tags plus the provider's default_tags, which usually name the region; `tags` is compared" },
  { path: "tags", kind: "info", reason: "tags are bookkeeping; a different tag rarely changes behaviour after failover" },
  { path: "timeouts", kind: "ignore", reason: "Terraform's own operation timeouts, not the resource's configuration" },
  { path: "region", kind: "ignore", reason: "the region differs between the sides by design" },
  { path: "create_time", kind: "ignore", reason: VOLATILE },
  { path: "created_time", kind: "ignore", reason: VOLATILE },
  { path: "created_at", kind: "ignore", reason: VOLATILE },
  { path: "created_date", kind: "ignore", reason: VOLATILE },
  { path: "creation_date", kind: "ignore", reason: VOLATILE },
  { path: "create_date", kind: "ignore", reason: VOLATILE },
  { path: "last_modified", kind: "ignore", reason: VOLATILE },
  { path: "last_updated", kind: "ignore", reason: VOLATILE },
  { path: "*_timestamp", kind: "ignore", reason: VOLATILE },
];
