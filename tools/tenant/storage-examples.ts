/**
 * Copy-paste storage for a tenant: a PersistentVolumeClaim of the tenant's own StorageClass
 * (gp3 from the EBS CSI driver, encrypted with the tenant's key). Tests validate it against
 * the Kubernetes schema and the admission policies, and check that the cluster has the class
 * and driver it relies on.
 */
import type { Platform, Tenant } from '../../config/model';
import { tenantNames } from '../../config/names';

export function examplePvc(tenant: Tenant, platform: Platform, sizeGi = 100): Record<string, unknown> {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'scratch', namespace: names.namespace },
    // The tenant's own class (its key); admission denies any other, and a claim without one.
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: names.storageClass, resources: { requests: { storage: `${sizeGi}Gi` } } },
  };
}

/** A pod that reads the tenant's bucket `purpose` through its claim, with the workload service account whose role the mount uses. */
export function examplePodMountingBucket(tenant: Tenant, platform: Platform, purpose: string): Record<string, unknown> {
  const names = tenantNames(platform.name, platform.platformAccountId, tenant.name);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'read-datasets', namespace: names.namespace },
    spec: {
      // The mount authenticates as this service account's role: the tenant's workload role.
      serviceAccountName: names.serviceAccount,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'read',
          image: 'pytorch-base:latest',
          command: ['ls', '/data'],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: names.bucketClaim(purpose) } }],
    },
  };
}
