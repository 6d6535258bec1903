import { App } from 'cdktf';
import { loadConfig } from '../../config/load';
import { partOfOutput, synthesizedBlocks } from '../../guardrails/blocks';
import { buildCheckedPlatform } from '../../synth/platform';
import { stackElements, stackOutput } from '../../stacks/stack-output';
import { PLATFORM_FILE, SAMPLE_TENANTS_DIR, tempDir } from '../support/config-fixtures';

describe('synthesizedBlocks', () => {
  const app = new App({ outdir: tempDir('mlp-blocks-') });
  const stacks = buildCheckedPlatform(app, loadConfig({ platformFile: PLATFORM_FILE, tenantsDir: SAMPLE_TENANTS_DIR }));
  const all = [stacks.organization, stacks.shared, stacks.sharedK8s, ...stacks.tenants];

  it("finds the blocks of every element of the platform in its stack's output, without resolving the element again", () => {
    for (const stack of all) {
      const output = stackOutput(stack);
      const elements = stackElements(stack);
      const missing = elements
        .filter((element) => partOfOutput(output, element.toTerraform() as Record<string, unknown>) === undefined)
        .map((element) => element.node.path);
      expect(missing).toEqual([]);
    }
  });

  it('reads the values the stack writes, stack-level overrides included', () => {
    const backend = synthesizedBlocks(stacks.shared).find((entry) => entry.block.kind === 'backend');
    expect(backend?.block.config).toMatchObject({ use_lockfile: true, encrypt: true });
  });

  it('gives each block once, attributed to the element that declares it', () => {
    const blocks = synthesizedBlocks(stacks.tenants[0]);
    const addresses = blocks.map((entry) => entry.block.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const { block, element } of blocks) {
      if (block.kind === 'resource') expect(block.name).toBe(element.friendlyUniqueId);
    }
  });
});
