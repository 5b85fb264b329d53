// Rule packs by resource type: AWS Config types and Kubernetes kinds (`apiVersion kind`). Types
// without a pack are compared field by field with only their source's common rules (identity and
// recording metadata left out).
import { awsAutoScalingGroup } from "./aws-autoscaling-autoscalinggroup.js";
import { awsDynamodbTable } from "./aws-dynamodb-table.js";
import { awsElbv2LoadBalancer } from "./aws-elasticloadbalancingv2-loadbalancer.js";
import { awsLambdaFunction } from "./aws-lambda-function.js";
import { awsRdsDbCluster } from "./aws-rds-dbcluster.js";
import { awsRdsDbInstance } from "./aws-rds-dbinstance.js";
import { awsS3Bucket } from "./aws-s3-bucket.js";
import { k8sDeployment } from "./k8s-apps-v1-deployment.js";
import { k8sStatefulSet } from "./k8s-apps-v1-statefulset.js";
import { k8sHorizontalPodAutoscaler } from "./k8s-autoscaling-v2-horizontalpodautoscaler.js";
import { k8sIngress } from "./k8s-networking-v1-ingress.js";
import { k8sPodDisruptionBudget } from "./k8s-policy-v1-poddisruptionbudget.js";
import { k8sConfigMap } from "./k8s-v1-configmap.js";
import { k8sSecret } from "./k8s-v1-secret.js";
import { k8sService } from "./k8s-v1-service.js";
import { COMMON_RULES } from "./common.js";
import type { RuleCatalogue, RulePack } from "./types.js";

export { COMMON_RULES } from "./common.js";
export { K8S_COMMON_RULES } from "./k8s-common.js";
export type { PackRule, RuleCatalogue, RuleKind, RulePack } from "./types.js";
export { TERRAFORM_RULES } from "./terraform.js";

export const PACKS: Readonly<Record<string, RulePack>> = Object.fromEntries(
  [
    awsAutoScalingGroup,
    awsDynamodbTable,
    awsElbv2LoadBalancer,
    awsLambdaFunction,
    awsRdsDbCluster,
    awsRdsDbInstance,
    awsS3Bucket,
    k8sDeployment,
    k8sStatefulSet,
    k8sHorizontalPodAutoscaler,
    k8sPodDisruptionBudget,
    k8sConfigMap,
    k8sSecret,
    k8sService,
    k8sIngress,
  ].map((p) => [p.resourceType, p]),
);

/** The AWS Config source's rules: its packs and the common rules of configuration items. */
export const AWS_CONFIG_RULES: RuleCatalogue = { packs: PACKS, common: COMMON_RULES };

/** Resource types AWS Config records in one region only (the one recording global resources). */
export function isGlobalResourceType(resourceType: string): boolean {
  return resourceType.startsWith("AWS::IAM::");
}
