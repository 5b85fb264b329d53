// aws_dynamodb_table: the rules of AWS::DynamoDB::Table in the provider's names (attribute,
// global_secondary_index and replica are sets of blocks: keyed by name, region_name).
import { awsDynamodbTable } from "./aws-dynamodb-table.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsDynamodbTable);

export const tfAwsDynamodbTable: RulePack = {
  resourceType: "aws_dynamodb_table",
  keys: { attribute: "name", global_secondary_index: "name", local_secondary_index: "name" },
  rules: [
    { path: "hash_key", kind: "match", reason: r("configuration.keySchema") },
    { path: "range_key", kind: "match", reason: r("configuration.keySchema") },
    { path: "attribute", kind: "match", reason: r("configuration.attributeDefinitions") },
    { path: "billing_mode", kind: "match", reason: r("configuration.billingModeSummary.billingMode") },
    { path: "read_capacity", kind: "atLeast", reason: r("configuration.provisionedThroughput.readCapacityUnits") },
    { path: "write_capacity", kind: "atLeast", reason: r("configuration.provisionedThroughput.writeCapacityUnits") },
    { path: "global_secondary_index.read_capacity", kind: "atLeast", reason: r("configuration.globalSecondaryIndexes.provisionedThroughput.readCapacityUnits") },
    { path: "global_secondary_index.write_capacity", kind: "atLeast", reason: r("configuration.globalSecondaryIndexes.provisionedThroughput.writeCapacityUnits") },
    { path: "global_secondary_index.hash_key", kind: "match", reason: r("configuration.globalSecondaryIndexes.keySchema") },
    { path: "global_secondary_index.range_key", kind: "match", reason: r("configuration.globalSecondaryIndexes.keySchema") },
    { path: "global_secondary_index.projection_type", kind: "match", reason: r("configuration.globalSecondaryIndexes.projection") },
    { path: "global_secondary_index.non_key_attributes", kind: "match", reason: r("configuration.globalSecondaryIndexes.projection") },
    { path: "local_secondary_index", kind: "match", reason: r("configuration.localSecondaryIndexes") },
    { path: "stream_enabled", kind: "match", reason: r("configuration.streamSpecification") },
    { path: "stream_view_type", kind: "match", reason: r("configuration.streamSpecification") },
    { path: "server_side_encryption.enabled", kind: "match", reason: r("configuration.sSEDescription.status") },
    { path: "server_side_encryption.kms_key_arn", kind: "ignore", reason: r("configuration.sSEDescription.kMSMasterKeyArn") },
    { path: "point_in_time_recovery.enabled", kind: "match", reason: r("supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus") },
    { path: "replica", kind: "match", count: true, reason: r("configuration.replicas") },
    { path: "table_class", kind: "info", reason: r("configuration.tableClassSummary") },
    { path: "deletion_protection_enabled", kind: "info", reason: r("configuration.deletionProtectionEnabled") },
    { path: "name", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "stream_arn", kind: "ignore", reason: r("configuration.latestStreamArn") },
    { path: "stream_label", kind: "ignore", reason: r("configuration.latestStreamLabel") },
  ],
};
