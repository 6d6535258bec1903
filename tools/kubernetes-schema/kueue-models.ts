/**
 * Offline schemas of the Kueue kinds the platform writes (`kueue.x-k8s.io/v1beta1`
 * ResourceFlavor, ClusterQueue, LocalQueue), for the fields it uses, with the constraints
 * of the upstream CRDs and validating webhook: required fields, enums, name and quantity
 * patterns, list sizes, one quota per covered resource in the same order, a resource or
 * flavor in one group only, no borrowing or lending limit without a cohort. A field the
 * platform does not use is rejected: the model would not know whether it is valid.
 * Same shape as the kubernetes-models classes: `new Model(object).validate()` throws.
 */
import { isRecord } from '../../kernel/records';
import { KUEUE_API_VERSION } from '../../constructs/cluster/kueue-api';

type Check = (value: unknown, path: string, errors: string[]) => void;

/** DNS-1123 subdomain: object names, flavor, queue and cohort references. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes quantity, as the CRDs' int-or-string quantity pattern. */
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
/** A resource or label key: an optional DNS prefix and a name. */
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const str =
  (options: { pattern?: RegExp; enum?: readonly string[]; maxLength?: number } = {}): Check =>
  (value, path, errors) => {
    if (typeof value !== 'string') return void errors.push(`${path} must be a string`);
    if (options.enum && !options.enum.includes(value)) errors.push(`${path} must be one of ${options.enum.join(', ')}, got '${value}'`);
    if (options.pattern && !options.pattern.test(value)) errors.push(`${path} '${value}' does not match ${options.pattern}`);
    if (options.maxLength !== undefined && value.length > options.maxLength) errors.push(`${path} is longer than ${options.maxLength}`);
  };

/** A Kueue object's nested parts, read by path after the checks above have typed them. */
// biome-ignore lint/suspicious/noExplicitAny: cross-field rules read nested groups and flavors whose fields the per-field checks already validated
type KueueRecord = Record<string, any>;

const list =
  (item: Check, min: number, max: number): Check =>
  (value, path, errors) => {
    if (!Array.isArray(value)) return void errors.push(`${path} must be a list`);
    if (value.length < min || value.length > max) errors.push(`${path} must have ${min} to ${max} items, has ${value.length}`);
    value.forEach((v, i) => {
      item(v, `${path}/${i}`, errors);
    });
  };

const stringMap =
  (maxProperties: number): Check =>
  (value, path, errors) => {
    if (!isRecord(value)) return void errors.push(`${path} must be a map`);
    if (Object.keys(value).length > maxProperties) errors.push(`${path} has more than ${maxProperties} entries`);
    for (const [k, v] of Object.entries(value)) {
      if (!QUALIFIED_NAME.test(k)) errors.push(`${path} key '${k}' is not a label key`);
      if (typeof v !== 'string') errors.push(`${path}/${k} must be a string`);
    }
  };

const object =
  (
    fields: Readonly<Record<string, Check>>,
    required: readonly string[] = [],
    rules: readonly ((o: Record<string, unknown>, path: string) => string | undefined)[] = [],
  ): Check =>
  (value, path, errors) => {
    if (!isRecord(value)) return void errors.push(`${path} must be an object`);
    for (const key of required) if (value[key] === undefined) errors.push(`${path} must have required property ${key}`);
    for (const [key, inner] of Object.entries(value)) {
      const check = fields[key];
      if (!check) errors.push(`${path} has unknown field '${key}'`);
      else check(inner, `${path}/${key}`, errors);
    }
    for (const rule of rules) {
      const problem = rule(value, path);
      if (problem) errors.push(problem);
    }
  };

const name = str({ pattern: SUBDOMAIN, maxLength: 253 });
const metadata = (namespaced: boolean) =>
  object(
    { name, labels: stringMap(64), ...(namespaced ? { namespace: str({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, maxLength: 63 }) } : {}) },
    namespaced ? ['name', 'namespace'] : ['name'],
  );

const toleration = object(
  {
    key: str({ pattern: QUALIFIED_NAME }),
    operator: str({ enum: ['Equal', 'Exists'] }),
    value: str({ maxLength: 63 }),
    effect: str({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
  },
  [],
  [
    (t, p) => (t.operator === 'Exists' && t.value !== undefined && t.value !== '' ? `${p}: a toleration with operator Exists has no value` : undefined),
    (t, p) => ((t.key === undefined || t.key === '') && t.operator !== 'Exists' ? `${p}: a toleration without a key needs operator Exists` : undefined),
  ],
);

/** int-or-string, as in the CRDs: `9` or `'36Gi'`. */
const quantity: Check = (value, path, errors) => str({ pattern: QUANTITY })(typeof value === 'number' ? String(value) : value, path, errors);
const resourceQuota = object({ name: str({ pattern: QUALIFIED_NAME }), nominalQuota: quantity, borrowingLimit: quantity, lendingLimit: quantity }, [
  'name',
  'nominalQuota',
]);
const flavorQuotas = object({ name, resources: list(resourceQuota, 1, 64) }, ['name', 'resources']);
const resourceGroup = object(
  { coveredResources: list(str({ pattern: QUALIFIED_NAME }), 1, 64), flavors: list(flavorQuotas, 1, 64) },
  ['coveredResources', 'flavors'],
  [
    (g, p) => {
      const covered = g.coveredResources as unknown[];
      const flavors = g.flavors as { name?: unknown; resources?: { name?: unknown }[] }[];
      if (!Array.isArray(covered) || !Array.isArray(flavors)) return undefined;
      const wrong = flavors.filter((f) => !Array.isArray(f.resources) || f.resources.map((r) => r.name).join(',') !== covered.join(','));
      return wrong.length > 0
        ? `${p}: flavors ${wrong.map((f) => String(f.name)).join(', ')} must list the covered resources (${covered.join(', ')}), each once and in that order`
        : undefined;
    },
  ],
);

const labelSelector = object({
  matchLabels: stringMap(64),
  matchExpressions: list(
    object({ key: str({ pattern: QUALIFIED_NAME }), operator: str({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }), values: list(str(), 0, 64) }, [
      'key',
      'operator',
    ]),
    0,
    64,
  ),
});

const preemption = object({
  reclaimWithinCohort: str({ enum: ['Never', 'LowerPriority', 'Any'] }),
  borrowWithinCohort: object({ policy: str({ enum: ['Never', 'LowerPriority'] }) }),
  withinClusterQueue: str({ enum: ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority'] }),
});

function duplicated(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i).map(String))];
}

const clusterQueueSpec = object(
  {
    cohort: name,
    namespaceSelector: labelSelector,
    queueingStrategy: str({ enum: ['StrictFIFO', 'BestEffortFIFO'] }),
    resourceGroups: list(resourceGroup, 0, 16),
    preemption,
  },
  [],
  [
    (spec, p) => {
      const groups = Array.isArray(spec.resourceGroups) ? (spec.resourceGroups as KueueRecord[]) : [];
      const resources = duplicated(groups.flatMap((g) => (Array.isArray(g.coveredResources) ? g.coveredResources : [])));
      const flavors = duplicated(groups.flatMap((g) => (Array.isArray(g.flavors) ? g.flavors.map((f: { name?: unknown }) => f.name) : [])));
      if (resources.length > 0) return `${p}/resourceGroups: resources ${resources.join(', ')} are covered by more than one group`;
      if (flavors.length > 0) return `${p}/resourceGroups: flavors ${flavors.join(', ')} appear in more than one group`;
      return undefined;
    },
    (spec, p) => {
      if (spec.cohort !== undefined && spec.cohort !== '') return undefined;
      const groups = Array.isArray(spec.resourceGroups) ? (spec.resourceGroups as KueueRecord[]) : [];
      const limited = groups.some((g) =>
        (g.flavors ?? []).some((f: KueueRecord) =>
          (f.resources ?? []).some((r: Record<string, unknown>) => r.borrowingLimit !== undefined || r.lendingLimit !== undefined),
        ),
      );
      return limited ? `${p}: borrowingLimit and lendingLimit must be nil when cohort is empty` : undefined;
    },
  ],
);

const kind = (expected: string): Check => str({ enum: [expected] });
const apiVersion = str({ enum: [KUEUE_API_VERSION] });

const SCHEMAS: Readonly<Record<string, Check>> = {
  ResourceFlavor: object(
    {
      apiVersion,
      kind: kind('ResourceFlavor'),
      metadata: metadata(false),
      spec: object({ nodeLabels: stringMap(8), nodeTaints: list(toleration, 0, 8), tolerations: list(toleration, 0, 8) }),
    },
    ['apiVersion', 'kind', 'metadata'],
  ),
  ClusterQueue: object({ apiVersion, kind: kind('ClusterQueue'), metadata: metadata(false), spec: clusterQueueSpec }, [
    'apiVersion',
    'kind',
    'metadata',
    'spec',
  ]),
  LocalQueue: object({ apiVersion, kind: kind('LocalQueue'), metadata: metadata(true), spec: object({ clusterQueue: name }, ['clusterQueue']) }, [
    'apiVersion',
    'kind',
    'metadata',
    'spec',
  ]),
};

export class KueueSchemaError extends Error {}

/** A model class per kind, as kubernetes-models exports them. */
function model(kindName: string): new (object: unknown) => { validate(): void } {
  const check = SCHEMAS[kindName];
  return class {
    constructor(private readonly object: unknown) {}
    validate(): void {
      const errors: string[] = [];
      check(this.object, 'data', errors);
      if (errors.length > 0) throw new KueueSchemaError(errors.join('; '));
    }
  };
}

/** The model of a Kueue kind, or undefined for a kind the platform does not write. */
export function kueueModel(kindName: string): (new (object: unknown) => { validate(): void }) | undefined {
  return SCHEMAS[kindName] ? model(kindName) : undefined;
}
