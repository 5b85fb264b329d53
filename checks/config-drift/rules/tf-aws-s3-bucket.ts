// aws_s3_bucket: the rules of AWS::S3::Bucket in the provider's names (the bucket's settings as
// the resource's own blocks; provider v4+ also keeps them there, computed from the split resources).
import { awsS3Bucket } from "./aws-s3-bucket.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsS3Bucket);
const SSE = "server_side_encryption_configuration.rule";

export const tfAwsS3Bucket: RulePack = {
  resourceType: "aws_s3_bucket",
  rules: [
    { path: "versioning.enabled", kind: "match", reason: r("supplementaryConfiguration.BucketVersioningConfiguration.status") },
    { path: "versioning.mfa_delete", kind: "match", reason: r("supplementaryConfiguration.BucketVersioningConfiguration.isMfaDeleteEnabled") },
    { path: `${SSE}.apply_server_side_encryption_by_default.sse_algorithm`, kind: "match", reason: r("supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.applyServerSideEncryptionByDefault.sseAlgorithm") },
    { path: `${SSE}.apply_server_side_encryption_by_default.kms_master_key_id`, kind: "ignore", reason: r("supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.applyServerSideEncryptionByDefault.kmsMasterKeyID") },
    { path: `${SSE}.bucket_key_enabled`, kind: "info", reason: r("supplementaryConfiguration.ServerSideEncryptionConfiguration.rules.bucketKeyEnabled") },
    { path: "policy", kind: "match", reason: r("supplementaryConfiguration.BucketPolicy") },
    { path: "object_lock_enabled", kind: "match", reason: r("supplementaryConfiguration.ObjectLockConfiguration") },
    { path: "object_lock_configuration", kind: "match", reason: r("supplementaryConfiguration.ObjectLockConfiguration") },
    { path: "request_payer", kind: "match", reason: r("supplementaryConfiguration.IsRequesterPaysEnabled") },
    { path: "lifecycle_rule", kind: "match", reason: r("supplementaryConfiguration.BucketLifecycleConfiguration") },
    { path: "replication_configuration", kind: "info", reason: r("supplementaryConfiguration.BucketReplicationConfiguration") },
    { path: "logging", kind: "info", reason: r("supplementaryConfiguration.BucketLoggingConfiguration") },
    { path: "acceleration_status", kind: "info", reason: r("supplementaryConfiguration.BucketAccelerateConfiguration") },
    { path: "grant", kind: "info", reason: r("supplementaryConfiguration.AccessControlList") },
    { path: "acl", kind: "info", reason: r("supplementaryConfiguration.AccessControlList") },
    { path: "bucket", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "bucket_prefix", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "bucket_domain_name", kind: "ignore", reason: "per-bucket DNS name" },
    { path: "bucket_regional_domain_name", kind: "ignore", reason: "per-bucket DNS name" },
    { path: "hosted_zone_id", kind: "ignore", reason: "per-region hosted zone" },
    { path: "website_endpoint", kind: "ignore", reason: "per-bucket DNS name" },
    { path: "website_domain", kind: "ignore", reason: "per-region DNS name" },
    { path: "force_destroy", kind: "info", reason: "what `terraform destroy` may delete, not how the bucket behaves" },
  ],
};
