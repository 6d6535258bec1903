/**
 * Copy-paste storage for a tenant: a PersistentVolumeClaim of the default StorageClass
 * (encrypted gp3 from the EBS CSI driver). Tests validate it against the Kubernetes schema
 * and check that the cluster has exactly the class and driver it relies on.
 */
import type { Platform, Tenant } from '../../config/model';
import { tenantNames } from '../../config/names';

export function examplePvc(tenant: Tenant, platform: Platform, sizeGi = 100): Record<string, unknown> {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'scratch', namespace: names.namespace },
    // No storageClassName: the cluster's default class, encrypted gp3.
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${sizeGi}Gi` } } },
  };
}
