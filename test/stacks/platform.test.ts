import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { SYNTH_RECORD_FILE } from '../../stacks/synth-record';
import { PLATFORM_FILE, REPO_ROOT, SAMPLE_TENANTS_DIR, tempDir, tenantFields, writeTenant } from '../support/config-fixtures';
import { synthPlatform, type StackJson, type Synthesized } from '../support/synth';
import { generateTenants } from '../support/tenant-generator';

function copyOfSamples(): string {
  const dir = tempDir();
  cpSync(SAMPLE_TENANTS_DIR, dir, { recursive: true });
  return dir;
}

/** Every resource and output of a stack, by address, as canonical JSON text. */
function entries(stack: StackJson): Map<string, string> {
  const out = new Map<string, string>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, JSON.stringify(body));
  }
  for (const [name, body] of Object.entries(stack.output ?? {})) out.set(`output.${name}`, JSON.stringify(body));
  return out;
}

/** Addresses added, removed or changed between two versions of a stack. */
function changedAddresses(before: StackJson, after: StackJson): string[] {
  const a = entries(before);
  const b = entries(after);
  const changed = new Set<string>();
  for (const [address, body] of a) if (b.get(address) !== body) changed.add(address);
  for (const address of b.keys()) if (!a.has(address)) changed.add(address);
  return [...changed].sort();
}

function withoutStackSpecific(stack: StackJson): StackJson {
  return { ...stack, terraform: undefined };
}

describe('the platform as a whole', () => {
  let base: Synthesized;
  beforeAll(() => {
    base = synthPlatform();
  });

  test('synthesizes organization, shared, shared-k8s, shared-pools and an account stack and a tenant stack per tenant', () => {
    expect(Object.keys(base.stacks).sort()).toEqual([
      'account-analytics',
      'account-fraud-detection',
      'account-recsys-inference',
      'organization',
      'shared',
      'shared-k8s',
      'shared-pools',
      'tenant-analytics',
      'tenant-fraud-detection',
      'tenant-recsys-inference',
    ]);
  });

  test.each(['organization', 'shared', 'shared-k8s', 'shared-pools', 'account-fraud-detection', 'tenant-fraud-detection'])(
    '%s uses its own encrypted S3 state with S3-native locking',
    (name) => {
      expect((base.stacks[name].terraform as { backend: unknown }).backend).toEqual({
        s3: { bucket: 'mlp-terraform-state-222222222222', key: `ml-platform/${name}.tfstate`, region: 'us-east-1', encrypt: true, use_lockfile: true },
      });
    },
  );

  test('synthesizing twice gives byte-identical files with no machine-specific path', () => {
    const again = synthPlatform(SAMPLE_TENANTS_DIR, PLATFORM_FILE, { fresh: true });
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
    expect(files(again.outdir)).toEqual(files(base.outdir));
    // The synth record names where its inputs are on this machine (to check them again); it
    // is no Terraform input. What it records of them is the same on every synth.
    const record = (dir: string) => JSON.parse(readFileSync(path.join(dir, SYNTH_RECORD_FILE), 'utf8')) as { digest: string; files: Record<string, string> };
    expect(record(again.outdir)).toMatchObject({ digest: record(base.outdir).digest, files: record(base.outdir).files });
    expect(Object.keys(record(base.outdir).files)).toEqual([
      'platform.yaml',
      'tenants/analytics.yaml',
      'tenants/fraud-detection.yaml',
      'tenants/recsys-inference.yaml',
    ]);
    for (const file of files(base.outdir).filter((f) => f !== SYNTH_RECORD_FILE)) {
      const text = readFileSync(path.join(base.outdir, file), 'utf8');
      expect(readFileSync(path.join(again.outdir, file), 'utf8')).toBe(text);
      expect(text).not.toContain(REPO_ROOT);
      expect(text).not.toContain(base.outdir);
      expect(text).not.toMatch(/\/(tmp|home|root|Users)\//);
    }
  });

  test('every AWS provider carries the tenant or platform, cost-center and managed-by tags', () => {
    for (const [name, stack] of Object.entries(base.stacks)) {
      for (const aws of stack.provider?.aws ?? []) {
        const tags = (aws.default_tags as { tags: Record<string, string> }[])[0].tags;
        expect(tags).toMatchObject({ 'managed-by': 'ml-platform-blueprint', 'cost-center': expect.any(String) });
        expect(tags.tenant ?? tags.platform).toBeDefined();
        if (name.startsWith('tenant-')) expect(tags.tenant).toBe(name.slice('tenant-'.length));
        if (name.startsWith('account-')) expect(tags.tenant).toBe(name.slice('account-'.length));
      }
    }
  });

  test('no stack reads an AWS data source at plan time; only remote state of other stacks', () => {
    expect(Object.keys(base.stacks)).toHaveLength(10);
    for (const stack of Object.values(base.stacks)) expect(Object.keys(stack.data ?? {}).filter((type) => type !== 'terraform_remote_state')).toEqual([]);
  });

  describe('one tenant file touches nothing shared', () => {
    test('adding a tenant adds its account stack and tenant stack and changes no byte of any existing stack', () => {
      const dir = copyOfSamples();
      writeTenant(dir, 'newcomer', tenantFields('newcomer'));
      const head = synthPlatform(dir);
      expect(
        Object.keys(head.text)
          .filter((name) => !(name in base.text))
          .sort(),
      ).toEqual(['account-newcomer', 'tenant-newcomer']);
      for (const name of Object.keys(base.text)) expect([name, head.text[name]]).toEqual([name, base.text[name]]);
    });

    test('removing a tenant removes its two stacks and changes no byte of any other', () => {
      const dir = copyOfSamples();
      rmSync(path.join(dir, 'analytics.yaml'));
      const head = synthPlatform(dir);
      expect(
        Object.keys(base.text)
          .filter((name) => !(name in head.text))
          .sort(),
      ).toEqual(['account-analytics', 'tenant-analytics']);
      for (const name of Object.keys(head.text)) expect([name, head.text[name]]).toEqual([name, base.text[name]]);
    });

    test("changing a tenant's budget changes only its two budgets, in its account stack", () => {
      const dir = copyOfSamples();
      const file = path.join(dir, 'fraud-detection.yaml');
      writeTenant(dir, 'fraud-detection', readFileSync(file, 'utf8').replace('monthlyUsd: 20000', 'monthlyUsd: 25000'));
      const head = synthPlatform(dir);
      expect(Object.keys(base.text).filter((name) => head.text[name] !== base.text[name])).toEqual(['account-fraud-detection']);
      expect(changedAddresses(base.stacks['account-fraud-detection'], head.stacks['account-fraud-detection'])).toEqual([
        expect.stringMatching(/^aws_budgets_budget\.fraud-detection-budget_[0-9A-F]{8}$/),
        expect.stringMatching(/^aws_budgets_budget\.fraud-detection-budget_account-budget_/),
      ]);
    });

    test('the organization stack does not grow with the tenants: the same bytes for none, 10 and 20 generated tenants', () => {
      const synthOf = (n: number) => {
        const dir = tempDir('mlp-generated-');
        if (n > 0) generateTenants(n, dir);
        return synthPlatform(dir);
      };
      const [none, ten, twenty] = [synthOf(0), synthOf(10), synthOf(20)];
      const count = (stack: StackJson) => Object.values(stack.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
      expect(count(ten.stacks.organization)).toBe(count(twenty.stacks.organization));
      expect(count(twenty.stacks.organization)).toBeGreaterThan(0);
      expect(ten.text.organization).toBe(none.text.organization);
      expect(twenty.text.organization).toBe(none.text.organization);
      expect(Object.keys(twenty.stacks).filter((name) => name.startsWith('account-'))).toHaveLength(20);
    });

    test('the shared stack is the same with no tenants at all', () => {
      const empty = synthPlatform(tempDir());
      expect(withoutStackSpecific(empty.stacks.shared)).toEqual(withoutStackSpecific(base.stacks.shared));
      expect(empty.text.shared).toBe(base.text.shared);
    });
  });
});
