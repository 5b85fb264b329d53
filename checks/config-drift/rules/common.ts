// Fields every configuration item has that say where and when it was recorded, not how the
// resource is configured: removed before any comparison, whatever the resource type.
import type { PackRule } from "./types.js";

const IDENTITY = "identity of the configuration item, different on each side by nature";
const VOLATILE = "recording metadata that changes on every capture";

export const COMMON_RULES: readonly PackRule[] = [
  { path: "version", kind: "ignore", reason: "configuration item schema version" },
  { path: "accountId", kind: "ignore", reason: IDENTITY },
  { path: "awsRegion", kind: "ignore", reason: IDENTITY },
  { path: "availabilityZone", kind: "ignore", reason: "availability zone names differ between regions" },
  { path: "arn", kind: "ignore", reason: IDENTITY },
  { path: "resourceId", kind: "ignore", reason: IDENTITY },
  { path: "resourceName", kind: "ignore", reason: "names are matched by the pairing rule, not compared" },
  { path: "resourceType", kind: "ignore", reason: "both sides have the same type by construction" },
  { path: "resourceCreationTime", kind: "ignore", reason: VOLATILE },
  { path: "configurationItemCaptureTime", kind: "ignore", reason: VOLATILE },
  { path: "configurationItemDeliveryTime", kind: "ignore", reason: VOLATILE },
  { path: "configurationStateId", kind: "ignore", reason: VOLATILE },
  { path: "configurationItemMD5Hash", kind: "ignore", reason: VOLATILE },
  { path: "configurationItemStatus", kind: "ignore", reason: "judged before the comparison (deleted or unrecorded items are never compared)" },
  { path: "recordingFrequency", kind: "ignore", reason: "a setting of the recorder, not of the resource" },
  { path: "relatedEvents", kind: "ignore", reason: "CloudTrail event ids, different on each side" },
  { path: "relationships", kind: "info", count: true, reason: "related resources have per-side ids; only their number is shown" },
  { path: "tags", kind: "info", reason: "tags are bookkeeping; a different tag rarely changes behaviour after failover" },
  { path: "supplementaryConfiguration.Tags", kind: "info", reason: "tags are bookkeeping; a different tag rarely changes behaviour after failover" },
];
