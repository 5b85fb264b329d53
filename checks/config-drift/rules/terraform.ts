// Rule packs for Terraform state sources, by resource type (aws_db_instance...): see tf-common.ts.
import { tfAwsAutoScalingGroup } from "./tf-aws-autoscaling-group.js";
import { tfAwsDbInstance } from "./tf-aws-db-instance.js";
import { tfAwsDynamodbTable } from "./tf-aws-dynamodb-table.js";
import { tfAwsLambdaFunction } from "./tf-aws-lambda-function.js";
import { tfAwsLb } from "./tf-aws-lb.js";
import { tfAwsRdsCluster } from "./tf-aws-rds-cluster.js";
import { tfAwsS3Bucket } from "./tf-aws-s3-bucket.js";
import { TF_COMMON_RULES } from "./tf-common.js";
import type { RuleCatalogue } from "./types.js";

export const TERRAFORM_RULES: RuleCatalogue = {
  packs: Object.fromEntries([tfAwsAutoScalingGroup, tfAwsDbInstance, tfAwsDynamodbTable, tfAwsLambdaFunction, tfAwsLb, tfAwsRdsCluster, tfAwsS3Bucket].map((p) => [p.resourceType, p])),
  common: TF_COMMON_RULES,
};
