// aws_lambda_function: the rules of AWS::Lambda::Function in the provider's names.
import { awsLambdaFunction } from "./aws-lambda-function.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsLambdaFunction);

export const tfAwsLambdaFunction: RulePack = {
  resourceType: "aws_lambda_function",
  rules: [
    { path: "runtime", kind: "match", reason: r("configuration.runtime") },
    { path: "handler", kind: "match", reason: r("configuration.handler") },
    { path: "source_code_hash", kind: "match", reason: r("configuration.codeSha256") },
    { path: "code_sha256", kind: "match", reason: r("configuration.codeSha256") },
    { path: "image_uri", kind: "match", reason: r("configuration.codeSha256") },
    { path: "package_type", kind: "match", reason: r("configuration.packageType") },
    { path: "architectures", kind: "match", reason: r("configuration.architectures") },
    { path: "timeout", kind: "match", reason: r("configuration.timeout") },
    { path: "memory_size", kind: "atLeast", reason: r("configuration.memorySize") },
    { path: "reserved_concurrent_executions", kind: "atLeast", reason: r("configuration.reservedConcurrentExecutions") },
    { path: "ephemeral_storage.size", kind: "atLeast", reason: r("configuration.ephemeralStorage.size") },
    { path: "layers", kind: "match", reason: r("configuration.layers") },
    { path: "vpc_config.subnet_ids", kind: "atLeast", count: true, reason: r("configuration.vpcConfig.subnetIds") },
    { path: "vpc_config.security_group_ids", kind: "match", count: true, reason: r("configuration.vpcConfig.securityGroupIds") },
    { path: "vpc_config.vpc_id", kind: "ignore", reason: r("configuration.vpcConfig.vpcId") },
    { path: "tracing_config.mode", kind: "info", reason: r("configuration.tracingConfig.mode") },
    { path: "description", kind: "info", reason: r("configuration.description") },
    { path: "source_code_size", kind: "info", reason: r("configuration.codeSize") },
    { path: "function_name", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "qualified_arn", kind: "ignore", reason: r("configuration.functionArn") },
    { path: "invoke_arn", kind: "ignore", reason: r("configuration.functionArn") },
    { path: "qualified_invoke_arn", kind: "ignore", reason: r("configuration.functionArn") },
    { path: "version", kind: "ignore", reason: r("configuration.version") },
    { path: "kms_key_arn", kind: "ignore", reason: r("configuration.kmsKeyArn") },
  ],
};
