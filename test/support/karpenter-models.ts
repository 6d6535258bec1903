/**
 * Karpenter's v1 CRD schemas as models (`@kubernetes-models/karpenter`, ESM only, loaded with
 * `await import`). `validate()` throws with JSON-pointer messages when a manifest breaks the
 * schema; TypeScript cannot see it through the base package, hence the local type.
 */
type Model = new (object: unknown) => { validate(): void };

export interface KarpenterModels {
  readonly NodePool: Model;
  readonly EC2NodeClass: Model;
}

export async function karpenterModels(): Promise<KarpenterModels> {
  const nodePool = await import('@kubernetes-models/karpenter/karpenter.sh/v1/NodePool');
  const nodeClass = await import('@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass');
  return { NodePool: nodePool.NodePool as unknown as Model, EC2NodeClass: nodeClass.EC2NodeClass as unknown as Model };
}

/** The schema's complaint about a manifest, or undefined when it is valid. */
export function schemaError(model: Model, manifest: unknown): string | undefined {
  try {
    new model(manifest).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
