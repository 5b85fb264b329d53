// Terraform states as Terraform writes them (format version 4: lineage, serial, resources with
// module, mode, type, name, provider and instances with index_key, attributes,
// sensitive_attributes, private, dependencies), one per region, plus the same state as
// `terraform show -json` prints it. Tests and the benchmark write them to files or S3.

export interface Region {
  region: string;
  suffix: string;
  account: string;
}

export const USE1: Region = { region: "us-east-1", suffix: "use1", account: "111111111111" };
export const USW2: Region = { region: "us-west-2", suffix: "usw2", account: "222222222222" };

type Attrs = Record<string, unknown>;
type Step = { type: "get_attr"; value: string } | { type: "index"; value: { value: string | number; type: "string" | "number" } };

export interface V4Instance {
  index_key?: string | number;
  schema_version: number;
  attributes: Attrs;
  sensitive_attributes: Step[][];
  identity_schema_version?: number;
  private?: string;
  dependencies?: string[];
}

export interface V4Resource {
  module?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  provider: string;
  instances: V4Instance[];
}

export interface V4State {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown; type: unknown; sensitive?: boolean }>;
  resources: V4Resource[];
  check_results: null;
}

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
export const attr = (value: string): Step => ({ type: "get_attr", value });
export const index = (value: string | number): Step => ({ type: "index", value: { value, type: typeof value === "number" ? "number" : "string" } });

export function instance(attributes: Attrs, opts: { key?: string | number; sensitive?: Step[][] } = {}): V4Instance {
  return {
    ...(opts.key !== undefined ? { index_key: opts.key } : {}),
    schema_version: 0,
    attributes,
    sensitive_attributes: opts.sensitive ?? [],
    identity_schema_version: 0,
    private: "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ==",
    dependencies: [],
  };
}

export function resource(type: string, name: string, instances: V4Instance[], opts: { module?: string; mode?: "managed" | "data" } = {}): V4Resource {
  return { ...(opts.module ? { module: opts.module } : {}), mode: opts.mode ?? "managed", type, name, provider: AWS, instances };
}

export function state(resources: V4Resource[], opts: { serial?: number; lineage?: string } = {}): V4State {
  return { version: 4, terraform_version: "1.9.8", serial: opts.serial ?? 42, lineage: opts.lineage ?? "0f6c1b2a-5d4e-4c1f-9a3b-7e8d9c0b1a2f", outputs: {}, resources, check_results: null };
}

export function asgAttrs(r: Region, patch: Attrs = {}): Attrs {
  return {
    arn: `arn:aws:autoscaling:${r.region}:${r.account}:autoScalingGroup:1234:autoScalingGroupName/web-${r.suffix}`,
    availability_zones: [`${r.region}a`, `${r.region}b`, `${r.region}c`],
    capacity_rebalance: false,
    default_cooldown: 300,
    desired_capacity: 6,
    health_check_grace_period: 300,
    health_check_type: "ELB",
    id: `web-${r.suffix}`,
    launch_configuration: "",
    launch_template: [{ id: `lt-0${r.suffix}aaaa`, name: `web-${r.suffix}`, version: "$Latest" }],
    load_balancers: [],
    max_size: 12,
    min_size: 3,
    mixed_instances_policy: [],
    name: `web-${r.suffix}`,
    protect_from_scale_in: false,
    service_linked_role_arn: `arn:aws:iam::${r.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    suspended_processes: [],
    tag: [{ key: "Name", propagate_at_launch: true, value: `web-${r.suffix}` }],
    target_group_arns: [`arn:aws:elasticloadbalancing:${r.region}:${r.account}:targetgroup/web-${r.suffix}/abc`],
    termination_policies: ["Default"],
    timeouts: null,
    vpc_zone_identifier: [`subnet-${r.suffix}1`, `subnet-${r.suffix}2`, `subnet-${r.suffix}3`],
    ...patch,
  };
}

export function dbAttrs(r: Region, patch: Attrs = {}): Attrs {
  return {
    address: `orders-${r.suffix}.abc.${r.region}.rds.amazonaws.com`,
    allocated_storage: 100,
    arn: `arn:aws:rds:${r.region}:${r.account}:db:orders-${r.suffix}`,
    backup_retention_period: 7,
    deletion_protection: true,
    endpoint: `orders-${r.suffix}.abc.${r.region}.rds.amazonaws.com:5432`,
    engine: "postgres",
    engine_version: "16.3",
    id: `db-${r.suffix.toUpperCase()}ABC`,
    identifier: `orders-${r.suffix}`,
    instance_class: "db.r6g.large",
    kms_key_id: `arn:aws:kms:${r.region}:${r.account}:key/k-${r.suffix}`,
    latest_restorable_time: "2026-12-03T06:55:00Z",
    multi_az: true,
    password: "not-the-secret",
    port: 5432,
    storage_encrypted: true,
    tags: { Service: "orders" },
    tags_all: { Service: "orders", Region: r.region },
    username: "orders",
    ...patch,
  };
}

export function lbAttrs(r: Region, key: string, patch: Attrs = {}): Attrs {
  return {
    arn: `arn:aws:elasticloadbalancing:${r.region}:${r.account}:loadbalancer/app/${key}-${r.suffix}/1`,
    dns_name: `${key}-${r.suffix}-1.${r.region}.elb.amazonaws.com`,
    drop_invalid_header_fields: true,
    enable_deletion_protection: true,
    enable_http2: true,
    id: `arn:aws:elasticloadbalancing:${r.region}:${r.account}:loadbalancer/app/${key}-${r.suffix}/1`,
    idle_timeout: 60,
    internal: key === "internal",
    ip_address_type: "ipv4",
    load_balancer_type: "application",
    name: `${key}-${r.suffix}`,
    security_groups: [`sg-${r.suffix}1`],
    subnets: [`subnet-${r.suffix}1`, `subnet-${r.suffix}2`],
    tags: {},
    tags_all: {},
    vpc_id: `vpc-${r.suffix}`,
    zone_id: r.region === "us-east-1" ? "Z35SXDOTRQ7X7K" : "Z1H1FL5HABSF5",
    ...patch,
  };
}

export function lambdaAttrs(r: Region, i: number, patch: Attrs = {}): Attrs {
  return {
    architectures: ["arm64"],
    arn: `arn:aws:lambda:${r.region}:${r.account}:function:worker-${i}-${r.suffix}`,
    environment: [{ variables: { QUEUE: `orders-${r.suffix}`, API_TOKEN: "not-the-secret" } }],
    function_name: `worker-${i}-${r.suffix}`,
    handler: "index.handler",
    id: `worker-${i}-${r.suffix}`,
    last_modified: "2026-12-01T10:00:00.000+0000",
    memory_size: 1024,
    runtime: "nodejs20.x",
    source_code_hash: "Qm9vdHN0cmFwIGNvZGUgaGFzaA==",
    timeout: 30,
    ...patch,
  };
}

/** One region's state: a module, count and for_each instances, a data source, sensitive attributes. */
export function regionState(r: Region, opts: { db?: Attrs; asg?: Attrs; lb?: Record<string, Attrs>; lambdas?: number; lambda?: Attrs; dbPassword?: string; apiToken?: string; serial?: number; lineage?: string } = {}): V4State {
  const lbKeys = Object.keys(opts.lb ?? { public: {}, internal: {} });
  const lambdas = opts.lambdas ?? 2;
  return state(
    [
      resource("aws_caller_identity", "current", [instance({ account_id: r.account, arn: `arn:aws:iam::${r.account}:root`, id: r.account, user_id: r.account })], { mode: "data" }),
      resource("aws_db_instance", "orders", [instance(dbAttrs(r, { ...(opts.dbPassword ? { password: opts.dbPassword } : {}), ...opts.db }), { sensitive: [[attr("password")]] })]),
      resource("aws_autoscaling_group", "web", [instance(asgAttrs(r, opts.asg))], { module: "module.app" }),
      resource("aws_lb", "edge", lbKeys.map((k) => instance(lbAttrs(r, k, opts.lb?.[k]), { key: k })), { module: "module.app" }),
      resource(
        "aws_lambda_function",
        "worker",
        Array.from({ length: lambdas }, (_, i) => {
          const a = lambdaAttrs(r, i, opts.lambda);
          if (opts.apiToken) a.environment = [{ variables: { QUEUE: `orders-${r.suffix}`, API_TOKEN: opts.apiToken } }];
          return instance(a, { key: i, sensitive: [[attr("environment"), index(0), attr("variables"), index("API_TOKEN")]] });
        }),
        { module: "module.app" },
      ),
    ],
    { serial: opts.serial ?? 42, lineage: opts.lineage ?? `lineage-${r.suffix}` },
  );
}

/** The same state as `terraform show -json` prints it (format_version 1.0, sensitive_values trees). */
export function showJson(s: V4State): unknown {
  const modules = new Map<string, unknown[]>();
  for (const r of s.resources) {
    const list = modules.get(r.module ?? "") ?? [];
    modules.set(r.module ?? "", list);
    for (const inst of r.instances) {
      const base = `${r.module ? `${r.module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
      const idx = inst.index_key === undefined ? "" : typeof inst.index_key === "number" ? `[${inst.index_key}]` : `["${inst.index_key}"]`;
      list.push({
        address: base + idx,
        mode: r.mode,
        type: r.type,
        name: r.name,
        ...(inst.index_key !== undefined ? { index: inst.index_key } : {}),
        provider_name: "registry.terraform.io/hashicorp/aws",
        schema_version: inst.schema_version,
        values: inst.attributes,
        sensitive_values: sensitiveTree(inst.sensitive_attributes),
      });
    }
  }
  const children = [...modules.entries()].filter(([m]) => m !== "").map(([address, resources]) => ({ address, resources }));
  return { format_version: "1.0", terraform_version: s.terraform_version, values: { root_module: { resources: modules.get("") ?? [], child_modules: children } } };
}

function sensitiveTree(paths: Step[][]): unknown {
  const root: Record<string | number, unknown> = {};
  for (const p of paths) {
    let node = root;
    p.forEach((step, i) => {
      const k = step.type === "get_attr" ? step.value : step.value.value;
      if (i === p.length - 1) node[k] = true;
      else node = (node[k] ??= typeof (p[i + 1]!.value as { type?: string }).type === "string" && (p[i + 1]!.value as { type: string }).type === "number" ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return root;
}
