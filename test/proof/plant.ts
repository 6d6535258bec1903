/**
 * Edits of synthesized stacks, as a construct change would make them, for the proof's
 * failing-case tests: grants between tenants, a broken trust, a policy the proof cannot
 * read. Values (bucket names, account ids) come from the resolved model, never typed in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readPlatformModel, type TenantModel } from '../../proof/model';
import { readSynthDir, Resolver, type JsonObject, type SynthStack } from '../../proof/resolve';
import { synthInto as synthIntoDir } from '../support/synth';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const PLATFORM_FILE = path.join(REPO_ROOT, 'platform.yaml');
export const SAMPLE_TENANTS_DIR = path.join(REPO_ROOT, 'tenants');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Synthesizes a tenant directory with the repository's platform.yaml into a fresh directory (the samples: a copy of the run's one synth). */
export function synthInto(tenantsDir: string): string {
  const outdir = path.join(tempDir('mlp-proof-synth-'), 'cdktf.out');
  synthIntoDir(outdir, tenantsDir, PLATFORM_FILE);
  return outdir;
}

/** The samples' synthesized stacks, read into memory; their temporary directory is removed at once. */
export function readSampleStacks(): SynthStack[] {
  const outdir = synthInto(SAMPLE_TENANTS_DIR);
  try {
    return readSynthDir(outdir);
  } finally {
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

export function tenantModels(stacks: readonly SynthStack[]): Map<string, TenantModel> {
  const { model, errors } = readPlatformModel(new Resolver(stacks));
  if (!model) throw new Error(errors.map((e) => e.message).join('\n'));
  return new Map(model.tenants.map((t) => [t.name, t]));
}

export function cloneStacks(stacks: readonly SynthStack[]): SynthStack[] {
  return stacks.map((stack) => ({ ...stack, json: structuredClone(stack.json) }));
}

function stack(stacks: SynthStack[], tenant: string): SynthStack {
  const found = stacks.find((s) => s.name === `tenant-${tenant}`);
  if (!found) throw new Error(`no stack tenant-${tenant}`);
  return found;
}

/** The resources of a type in a tenant's stack, by name. */
export function resources(stacks: SynthStack[], tenant: string, type: string): Record<string, JsonObject> {
  const block = (stack(stacks, tenant).json.resource as JsonObject)[type] as Record<string, JsonObject> | undefined;
  if (!block) throw new Error(`no ${type} in tenant-${tenant}`);
  return block;
}

function workloadRole(stacks: SynthStack[], tenant: string): JsonObject {
  const role = Object.values(resources(stacks, tenant, 'aws_iam_role')).find((r) => r.name === `${tenant}-workload`);
  if (!role) throw new Error(`no workload role in tenant-${tenant}`);
  return role;
}

function bucketPolicy(stacks: SynthStack[], tenant: string, bucketName: string): JsonObject {
  const policies = Object.values(resources(stacks, tenant, 'aws_s3_bucket_policy'));
  // A vended account's bucket name ends in a reference to the account id: compare with the id's place held open.
  const matches = (raw: unknown) =>
    raw === bucketName ||
    (typeof raw === 'string' &&
      raw.includes('${') &&
      new RegExp(
        `^${raw
          .replace(/\$\{[^}]+\}/g, '\uE000')
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\uE000/g, '\\d{12}')}$`,
      ).test(bucketName));
  const bucketRef = Object.entries(resources(stacks, tenant, 'aws_s3_bucket')).find(([, b]) => matches(b.bucket))?.[0];
  const policy = policies.find((p) => String(p.bucket).includes(`.${bucketRef}.`));
  if (!policy) throw new Error(`no policy for bucket ${bucketName}`);
  return policy;
}

/** Adds an HCL statement to a `${jsonencode({... "Statement" = [...]})}` policy expression. */
export function withStatement(expression: string, statementHcl: string): string {
  const end = expression.lastIndexOf(']})}');
  if (end < 0) throw new Error(`not a rendered policy: ${expression.slice(0, 80)}`);
  return `${expression.slice(0, end)}, ${statementHcl}${expression.slice(end)}`;
}

function inlinePolicy(role: JsonObject): { policy: string } {
  return (role.inline_policy as { policy: string }[])[0];
}

/**
 * Shares `owner`'s first bucket with `grantee` the way a careless change would: the
 * bucket policy trusts the grantee's account (and no longer denies it), and the
 * grantee's workload role is granted the bucket. Returns the bucket ARN.
 */
export function shareBucket(
  stacks: SynthStack[],
  models: Map<string, TenantModel>,
  owner: string,
  grantee: string,
  options: { granteeSide?: boolean } = {},
): string {
  const bucket = (models.get(owner) as TenantModel).buckets[0];
  const granteeAccount = (models.get(grantee) as TenantModel).accountId;
  bucketPolicy(stacks, owner, bucket.name).policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.arn, `${bucket.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'ShareWithGrantee',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${granteeAccount}:root` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [bucket.arn, `${bucket.arn}/*`],
      },
    ],
  });
  if (options.granteeSide !== false) {
    const inline = inlinePolicy(workloadRole(stacks, grantee));
    inline.policy = withStatement(
      inline.policy,
      `{"Sid" = "ReadSharedBucket", "Effect" = "Allow", "Action" = ["s3:GetObject", "s3:ListBucket"], "Resource" = ["${bucket.arn}", "${bucket.arn}/*"]}`,
    );
  }
  return bucket.arn;
}

/** Lets `grantee`'s people role decrypt with `owner`'s key: key policy and identity policy. Returns the key ARN. */
export function shareKey(stacks: SynthStack[], models: Map<string, TenantModel>, owner: string, grantee: string): string {
  const key = (models.get(owner) as TenantModel).keys[0];
  const granteeAccount = (models.get(grantee) as TenantModel).accountId;
  const keyResource = Object.values(resources(stacks, owner, 'aws_kms_key'))[0];
  keyResource.policy = withStatement(
    String(keyResource.policy),
    `{"Sid" = "GranteeDecrypts", "Effect" = "Allow", "Principal" = {"AWS" = "arn:aws:iam::${granteeAccount}:root"}, "Action" = "kms:Decrypt", "Resource" = "*"}`,
  );
  const people = Object.values(resources(stacks, grantee, 'aws_iam_role')).find((r) => r.name === `${grantee}-people`) as JsonObject;
  const inline = inlinePolicy(people);
  inline.policy = withStatement(inline.policy, `{"Sid" = "DecryptSharedKey", "Effect" = "Allow", "Action" = "kms:Decrypt", "Resource" = "${key.arn}"}`);
  return key.arn;
}

/** `owner`'s workload role also trusts `other`'s service account: one edit, and other's pods assume it. */
export function trustForeignServiceAccount(stacks: SynthStack[], owner: string, other: string): void {
  const role = workloadRole(stacks, owner);
  const own = `"system:serviceaccount:${owner}:${owner}-workload"`;
  const trust = String(role.assume_role_policy);
  if (!trust.includes(own)) throw new Error(`unexpected trust policy of ${owner}`);
  role.assume_role_policy = trust.replace(own, `[${own}, "system:serviceaccount:${other}:${other}-workload"]`);
}

/** A construct bug every tenant gets: the workload trust accepts any service account of the cluster. */
export function trustAnyServiceAccountEverywhere(stacks: SynthStack[]): void {
  for (const s of stacks.filter((candidate) => candidate.name.startsWith('tenant-'))) {
    const tenant = s.name.slice('tenant-'.length);
    const role = Object.values(resources(stacks, tenant, 'aws_iam_role')).find((r) => r.name === `${tenant}-workload`);
    if (!role) continue;
    role.assume_role_policy = String(role.assume_role_policy)
      .replace('"StringEquals" = zipmap(', '"StringLike" = zipmap(')
      .replace(`system:serviceaccount:${tenant}:${tenant}-workload`, 'system:serviceaccount:*');
  }
}

/** Replaces `tenant`'s workload permissions by ECR login only: its pods lose their own data. */
export function dropWorkloadDataAccess(stacks: SynthStack[], tenant: string): void {
  inlinePolicy(workloadRole(stacks, tenant)).policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }],
  });
}

/** Sets an attribute of `tenant`'s first bucket policy to an arbitrary expression. */
export function setBucketPolicy(stacks: SynthStack[], tenant: string, expression: string): string {
  const [name, policy] = Object.entries(resources(stacks, tenant, 'aws_s3_bucket_policy'))[0];
  policy.policy = expression;
  return name;
}

/** Adds a statement to the organization's guardrails SCP. */
export function addGuardrailStatement(stacks: SynthStack[], statementHcl: string): void {
  const organization = stacks.find((s) => s.name === 'organization') as SynthStack;
  const policies = (organization.json.resource as JsonObject).aws_organizations_policy as Record<string, JsonObject>;
  const guardrails = Object.values(policies).find((p) => String(p.name).endsWith('-tenant-guardrails')) as JsonObject;
  guardrails.content = withStatement(String(guardrails.content), statementHcl);
}

/**
 * Adds the organization access role to the deployer's exemption in the tenant's own
 * platform-controls SCP (its account stack), as a construct that exempted it again would.
 */
export function exemptAccessRoleAgain(stacks: SynthStack[], tenant: string, accountId: string): void {
  const accountStack = stacks.find((stack) => stack.name === `account-${tenant}`);
  const policies = Object.values(((accountStack?.json.resource ?? {}) as Record<string, Record<string, { content: string }>>).aws_organizations_policy ?? {});
  const deployer = `"arn:aws:iam::${accountId}:role/mlp-deployer"]`;
  const scp = policies.find((policy) => String(policy.content).includes(deployer));
  if (!scp) throw new Error(`no SCP in account-${tenant} exempts ${deployer}`);
  scp.content = String(scp.content).replaceAll(
    deployer,
    `"arn:aws:iam::${accountId}:role/mlp-deployer", "arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole"]`,
  );
}
