// aws_lb: the rules of AWS::ElasticLoadBalancingV2::LoadBalancer in the provider's names (the
// load balancer attributes are top-level arguments here).
import { awsElbv2LoadBalancer } from "./aws-elasticloadbalancingv2-loadbalancer.js";
import { sameReason } from "./tf-common.js";
import type { RulePack } from "./types.js";

const r = sameReason(awsElbv2LoadBalancer);
const attributes = r("supplementaryConfiguration.LoadBalancerAttributes");

export const tfAwsLb: RulePack = {
  resourceType: "aws_lb",
  rules: [
    { path: "load_balancer_type", kind: "match", reason: r("configuration.type") },
    { path: "internal", kind: "match", reason: r("configuration.scheme") },
    { path: "ip_address_type", kind: "match", reason: r("configuration.ipAddressType") },
    { path: "subnets", kind: "atLeast", count: true, reason: r("configuration.availabilityZones") },
    { path: "subnet_mapping", kind: "atLeast", count: true, reason: r("configuration.availabilityZones") },
    { path: "security_groups", kind: "match", count: true, reason: r("configuration.securityGroups") },
    ...["idle_timeout", "enable_http2", "enable_deletion_protection", "drop_invalid_header_fields", "desync_mitigation_mode", "enable_cross_zone_load_balancing", "preserve_host_header", "enable_waf_fail_open", "xff_header_processing_mode"].map(
      (path) => ({ path, kind: "match" as const, reason: attributes }),
    ),
    { path: "access_logs", kind: "info", reason: "access logs go to per-region buckets" },
    { path: "name", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "name_prefix", kind: "ignore", reason: "identity (the address pairs resources)" },
    { path: "arn_suffix", kind: "ignore", reason: r("configuration.loadBalancerArn") },
    { path: "dns_name", kind: "ignore", reason: r("configuration.dNSName") },
    { path: "zone_id", kind: "ignore", reason: r("configuration.canonicalHostedZoneId") },
    { path: "vpc_id", kind: "ignore", reason: r("configuration.vpcId") },
  ],
};
