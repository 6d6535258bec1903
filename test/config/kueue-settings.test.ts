import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { DEFAULTS } from '../../config/model';
import { PLATFORM_FILE, problems, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

describe('the kueue and add-on settings of platform.yaml', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function platformFile(mutate: (text: string) => string): string {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'platform.yaml');
    writeFileSync(file, mutate(readFileSync(PLATFORM_FILE, 'utf8')));
    return file;
  }

  test('a chart version that is not exact is rejected, naming the file, the line and the fix', () => {
    const file = platformFile((t) => t.replace('chartVersion: "0.14.3"', 'chartVersion: latest'));
    const lines = problems(SAMPLE_TENANTS_DIR, file).map((l) => l.replace(`${path.dirname(file)}${path.sep}`, ''));
    expect(lines).toEqual([expect.stringMatching(/^platform\.yaml:\d+:\d+ kueue\.chartVersion: must be an exact chart version such as '0\.14\.3'/)]);
  });

  test('an add-on version that is not an EKS build is rejected', () => {
    const file = platformFile((t) => t.replace('aws-ebs-csi-driver: v1.44.0-eksbuild.1', 'aws-ebs-csi-driver: latest'));
    expect(problems(SAMPLE_TENANTS_DIR, file).join('\n')).toMatch(/cluster\.addonVersions\.aws-ebs-csi-driver: must be an EKS add-on version/);
  });

  test('without a kueue section the platform takes the tested chart version and every add-on its default', () => {
    const file = platformFile((t) =>
      t
        .replace(/^kueue:.*\n {2}chartVersion: "0\.14\.3"\n/m, '')
        .replace(/^ {4}(aws-ebs-csi-driver|aws-mountpoint-s3-csi-driver|amazon-cloudwatch-observability):.*\n/gm, ''),
    );
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/^kueue:|amazon-cloudwatch-observability:/m);
    const { platform } = loadConfig({ platformFile: file, tenantsDir: SAMPLE_TENANTS_DIR });
    expect(platform.kueue.chartVersion).toBe(DEFAULTS.kueueChartVersion);
    expect(platform.cluster.addonVersions['amazon-cloudwatch-observability']).toBe(DEFAULTS.addonVersions['amazon-cloudwatch-observability']);
  });
});
