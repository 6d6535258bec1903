/**
 * Every string a user writes, planted with Terraform template syntax: each field either
 * refuses it (its grammar has no '$', '%' or '{') or is free text that reaches the model
 * escaped, and the synthesized output then holds only the escaped form.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { formatPath, type FieldPath } from '../../config/issues';
import { checkConfig, loadConfig } from '../../config/load';
import * as literal from '../../config/terraform-literal';
import { templateProblems } from '../../guardrails/rules/no-template-injection';
import { synthesize } from '../../synth/synthesize';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir, tenantDir, tenantFields } from '../support/config-fixtures';

const PLANTS = ['${file("/etc/hostname")}', '%{ if true }x%{ endif }'];
/** Fields AWS lets hold anything: escaped where they enter the model, not refused. */
const FREE_TEXT = ['organization.tenantOuName'];

type Planting = { readonly path: FieldPath; readonly key: boolean; readonly apply: (text: string) => string };

/** Every string value and every key of a map the user names (records), as a path and a way to plant text there. */
function plantings(data: unknown): Planting[] {
  const found: Planting[] = [];
  const walk = (value: unknown, at: (string | number)[], recordKeys: boolean) => {
    if (typeof value === 'string') {
      found.push({ path: at, key: false, apply: (plant) => setAt(data, at, `${value.slice(0, 2)}${plant}${value.slice(2)}`) });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...at, i], false);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (recordKeys) found.push({ path: [...at, key], key: true, apply: (plant) => renameKey(data, at, key, `${key}${plant}`) });
        walk(item, [...at, key], false);
      }
    }
  };
  const top = data as Record<string, unknown>;
  for (const [key, item] of Object.entries(top)) walk(item, [key], key === 'gpuInstanceTypes' || key === 'tags');
  return found;
}

function setAt(data: unknown, at: readonly (string | number)[], value: string): string {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let node = copy;
  for (const part of at.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
  return stringify(copy);
}

function renameKey(data: unknown, at: readonly (string | number)[], key: string, renamed: string): string {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let node = copy;
  for (const part of at) node = node[part] as Record<string | number, unknown>;
  node[renamed] = node[key];
  delete node[key];
  return stringify(copy);
}

describe('Terraform template syntax in user strings', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const scratch = () => {
    const dir = tempDir('mlp-inject-');
    dirs.push(dir);
    return dir;
  };

  const platformData = parse(readFileSync(PLATFORM_FILE, 'utf8'));
  const platformFields = plantings(platformData);
  const tenantData = tenantFields('team', { account: { email: 'aws+team@example.com' }, buckets: [{ name: 'datasets' }] });
  const tenantFieldsPlanted = plantings(tenantData);

  test('the walk finds every string field of both files', () => {
    // Pins the walk itself: a walk that found nothing would let every test below pass.
    expect(platformFields.length).toBeGreaterThan(30);
    expect(tenantFieldsPlanted.map((p) => formatPath(p.path))).toEqual([
      'name',
      'owner',
      'costCenter',
      'account.email',
      'gpuPools[0].name',
      'gpuPools[0].instanceTypes[0]',
      'gpuPools[0].capacity',
      'buckets[0].name',
    ]);
  });

  describe.each(PLANTS)('planted %s', (plant) => {
    test.each(platformFields.filter((p) => !FREE_TEXT.includes(formatPath(p.path))).map((p) => [formatPath(p.path) + (p.key ? ' (key)' : ''), p] as const))(
      'platform.yaml %s is refused at that field',
      (_, planting) => {
        const file = path.join(scratch(), 'platform.yaml');
        writeFileSync(file, planting.apply(plant));
        const { config, issues } = checkConfig({ platformFile: file, tenantsDir: SAMPLE_TENANTS_DIR });
        expect(config).toBeUndefined();
        const field = formatPath(planting.key ? planting.path.slice(0, -1) : planting.path);
        expect(issues.map((i) => `${i.file === file || i.file.endsWith('platform.yaml') ? 'platform.yaml' : i.file} ${formatPath(i.path)}`)).toContainEqual(
          expect.stringMatching(new RegExp(`^platform\\.yaml ${escapeRegExp(field)}`)),
        );
      },
    );

    test.each(tenantFieldsPlanted.map((p) => [formatPath(p.path), p] as const))('tenant file %s is refused at that field', (_, planting) => {
      const dir = tenantDir({ team: planting.apply(plant) });
      dirs.push(dir);
      const { config, issues } = checkConfig({ platformFile: PLATFORM_FILE, tenantsDir: dir });
      expect(config).toBeUndefined();
      expect(issues.map((i) => formatPath(i.path))).toContain(formatPath(planting.path));
    });
  });

  test('without the escape, the guardrail MLP-TF-2 fails the synth on the planted OU name and nothing is written', () => {
    // As if a construct wrote the free text as is: the net under the escape must hold.
    const spy = jest.spyOn(literal, 'terraformLiteral').mockImplementation((text) => text);
    try {
      const file = path.join(scratch(), 'platform.yaml');
      writeFileSync(file, stringify({ ...platformData, organization: { ...platformData.organization, tenantOuName: 'ML ${file("/etc/hostname")}' } }));
      const outdir = path.join(scratch(), 'cdktf.out');
      expect(() => synthesize({ paths: { platformFile: file, tenantsDir: SAMPLE_TENANTS_DIR }, outdir })).toThrow(
        /MLP-TF-2 in stack 'organization' at organization\/.* name: the expression '\$\{file\("\/etc\/hostname"\)\}' \(calls file\(\), which no construct calls\)/,
      );
      expect(spy).toHaveBeenCalled();
      expect(existsSync(outdir)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  test('the free-text OU name reaches the model escaped, and the synthesized output holds it only escaped', () => {
    const file = path.join(scratch(), 'platform.yaml');
    const ouName = 'ML ${file("/etc/hostname")} %{ if true }x%{ endif }';
    writeFileSync(file, stringify({ ...platformData, organization: { ...platformData.organization, tenantOuName: ouName } }));
    const config = loadConfig({ platformFile: file, tenantsDir: SAMPLE_TENANTS_DIR });
    expect(config.platform.tenantOuName).toBe('ML $${file("/etc/hostname")} %%{ if true }x%%{ endif }');

    const outdir = path.join(scratch(), 'cdktf.out');
    synthesize({ paths: { platformFile: file, tenantsDir: SAMPLE_TENANTS_DIR }, outdir });
    const organization = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'organization', 'cdk.tf.json'), 'utf8'));
    const ou = Object.values(organization.resource.aws_organizations_organizational_unit as Record<string, { name: string }>);
    expect(ou.map((o) => o.name)).toEqual(['ML $${file("/etc/hostname")} %%{ if true }x%%{ endif }']);
    expect(templateProblems(ou[0].name)).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
