/**
 * What a tenant's people may do in the cluster, from the synthesized RBAC objects: every
 * RoleBinding and ClusterRoleBinding naming one of their groups (or every authenticated
 * user), with the rules of the role it references. A role the output does not define (a
 * built-in such as `edit` or `cluster-admin`) is taken as allowing everything: the proof
 * cannot read its rules.
 */
import type { KubernetesObject } from '../../stacks/kubernetes-objects';
import { objectsOfKind, type ApiObject, type ClusterModel, type TenantInCluster } from './cluster-model';
import { peopleOf } from './attacks';

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate'] as const;

export interface Grant {
  /** The namespace the grant holds in; undefined: cluster-wide. */
  readonly namespace?: string;
  readonly rules: readonly ApiObject[];
  /** `<kind> <namespace>/<name>` of the binding, for findings. */
  readonly via: string;
}

const ALL_RULES: readonly ApiObject[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

function rulesOf(model: ClusterModel, roleRef: ApiObject, namespace: string | undefined): readonly ApiObject[] {
  const kind = String(roleRef?.kind);
  const role = objectsOfKind(model, kind).find((o: KubernetesObject) => {
    const metadata = (o.object as ApiObject).metadata ?? {};
    return metadata.name === roleRef?.name && (kind === 'ClusterRole' || metadata.namespace === namespace);
  });
  return role ? (((role.object as ApiObject).rules ?? []) as ApiObject[]) : ALL_RULES;
}

/** Every grant to the tenant's people. */
export function grantsOf(model: ClusterModel, tenant: TenantInCluster): Grant[] {
  const identity = peopleOf(tenant);
  const names = (subject: ApiObject) =>
    (subject.kind === 'Group' && identity.groups.includes(subject.name)) || (subject.kind === 'User' && subject.name === identity.username);
  return objectsOfKind(model, 'RoleBinding', 'ClusterRoleBinding')
    .map((o) => o.object as ApiObject)
    .filter((binding) => ((binding.subjects ?? []) as ApiObject[]).some(names))
    .map((binding) => {
      const namespace = binding.kind === 'RoleBinding' ? String(binding.metadata?.namespace) : undefined;
      return {
        namespace,
        rules: rulesOf(model, binding.roleRef, namespace),
        via: `${binding.kind} ${namespace ? `${namespace}/` : ''}${binding.metadata?.name}`,
      };
    });
}

const covers = (list: unknown, value: string) => Array.isArray(list) && list.some((item) => item === '*' || item === value);

/** Verbs the grant allows on a resource (`group`, `resource`), or all write verbs on anything with `resource` '*'. */
export function allowedVerbs(grant: Grant, group: string | '*', resource: string | '*', verbs: readonly string[]): string[] {
  return verbs.filter((verb) =>
    grant.rules.some((rule) => {
      const groupOk = group === '*' ? Array.isArray(rule.apiGroups) && rule.apiGroups.length > 0 : covers(rule.apiGroups, group);
      const resourceOk = resource === '*' ? Array.isArray(rule.resources) && rule.resources.length > 0 : covers(rule.resources, resource);
      return groupOk && resourceOk && covers(rule.verbs, verb);
    }),
  );
}
