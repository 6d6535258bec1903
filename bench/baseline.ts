/**
 * The benchmark's baselines: plain cdktf programs that synthesize the same stacks as the
 * project with none of the project's layers (no config loading, no constructs, no
 * aspects, no guardrails). The synth time of the project divided by a baseline's is the
 * project's overhead. Both read the project's own synth output of the same tenants, so
 * they stay comparable as the project changes; a resource type the project starts to use
 * needs an entry in RESOURCE_FACTORIES.
 *
 * - The minimal-argument baseline (`--shape`): per stack the same number of resources of
 *   the same provider classes, the same providers, the same S3 backend and about the same
 *   cross-stack references, each resource with minimal arguments. Its input is the shape
 *   of the project's output (`shapeOfSynth`).
 * - The same-output baseline (`--same-output-of`): the same Terraform as the project,
 *   attribute for attribute (`buildSameOutput`): it measures what cdktf costs any program
 *   that writes this configuration, so the ratio against it is the cost of the layers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
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
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SsoadminAccountAssignment } from '@cdktf/provider-aws/lib/ssoadmin-account-assignment';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { SsoadminPermissionSetInlinePolicy } from '@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import {
  App,
  dependable,
  S3Backend,
  TerraformOutput,
  TerraformStack,
  Token,
  type IResolvable,
  type IResolveContext,
  type TerraformBackend,
  type TerraformProvider,
  type TerraformResource,
  type TerraformResourceLifecycle,
  TerraformVariable,
} from 'cdktf';
import type { Construct } from 'constructs';
import { CliFailure, parseFlags, runCli, UsageError } from '../bin/cli';
import { asRecord, isRecord } from '../kernel/records';
import { parseStack, readStackBytes, readSynthManifest } from '../kernel/synth-output';
import { withoutTokenStackTraces } from '../constructs/common/cdktf-internals';

/** Makes one resource; `value` fills one string argument and is a cross-stack reference for some resources. */
type ResourceFactory = (scope: Construct, id: string, value: string) => TerraformResource;

const POLICY = '{"Version":"2012-10-17","Statement":[]}';
const METADATA = (name: string) => ({ name });

/** Terraform type to provider class, with minimal valid arguments. */
const SSO_INSTANCE = 'arn:aws:sso:::instance/ssoins-0000000000000000';

export const RESOURCE_FACTORIES: Readonly<Record<string, ResourceFactory>> = {
  aws_budgets_budget: (s, id, v) => new BudgetsBudget(s, id, { name: v, budgetType: 'COST', timeUnit: 'MONTHLY' }),
  aws_ce_cost_allocation_tag: (s, id, v) => new CeCostAllocationTag(s, id, { tagKey: v, status: 'Active' }),
  aws_cloudformation_stack_set: (s, id, v) => new CloudformationStackSet(s, id, { name: v, templateBody: '{"Resources":{}}' }),
  aws_cloudformation_stack_set_instance: (s, id, v) => new CloudformationStackSetInstance(s, id, { stackSetName: v }),
  aws_cloudwatch_event_rule: (s, id, v) => new CloudwatchEventRule(s, id, { name: v }),
  aws_cloudwatch_event_target: (s, id, v) => new CloudwatchEventTarget(s, id, { rule: v, arn: 'arn:aws:sqs:us-east-1:111111111111:q' }),
  aws_cloudwatch_log_group: (s, id, v) => new CloudwatchLogGroup(s, id, { name: v }),
  aws_ec2_tag: (s, id, v) => new Ec2Tag(s, id, { resourceId: v, key: 'k', value: 'v' }),
  aws_ecr_repository: (s, id, v) => new EcrRepository(s, id, { name: v }),
  aws_ecr_repository_policy: (s, id, v) => new EcrRepositoryPolicy(s, id, { repository: v, policy: POLICY }),
  aws_eip: (s, id, v) => new Eip(s, id, { domain: 'vpc', tags: { Name: v } }),
  aws_eks_access_entry: (s, id, v) => new EksAccessEntry(s, id, { clusterName: v, principalArn: 'arn:aws:iam::111111111111:role/r' }),
  aws_eks_access_policy_association: (s, id, v) =>
    new EksAccessPolicyAssociation(s, id, {
      clusterName: v,
      accessScope: { type: 'cluster' },
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/P',
      principalArn: 'arn:aws:iam::111111111111:role/r',
    }),
  aws_eks_addon: (s, id, v) => new EksAddon(s, id, { clusterName: v, addonName: 'coredns' }),
  aws_eks_cluster: (s, id, v) => new EksCluster(s, id, { name: v, roleArn: 'arn:aws:iam::111111111111:role/r', vpcConfig: { subnetIds: ['subnet-1'] } }),
  aws_eks_node_group: (s, id, v) =>
    new EksNodeGroup(s, id, {
      clusterName: v,
      nodeRoleArn: 'arn:aws:iam::111111111111:role/r',
      subnetIds: ['subnet-1'],
      scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 },
    }),
  aws_eks_pod_identity_association: (s, id, v) =>
    new EksPodIdentityAssociation(s, id, { clusterName: v, namespace: 'n', serviceAccount: 's', roleArn: 'arn:aws:iam::111111111111:role/r' }),
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
  aws_scheduler_schedule: (s, id, v) =>
    new SchedulerSchedule(s, id, {
      name: v,
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: 'arn:aws:states:us-east-1:111111111111:stateMachine:m', roleArn: 'arn:aws:iam::111111111111:role/r' },
    }),
  aws_security_group: (s, id, v) => new SecurityGroup(s, id, { name: v }),
  aws_sfn_state_machine: (s, id, v) => new SfnStateMachine(s, id, { name: v, roleArn: 'arn:aws:iam::111111111111:role/r', definition: '{}' }),
  aws_sqs_queue: (s, id, v) => new SqsQueue(s, id, { name: v }),
  aws_sqs_queue_policy: (s, id, v) => new SqsQueuePolicy(s, id, { queueUrl: v, policy: POLICY }),
  aws_ssoadmin_account_assignment: (s, id, v) =>
    new SsoadminAccountAssignment(s, id, {
      instanceArn: SSO_INSTANCE,
      permissionSetArn: v,
      principalType: 'GROUP',
      principalId: 'g',
      targetType: 'AWS_ACCOUNT',
      targetId: '111111111111',
    }),
  aws_ssoadmin_permission_set: (s, id, v) => new SsoadminPermissionSet(s, id, { instanceArn: SSO_INSTANCE, name: v }),
  aws_ssoadmin_permission_set_inline_policy: (s, id, v) =>
    new SsoadminPermissionSetInlinePolicy(s, id, { instanceArn: SSO_INSTANCE, permissionSetArn: v, inlinePolicy: POLICY }),
  aws_subnet: (s, id, v) => new Subnet(s, id, { vpcId: v }),
  aws_vpc: (s, id, v) => new Vpc(s, id, { cidrBlock: '10.0.0.0/16', tags: { Name: v } }),
  aws_vpc_endpoint: (s, id, v) => new VpcEndpoint(s, id, { vpcId: v, serviceName: 'com.amazonaws.us-east-1.s3' }),
  kubernetes_cluster_role_v1: (s, id, v) => new ClusterRoleV1(s, id, { metadata: METADATA(v) }),
  helm_release: (s, id, v) => new Release(s, id, { name: v, chart: 'c' }),
  kubernetes_daemon_set_v1: (s, id, v) =>
    new DaemonSetV1(s, id, {
      metadata: METADATA(v),
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { container: [{ name: 'c', image: 'i' }] } } },
    }),
  kubernetes_limit_range_v1: (s, id, v) => new LimitRangeV1(s, id, { metadata: METADATA(v) }),
  kubernetes_manifest: (s, id, v) => new Manifest(s, id, { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: v } } }),
  kubernetes_namespace_v1: (s, id, v) => new NamespaceV1(s, id, { metadata: METADATA(v) }),
  kubernetes_network_policy_v1: (s, id, v) => new NetworkPolicyV1(s, id, { metadata: METADATA(v), spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
  kubernetes_priority_class_v1: (s, id, v) => new PriorityClassV1(s, id, { metadata: METADATA(v), value: 1 }),
  kubernetes_resource_quota_v1: (s, id, v) => new ResourceQuotaV1(s, id, { metadata: METADATA(v) }),
  kubernetes_role_binding_v1: (s, id, v) =>
    new RoleBindingV1(s, id, {
      metadata: METADATA(v),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
      subject: [{ kind: 'Group', name: 'g' }],
    }),
  kubernetes_service_account_v1: (s, id, v) => new ServiceAccountV1(s, id, { metadata: METADATA(v) }),
  kubernetes_storage_class_v1: (s, id, v) => new StorageClassV1(s, id, { metadata: METADATA(v), storageProvisioner: 'ebs.csi.aws.com' }),
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

/** The object, or an empty one: the kernel's asRecord with a default. */
function record(value: unknown): Readonly<Record<string, unknown>> {
  return asRecord(value) ?? {};
}

/** The shape of a synth output directory (manifest.json and every stack's cdk.tf.json). */
export function shapeOfSynth(dir: string): SynthShape {
  const manifest = readSynthManifest(dir).stacks;
  const contents: StackContent[] = [];
  const contentIndex = new Map<string, number>();
  const outputs: Record<string, string[]> = {};
  const outputIndex = new Map<string, number>();
  const stacks: SynthShape['stacks'][number][] = [];
  let backend: SynthShape['backend'] | undefined;
  for (const [name, entry] of manifest) {
    const bytes = readStackBytes(entry);
    const text = bytes.toString('utf8');
    const stack = parseStack(entry, bytes);
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

/** The shape's stacks with every stack after the stacks it reads (the manifest lists them by name: `account-*` before `organization`). */
function producersFirst(stacks: SynthShape['stacks']): SynthShape['stacks'] {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const placed = new Set<string>();
  const order: SynthShape['stacks'][number][] = [];
  const place = (stack: SynthShape['stacks'][number]): void => {
    if (placed.has(stack.name)) return;
    placed.add(stack.name);
    for (const use of stack.references) {
      const producer = byName.get(use.from);
      if (producer) place(producer);
    }
    order.push(stack);
  };
  for (const stack of stacks) place(stack);
  return order;
}

/** Adds the shape's stacks to `app`, producers before consumers. */
export function buildBaseline(app: App, shape: SynthShape): void {
  const resourcesOf = new Map<string, TerraformResource[]>();
  for (const { name, content, references: uses } of producersFirst(shape.stacks)) {
    const stack = new TerraformStack(app, name);
    new S3Backend(stack, { bucket: shape.backend.bucket, key: `${shape.backend.keyPrefix}/${name}.tfstate`, region: shape.backend.region, encrypt: true });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
    const { providers, resources } = shape.contents[content];
    // One string argument per cluster provider and per resource carries a cross-stack reference, until every use is placed.
    const references = referencesOf(name, uses, resourcesOf);
    for (const provider of providers) {
      const [type, alias] = provider.split('.');
      if (type === 'aws') new AwsProvider(stack, `aws-${alias ?? 'default'}`, { region: 'us-east-1', alias });
      else if (type === 'kubernetes') new KubernetesProvider(stack, `kubernetes-${alias ?? 'default'}`, { alias, host: references.next().value });
      else if (type === 'helm') new HelmProvider(stack, `helm-${alias ?? 'default'}`, { alias, kubernetes: { host: references.next().value } });
      else throw new Error(`stack ${name}: no baseline provider class for '${type}'`);
    }
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
function* referencesOf(
  name: string,
  uses: readonly CrossStackUse[],
  resourcesOf: ReadonlyMap<string, readonly TerraformResource[]>,
): Generator<string, undefined> {
  for (const use of uses) {
    const producer = resourcesOf.get(use.from);
    if (!producer || producer.length === 0) throw new Error(`stack ${name} reads outputs of '${use.from}', which has no resources before it`);
    // The same output of the project maps to the same resource here, so outputs are shared as in the project.
    const target = producer[use.output % producer.length];
    for (let i = 0; i < use.uses; i++) yield target.getStringAttribute('id');
  }
  return undefined;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** The project's synth output: every stack's Terraform JSON, in manifest order. */
export interface SynthOutput {
  readonly stacks: readonly { readonly name: string; readonly terraform: JsonObject; readonly dependencies: readonly string[] }[];
}

/** Reads manifest.json and every stack's cdk.tf.json of a synth output directory (the kernel's reader), in manifest order. */
export function readSynthOutput(dir: string): SynthOutput {
  const output = readSynthManifest(dir);
  return {
    stacks: [...output.stacks.values()].map((entry) => ({
      name: entry.name,
      terraform: parseStack(entry, readStackBytes(entry)) as JsonObject,
      dependencies: entry.dependencies,
    })),
  };
}

/** cdktf's metadata key, at the top of a stack and in every block: not Terraform configuration. */
const METADATA_KEY = '//';
const TOP_LEVEL_BLOCKS = new Set([METADATA_KEY, 'terraform', 'variable', 'provider', 'resource', 'data', 'output']);
const REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';
const CROSS_STACK_OUTPUT_PREFIX = 'cross-stack-output-';
/** A read of another stack's output, with the `${` and `}` around it when it is a whole interpolation. */
const REMOTE_READ = /(\$\{)?data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)(\})?/g;

/** The kernel's isRecord, typed for JSON values. */
function isObject(value: JsonValue | undefined): value is JsonObject {
  return isRecord(value);
}

function objectAt(value: JsonValue | undefined, where: string): JsonObject {
  if (value === undefined) return {};
  if (!isObject(value)) throw new CliFailure(`${where} is not an object`);
  return value;
}

/**
 * A stack that knows its backend. cdktf otherwise finds it by walking every construct of
 * the producing stack for each stack that reads its outputs, quadratic in tenants; the
 * project's stacks carry the same fix (stacks/platform-stack.ts), so leaving it out would
 * charge the baseline a cost the project does not pay.
 */
class KnownBackendStack extends TerraformStack {
  knownBackend: S3Backend | undefined;

  override ensureBackendExists(): TerraformBackend {
    return this.knownBackend ?? super.ensureBackendExists();
  }
}

/**
 * A cross-stack reference rendered as in the project's output: `${...}` where it is a whole
 * interpolation, bare inside an expression (`${jsonencode({... = data....})}`). cdktf
 * chooses by `context.suppressBraces`, which its escape tracking in a literal string resets
 * at the first `}` inside `${...}`, so the choice is made here from the project's text.
 */
class RenderedReference implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(
    private readonly reference: IResolvable,
    private readonly braces: boolean,
  ) {}

  resolve(context: IResolveContext): unknown {
    context.suppressBraces = !this.braces;
    return this.reference.resolve(context);
  }

  toString(): string {
    return Token.asString(this);
  }
}

/**
 * A value that replaces what the minimal constructor arguments set for the same attribute:
 * cdktf merges an override into the class's value (objects key by key, arrays appended),
 * but takes a token as it is.
 */
class Replacement implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(private readonly value: unknown) {}

  resolve(): unknown {
    return this.value;
  }

  toString(): string {
    return Token.asString(this);
  }
}

const PROVIDER_CLASSES: Readonly<Record<string, (scope: Construct, id: string, alias: string | undefined) => TerraformProvider>> = {
  aws: (s, id, alias) => new AwsProvider(s, id, { alias }),
  kubernetes: (s, id, alias) => new KubernetesProvider(s, id, { alias }),
  helm: (s, id, alias) => new HelmProvider(s, id, { alias }),
};

/** Reads of other stacks' outputs: a new token for the producing resource's attribute per use, as a program would write it. */
type RemoteRead = (producer: string, output: string) => IResolvable;

interface DeclaredStack {
  readonly name: string;
  readonly stack: KnownBackendStack;
  readonly terraform: JsonObject;
  readonly providerBlocks: readonly (readonly [TerraformProvider, JsonObject])[];
  /** By the name resources give in `provider`: `aws`, `aws.platform`. */
  readonly providers: ReadonlyMap<string, TerraformProvider>;
  /** By Terraform address: `aws_s3_bucket.models_1A2B3C4D`. */
  readonly resources: ReadonlyMap<string, TerraformResource>;
  /** Cross-stack output name to the identifier it exports (`aws_eks_cluster.cluster_A4C38409.name`). */
  readonly crossStackOutputs: ReadonlyMap<string, string>;
  /** The stack's own outputs (not cross-stack), by name, as written. */
  readonly plainOutputs: ReadonlyMap<string, JsonObject>;
}

/**
 * Adds to `app` one stack per stack of the project's output that synthesizes the same
 * Terraform: the same backend and provider blocks; every resource of the same provider
 * class under the same name, with the project's attribute values set by escape hatches
 * over minimal constructor arguments and its meta-arguments set as a program sets them;
 * every read of another stack's output a token of the producing resource's attribute, so
 * that cdktf makes the outputs and remote-state data sources as it does for the project.
 *
 * References within a stack stay the literal text of the project's output: cheaper for
 * cdktf than tokens, which keeps the baseline fast and the ratio against it conservative.
 */
export function buildSameOutput(app: App, synth: SynthOutput): void {
  const declared = synth.stacks.map(({ name, terraform }) => declareStack(app, name, terraform));
  const byName = new Map(declared.map((stack) => [stack.name, stack]));
  const minimalArguments = new Map<string, ReadonlySet<string>>();
  for (const stack of declared) fillStack(stack, byName, minimalArguments);
  // The apply order a program states besides its cross-stack references (CRDs before their objects).
  for (const { name, dependencies } of synth.stacks) {
    for (const dependency of dependencies) byName.get(name)?.stack.addDependency(byName.get(dependency)!.stack);
  }
}

/** The stack, its backend, providers and resources (named), and what it exports; values come once every stack exists. */
function declareStack(app: App, name: string, terraform: JsonObject): DeclaredStack {
  const where = `stack ${name}`;
  for (const key of Object.keys(terraform)) {
    if (!TOP_LEVEL_BLOCKS.has(key))
      throw new CliFailure(`${where}: the same-output baseline does not reproduce top-level '${key}' blocks; add them to buildSameOutput in bench/baseline.ts`);
  }
  const stack = new KnownBackendStack(app, name);
  stack.knownBackend = declareBackend(stack, objectAt(terraform.terraform, `${where}: terraform`), where);

  // Input variables (the identity mode), written as the project writes them.
  for (const [variableName, body] of Object.entries(objectAt(terraform.variable ?? {}, `${where}: variable`))) {
    const variable = new TerraformVariable(stack, variableName, {});
    variable.overrideLogicalId(variableName);
    for (const [key, value] of Object.entries(objectAt(body, `${where}: variable ${variableName}`))) variable.addOverride(key, value);
  }

  const providerBlocks: [TerraformProvider, JsonObject][] = [];
  const providers = new Map<string, TerraformProvider>();
  for (const [type, blocks] of Object.entries(objectAt(terraform.provider, `${where}: provider`))) {
    const make = PROVIDER_CLASSES[type];
    if (!make) throw new CliFailure(`${where}: no baseline class for provider '${type}'; add it to PROVIDER_CLASSES in bench/baseline.ts`);
    for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
      const body = objectAt(block, `${where}: provider ${type}`);
      const alias = typeof body.alias === 'string' ? body.alias : undefined;
      const provider = make(stack, `${type}.${alias ?? 'default'}`, alias);
      providers.set(alias ? `${type}.${alias}` : type, provider);
      providerBlocks.push([provider, body]);
    }
  }

  const resources = new Map<string, TerraformResource>();
  for (const [type, byName] of Object.entries(objectAt(terraform.resource, `${where}: resource`))) {
    const factory = RESOURCE_FACTORIES[type];
    if (!factory) throw new CliFailure(`${where}: no baseline class for resource type '${type}'; add it to RESOURCE_FACTORIES in bench/baseline.ts`);
    for (const resourceName of Object.keys(objectAt(byName, `${where}: resource ${type}`))) {
      const resource = factory(stack, `${type}.${resourceName}`, resourceName);
      resource.overrideLogicalId(resourceName);
      resources.set(`${type}.${resourceName}`, resource);
    }
  }

  // cdktf makes the remote-state data sources from the reads of other stacks' outputs.
  for (const [type, byName] of Object.entries(objectAt(terraform.data, `${where}: data`))) {
    const unknown =
      type === 'terraform_remote_state' ? Object.keys(objectAt(byName, `${where}: data ${type}`)).find((n) => !n.startsWith(REMOTE_STATE_PREFIX)) : type;
    if (unknown !== undefined)
      throw new CliFailure(
        `${where}: the same-output baseline reproduces only cdktf's cross-stack remote states, not data '${unknown}'; add it to declareStack in bench/baseline.ts`,
      );
  }

  const crossStackOutputs = new Map<string, string>();
  const plainOutputs = new Map<string, JsonObject>();
  for (const [outputName, output] of Object.entries(objectAt(terraform.output, `${where}: output`))) {
    const body = objectAt(output, `${where}: output ${outputName}`);
    if (!outputName.startsWith(CROSS_STACK_OUTPUT_PREFIX)) {
      // A stack's own output (the shared stack's cluster_access): written as the project writes it.
      plainOutputs.set(outputName, body);
      continue;
    }
    const identifier = typeof body.value === 'string' ? /^\$\{([^{}]+)\}$/.exec(body.value)?.[1] : undefined;
    if (identifier === undefined)
      throw new CliFailure(`${where}: cross-stack output '${outputName}' does not export one attribute; add it to declareStack in bench/baseline.ts`);
    crossStackOutputs.set(outputName, identifier);
  }
  return { name, stack, terraform, providerBlocks, providers, resources, crossStackOutputs, plainOutputs };
}

/**
 * The S3 backend with the arguments the project passes to S3Backend
 * (stacks/platform-stack.ts), which cdktf also writes into the remote-state data sources
 * of the stacks that read this one; any other setting as the project's override.
 */
function declareBackend(stack: KnownBackendStack, terraform: JsonObject, where: string): S3Backend {
  // cdktf writes required_providers from the providers.
  const unknown = Object.keys(terraform).find((key) => key !== 'backend' && key !== 'required_providers');
  if (unknown)
    throw new CliFailure(`${where}: the same-output baseline does not reproduce terraform.${unknown}; add it to declareBackend in bench/baseline.ts`);
  const backends = objectAt(terraform.backend, `${where}: terraform.backend`);
  const s3 = backends.s3;
  if (!isObject(s3) || Object.keys(backends).length !== 1) throw new CliFailure(`${where}: the same-output baseline knows only the S3 backend`);
  const { bucket, key, region, encrypt, ...settings } = s3;
  if (typeof bucket !== 'string' || typeof key !== 'string' || typeof region !== 'string')
    throw new CliFailure(`${where}: the S3 backend has no bucket, key or region`);
  const backend = new S3Backend(stack, { bucket, key, region, encrypt: typeof encrypt === 'boolean' ? encrypt : undefined });
  for (const [setting, value] of Object.entries(settings)) stack.addOverride(`terraform.backend.s3.${setting}`, value);
  return backend;
}

/** Sets every value of the stack's provider blocks and resources, and declares its cross-stack outputs. */
function fillStack(declared: DeclaredStack, stacks: ReadonlyMap<string, DeclaredStack>, minimalArguments: Map<string, ReadonlySet<string>>): void {
  const where = `stack ${declared.name}`;
  // Declared up front as the project's producing stacks do, so that outputs no stack reads are kept too.
  for (const identifier of declared.crossStackOutputs.values()) declared.stack.registerOutgoingCrossStackReference(identifier);

  const read: RemoteRead = (producerName, outputName) => {
    const producer = stacks.get(producerName);
    const identifier = producer?.crossStackOutputs.get(outputName);
    if (!producer || identifier === undefined)
      throw new CliFailure(`${where} reads output '${outputName}' of stack '${producerName}', which that stack does not declare`);
    const [type, resourceName] = identifier.split('.', 2);
    const resource = producer.resources.get(`${type}.${resourceName}`);
    if (!resource) throw new CliFailure(`stack ${producerName}: output '${outputName}' exports '${identifier}', which is not a resource of the stack`);
    return resource.interpolationForAttribute(identifier.slice(type.length + resourceName.length + 2));
  };

  for (const [provider, body] of declared.providerBlocks) {
    for (const [key, value] of Object.entries(body)) if (key !== 'alias') provider.addOverride(key, withReferences(value, read));
  }
  for (const [outputName, body] of declared.plainOutputs) {
    const { value, ...rest } = body;
    const output = new TerraformOutput(declared.stack, outputName, { value: withReferences(value, read) });
    for (const [key, setting] of Object.entries(rest)) if (key !== METADATA_KEY) output.addOverride(key, setting);
  }

  for (const [type, byName] of Object.entries(objectAt(declared.terraform.resource, `${where}: resource`))) {
    for (const [resourceName, body] of Object.entries(objectAt(byName, `${where}: resource ${type}`))) {
      const address = `${type}.${resourceName}`;
      const resource = declared.resources.get(address)!;
      let minimal = minimalArguments.get(type);
      if (!minimal) {
        minimal = argumentsOf(resource);
        minimalArguments.set(type, minimal);
      }
      const attributes = objectAt(body, `${where}: ${address}`);
      for (const key of minimal) if (!(key in attributes)) resource.addOverride(key, undefined);
      for (const [key, value] of Object.entries(attributes)) {
        if (key === METADATA_KEY) continue;
        if (key === 'provider')
          resource.provider = declared.providers.get(String(value)) ?? fail(`${where}: ${address} names provider '${String(value)}', which the stack has not`);
        else if (key === 'depends_on') resource.dependsOn = dependenciesOf(value, declared.resources, `${where}: ${address}`);
        else if (key === 'lifecycle') resource.lifecycle = lifecycleOf(value, `${where}: ${address}`);
        else {
          const rendered = withReferences(value, read);
          resource.addOverride(key, minimal.has(key) && typeof rendered === 'object' && rendered !== null ? new Replacement(rendered) : rendered);
        }
      }
    }
  }
}

function fail(message: string): never {
  throw new CliFailure(message);
}

/** The top-level arguments a resource's constructor arguments set (before any override). */
function argumentsOf(resource: TerraformResource): ReadonlySet<string> {
  const synthesized = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const body = synthesized.resource[resource.terraformResourceType][resource.friendlyUniqueId];
  return new Set(Object.keys(body).filter((key) => key !== METADATA_KEY && body[key] !== undefined));
}

function dependenciesOf(value: JsonValue, resources: ReadonlyMap<string, TerraformResource>, where: string): string[] {
  if (!Array.isArray(value)) fail(`${where}: depends_on is not a list`);
  return value.map((address) =>
    dependable(resources.get(String(address)) ?? fail(`${where}: depends on '${String(address)}', which is not a resource of the stack`)),
  );
}

function lifecycleOf(value: JsonValue, where: string): TerraformResourceLifecycle {
  const lifecycle: { preventDestroy?: boolean; createBeforeDestroy?: boolean; ignoreChanges?: string[] | 'all' } = {};
  for (const [key, setting] of Object.entries(objectAt(value, `${where}: lifecycle`))) {
    if (key === 'prevent_destroy' && typeof setting === 'boolean') lifecycle.preventDestroy = setting;
    else if (key === 'create_before_destroy' && typeof setting === 'boolean') lifecycle.createBeforeDestroy = setting;
    else if (key === 'ignore_changes' && setting === 'all') lifecycle.ignoreChanges = setting;
    else if (key === 'ignore_changes' && Array.isArray(setting)) lifecycle.ignoreChanges = setting.map(String);
    else fail(`${where}: the same-output baseline does not reproduce lifecycle.${key}; add it to lifecycleOf in bench/baseline.ts`);
  }
  return lifecycle;
}

/** The value with every read of another stack's output made a token; everything else as it is. */
function withReferences(value: JsonValue, read: RemoteRead): unknown {
  if (typeof value === 'string') return value.includes('data.terraform_remote_state.') ? stringWithReferences(value, read) : value;
  if (Array.isArray(value)) return value.map((item) => withReferences(item, read));
  if (isObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = withReferences(item, read);
    return result;
  }
  return value;
}

function stringWithReferences(text: string, read: RemoteRead): string {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(REMOTE_READ)) {
    const [whole, open, producer, output, close] = match;
    const braces = open !== undefined && close !== undefined;
    const token = Token.asString(new RenderedReference(read(producer, output), braces));
    result += text.slice(last, match.index) + (braces ? token : `${open ?? ''}${token}${close ?? ''}`);
    last = match.index + whole.length;
  }
  return result + text.slice(last);
}

const USAGE = `Usage: npx tsx bench/baseline.ts --same-output-of <synth dir> --outdir <dir>
       npx tsx bench/baseline.ts --shape <shape.json> --outdir <dir>
       npx tsx bench/baseline.ts --shape-of <synth dir> --write-shape <shape.json>

The benchmark's baselines: plain cdktf programs with none of the project's layers.
--same-output-of synthesizes the same Terraform as the project's synth output in <synth
dir> (reading it is part of the run; its time is in the result line). --shape
synthesizes the stacks described by a shape file (stacks, resource counts per type,
providers, cross-stack references; made from a synth output with --shape-of) with
minimal arguments. npm run bench runs both; run them by hand to inspect their output.`;

/** Synthesizes with cdktf's token stack traces off, as the project's synth does, so that the ratio compares the layers, not this setting. */
function synthesizePlain(outdir: string, build: (app: App) => void): void {
  withoutTokenStackTraces(() => {
    const app = new App({ outdir, skipValidation: false });
    build(app);
    app.synth();
  });
}

/** The baseline command: writes a shape file, or synthesizes one of the two baselines. */
function main(args: string[]): string {
  const { flags, positional } = parseFlags(args, ['shape', 'outdir', 'shape-of', 'write-shape', 'same-output-of']);
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  if (flags['same-output-of']) {
    if (!flags.outdir) throw new UsageError('--same-output-of needs --outdir <dir>');
    if (flags.shape || flags['shape-of']) throw new UsageError('--same-output-of goes without --shape and --shape-of');
    const started = process.hrtime.bigint();
    const synth = readSynthOutput(flags['same-output-of']);
    const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    synthesizePlain(flags.outdir, (app) => buildSameOutput(app, synth));
    return `ok: synthesized ${synth.stacks.length} stacks with the Terraform of ${flags['same-output-of']} into ${flags.outdir} (input read in ${readSeconds.toFixed(1)} s)`;
  }
  if (flags['shape-of']) {
    if (!flags['write-shape']) throw new UsageError('--shape-of needs --write-shape <file>');
    const shape = shapeOfSynth(flags['shape-of']);
    writeFileSync(flags['write-shape'], JSON.stringify(shape));
    return `ok: wrote the shape of ${shape.stacks.length} stacks (${shape.contents.length} distinct) to ${flags['write-shape']}`;
  }
  if (!flags.shape || !flags.outdir) throw new UsageError('--shape and --outdir are both required');
  const shape = JSON.parse(readFileSync(flags.shape, 'utf8')) as SynthShape;
  synthesizePlain(flags.outdir, (app) => buildBaseline(app, shape));
  return `ok: synthesized ${shape.stacks.length} baseline stacks into ${flags.outdir}`;
}

if (require.main === module) runCli('baseline', USAGE, main);
