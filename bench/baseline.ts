/**
 * The benchmark's baseline: a plain cdktf program that synthesizes the same stacks as the
 * project, each with the same number of resources of the same provider classes, the same
 * providers, the same S3 backend and about the same cross-stack references, but with none
 * of the project's layers (no config loading, no constructs, no aspects, no guardrails).
 * Resources get minimal valid arguments. The synth time of the project divided by this
 * program's is the project's overhead.
 *
 * The shape (stacks, resource counts per type, providers, cross-stack references) is read
 * from the project's own synth output of the same tenants (`shapeOfSynth`), so the two
 * stay comparable as the project changes; a resource type the project starts to use needs
 * an entry in RESOURCE_FACTORIES.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { App, S3Backend, TerraformStack, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { parseFlags, runCli, UsageError } from '../bin/cli';
import { withoutTokenStackTraces } from '../stacks/token-stack-traces';

/** Makes one resource; `value` fills one string argument and is a cross-stack reference for some resources. */
type ResourceFactory = (scope: Construct, id: string, value: string) => TerraformResource;

const POLICY = '{"Version":"2012-10-17","Statement":[]}';
const METADATA = (name: string) => ({ name });

/** Terraform type to provider class, with minimal valid arguments. */
export const RESOURCE_FACTORIES: Readonly<Record<string, ResourceFactory>> = {
  aws_autoscaling_group_tag: (s, id, v) => new AutoscalingGroupTagA(s, id, { autoscalingGroupName: v, tag: { key: 'k', value: 'v', propagateAtLaunch: false } }),
  aws_budgets_budget: (s, id, v) => new BudgetsBudget(s, id, { name: v, budgetType: 'COST', timeUnit: 'MONTHLY' }),
  aws_cloudwatch_log_group: (s, id, v) => new CloudwatchLogGroup(s, id, { name: v }),
  aws_ecr_repository: (s, id, v) => new EcrRepository(s, id, { name: v }),
  aws_ecr_repository_policy: (s, id, v) => new EcrRepositoryPolicy(s, id, { repository: v, policy: POLICY }),
  aws_eip: (s, id, v) => new Eip(s, id, { domain: 'vpc', tags: { Name: v } }),
  aws_eks_access_entry: (s, id, v) => new EksAccessEntry(s, id, { clusterName: v, principalArn: 'arn:aws:iam::111111111111:role/r' }),
  aws_eks_access_policy_association: (s, id, v) =>
    new EksAccessPolicyAssociation(s, id, { clusterName: v, accessScope: { type: 'cluster' }, policyArn: 'arn:aws:eks::aws:cluster-access-policy/P', principalArn: 'arn:aws:iam::111111111111:role/r' }),
  aws_eks_addon: (s, id, v) => new EksAddon(s, id, { clusterName: v, addonName: 'coredns' }),
  aws_eks_cluster: (s, id, v) => new EksCluster(s, id, { name: v, roleArn: 'arn:aws:iam::111111111111:role/r', vpcConfig: { subnetIds: ['subnet-1'] } }),
  aws_eks_node_group: (s, id, v) =>
    new EksNodeGroup(s, id, { clusterName: v, nodeRoleArn: 'arn:aws:iam::111111111111:role/r', subnetIds: ['subnet-1'], scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 } }),
  aws_flow_log: (s, id, v) => new FlowLog(s, id, { vpcId: v, trafficType: 'ALL', logDestination: 'arn:aws:logs:us-east-1:111111111111:log-group:g' }),
  aws_iam_openid_connect_provider: (s, id, v) => new IamOpenidConnectProvider(s, id, { url: v, clientIdList: ['sts.amazonaws.com'] }),
  aws_iam_policy: (s, id, v) => new IamPolicy(s, id, { name: v, policy: POLICY }),
  aws_iam_role: (s, id, v) => new IamRole(s, id, { name: v, assumeRolePolicy: POLICY }),
  aws_iam_role_policy: (s, id, v) => new IamRolePolicy(s, id, { role: v, policy: POLICY }),
  aws_iam_role_policy_attachment: (s, id, v) => new IamRolePolicyAttachment(s, id, { role: v, policyArn: 'arn:aws:iam::aws:policy/P' }),
  aws_internet_gateway: (s, id, v) => new InternetGateway(s, id, { vpcId: v }),
  aws_kms_alias: (s, id, v) => new KmsAlias(s, id, { name: 'alias/a', targetKeyId: v }),
  aws_kms_key: (s, id, v) => new KmsKey(s, id, { description: v }),
  aws_launch_template: (s, id, v) => new LaunchTemplate(s, id, { name: v }),
  aws_nat_gateway: (s, id, v) => new NatGateway(s, id, { subnetId: v }),
  aws_organizations_account: (s, id, v) => new OrganizationsAccount(s, id, { name: v, email: 'a@example.com' }),
  aws_organizations_organizational_unit: (s, id, v) => new OrganizationsOrganizationalUnit(s, id, { name: v, parentId: 'r-a1b2' }),
  aws_organizations_policy: (s, id, v) => new OrganizationsPolicy(s, id, { name: v, content: POLICY }),
  aws_organizations_policy_attachment: (s, id, v) => new OrganizationsPolicyAttachment(s, id, { policyId: v, targetId: 'ou-1' }),
  aws_route_table: (s, id, v) => new RouteTable(s, id, { vpcId: v }),
  aws_route_table_association: (s, id, v) => new RouteTableAssociation(s, id, { routeTableId: v, subnetId: 'subnet-1' }),
  aws_s3_bucket: (s, id, v) => new S3Bucket(s, id, { bucket: v }),
  aws_s3_bucket_lifecycle_configuration: (s, id, v) => new S3BucketLifecycleConfiguration(s, id, { bucket: v, rule: [{ id: 'r', status: 'Enabled' }] }),
  aws_s3_bucket_ownership_controls: (s, id, v) => new S3BucketOwnershipControls(s, id, { bucket: v, rule: { objectOwnership: 'BucketOwnerEnforced' } }),
  aws_s3_bucket_policy: (s, id, v) => new S3BucketPolicy(s, id, { bucket: v, policy: POLICY }),
  aws_s3_bucket_public_access_block: (s, id, v) => new S3BucketPublicAccessBlock(s, id, { bucket: v }),
  aws_s3_bucket_server_side_encryption_configuration: (s, id, v) =>
    new S3BucketServerSideEncryptionConfigurationA(s, id, { bucket: v, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] }),
  aws_s3_bucket_versioning: (s, id, v) => new S3BucketVersioningA(s, id, { bucket: v, versioningConfiguration: { status: 'Enabled' } }),
  aws_security_group: (s, id, v) => new SecurityGroup(s, id, { name: v }),
  aws_subnet: (s, id, v) => new Subnet(s, id, { vpcId: v }),
  aws_vpc: (s, id, v) => new Vpc(s, id, { cidrBlock: '10.0.0.0/16', tags: { Name: v } }),
  aws_vpc_endpoint: (s, id, v) => new VpcEndpoint(s, id, { vpcId: v, serviceName: 'com.amazonaws.us-east-1.s3' }),
  kubernetes_daemon_set_v1: (s, id, v) =>
    new DaemonSetV1(s, id, {
      metadata: METADATA(v),
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { container: [{ name: 'c', image: 'i' }] } } },
    }),
  kubernetes_limit_range_v1: (s, id, v) => new LimitRangeV1(s, id, { metadata: METADATA(v) }),
  kubernetes_namespace_v1: (s, id, v) => new NamespaceV1(s, id, { metadata: METADATA(v) }),
  kubernetes_network_policy_v1: (s, id, v) => new NetworkPolicyV1(s, id, { metadata: METADATA(v), spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
  kubernetes_priority_class_v1: (s, id, v) => new PriorityClassV1(s, id, { metadata: METADATA(v), value: 1 }),
  kubernetes_resource_quota_v1: (s, id, v) => new ResourceQuotaV1(s, id, { metadata: METADATA(v) }),
  kubernetes_service_account_v1: (s, id, v) => new ServiceAccountV1(s, id, { metadata: METADATA(v) }),
};

/** What one stack holds, as counts; stacks of the same content share one shape. */
export interface StackContent {
  /** Provider blocks: type and alias (`aws`, `aws.platform`, `kubernetes`). */
  readonly providers: readonly string[];
  /** Terraform resource type to count, in the order the project's file lists them. */
  readonly resources: Readonly<Record<string, number>>;
}

export interface CrossStackUse {
  readonly from: string;
  /** Index into the producing stack's list of referenced outputs. */
  readonly output: number;
  /** How often the consuming stack uses it. */
  readonly uses: number;
}

export interface SynthShape {
  readonly backend: { readonly bucket: string; readonly keyPrefix: string; readonly region: string };
  readonly contents: readonly StackContent[];
  readonly stacks: readonly { readonly name: string; readonly content: number; readonly references: readonly CrossStackUse[] }[];
  /** Per producing stack, the outputs other stacks read, by name. */
  readonly outputs: Readonly<Record<string, readonly string[]>>;
}

const REMOTE_OUTPUT = /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The shape of a synth output directory (manifest.json and every stack's cdk.tf.json). */
export function shapeOfSynth(dir: string): SynthShape {
  const manifest = record(readJson(path.join(dir, 'manifest.json')).stacks);
  const contents: StackContent[] = [];
  const contentIndex = new Map<string, number>();
  const outputs: Record<string, string[]> = {};
  const outputIndex = new Map<string, number>();
  const stacks: SynthShape['stacks'][number][] = [];
  let backend: SynthShape['backend'] | undefined;
  for (const [name, entry] of Object.entries(manifest)) {
    const text = readFileSync(path.join(dir, String(record(entry).synthesizedStackPath)), 'utf8');
    const stack = JSON.parse(text) as Record<string, unknown>;
    const providers = Object.entries(record(stack.provider)).flatMap(([type, blocks]) =>
      (Array.isArray(blocks) ? blocks : [blocks]).map((block) => (record(block).alias ? `${type}.${String(record(block).alias)}` : type)),
    );
    const resources = Object.fromEntries(Object.entries(record(stack.resource)).map(([type, byName]) => [type, Object.keys(record(byName)).length]));
    const content: StackContent = { providers, resources };
    const key = JSON.stringify(content);
    if (!contentIndex.has(key)) {
      contentIndex.set(key, contents.length);
      contents.push(content);
    }
    const uses = new Map<string, CrossStackUse>();
    for (const [, from, output] of text.matchAll(REMOTE_OUTPUT)) {
      const id = `${from}/${output}`;
      if (!outputIndex.has(id)) {
        outputs[from] = outputs[from] ?? [];
        outputIndex.set(id, outputs[from].push(output) - 1);
      }
      const use = uses.get(id);
      uses.set(id, { from, output: outputIndex.get(id)!, uses: (use?.uses ?? 0) + 1 });
    }
    stacks.push({ name, content: contentIndex.get(key)!, references: [...uses.values()] });
    const s3 = record(record(record(stack.terraform).backend).s3);
    if (!backend && typeof s3.key === 'string') {
      backend = { bucket: String(s3.bucket), keyPrefix: s3.key.slice(0, s3.key.lastIndexOf('/')), region: String(s3.region) };
    }
  }
  if (!backend) throw new Error(`${dir}: no stack has an S3 backend`);
  return { backend, contents, stacks, outputs };
}

/** Adds the shape's stacks to `app`, producers before consumers (manifest order). */
export function buildBaseline(app: App, shape: SynthShape): void {
  const resourcesOf = new Map<string, TerraformResource[]>();
  for (const { name, content, references: uses } of shape.stacks) {
    const stack = new TerraformStack(app, name);
    new S3Backend(stack, { bucket: shape.backend.bucket, key: `${shape.backend.keyPrefix}/${name}.tfstate`, region: shape.backend.region, encrypt: true });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
    const { providers, resources } = shape.contents[content];
    for (const provider of providers) {
      const [type, alias] = provider.split('.');
      if (type === 'aws') new AwsProvider(stack, `aws-${alias ?? 'default'}`, { region: 'us-east-1', alias });
      else if (type === 'kubernetes') new KubernetesProvider(stack, `kubernetes-${alias ?? 'default'}`, { alias });
      else throw new Error(`stack ${name}: no baseline provider class for '${type}'`);
    }
    // One string argument per resource carries a cross-stack reference, until every use is placed.
    const references = referencesOf(name, uses, resourcesOf);
    const made: TerraformResource[] = [];
    for (const [type, count] of Object.entries(resources)) {
      const factory = RESOURCE_FACTORIES[type];
      if (!factory) throw new Error(`stack ${name}: no baseline class for resource type '${type}'; add it to RESOURCE_FACTORIES in bench/baseline.ts`);
      for (let i = 0; i < count; i++) made.push(factory(stack, `${type}-${i}`, references.next().value ?? `${name}-${type}-${i}`));
    }
    resourcesOf.set(name, made);
  }
}

/** The consuming stack's references as tokens of the producing stacks' resources, one per use. */
function* referencesOf(name: string, uses: readonly CrossStackUse[], resourcesOf: ReadonlyMap<string, readonly TerraformResource[]>): Generator<string, undefined> {
  for (const use of uses) {
    const producer = resourcesOf.get(use.from);
    if (!producer || producer.length === 0) throw new Error(`stack ${name} reads outputs of '${use.from}', which has no resources before it`);
    // The same output of the project maps to the same resource here, so outputs are shared as in the project.
    const target = producer[use.output % producer.length];
    for (let i = 0; i < use.uses; i++) yield target.getStringAttribute('id');
  }
  return undefined;
}

const USAGE = `Usage: npx tsx bench/baseline.ts --shape <shape.json> --outdir <dir>
       npx tsx bench/baseline.ts --shape-of <synth dir> --write-shape <shape.json>

The benchmark's baseline: a plain cdktf program that synthesizes the stacks described by
the shape file (stacks, resource counts per type, providers, cross-stack references; made
from the project's synth output with --shape-of) with minimal arguments and none of the
project's layers. npm run bench runs it; run it by hand to inspect its output.`;

/** The baseline command: writes a shape file, or synthesizes one. */
function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, ['shape', 'outdir', 'shape-of', 'write-shape']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (flags['shape-of']) {
    if (!flags['write-shape']) throw new UsageError('--shape-of needs --write-shape <file>');
    const shape = shapeOfSynth(flags['shape-of']);
    writeFileSync(flags['write-shape'], JSON.stringify(shape));
    return `ok: wrote the shape of ${shape.stacks.length} stacks (${shape.contents.length} distinct) to ${flags['write-shape']}`;
  }
  if (!flags.shape || !flags.outdir) throw new UsageError('--shape and --outdir are both required');
  const shape = JSON.parse(readFileSync(flags.shape, 'utf8')) as SynthShape;
  // The same setting as the project's synth, so that the ratio compares the layers, not this setting.
  withoutTokenStackTraces(() => {
    const app = new App({ outdir: flags.outdir, skipValidation: false });
    buildBaseline(app, shape);
    app.synth();
  });
  return `ok: synthesized ${shape.stacks.length} baseline stacks into ${flags.outdir}`;
}

if (require.main === module) runCli('baseline', USAGE, main);
