/**
 * Offline schema validation of every in-cluster object: each object of a synthesized stack
 * (stacks/kubernetes-objects.ts) is checked with the `kubernetes-models` classes, which carry
 * the upstream OpenAPI schemas, and Karpenter kinds with `@kubernetes-models/karpenter`.
 * Each kind must also be served by the platform's Kubernetes version (API_SINCE), since the
 * models follow a newer release.
 */
import { KUEUE_GROUP } from '../../constructs/cluster/kueue-api';
import { kubernetesObjects, type KubernetesObject, type SynthesizedResources } from '../../stacks/kubernetes-objects';
import { kueueModel } from './kueue-models';

type Model = new (object: unknown) => { validate(): void };

/** First Kubernetes minor version serving each API group version the platform uses. */
export const API_SINCE: Readonly<Record<string, number>> = {
  v1: 0,
  'apps/v1': 9,
  'networking.k8s.io/v1': 7,
  'scheduling.k8s.io/v1': 14,
  'rbac.authorization.k8s.io/v1': 8,
  'storage.k8s.io/v1': 6,
  'admissionregistration.k8s.io/v1': 30,
  'karpenter.sh/v1': 25,
  'karpenter.k8s.aws/v1': 25,
  // Kueue's CRDs, installed by its chart; the pinned release supports Kubernetes 1.29 and later.
  'kueue.x-k8s.io/v1beta1': 29,
};

const KARPENTER_GROUPS = new Set(['karpenter.sh', 'karpenter.k8s.aws']);

export interface SchemaProblem {
  readonly stack: string;
  readonly address: string;
  readonly path: string;
  readonly kind: string;
  readonly name: string;
  readonly problem: string;
}

export interface SchemaResult {
  readonly validated: readonly KubernetesObject[];
  readonly problems: readonly SchemaProblem[];
}

/** Module path of a kind's model, e.g. `kubernetes-models/apps/v1/DaemonSet`. */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (KARPENTER_GROUPS.has(group)) return `@kubernetes-models/karpenter/${group}/${version}/${kind}`;
  return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

const models = new Map<string, Promise<Model | undefined>>();

async function loadModel(apiVersion: string, kind: string): Promise<Model | undefined> {
  // No published models for Kueue: the platform's own, for the fields it writes.
  if (apiVersion.split('/')[0] === KUEUE_GROUP) return kueueModel(kind);
  const module = modelModule(apiVersion, kind);
  let loading = models.get(module);
  if (!loading) {
    loading = import(module).then(
      (loaded: Record<string, unknown>) => loaded[kind] as Model | undefined,
      () => undefined,
    );
    models.set(module, loading);
  }
  return loading;
}

function describe(object: Readonly<Record<string, unknown>>): { apiVersion: string; kind: string; name: string } {
  const metadata = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? `${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${metadata.name}` : '(no name)';
  return { apiVersion: String(object.apiVersion ?? ''), kind: String(object.kind ?? ''), name };
}

/** Validates objects against the API schemas; `kubernetesMinor` is the platform's version (`1.32` -> 32). */
export async function validateObjects(objects: readonly KubernetesObject[], kubernetesMinor: number): Promise<SchemaResult> {
  const problems: SchemaProblem[] = [];
  const validated: KubernetesObject[] = [];
  for (const entry of objects) {
    const { apiVersion, kind, name } = describe(entry.object);
    const report = (problem: string) =>
      problems.push({ stack: entry.stack, address: entry.address, path: entry.path, kind: `${apiVersion} ${kind}`, name, problem });
    const since = API_SINCE[apiVersion];
    if (since === undefined) {
      report(`API version '${apiVersion}' is not one the platform validates; add it to API_SINCE in tools/kubernetes-schema/validate.ts`);
      continue;
    }
    if (since > kubernetesMinor) {
      report(`${apiVersion} is served from Kubernetes 1.${since}; the cluster runs 1.${kubernetesMinor}`);
      continue;
    }
    const Model = await loadModel(apiVersion, kind);
    if (!Model) {
      report(`no schema for kind '${kind}' in ${apiVersion} (${modelModule(apiVersion, kind)})`);
      continue;
    }
    try {
      new Model(entry.object).validate();
      validated.push(entry);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error));
    }
  }
  return { validated, problems };
}

/** Every in-cluster object of the synthesized stacks, validated. */
export async function validateStacks(stacks: readonly { name: string; config: SynthesizedResources }[], kubernetesVersion: string): Promise<SchemaResult> {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return validateObjects(
    stacks.flatMap((s) => kubernetesObjects(s.name, s.config)),
    minor,
  );
}

export function formatProblem(p: SchemaProblem): string {
  return `${p.stack}: ${p.address} (${p.path}), ${p.kind} ${p.name}: ${p.problem}`;
}

/** The cluster's Kubernetes minor version from the synthesized `aws_eks_cluster` (`version: "1.32"` -> 32), if any stack has one. */
export function clusterMinorVersion(stacks: readonly { config: SynthesizedResources }[]): number | undefined {
  for (const { config } of stacks) {
    for (const cluster of Object.values(config.resource?.aws_eks_cluster ?? {})) {
      const version = (cluster as { version?: unknown }).version;
      if (typeof version === 'string' && /^1\.\d+$/.test(version)) return Number(version.split('.')[1]);
    }
  }
  return undefined;
}

export interface StackSchemaCheck {
  /** Objects valid against the schemas. */
  readonly validated: number;
  /** One line per object that is not, or why the stack's objects could not be read. */
  readonly problems: readonly string[];
}

/** Schema validation of one synthesized stack's objects, for reports: never throws on bad input. */
export async function checkStackObjects(stack: string, config: SynthesizedResources, kubernetesMinor: number | undefined): Promise<StackSchemaCheck> {
  let objects: KubernetesObject[];
  try {
    objects = kubernetesObjects(stack, config);
  } catch (error) {
    return { validated: 0, problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (objects.length === 0) return { validated: 0, problems: [] };
  if (kubernetesMinor === undefined)
    return { validated: 0, problems: [`${stack}: no aws_eks_cluster in the synthesized stacks gives the Kubernetes version to validate against`] };
  const result = await validateObjects(objects, kubernetesMinor);
  return { validated: result.validated.length, problems: result.problems.map(formatProblem) };
}
