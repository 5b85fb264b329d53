// aws_autoscaling_group: the rules of AWS::AutoScaling::AutoScalingGroup in the provider's names
// (launch_template and mixed_instances_policy are blocks: lists of one object in the state).
import { awsAutoScalingGroup } from "./aws-autoscaling-autoscalinggroup.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsAutoScalingGroup);

export const tfAwsAutoScalingGroup: RulePack = {
  resourceType: "aws_autoscaling_group",
  rules: [
    { path: "max_size", kind: "atLeast", reason: r("configuration.maxSize") },
    { path: "desired_capacity", kind: "atLeast", tolerance: "10%", reason: r("configuration.desiredCapacity") },
    { path: "min_size", kind: "atLeast", reason: r("configuration.minSize") },
    { path: "availability_zones", kind: "atLeast", count: true, reason: r("configuration.availabilityZones") },
    { path: "vpc_zone_identifier", kind: "atLeast", count: true, reason: r("configuration.vPCZoneIdentifier") },
    { path: "target_group_arns", kind: "match", count: true, reason: r("configuration.targetGroupARNs") },
    { path: "load_balancers", kind: "match", count: true, reason: r("configuration.loadBalancerNames") },
    { path: "health_check_type", kind: "match", reason: r("configuration.healthCheckType") },
    { path: "launch_template.name", kind: "match", reason: r("configuration.launchTemplate.launchTemplateName") },
    { path: "launch_template.version", kind: "match", reason: r("configuration.launchTemplate.version") },
    { path: "launch_template.id", kind: "ignore", reason: r("configuration.launchTemplate.launchTemplateId") },
    { path: "launch_configuration", kind: "match", reason: r("configuration.launchConfigurationName") },
    { path: "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id", kind: "ignore", reason: r("configuration.launchTemplate.launchTemplateId") },
    { path: "mixed_instances_policy", kind: "match", reason: r("configuration.mixedInstancesPolicy") },
    { path: "suspended_processes", kind: "match", reason: r("configuration.suspendedProcesses") },
    { path: "termination_policies", kind: "match", reason: r("configuration.terminationPolicies") },
    { path: "protect_from_scale_in", kind: "match", reason: r("configuration.newInstancesProtectedFromScaleIn") },
    { path: "capacity_rebalance", kind: "match", reason: r("configuration.capacityRebalance") },
    { path: "health_check_grace_period", kind: "info", reason: r("configuration.healthCheckGracePeriod") },
    { path: "default_cooldown", kind: "info", reason: r("configuration.defaultCooldown") },
    { path: "enabled_metrics", kind: "info", reason: r("configuration.enabledMetrics") },
    { path: "name", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "name_prefix", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "service_linked_role_arn", kind: "ignore", reason: r("configuration.serviceLinkedRoleARN") },
  ],
};
