/**
 * The Terraform JSON the synth writes (`cdk.tf.json`), as the checks and tools read it:
 * plain data, with the few shapes they rely on named.
 */
import { recordAt } from './records';

/** A synthesized Terraform JSON configuration (`cdk.tf.json`), read as plain data. */
export type TerraformJson = Record<string, unknown>;

/** Where cdktf records a block's construct path: `"//": { "metadata": { "path": ... } }`. */
export function constructPathOf(block: unknown): string | undefined {
  const found = recordAt(block, '//', 'metadata')?.path;
  return typeof found === 'string' ? found : undefined;
}
