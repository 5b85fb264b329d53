// AWS::ElasticLoadBalancingV2::LoadBalancer: `configuration` is DescribeLoadBalancers' LoadBalancer;
// attributes arrive in supplementaryConfiguration.LoadBalancerAttributes ([{ key, value }]).
import type { RulePack } from "./types.js";

export const awsElbv2LoadBalancer: RulePack = {
  resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  keys: { "supplementaryConfiguration.LoadBalancerAttributes": "key" },
  rules: [
    { path: "configuration.type", kind: "match", reason: "application and network load balancers route differently" },
    { path: "configuration.scheme", kind: "match", reason: "internet-facing vs internal decides who can reach the standby" },
    { path: "configuration.ipAddressType", kind: "match", reason: "IPv6 clients must reach the standby too" },
    { path: "configuration.state.code", kind: "match", reason: "a standby load balancer that is not active cannot take traffic" },
    { path: "configuration.availabilityZones", kind: "atLeast", count: true, reason: "the standby must span at least as many availability zones (names and subnets differ per region)" },
    { path: "configuration.securityGroups", kind: "match", count: true, reason: "security group ids differ per region; their number should not" },
    { path: "supplementaryConfiguration.LoadBalancerAttributes", kind: "match", reason: "attributes (idle timeout, HTTP/2, deletion protection, drop invalid headers...) change behaviour" },
    { path: "configuration.loadBalancerName", kind: "ignore", reason: "identity (pairing uses it)" },
    { path: "configuration.loadBalancerArn", kind: "ignore", reason: "identity" },
    { path: "configuration.dNSName", kind: "ignore", reason: "per-load-balancer DNS name" },
    { path: "configuration.canonicalHostedZoneId", kind: "ignore", reason: "per-region hosted zone" },
    { path: "configuration.vpcId", kind: "ignore", reason: "VPC ids differ per region" },
    { path: "configuration.createdTime", kind: "ignore", reason: "volatile" },
  ],
};
