import { EBS_CSI_PROVISIONER } from '../../constructs/cluster/ebs-csi-driver';
import { EBS_VOLUME_PARAMETERS, KMS_KEY_PARAMETER } from '../../constructs/cluster/ebs-storage-class';
import { asRecord, nestedBlocks, type Block, type StackView, type Verdict, type Violation } from '../rule';

/** The name and parameters of an EBS StorageClass block (typed or a manifest), or undefined. */
function ebsStorageClass(block: Block): { name: string; parameters: Readonly<Record<string, unknown>> } | undefined {
  if (block.kind !== 'resource') return undefined;
  if (block.type === 'kubernetes_storage_class_v1') {
    if (block.config.storage_provisioner !== EBS_CSI_PROVISIONER) return undefined;
    const name = nestedBlocks(block.config.metadata)[0]?.name;
    return { name: String(name), parameters: asRecord(block.config.parameters) ?? {} };
  }
  if (block.type !== 'kubernetes_manifest') return undefined;
  const manifest = asRecord(block.config.manifest);
  if (manifest?.kind !== 'StorageClass' || manifest.provisioner !== EBS_CSI_PROVISIONER) return undefined;
  return { name: String(asRecord(manifest.metadata)?.name), parameters: asRecord(manifest.parameters) ?? {} };
}

const KEY_REFERENCE = /^\$\{aws_kms_key\.([^.}]+)\.arn\}$/;

/**
 * Every EBS StorageClass encrypts its volumes with a customer-managed key (`kmsKeyId`; without
 * one EBS uses the account's `aws/ebs`, which no key policy of ours controls), and a tenant
 * stack's classes with the stack's own key, so a tenant's volumes are shredded with its key
 * and never under another tenant's.
 */
export function volumeClassUnderOwnKey(block: Block, stack: StackView): Verdict {
  const storageClass = ebsStorageClass(block);
  if (storageClass === undefined) return undefined;
  const { name, parameters } = storageClass;
  const violations: Violation[] = [];
  if (parameters.encrypted !== EBS_VOLUME_PARAMETERS.encrypted)
    violations.push({ problem: `StorageClass ${name} creates unencrypted volumes`, fix: `set parameters.encrypted: "true" (EbsStorageClass does)` });
  const key = parameters[KMS_KEY_PARAMETER];
  if (typeof key !== 'string' || key === '') {
    violations.push({
      problem: `StorageClass ${name} names no ${KMS_KEY_PARAMETER}, so its volumes use the account's AWS-managed key`,
      fix: `set parameters.${KMS_KEY_PARAMETER} to a customer-managed key's ARN (EbsStorageClass's kmsKeyArn)`,
    });
    return violations;
  }
  if (stack.tenant !== undefined) {
    const match = KEY_REFERENCE.exec(key);
    const own = match !== null && stack.blocks.some((b) => b.kind === 'resource' && b.type === 'aws_kms_key' && b.name === match[1]);
    if (!own)
      violations.push({
        problem: `StorageClass ${name} of tenant ${stack.tenant} encrypts with '${key}', not with a key of the tenant's own stack`,
        fix: "set its kmsKeyArn to the tenant's key (TenantKey.keyArn), so its volumes are under the tenant's key",
      });
  }
  return violations;
}
