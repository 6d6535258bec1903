/** Shared by the offline plan tests: the synthesized samples and whether Terraform can run here. */
import { findTooling } from '../../../tools/offline-plan/terraform';
import { readSynthOutput, type SynthesizedStack } from '../../../kernel/synth-output';
import type { MirrorContents } from '../../../tools/offline-plan/providers';
import { synthPlatform } from '../../support/synth';

export const AWS_ONLY_MIRROR: MirrorContents = new Map([['registry.terraform.io/hashicorp/aws', ['5.100.0']]]);

let samples: { outdir: string; stacks: SynthesizedStack[] } | undefined;

/** The sample tenants synthesized once per test file. */
export function sampleSynth(): { outdir: string; stacks: SynthesizedStack[] } {
  if (!samples) {
    const { outdir } = synthPlatform();
    samples = { outdir, stacks: readSynthOutput(outdir) };
  }
  return samples;
}

export function stackNamed(stacks: readonly SynthesizedStack[], name: string): SynthesizedStack {
  const found = stacks.find((s) => s.name === name);
  if (!found) throw new Error(`no stack '${name}' in the synth output`);
  return found;
}

/** Resources by type of a synthesized configuration. */
export function resourceTypes(config: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return (config.resource ?? {}) as Record<string, Record<string, unknown>>;
}

/** How many resources of the configuration have a type starting with `prefix`. */
export function countResourcesOf(config: Record<string, unknown>, matches: (type: string) => boolean): number {
  return Object.entries(resourceTypes(config))
    .filter(([type]) => matches(type))
    .reduce((sum, [, blocks]) => sum + Object.keys(blocks).length, 0);
}

/**
 * Whether Terraform and the plugin mirror are here. Tests that need them are skipped by
 * name when they are not, with the reason printed, so a machine without them never passes
 * them silently.
 */
export function terraformAvailability(): { available: true } | { available: false; reason: string } {
  try {
    findTooling(process.env, false);
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
}

/**
 * `describe` when Terraform can run, else `describe.skip` with a visible warning naming the
 * block; with REQUIRE_TERRAFORM=1 (the pull-request workflow) a missing Terraform fails
 * instead, so CI never passes these tests by skipping them.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  const availability = terraformAvailability();
  if (availability.available) {
    describe(name, body);
    return;
  }
  if (process.env.REQUIRE_TERRAFORM === '1') {
    describe(name, () => {
      test('needs Terraform and the provider mirror (REQUIRE_TERRAFORM=1)', () => {
        throw new Error(`REQUIRE_TERRAFORM=1 but Terraform cannot run: ${availability.reason}`);
      });
    });
    return;
  }
  console.warn(`SKIPPED '${name}': ${availability.reason}`);
  describe.skip(`${name} [SKIPPED: ${availability.reason}]`, body);
}
