// aws_db_instance: the rules of AWS::RDS::DBInstance in the provider's names.
import { awsRdsDbInstance } from "./aws-rds-dbinstance.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsRdsDbInstance);

export const tfAwsDbInstance: RulePack = {
  resourceType: "aws_db_instance",
  rules: [
    { path: "engine", kind: "match", reason: r("configuration.engine") },
    { path: "engine_version", kind: "match", reason: r("configuration.engineVersion") },
    { path: "engine_version_actual", kind: "match", reason: r("configuration.engineVersion") },
    { path: "status", kind: "match", reason: r("configuration.dBInstanceStatus") },
    { path: "instance_class", kind: "sizeOrder", reason: r("configuration.dBInstanceClass") },
    { path: "allocated_storage", kind: "atLeast", reason: r("configuration.allocatedStorage") },
    { path: "max_allocated_storage", kind: "atLeast", reason: r("configuration.maxAllocatedStorage") },
    { path: "iops", kind: "atLeast", reason: r("configuration.iops") },
    { path: "storage_throughput", kind: "atLeast", reason: r("configuration.storageThroughput") },
    { path: "backup_retention_period", kind: "atLeast", reason: r("configuration.backupRetentionPeriod") },
    { path: "multi_az", kind: "match", reason: r("configuration.multiAZ") },
    { path: "storage_type", kind: "match", reason: r("configuration.storageType") },
    { path: "storage_encrypted", kind: "match", reason: r("configuration.storageEncrypted") },
    { path: "publicly_accessible", kind: "match", reason: r("configuration.publiclyAccessible") },
    { path: "iam_database_authentication_enabled", kind: "match", reason: r("configuration.iAMDatabaseAuthenticationEnabled") },
    { path: "deletion_protection", kind: "match", reason: r("configuration.deletionProtection") },
    { path: "license_model", kind: "match", reason: r("configuration.licenseModel") },
    { path: "username", kind: "match", reason: r("configuration.masterUsername") },
    { path: "port", kind: "match", reason: r("configuration.endpoint.port") },
    { path: "parameter_group_name", kind: "match", reason: r("configuration.dBParameterGroups") },
    { path: "vpc_security_group_ids", kind: "match", count: true, reason: r("configuration.vpcSecurityGroups") },
    { path: "ca_cert_identifier", kind: "info", reason: r("configuration.cACertificateIdentifier") },
    { path: "backup_window", kind: "info", reason: r("configuration.preferredBackupWindow") },
    { path: "maintenance_window", kind: "info", reason: r("configuration.preferredMaintenanceWindow") },
    { path: "monitoring_interval", kind: "info", reason: r("configuration.monitoringInterval") },
    { path: "performance_insights_enabled", kind: "info", reason: r("configuration.performanceInsightsEnabled") },
    { path: "identifier", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "identifier_prefix", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "resource_id", kind: "ignore", reason: r("configuration.dbiResourceId") },
    { path: "address", kind: "ignore", reason: r("configuration.endpoint.address") },
    { path: "endpoint", kind: "ignore", reason: r("configuration.endpoint.address") },
    { path: "hosted_zone_id", kind: "ignore", reason: r("configuration.endpoint.hostedZoneId") },
    { path: "kms_key_id", kind: "ignore", reason: r("configuration.kmsKeyId") },
    { path: "performance_insights_kms_key_id", kind: "ignore", reason: r("configuration.kmsKeyId") },
    { path: "availability_zone", kind: "ignore", reason: r("configuration.availabilityZone") },
    { path: "latest_restorable_time", kind: "ignore", reason: r("configuration.latestRestorableTime") },
    { path: "replicas", kind: "ignore", reason: r("configuration.readReplicaDBInstanceIdentifiers") },
    { path: "replicate_source_db", kind: "ignore", reason: r("configuration.readReplicaSourceDBInstanceIdentifier") },
    { path: "db_subnet_group_name", kind: "info", reason: "subnet group names are per region" },
  ],
};
