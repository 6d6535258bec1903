import { App, S3Backend } from 'cdktf';
import { loadConfig } from '../../config/load';
import { buildCheckedPlatform } from '../../synth/platform';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

describe('PlatformStack backend lookup', () => {
  const app = new App({ outdir: tempDir('mlp-backend-') });
  const stacks = buildCheckedPlatform(app, loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR }));

  it("returns the stack's own S3 backend, the one a walk of the stack finds", () => {
    for (const stack of [stacks.organization, stacks.shared, stacks.sharedK8s, ...stacks.tenants]) {
      const walked = stack.node.findAll().filter((node) => node instanceof S3Backend);
      expect(walked).toHaveLength(1);
      expect(stack.ensureBackendExists()).toBe(walked[0]);
    }
  });
});
