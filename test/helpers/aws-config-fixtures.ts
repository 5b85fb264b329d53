// Configuration items shaped like the ones AWS Config records, for the local AWS Config server.
// Builders take a side (region, account, suffix) so primary and standby twins differ exactly
// where real ones do: names, ARNs, ids, availability zones, capture times.
import { createHash } from "node:crypto";
import type { StoredItem } from "./aws-config-server.js";

export interface SideDef {
  region: string;
  account: string;
  suffix: string;
}

export const USE1: SideDef = { region: "us-east-1", account: "111111111111", suffix: "use1" };
export const USW2: SideDef = { region: "us-west-2", account: "222222222222", suffix: "usw2" };

let stateId = 1_700_000_000_000;

export interface ItemExtra {
  supplementary?: Record<string, unknown>;
  tags?: Record<string, string>;
  status?: string;
  awsRegion?: string;
  arn?: string;
  relationships?: StoredItem["relationships"];
}

export function configItem(side: SideDef, resourceType: string, resourceId: string, resourceName: string | undefined, configuration: unknown, extra: ItemExtra = {}): StoredItem {
  const region = extra.awsRegion ?? side.region;
  const service = resourceType.split("::")[1]!.toLowerCase();
  const item: StoredItem = {
    version: "1.3",
    accountId: side.account,
    configurationItemCaptureTime: new Date(Date.UTC(2026, 10, 24, 3, 0, Math.floor(Math.random() * 3600))),
    configurationItemStatus: extra.status ?? "OK",
    configurationStateId: String(stateId++),
    configurationItemMD5Hash: createHash("md5").update(JSON.stringify(configuration)).digest("hex"),
    arn: extra.arn ?? `arn:aws:${service}:${region === "global" ? "" : region}:${side.account}:${resourceName ?? resourceId}`,
    resourceType,
    resourceId,
    awsRegion: region,
    availabilityZone: region === "global" ? "Not Applicable" : "Multiple Availability Zones",
    resourceCreationTime: new Date(Date.UTC(2025, 0, side.suffix.length, 12)),
    configuration,
    supplementaryConfiguration: extra.supplementary ?? {},
    tags: extra.tags ?? {},
    relatedEvents: [],
    relationships: extra.relationships ?? [],
  };
  if (resourceName !== undefined) item.resourceName = resourceName;
  return item;
}

const azs = (side: SideDef, n: number) => ["a", "b", "c", "d"].slice(0, n).map((z) => `${side.region}${z}`);
const subnetIds = (side: SideDef, n: number) => Array.from({ length: n }, (_, i) => `subnet-0${side.suffix}${i}f3e9a1c2b`);

export interface AsgOpts {
  name?: string;
  minSize?: number;
  maxSize?: number;
  desired?: number;
  azCount?: number;
  subnetCount?: number;
  healthCheckType?: string;
  launchTemplateVersion?: string;
  tags?: Record<string, string>;
  status?: string;
}

export function asg(side: SideDef, o: AsgOpts = {}): StoredItem {
  const name = o.name ?? `orders-asg-${side.suffix}`;
  const desired = o.desired ?? 6;
  const zones = azs(side, o.azCount ?? 3);
  const cfg = {
    autoScalingGroupName: name,
    autoScalingGroupARN: `arn:aws:autoscaling:${side.region}:${side.account}:autoScalingGroup:5f1c${side.suffix}:autoScalingGroupName/${name}`,
    launchTemplate: { launchTemplateId: `lt-0${side.suffix}9c1d2e3f4a`, launchTemplateName: `orders-lt-${side.suffix}`, version: o.launchTemplateVersion ?? "7" },
    minSize: o.minSize ?? 2,
    maxSize: o.maxSize ?? 24,
    desiredCapacity: desired,
    defaultCooldown: 300,
    availabilityZones: zones,
    loadBalancerNames: [],
    targetGroupARNs: [`arn:aws:elasticloadbalancing:${side.region}:${side.account}:targetgroup/orders-tg-${side.suffix}/73e2d6bc24d8a067`],
    healthCheckType: o.healthCheckType ?? "ELB",
    healthCheckGracePeriod: 300,
    instances: Array.from({ length: desired }, (_, i) => ({
      instanceId: `i-0${side.suffix}${i}abcdef`,
      instanceType: "m6i.large",
      availabilityZone: zones[i % zones.length],
      lifecycleState: "InService",
      healthStatus: "Healthy",
      protectedFromScaleIn: false,
    })),
    createdTime: "2025-03-02T10:11:12.000Z",
    suspendedProcesses: [],
    vPCZoneIdentifier: subnetIds(side, o.subnetCount ?? 3).join(","),
    enabledMetrics: [],
    tags: [],
    terminationPolicies: ["Default"],
    newInstancesProtectedFromScaleIn: false,
    serviceLinkedRoleARN: `arn:aws:iam::${side.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    capacityRebalance: false,
  };
  return configItem(side, "AWS::AutoScaling::AutoScalingGroup", name, name, cfg, {
    tags: o.tags ?? { Service: "orders", Name: "orders-asg" },
    status: o.status,
    arn: cfg.autoScalingGroupARN,
  });
}

export interface RdsClusterOpts {
  name?: string;
  engineVersion?: string;
  instanceClass?: string;
  azCount?: number;
  members?: number;
  backupRetentionPeriod?: number;
  status?: string;
  preferredBackupWindow?: string;
}

export function rdsCluster(side: SideDef, o: RdsClusterOpts = {}): StoredItem {
  const name = o.name ?? `orders-db-${side.suffix}`;
  const cfg = {
    allocatedStorage: 1,
    availabilityZones: azs(side, o.azCount ?? 3),
    backupRetentionPeriod: o.backupRetentionPeriod ?? 7,
    dBClusterIdentifier: name,
    dBClusterParameterGroup: "orders-aurora-pg16",
    dBSubnetGroup: `orders-db-subnets-${side.suffix}`,
    status: "available",
    earliestRestorableTime: "2026-11-17T03:00:00.000Z",
    endpoint: `${name}.cluster-c9x${side.suffix}.${side.region}.rds.amazonaws.com`,
    readerEndpoint: `${name}.cluster-ro-c9x${side.suffix}.${side.region}.rds.amazonaws.com`,
    multiAZ: true,
    engine: "aurora-postgresql",
    engineVersion: o.engineVersion ?? "16.4",
    latestRestorableTime: "2026-11-24T02:55:00.000Z",
    port: 5432,
    masterUsername: "orders_admin",
    preferredBackupWindow: o.preferredBackupWindow ?? "03:00-04:00",
    preferredMaintenanceWindow: "sun:05:00-sun:06:00",
    readReplicaIdentifiers: [],
    dBClusterMembers: Array.from({ length: o.members ?? 2 }, (_, i) => ({
      dBInstanceIdentifier: `${name}-${i + 1}`,
      isClusterWriter: i === 0,
      dBClusterParameterGroupStatus: "in-sync",
      promotionTier: 1,
    })),
    vpcSecurityGroups: [{ vpcSecurityGroupId: `sg-0${side.suffix}db1234`, status: "active" }],
    hostedZoneId: side.region === "us-east-1" ? "Z2R2ITUGPM61AM" : "Z1PVIF0B656C1W",
    storageEncrypted: true,
    kmsKeyId: `arn:aws:kms:${side.region}:${side.account}:key/4f1e-${side.suffix}`,
    dbClusterResourceId: `cluster-${side.suffix.toUpperCase()}ABCDEFGHIJ`,
    dBClusterArn: `arn:aws:rds:${side.region}:${side.account}:cluster:${name}`,
    associatedRoles: [],
    iAMDatabaseAuthenticationEnabled: true,
    clusterCreateTime: "2025-02-01T09:00:00.000Z",
    engineMode: "provisioned",
    deletionProtection: true,
    httpEndpointEnabled: false,
    copyTagsToSnapshot: true,
    crossAccountClone: false,
    domainMemberships: [],
    dBClusterInstanceClass: o.instanceClass ?? "db.r6g.xlarge",
    storageType: "aurora",
  };
  return configItem(side, "AWS::RDS::DBCluster", cfg.dbClusterResourceId, name, cfg, {
    tags: { Service: "orders", Name: "orders-db" },
    status: o.status,
    arn: cfg.dBClusterArn,
    relationships: [{ resourceType: "AWS::EC2::SecurityGroup", resourceId: `sg-0${side.suffix}db1234`, relationshipName: "Is associated with SecurityGroup" }],
  });
}

export function rdsInstance(side: SideDef, o: { instanceClass?: string; allocatedStorage?: number; multiAZ?: boolean } = {}): StoredItem {
  const name = `orders-reports-${side.suffix}`;
  const cfg = {
    dBInstanceIdentifier: name,
    dBInstanceClass: o.instanceClass ?? "db.m6g.large",
    engine: "postgres",
    engineVersion: "16.4",
    dBInstanceStatus: "available",
    masterUsername: "reports",
    endpoint: { address: `${name}.c9x${side.suffix}.${side.region}.rds.amazonaws.com`, port: 5432, hostedZoneId: "Z2R2ITUGPM61AM" },
    allocatedStorage: o.allocatedStorage ?? 500,
    maxAllocatedStorage: 1000,
    multiAZ: o.multiAZ ?? true,
    storageType: "gp3",
    storageEncrypted: true,
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    dBSubnetGroup: { dBSubnetGroupName: `reports-${side.suffix}`, vpcId: `vpc-0${side.suffix}`, subnets: subnetIds(side, 3).map((s) => ({ subnetIdentifier: s, subnetStatus: "Active" })) },
    vpcSecurityGroups: [{ vpcSecurityGroupId: `sg-0${side.suffix}rep`, status: "active" }],
    dbiResourceId: `db-${side.suffix.toUpperCase()}XYZ`,
    dBInstanceArn: `arn:aws:rds:${side.region}:${side.account}:db:${name}`,
    availabilityZone: `${side.region}a`,
    instanceCreateTime: "2025-02-01T09:00:00.000Z",
  };
  return configItem(side, "AWS::RDS::DBInstance", cfg.dbiResourceId, name, cfg, { arn: cfg.dBInstanceArn });
}

export function dynamoTable(side: SideDef, o: { rcu?: number; wcu?: number; gsiRcu?: number; pitr?: boolean; name?: string } = {}): StoredItem {
  const name = o.name ?? "orders";
  const arn = `arn:aws:dynamodb:${side.region}:${side.account}:table/${name}`;
  const cfg = {
    attributeDefinitions: [
      { attributeName: "pk", attributeType: "S" },
      { attributeName: "sk", attributeType: "S" },
      { attributeName: "customerId", attributeType: "S" },
    ],
    tableName: name,
    keySchema: [
      { attributeName: "pk", keyType: "HASH" },
      { attributeName: "sk", keyType: "RANGE" },
    ],
    tableStatus: "ACTIVE",
    creationDateTime: 1738400000000,
    provisionedThroughput: { numberOfDecreasesToday: side.suffix === "use1" ? 0 : 2, readCapacityUnits: o.rcu ?? 400, writeCapacityUnits: o.wcu ?? 200 },
    tableSizeBytes: side.suffix === "use1" ? 98234123 : 98100002,
    itemCount: side.suffix === "use1" ? 1200344 : 1200101,
    tableArn: arn,
    tableId: `9f1e-${side.suffix}`,
    billingModeSummary: { billingMode: "PROVISIONED" },
    globalSecondaryIndexes: [
      {
        indexName: "byCustomer",
        keySchema: [{ attributeName: "customerId", keyType: "HASH" }],
        projection: { projectionType: "ALL" },
        indexStatus: "ACTIVE",
        provisionedThroughput: { numberOfDecreasesToday: 0, readCapacityUnits: o.gsiRcu ?? 100, writeCapacityUnits: 100 },
        indexSizeBytes: 1234,
        itemCount: 99,
        indexArn: `${arn}/index/byCustomer`,
      },
    ],
    streamSpecification: { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" },
    latestStreamLabel: `2026-11-0${side.suffix.length}T00:00:00.000`,
    latestStreamArn: `${arn}/stream/2026-11-01T00:00:00.000`,
    sSEDescription: { status: "ENABLED", sSEType: "KMS", kMSMasterKeyArn: `arn:aws:kms:${side.region}:${side.account}:key/ddb-${side.suffix}` },
    replicas: [{ regionName: USE1.region, replicaStatus: "ACTIVE" }, { regionName: USW2.region, replicaStatus: "ACTIVE" }],
  };
  return configItem(side, "AWS::DynamoDB::Table", name, name, cfg, {
    arn,
    supplementary: {
      ContinuousBackupsDescription: JSON.stringify({
        continuousBackupsStatus: "ENABLED",
        pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: o.pitr === false ? "DISABLED" : "ENABLED", earliestRestorableDateTime: 1763000000000 + side.suffix.length },
      }),
      Tags: JSON.stringify([{ key: "Service", value: "orders" }]),
    },
  });
}

export function lambdaFn(side: SideDef, o: { memorySize?: number; reserved?: number; codeSha256?: string; runtime?: string } = {}): StoredItem {
  const name = `orders-worker-${side.suffix}`;
  const arn = `arn:aws:lambda:${side.region}:${side.account}:function:${name}`;
  const cfg = {
    functionName: name,
    functionArn: arn,
    runtime: o.runtime ?? "nodejs20.x",
    role: `arn:aws:iam::${side.account}:role/orders-worker-${side.suffix}`,
    handler: "index.handler",
    codeSize: 1048576,
    description: "orders worker",
    timeout: 30,
    memorySize: o.memorySize ?? 1024,
    lastModified: `2026-11-2${side.suffix.length}T10:00:00.000+0000`,
    codeSha256: o.codeSha256 ?? "n5Jv1sN7mJ1aG5sZ7Yb2wQ0rL3kP8xT4uV6yW9zA1bC=",
    version: "$LATEST",
    vpcConfig: { subnetIds: subnetIds(side, 3), securityGroupIds: [`sg-0${side.suffix}fn`] },
    tracingConfig: { mode: "Active" },
    revisionId: `rev-${side.suffix}`,
    layers: [{ arn: `arn:aws:lambda:${side.region}:${side.account}:layer:orders-common:12`, codeSize: 2048 }],
    packageType: "Zip",
    architectures: ["arm64"],
    ephemeralStorage: { size: 512 },
    reservedConcurrentExecutions: o.reserved ?? 100,
    state: "Active",
  };
  return configItem(side, "AWS::Lambda::Function", name, name, cfg, { arn, supplementary: { Tags: JSON.stringify({ Service: "orders" }) } });
}

export function loadBalancer(side: SideDef, o: { azCount?: number; scheme?: string; idleTimeout?: string } = {}): StoredItem {
  const name = `orders-alb-${side.suffix}`;
  const arn = `arn:aws:elasticloadbalancing:${side.region}:${side.account}:loadbalancer/app/${name}/50dc6c495c0c9188`;
  const cfg = {
    loadBalancerArn: arn,
    dNSName: `${name}-1234567890.${side.region}.elb.amazonaws.com`,
    canonicalHostedZoneId: "Z35SXDOTRQ7X7K",
    createdTime: "2025-02-01T09:00:00.000Z",
    loadBalancerName: name,
    scheme: o.scheme ?? "internet-facing",
    vpcId: `vpc-0${side.suffix}`,
    state: { code: "active" },
    type: "application",
    availabilityZones: azs(side, o.azCount ?? 3).map((z, i) => ({ zoneName: z, subnetId: subnetIds(side, 4)[i], loadBalancerAddresses: [] })),
    securityGroups: [`sg-0${side.suffix}alb`],
    ipAddressType: "ipv4",
  };
  return configItem(side, "AWS::ElasticLoadBalancingV2::LoadBalancer", arn, name, cfg, {
    arn,
    supplementary: {
      LoadBalancerAttributes: JSON.stringify([
        { key: "deletion_protection.enabled", value: "true" },
        { key: "idle_timeout.timeout_seconds", value: o.idleTimeout ?? "60" },
        { key: "routing.http2.enabled", value: "true" },
      ]),
    },
  });
}

export function s3Bucket(side: SideDef, o: { versioning?: string; sse?: string; logging?: boolean } = {}): StoredItem {
  const name = `orders-assets-${side.suffix}`;
  const cfg = { name, owner: { displayName: null, id: `canonical-${side.account}` }, creationDate: "2025-02-01T09:00:00.000Z" };
  // Like real items: AccessControlList is a JSON string of a JSON string.
  const acl = JSON.stringify(JSON.stringify({ grantList: [{ grantee: { id: `canonical-${side.account}` }, permission: "FullControl" }], owner: { id: `canonical-${side.account}` } }));
  return configItem(side, "AWS::S3::Bucket", name, name, cfg, {
    arn: `arn:aws:s3:::${name}`,
    supplementary: {
      AccessControlList: acl,
      BucketVersioningConfiguration: JSON.stringify({ status: o.versioning ?? "Enabled", isMfaDeleteEnabled: null }),
      ServerSideEncryptionConfiguration: JSON.stringify({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: o.sse ?? "aws:kms", kmsMasterKeyID: `arn:aws:kms:${side.region}:${side.account}:key/s3-${side.suffix}` }, bucketKeyEnabled: true }] }),
      PublicAccessBlockConfiguration: JSON.stringify({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }),
      BucketLoggingConfiguration: JSON.stringify(o.logging === false ? {} : { destinationBucketName: `logs-${side.suffix}`, logFilePrefix: "orders/" }),
      IsRequesterPaysEnabled: "false",
    },
  });
}

export function iamRole(side: SideDef, name = "orders-failover"): StoredItem {
  const arn = `arn:aws:iam::${side.account}:role/${name}`;
  const cfg = { path: "/", roleName: name, roleId: `AROA${side.suffix.toUpperCase()}123`, arn, createDate: "2025-02-01T09:00:00.000Z", assumeRolePolicyDocument: "%7B%7D", attachedManagedPolicies: [] };
  return configItem(side, "AWS::IAM::Role", cfg.roleId, name, cfg, { awsRegion: "global", arn });
}

export interface AcmOpts {
  /** Domain as the service names it; `{suffix}` becomes the side's suffix. */
  domain?: string;
  sans?: string[];
  notAfter: Date;
  notBefore?: Date;
  type?: "AMAZON_ISSUED" | "IMPORTED" | "PRIVATE";
  status?: string;
  inUseBy?: string[];
  renewalStatus?: string;
  id?: string;
  itemStatus?: string;
  tags?: Record<string, string>;
}

/** AWS::ACM::Certificate as AWS Config records it: DescribeCertificate's fields, camelCase, ISO dates. */
export function acmCertificate(side: SideDef, o: AcmOpts): StoredItem {
  const domain = (o.domain ?? "orders.{suffix}.example.com").replaceAll("{suffix}", side.suffix);
  const id = o.id ?? createHash("sha1").update(`${side.account}|${domain}|${o.notAfter.toISOString()}`).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5");
  const arn = `arn:aws:acm:${side.region}:${side.account}:certificate/${id}`;
  const type = o.type ?? "AMAZON_ISSUED";
  const notBefore = o.notBefore ?? new Date(o.notAfter.getTime() - 395 * 86_400_000);
  const sans = (o.sans ?? [domain]).map((s) => s.replaceAll("{suffix}", side.suffix));
  const dvo = sans.map((d) => ({
    domainName: d,
    validationDomain: d,
    validationStatus: "SUCCESS",
    resourceRecord: { name: `_3f1c9a${side.suffix}.${d.replace(/^\*\./, "")}.`, type: "CNAME", value: `_7b2e${side.suffix}.mhbtsbpdnt.acm-validations.aws.` },
    validationMethod: "DNS",
  }));
  const cfg: Record<string, unknown> = {
    certificateArn: arn,
    domainName: domain,
    subjectAlternativeNames: sans,
    serial: "0a:5c:3e:19:7b:22:f1:08:4d:6e:93:aa:10:cd:42:7f",
    subject: `CN=${domain}`,
    issuer: type === "IMPORTED" ? "Example Corp Issuing CA 2" : "Amazon",
    createdAt: new Date(notBefore.getTime() - 3600_000).toISOString(),
    status: o.status ?? "ISSUED",
    notBefore: notBefore.toISOString(),
    notAfter: o.notAfter.toISOString(),
    keyAlgorithm: "RSA-2048",
    signatureAlgorithm: "SHA256WITHRSA",
    inUseBy: o.inUseBy ?? [`arn:aws:elasticloadbalancing:${side.region}:${side.account}:loadbalancer/app/orders-alb-${side.suffix}/50dc6c495c0c9188`],
    type,
    keyUsages: [{ name: "DIGITAL_SIGNATURE" }, { name: "KEY_ENCIPHERMENT" }],
    extendedKeyUsages: [
      { name: "TLS_WEB_SERVER_AUTHENTICATION", oID: "1.3.6.1.5.5.7.3.1" },
      { name: "TLS_WEB_CLIENT_AUTHENTICATION", oID: "1.3.6.1.5.5.7.3.2" },
    ],
    renewalEligibility: type === "AMAZON_ISSUED" ? "ELIGIBLE" : "INELIGIBLE",
    options: { certificateTransparencyLoggingPreference: "ENABLED" },
  };
  if (type === "IMPORTED") cfg.importedAt = cfg.createdAt;
  else {
    cfg.issuedAt = cfg.createdAt;
    cfg.domainValidationOptions = dvo;
  }
  if (o.renewalStatus) cfg.renewalSummary = { renewalStatus: o.renewalStatus, domainValidationOptions: dvo, updatedAt: new Date(o.notAfter.getTime() - 50 * 86_400_000).toISOString() };
  // AWS Config's item for a certificate: resourceId is the ARN, no resourceName.
  return configItem(side, "AWS::ACM::Certificate", arn, undefined, cfg, { arn, status: o.itemStatus, tags: o.tags ?? { Service: "orders" } });
}

export interface SecretOpts {
  name?: string;
  rotationEnabled?: boolean;
  /** RotationRules: { AutomaticallyAfterDays } or { ScheduleExpression, Duration }. */
  rules?: Record<string, unknown>;
  lastRotated?: Date;
  created?: Date;
  occurringAsScheduled?: boolean;
  primaryRegion?: string;
  deleted?: boolean;
  /** Dates as epoch milliseconds instead of ISO strings. */
  epochDates?: boolean;
  tags?: Record<string, string>;
}

/** AWS::SecretsManager::Secret as AWS Config records it: DescribeSecret's PascalCase fields. */
export function secret(side: SideDef, o: SecretOpts = {}): StoredItem {
  const name = (o.name ?? "orders/{suffix}/db").replaceAll("{suffix}", side.suffix);
  const arn = `arn:aws:secretsmanager:${side.region}:${side.account}:secret:${name}-${side.suffix.slice(0, 2).toUpperCase()}x9Qz`;
  const date = (d: Date) => (o.epochDates ? d.getTime() : d.toISOString());
  const created = o.created ?? new Date(Date.UTC(2025, 1, 1, 9));
  const rotating = o.rotationEnabled ?? true;
  const cfg: Record<string, unknown> = {
    ARN: arn,
    Name: name,
    Description: "orders database credentials",
    KMSKeyId: `arn:aws:kms:${side.region}:${side.account}:key/5e1f-${side.suffix}`,
    RotationEnabled: rotating,
    CreatedDate: date(created),
    LastChangedDate: date(o.lastRotated ?? created),
    LastAccessedDate: date(new Date(Date.UTC(2026, 10, 24))),
    Tags: [{ Key: "Service", Value: "orders" }],
    Deleted: o.deleted ?? false,
  };
  if (rotating || o.rules) {
    cfg.RotationLambdaARN = `arn:aws:lambda:${side.region}:${side.account}:function:SecretsManagerRDSPostgreSQLRotationSingleUser`;
    cfg.RotationRules = o.rules ?? { AutomaticallyAfterDays: 30 };
  }
  if (o.lastRotated) cfg.LastRotatedDate = date(o.lastRotated);
  if (o.occurringAsScheduled !== undefined) cfg.RotationOccurringAsScheduled = o.occurringAsScheduled;
  if (o.primaryRegion) cfg.PrimaryRegion = o.primaryRegion;
  if (o.deleted) cfg.DeletedDate = date(new Date(Date.UTC(2026, 10, 20)));
  return configItem(side, "AWS::SecretsManager::Secret", arn, name, cfg, { arn, tags: o.tags ?? { Service: "orders" } });
}

/**
 * A whole standby.yml with one service, `orders`, and one config-drift check `orders-asg` over the
 * explicit pair orders-asg-use1 / orders-asg-usw2 (the asg() defaults) read through `endpoint`.
 */
export function asgPairConfig(endpoint: string): string {
  const src = (s: SideDef) => `{ awsConfig: { region: ${s.region}, endpoint: "${endpoint}", resourceType: "AWS::AutoScaling::AutoScalingGroup", resourceId: orders-asg-${s.suffix} } }`;
  return [
    "version: 1",
    "services:",
    "  - name: orders",
    ...[["primary", USE1] as const, ["standby", USW2] as const].map(([side, s]) => `    ${side}: { vars: { region: ${s.region}, account: "${s.account}", suffix: ${s.suffix} } }`),
    "    checks:",
    "      - id: orders-asg",
    "        kind: config-drift",
    `        primary: ${src(USE1)}`,
    `        standby: ${src(USW2)}`,
    "",
  ].join("\n");
}
