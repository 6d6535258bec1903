/**
 * EBS volumes in the cluster layer of the isolation proof (the `storage` layer, beside the
 * bucket volumes): a tenant's claim must only ever be provisioned under the tenant's own key.
 *
 * - Every EBS StorageClass's key is resolved (`parameters.kmsKeyId`, as the proof's resolver
 *   resolves references) and told apart: a tenant's key (the `aws_kms_key` of its stack), or
 *   a key of the platform.
 * - A class held by a tenant's stack must encrypt with that tenant's own key; a class of a's
 *   that points to b's key puts a's data under b's key (b can shred it, and a uses b's key).
 * - Claims as a's people would create them, decided by the synthesized admission policies:
 *   one naming each of a's own classes must be admitted; one without a class (which the API
 *   server's DefaultStorageClass admission gives the default class first), one naming each
 *   platform class, and, for every checked pair (a, b), one naming each of b's classes (in
 *   spec, or in the deprecated annotation Kubernetes reads first) must be denied unless that
 *   class's key is a's.
 */
import { TENANT_STACK_PREFIX } from '../../config/names';
import { EBS_CSI_PROVISIONER } from '../../constructs/cluster/ebs-csi-driver';
import { BETA_STORAGE_CLASS_ANNOTATION } from '../../constructs/cluster/tenant-admission';
import { DEFAULT_CLASS_ANNOTATION, EBS_VOLUME_PARAMETERS, KMS_KEY_PARAMETER } from '../../constructs/cluster/ebs-storage-class';
import { ResolveError, Resolver, type SynthStack } from '../resolve';
import { admit, type AdmissionRequest } from './admission';
import { peopleOf } from './attacks';
import { objectsOfKind, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';

export interface VolumeClassFinding {
  readonly type: 'leak' | 'blocked';
  readonly from: string;
  readonly to: string;
  readonly what: string;
  readonly why: string;
}

export interface VolumeClassProof {
  readonly findings: readonly VolumeClassFinding[];
  readonly checks: number;
  /** Classes whose key the proof cannot resolve. */
  readonly problems: readonly string[];
}

/** One EBS StorageClass, with the tenant whose stack holds it and whose key its volumes are under. */
export interface VolumeClass {
  readonly name: string;
  readonly stack: string;
  readonly holder?: TenantInCluster;
  readonly encrypted: boolean;
  /** The resolved key ARN, if any. */
  readonly keyArn?: string;
  /** The tenant whose key it is; undefined for a platform key, no key or an unknown one. */
  readonly keyOwner?: string;
  readonly isDefault: boolean;
}

const PVC = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };

/** A claim as a's people create it; without `storageClassName` when `storageClass` is undefined; `annotated`: the deprecated class annotation too. */
export function claimRequest(a: TenantInCluster, storageClass: string | undefined, annotated?: string): AdmissionRequest {
  const spec: Record<string, unknown> = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } };
  if (storageClass !== undefined) spec.storageClassName = storageClass;
  const annotations = annotated === undefined ? undefined : { [BETA_STORAGE_CLASS_ANNOTATION]: annotated };
  const object = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scratch', namespace: a.namespace, annotations }, spec };
  return { operation: 'CREATE', resource: PVC, namespaceObject: a.namespaceObject, object, oldObject: null, userInfo: peopleOf(a) };
}

/** The class Kubernetes provisions and binds a claim with: the deprecated annotation first, then spec.storageClassName. */
export function effectiveClass(claim: ApiObject | null): string | undefined {
  const annotated = claim?.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return typeof annotated === 'string' ? annotated : claim?.spec?.storageClassName;
}

/**
 * The API server's DefaultStorageClass admission, which runs before the validating policies:
 * a claim created without `storageClassName` gets the default class (the newest of several;
 * here the first), and keeps none when there is no default.
 */
export function withDefaultClass(request: AdmissionRequest, classes: readonly VolumeClass[]): AdmissionRequest {
  const object = request.object;
  if (request.operation !== 'CREATE' || !object || effectiveClass(object) !== undefined) return request;
  const chosen = classes.find((c) => c.isDefault);
  return chosen ? { ...request, object: { ...object, spec: { ...object.spec, storageClassName: chosen.name } } } : request;
}

/** Every EBS StorageClass of the synthesized output, its key resolved and attributed. */
export function volumeClasses(model: ClusterModel, stacks: readonly SynthStack[], problems: string[]): VolumeClass[] {
  const resolver = new Resolver(stacks);
  const tenantOfStack = new Map(model.tenants.map((t) => [t.stack, t]));
  const keyOwners = new Map<string, string>();
  for (const stack of stacks.filter((s) => s.name.startsWith(TENANT_STACK_PREFIX))) {
    for (const ref of resolver.resources(stack.name, 'aws_kms_key')) {
      try {
        keyOwners.set(String(resolver.attribute(ref, ['arn'])), stack.name.slice(TENANT_STACK_PREFIX.length));
      } catch (error) {
        if (!(error instanceof ResolveError)) throw error;
        problems.push(`${stack.name}: the ARN of ${ref.type}.${ref.name} cannot be resolved: ${error.message}`);
      }
    }
  }
  return objectsOfKind(model, 'StorageClass')
    .filter((entry) => (entry.object as ApiObject).provisioner === EBS_CSI_PROVISIONER)
    .map((entry) => {
      const object = entry.object as ApiObject;
      const name = String(object.metadata?.name);
      const parameters = (object.parameters ?? {}) as Record<string, unknown>;
      let keyArn: string | undefined;
      const raw = parameters[KMS_KEY_PARAMETER];
      if (typeof raw === 'string') {
        try {
          keyArn = String(resolver.resolveValue(raw, { stack: entry.stack, address: entry.address, attribute: `parameters.${KMS_KEY_PARAMETER}` }));
        } catch (error) {
          if (!(error instanceof ResolveError)) throw error;
          problems.push(`${entry.stack}: the key of StorageClass ${name} cannot be resolved: ${error.message}`);
        }
      }
      return {
        name,
        stack: entry.stack,
        holder: tenantOfStack.get(entry.stack),
        encrypted: parameters.encrypted === EBS_VOLUME_PARAMETERS.encrypted,
        keyArn,
        keyOwner: keyArn === undefined ? undefined : keyOwners.get(keyArn),
        isDefault: object.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
      };
    });
}

/** Whose key a class's volumes are under, in words. */
function keyOf(c: VolumeClass): string {
  if (!c.encrypted) return 'no key: its volumes are not encrypted';
  if (c.keyArn === undefined) return "the account's AWS-managed key (no kmsKeyId)";
  return c.keyOwner ? `${c.keyOwner}'s key` : `a key of no tenant (${c.keyArn})`;
}

const underKeyOf = (c: VolumeClass, tenant: string) => c.encrypted && c.keyOwner === tenant;

export function proveVolumeClasses(
  model: ClusterModel,
  stacks: readonly SynthStack[],
  pairs: readonly (readonly [TenantInCluster, TenantInCluster])[],
): VolumeClassProof {
  const problems: string[] = [];
  const classes = volumeClasses(model, stacks, problems);
  const findings: VolumeClassFinding[] = [];
  let checks = 0;

  // Every class a tenant's stack holds encrypts with that tenant's key.
  for (const c of classes.filter((x) => x.holder)) {
    checks += 1;
    const holder = c.holder as TenantInCluster;
    if (underKeyOf(c, holder.name)) continue;
    findings.push({
      type: 'leak',
      from: holder.name,
      to: c.keyOwner ?? holder.name,
      what: `${holder.name}'s StorageClass ${c.name} encrypts its volumes with ${keyOf(c)}`,
      why: `a tenant's class must use the tenant's own key (kmsKeyId), so its volumes are under its key and shredded with it`,
    });
  }

  /**
   * a's claim naming class `name` (undefined: none), or its own class in spec and `annotated` in the deprecated
   * annotation (which Kubernetes reads first): admitted for a's own class, denied for any class not under a's key.
   */
  const claim = (a: TenantInCluster, name: string | undefined, own: boolean, against?: TenantInCluster, annotated?: string) => {
    checks += 1;
    const request = withDefaultClass(claimRequest(a, name, annotated), classes);
    const decision = admit(model, request);
    const landed = classes.find((c) => c.name === effectiveClass(request.object));
    const described =
      annotated !== undefined
        ? `a claim of class ${name} annotated ${BETA_STORAGE_CLASS_ANNOTATION}: ${annotated}`
        : name === undefined
          ? `a claim without a class (given ${landed?.name ?? 'none'})`
          : `a claim of class ${name}`;
    if (own && !decision.allowed)
      findings.push({ type: 'blocked', from: a.name, to: a.name, what: `${described} in ${a.namespace}`, why: `denied: ${decision.denials.join('; ')}` });
    if (decision.allowed && landed && !underKeyOf(landed, a.name))
      findings.push({
        type: 'leak',
        from: a.name,
        to: against?.name ?? landed.keyOwner ?? a.name,
        what: `${described} in ${a.namespace} is admitted`,
        why: `its volumes would be encrypted with ${keyOf(landed)}, not ${a.name}'s`,
      });
  };

  for (const a of model.tenants) {
    const own = classes.filter((c) => c.holder === a);
    if (own.length === 0)
      findings.push({
        type: 'blocked',
        from: a.name,
        to: a.name,
        what: `${a.name} has no StorageClass`,
        why: 'its claims cannot be provisioned under its key',
      });
    for (const c of own) claim(a, c.name, true);
    claim(a, undefined, false);
    for (const c of classes.filter((x) => !x.holder)) claim(a, c.name, false);
  }
  for (const [a, b] of pairs) {
    const own = classes.find((c) => c.holder === a)?.name;
    for (const c of classes.filter((x) => x.holder === b)) {
      claim(a, c.name, false, b);
      if (own !== undefined) claim(a, own, false, b, c.name);
    }
  }
  return { findings, checks, problems };
}
