// AWS::S3::Bucket: `configuration` holds name/owner/creationDate; the settings that matter arrive
// as supplementaryConfiguration entries (each a JSON string, parsed before comparing).
import type { RulePack } from "./types.js";

export const awsS3Bucket: RulePack = {
  resourceType: "AWS::S3::Bucket",
  rules: [
    { path: "supplementaryConfiguration.BucketVersioningConfiguration.status", kind: "match", reason: "replication and recovery need versioning on both sides" },
    { path: "supplementaryConfiguration.BucketVersioningConfiguration.isMfaDeleteEnabled", kind: "match", reason: "delete protection must not depend on the side" },
    { path: "supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.applyServerSideEncryptionByDefault.sseAlgorithm", kind: "match", reason: "encryption at rest must not depend on which side serves" },
    { path: "supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.bucketKeyEnabled", kind: "info", reason: "cost of KMS requests" },
    { path: "supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.applyServerSideEncryptionByDefault.kmsMasterKeyID", kind: "ignore", reason: "KMS keys are regional" },
    { path: "supplementaryConfiguration.PublicAccessBlockConfiguration", kind: "match", reason: "the standby must not be more exposed than the primary" },
    { path: "supplementaryConfiguration.BucketPolicy", kind: "match", reason: "who may read and write must be the same (ARNs compared after side-var substitution)" },
    { path: "supplementaryConfiguration.ObjectLockConfiguration", kind: "match", reason: "retention guarantees must hold on both sides" },
    { path: "supplementaryConfiguration.IsRequesterPaysEnabled", kind: "match", reason: "clients must not start paying after failover" },
    { path: "supplementaryConfiguration.BucketLifecycleConfiguration", kind: "match", reason: "objects must expire and transition the same way" },
    { path: "supplementaryConfiguration.BucketReplicationConfiguration", kind: "info", reason: "replication usually runs one way, primary to standby" },
    { path: "supplementaryConfiguration.BucketLoggingConfiguration", kind: "info", reason: "access logs go to per-region buckets" },
    { path: "supplementaryConfiguration.BucketNotificationConfiguration", kind: "info", reason: "event consumers are usually per region" },
    { path: "supplementaryConfiguration.BucketAccelerateConfiguration", kind: "info", reason: "performance, not behaviour" },
    { path: "supplementaryConfiguration.AccessControlList", kind: "info", reason: "ACL grantees are canonical ids that differ per account" },
    { path: "configuration.name", kind: "ignore", reason: "identity (pairing uses it)" },
    { path: "configuration.owner", kind: "ignore", reason: "the canonical owner differs per account" },
    { path: "configuration.creationDate", kind: "ignore", reason: "volatile" },
  ],
};
