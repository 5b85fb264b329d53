// aws_rds_cluster: the rules of AWS::RDS::DBCluster in the provider's names.
import { awsRdsDbCluster } from "./aws-rds-dbcluster.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsRdsDbCluster);

export const tfAwsRdsCluster: RulePack = {
  resourceType: "aws_rds_cluster",
  rules: [
    { path: "engine", kind: "match", reason: r("configuration.engine") },
    { path: "engine_version", kind: "match", reason: r("configuration.engineVersion") },
    { path: "engine_version_actual", kind: "match", reason: r("configuration.engineVersion") },
    { path: "engine_mode", kind: "match", reason: r("configuration.engineMode") },
    { path: "port", kind: "match", reason: r("configuration.port") },
    { path: "master_username", kind: "match", reason: r("configuration.masterUsername") },
    { path: "storage_encrypted", kind: "match", reason: r("configuration.storageEncrypted") },
    { path: "iam_database_authentication_enabled", kind: "match", reason: r("configuration.iAMDatabaseAuthenticationEnabled") },
    { path: "deletion_protection", kind: "match", reason: r("configuration.deletionProtection") },
    { path: "db_cluster_parameter_group_name", kind: "match", reason: r("configuration.dBClusterParameterGroup") },
    { path: "db_cluster_instance_class", kind: "sizeOrder", reason: r("configuration.dBClusterInstanceClass") },
    { path: "backup_retention_period", kind: "atLeast", reason: r("configuration.backupRetentionPeriod") },
    { path: "allocated_storage", kind: "atLeast", reason: r("configuration.allocatedStorage") },
    { path: "serverlessv2_scaling_configuration.max_capacity", kind: "atLeast", reason: r("configuration.serverlessV2ScalingConfiguration.maxCapacity") },
    { path: "serverlessv2_scaling_configuration.min_capacity", kind: "atLeast", reason: r("configuration.serverlessV2ScalingConfiguration.minCapacity") },
    { path: "availability_zones", kind: "atLeast", count: true, reason: r("configuration.availabilityZones") },
    { path: "cluster_members", kind: "atLeast", count: true, reason: r("configuration.dBClusterMembers") },
    { path: "vpc_security_group_ids", kind: "match", count: true, reason: r("configuration.vpcSecurityGroups") },
    { path: "iam_roles", kind: "match", count: true, reason: r("configuration.associatedRoles") },
    { path: "copy_tags_to_snapshot", kind: "info", reason: r("configuration.copyTagsToSnapshot") },
    { path: "preferred_backup_window", kind: "info", reason: r("configuration.preferredBackupWindow") },
    { path: "preferred_maintenance_window", kind: "info", reason: r("configuration.preferredMaintenanceWindow") },
    { path: "db_subnet_group_name", kind: "info", reason: r("configuration.dBSubnetGroup") },
    { path: "performance_insights_enabled", kind: "info", reason: r("configuration.performanceInsightsEnabled") },
    { path: "cluster_identifier", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "cluster_identifier_prefix", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "cluster_resource_id", kind: "ignore", reason: r("configuration.dbClusterResourceId") },
    { path: "endpoint", kind: "ignore", reason: r("configuration.endpoint") },
    { path: "reader_endpoint", kind: "ignore", reason: r("configuration.readerEndpoint") },
    { path: "hosted_zone_id", kind: "ignore", reason: r("configuration.hostedZoneId") },
    { path: "kms_key_id", kind: "ignore", reason: r("configuration.kmsKeyId") },
    { path: "replication_source_identifier", kind: "ignore", reason: r("configuration.replicationSourceIdentifier") },
    { path: "global_cluster_identifier", kind: "ignore", reason: r("configuration.globalClusterIdentifier") },
  ],
};
