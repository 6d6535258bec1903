/**
 * The kubeconfig of a tenant's people, checked against what the synthesized stacks grant:
 * the role it authenticates as is the one the tenant's permission set may assume and the
 * one the cluster's access entry maps to the tenant's namespace, and the server and CA are
 * the shared stack's cluster_access output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../config/load';
import { CLUSTER_ACCESS_OUTPUT } from '../../../config/names';
import { Resolver, readSynthDir, type JsonObject, type SynthStack } from '../../../proof/resolve';
import { KubeconfigInputError, parseClusterAccess, renderKubeconfig } from '../../../tools/tenant/kubeconfig';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, synthInto, tempDir } from '../../proof/plant';
import { REPO_ROOT } from './fixtures';

const config = loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR });
const tenantOf = (name: string) => config.tenants.find((t) => t.name === name)!;

let stacks: SynthStack[];
let resolver: Resolver;
let outputsJson: string;

function resourceIn(stack: string, type: string, pathPart: string): { name: string; body: JsonObject } {
  const blocks = (((stacks.find((s) => s.name === stack)?.json.resource ?? {}) as JsonObject)[type] ?? {}) as Record<string, JsonObject>;
  const found = Object.entries(blocks).filter(([, body]) => JSON.stringify(body['//'] ?? '').includes(pathPart));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${pathPart} in ${stack}, found ${found.length}`);
  return { name: found[0][0], body: found[0][1] };
}

const resolved = (stack: string, type: string, pathPart: string, attribute: string) =>
  resolver.argument({ stack, type, name: resourceIn(stack, type, pathPart).name }, attribute);

beforeAll(() => {
  stacks = readSynthDir(synthInto(SAMPLE_TENANTS_DIR));
  resolver = new Resolver(stacks);
  const shared = stacks.find((s) => s.name === 'shared')!;
  const output = (shared.json.output as JsonObject)[CLUSTER_ACCESS_OUTPUT] as JsonObject;
  // What `terraform output -json` prints, with the proof's placeholders for values known after apply.
  const value = resolver.resolveValue(output.value, { stack: 'shared', address: `output.${CLUSTER_ACCESS_OUTPUT}` });
  outputsJson = JSON.stringify({ [CLUSTER_ACCESS_OUTPUT]: { sensitive: false, type: ['object', {}], value } });
});

describe('tenant kubeconfig', () => {
  test("authenticates as the role the permission set may assume, whose access entry's group is bound in the tenant's namespace", () => {
    const kubeconfig = parse(renderKubeconfig(tenantOf('recsys-inference'), config.platform, parseClusterAccess(outputsJson, 'outputs.json')));
    const args: string[] = kubeconfig.users[0].user.exec.args;
    const role = args[args.indexOf('--role-arn') + 1];
    expect(role).toBe('arn:aws:iam::333333333333:role/recsys-inference-people');

    expect(resolved('tenant-recsys-inference', 'aws_eks_access_entry', 'cluster-access', 'principal_arn')).toBe(role);
    const groups = resolved('tenant-recsys-inference', 'aws_eks_access_entry', 'cluster-access', 'kubernetes_groups') as string[];
    expect(groups).toHaveLength(1);
    const binding = resourceIn('tenant-recsys-inference', 'kubernetes_role_binding_v1', 'people-binding').body;
    expect(binding.subject).toEqual([expect.objectContaining({ kind: 'Group', name: groups[0] })]);
    const namespace = resolved('tenant-recsys-inference', 'kubernetes_role_binding_v1', 'people-binding', 'metadata') as JsonObject[] | JsonObject;
    expect((Array.isArray(namespace) ? namespace[0] : namespace).namespace).toBe(kubeconfig.contexts[0].context.namespace);

    const permissionSetPolicy = JSON.stringify(
      resolved('account-recsys-inference', 'aws_ssoadmin_permission_set_inline_policy', 'recsys-inference-people-access', 'inline_policy'),
    );
    expect(permissionSetPolicy).toContain(role);
  });

  test("points at the shared cluster's endpoint, CA and name from the cluster_access output", () => {
    const access = parseClusterAccess(outputsJson, 'outputs.json');
    const kubeconfig = parse(renderKubeconfig(tenantOf('recsys-inference'), config.platform, access, { profile: 'recsys' }));
    expect(kubeconfig.clusters[0]).toEqual({
      name: 'mlp-shared',
      cluster: { server: access.endpoint, 'certificate-authority-data': access.certificateAuthorityData },
    });
    expect(access.endpoint).toMatch(/^https:\/\//);
    expect(kubeconfig.users[0].user.exec.args.slice(0, 6)).toEqual(['eks', 'get-token', '--cluster-name', 'mlp-shared', '--region', 'us-east-1']);
    expect(kubeconfig.users[0].user.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'recsys' }]);
    expect(kubeconfig['current-context']).toBe('recsys-inference');
  });

  test('needs the account id of a vended account, and uses it', () => {
    const access = parseClusterAccess(outputsJson, 'outputs.json');
    expect(() => renderKubeconfig(tenantOf('fraud-detection'), config.platform, access)).toThrow(/vended account.*--account-id/);
    const kubeconfig = parse(renderKubeconfig(tenantOf('fraud-detection'), config.platform, access, { accountId: '123456789012' }));
    expect(kubeconfig.users[0].user.exec.args).toContain('arn:aws:iam::123456789012:role/fraud-detection-people');
    expect(() => renderKubeconfig(tenantOf('recsys-inference'), config.platform, access, { accountId: '123456789012' })).toThrow(/adopts account 333333333333/);
  });

  test.each([
    ['not json', /not JSON/],
    ['{"other": {"value": 1}}', /no 'cluster_access' output/],
    [
      '{"cluster_access": {"value": {"name": "c", "region": "r", "endpoint": "http://x", "certificate_authority_data": "QQ=="}}}',
      /endpoint must be an https:\/\/ URL/,
    ],
  ])('rejects unusable outputs (%s) with a message naming the file', (text, message) => {
    expect(() => parseClusterAccess(text, 'outputs.json')).toThrow(KubeconfigInputError);
    expect(() => parseClusterAccess(text, 'outputs.json')).toThrow(message);
  });

  test('the command writes the file readable only by its owner and ends with a one-line result', () => {
    const dir = tempDir('mlp-kubeconfig-');
    const outputs = path.join(dir, 'cluster-access.json');
    writeFileSync(outputs, outputsJson);
    const out = path.join(dir, 'kubeconfig.yaml');
    const tsx = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
    const result = spawnSync(
      process.execPath,
      [tsx, path.join(REPO_ROOT, 'bin/tenant-kubeconfig.ts'), 'recsys-inference', '--outputs', outputs, '--out', out],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^ok: kubeconfig for tenant recsys-inference on cluster mlp-shared as arn:aws:iam::333333333333:role\/recsys-inference-people, namespace recsys-inference; written to /,
    );
    expect(parse(readFileSync(out, 'utf8')).contexts[0].context.namespace).toBe('recsys-inference');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
