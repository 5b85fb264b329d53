// Rule packs by resource type. Types without a pack are compared field by field with only the
// common rules (identity and recording metadata left out).
import { awsAutoScalingGroup } from "./aws-autoscaling-autoscalinggroup.js";
import { awsDynamodbTable } from "./aws-dynamodb-table.js";
import { awsElbv2LoadBalancer } from "./aws-elasticloadbalancingv2-loadbalancer.js";
import { awsLambdaFunction } from "./aws-lambda-function.js";
import { awsRdsDbCluster } from "./aws-rds-dbcluster.js";
import { awsRdsDbInstance } from "./aws-rds-dbinstance.js";
import { awsS3Bucket } from "./aws-s3-bucket.js";
import { COMMON_RULES } from "./common.js";
import type { RuleCatalogue, RulePack } from "./types.js";

export { COMMON_RULES } from "./common.js";
export type { PackRule, RuleCatalogue, RuleKind, RulePack } from "./types.js";
export { TERRAFORM_RULES } from "./terraform.js";

export const PACKS: Readonly<Record<string, RulePack>> = Object.fromEntries(
  [awsAutoScalingGroup, awsDynamodbTable, awsElbv2LoadBalancer, awsLambdaFunction, awsRdsDbCluster, awsRdsDbInstance, awsS3Bucket].map((p) => [p.resourceType, p]),
);

/** The AWS Config source's rules: its packs and the common rules of configuration items. */
export const AWS_CONFIG_RULES: RuleCatalogue = { packs: PACKS, common: COMMON_RULES };

/** Resource types AWS Config records in one region only (the one recording global resources). */
export function isGlobalResourceType(resourceType: string): boolean {
  return resourceType.startsWith("AWS::IAM::");
}
