import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findMirror, mirrorHas, providerAddress, readMirror, requiredProviders } from '../../../tools/offline-plan/providers';

function mirrorWith(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlp-mirror-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  return dir;
}

describe('provider addresses', () => {
  test('completes short provider sources to registry addresses', () => {
    expect(providerAddress('aws')).toBe('registry.terraform.io/hashicorp/aws');
    expect(providerAddress('hashicorp/kubernetes')).toBe('registry.terraform.io/hashicorp/kubernetes');
    expect(providerAddress('example.com/team/thing')).toBe('example.com/team/thing');
  });

  test('lists required providers and the ones implied by resource types', () => {
    const found = requiredProviders({
      terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
      resource: { random_id: { x: {} }, aws_s3_bucket: { b: {} } },
      data: { terraform_remote_state: { r: {} } },
    });
    expect(found).toEqual([
      { localName: 'aws', address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' },
      { localName: 'random', address: 'registry.terraform.io/hashicorp/random' },
    ]);
  });
});

describe('filesystem mirror', () => {
  const platform = 'linux_amd64';

  test('reads unpacked and packed providers for this platform only', () => {
    const dir = mirrorWith([
      'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5',
      'registry.terraform.io/hashicorp/random/terraform-provider-random_3.6.0_linux_amd64.zip',
      'registry.terraform.io/hashicorp/tls/4.0.0/darwin_arm64/terraform-provider-tls',
    ]);
    const mirror = readMirror(dir, platform);
    expect(Object.fromEntries(mirror)).toEqual({
      'registry.terraform.io/hashicorp/aws': ['5.100.0'],
      'registry.terraform.io/hashicorp/random': ['3.6.0'],
    });
  });

  test('has a provider pinned to a version only when that version is there', () => {
    const mirror = new Map([['registry.terraform.io/hashicorp/aws', ['5.100.0']]]);
    const aws = { localName: 'aws', address: 'registry.terraform.io/hashicorp/aws' };
    expect(mirrorHas(mirror, { ...aws, version: '5.100.0' })).toBe(true);
    expect(mirrorHas(mirror, { ...aws, version: '= 5.100.0' })).toBe(true);
    expect(mirrorHas(mirror, { ...aws, version: '5.99.0' })).toBe(false);
    expect(mirrorHas(mirror, { ...aws, version: '~> 5.0' })).toBe(true);
    expect(mirrorHas(mirror, { localName: 'kubernetes', address: 'registry.terraform.io/hashicorp/kubernetes', version: '2.38.0' })).toBe(false);
  });

  test('uses TF_PLUGIN_MIRROR when set, and only it', () => {
    const dir = mirrorWith([`registry.terraform.io/hashicorp/aws/5.100.0/${platform}/terraform-provider-aws`]);
    expect(findMirror({ TF_PLUGIN_MIRROR: dir }).dir).toBe(dir);
    const empty = mirrorWith([]);
    expect(findMirror({ TF_PLUGIN_MIRROR: empty })).toEqual({ dir: undefined, looked: [empty] });
  });
});
