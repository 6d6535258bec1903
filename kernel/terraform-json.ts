/**
 * The Terraform JSON the synth writes (`cdk.tf.json`), as the checks and tools read it:
 * plain data, with the few shapes they rely on named.
 */

/** A synthesized Terraform JSON configuration (`cdk.tf.json`), read as plain data. */
export type TerraformJson = Record<string, unknown>;

/** Where cdktf records a block's construct path: `"//": { "metadata": { "path": ... } }`. */
export function constructPathOf(block: unknown): string | undefined {
  if (typeof block !== 'object' || block === null) return undefined;
  const meta = (block as Record<string, unknown>)['//'];
  const metadata = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).metadata : undefined;
  const found = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).path : undefined;
  return typeof found === 'string' ? found : undefined;
}
