// AWS::Lambda::Function: `configuration` is GetFunctionConfiguration's output (plus reserved concurrency).
import type { RulePack } from "./types.js";

export const awsLambdaFunction: RulePack = {
  resourceType: "AWS::Lambda::Function",
  keys: { "configuration.layers": "arn" },
  rules: [
    { path: "configuration.runtime", kind: "match", reason: "the standby must run the same language runtime" },
    { path: "configuration.handler", kind: "match", reason: "the standby must call the same entry point" },
    { path: "configuration.codeSha256", kind: "match", reason: "the standby must run the same code" },
    { path: "configuration.packageType", kind: "match", reason: "zip and image functions deploy differently" },
    { path: "configuration.architectures", kind: "match", reason: "the code is built for one architecture" },
    { path: "configuration.timeout", kind: "match", reason: "a shorter timeout fails requests the primary completes; a longer one hides hangs" },
    { path: "configuration.memorySize", kind: "atLeast", reason: "memory also sets CPU: the standby must have at least as much" },
    { path: "configuration.reservedConcurrentExecutions", kind: "atLeast", reason: "the standby must be allowed to run as many concurrent executions" },
    { path: "configuration.ephemeralStorage.size", kind: "atLeast", reason: "the standby needs at least as much /tmp space" },
    { path: "configuration.layers", kind: "match", reason: "layers are code too (ARNs compared after side-var substitution)" },
    { path: "configuration.vpcConfig.subnetIds", kind: "atLeast", count: true, reason: "the standby must have at least as many subnets (ids differ per region)" },
    { path: "configuration.vpcConfig.securityGroupIds", kind: "match", count: true, reason: "security group ids differ per region; their number should not" },
    { path: "configuration.tracingConfig.mode", kind: "info", reason: "observability, not behaviour" },
    { path: "configuration.description", kind: "info", reason: "documentation" },
    { path: "configuration.codeSize", kind: "info", reason: "follows codeSha256, which is the rule" },
    { path: "configuration.functionName", kind: "ignore", reason: "identity (pairing uses it)" },
    { path: "configuration.functionArn", kind: "ignore", reason: "identity" },
    { path: "configuration.lastModified", kind: "ignore", reason: "volatile" },
    { path: "configuration.revisionId", kind: "ignore", reason: "volatile" },
    { path: "configuration.version", kind: "ignore", reason: "$LATEST on both sides" },
    { path: "configuration.kmsKeyArn", kind: "ignore", reason: "KMS keys are regional" },
    { path: "configuration.vpcConfig.vpcId", kind: "ignore", reason: "VPC ids differ per region" },
    { path: "configuration.lastUpdateStatus", kind: "ignore", reason: "volatile" },
    { path: "configuration.state", kind: "match", reason: "an inactive or failed standby function cannot take traffic" },
  ],
};
