/** The generated tenants used by the scale fixtures are valid and mixed. */
import { readdirSync } from 'node:fs';
import { checkConfig } from '../../config/load';
import { generatedTenantName, generateTenants } from '../../bench/generated-tenants';
import { PLATFORM_FILE, removeTempDirs, tempDir } from '../tools/plan-review/temp';

afterAll(removeTempDirs);

describe('tenant generator', () => {
  it('writes n tenant files that pass the configuration checks with the repository platform.yaml', () => {
    const dir = tempDir('plan-review-generated-');
    generateTenants(120, dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml')).length).toBe(120);
    const { config, issues } = checkConfig({ platformFile: PLATFORM_FILE, tenantsDir: dir });
    expect(issues).toEqual([]);
    const tenants = config!.tenants;
    expect(tenants.filter((t) => t.account.kind === 'adopted').length).toBe(40);
    expect(tenants.filter((t) => t.gpuPools.length === 0).length).toBe(40);
    expect(new Set(tenants.flatMap((t) => t.gpuPools.map((p) => p.capacity)))).toEqual(new Set(['spot', 'on-demand']));
  });

  it('names tenants by team and number', () => {
    expect([0, 1, 10].map(generatedTenantName)).toEqual(['vision-0001', 'nlp-0002', 'vision-0011']);
  });
});
