/**
 * ValidatingAdmissionPolicy as the API server applies it, over the synthesized policies and
 * bindings: a binding that denies (validationActions has Deny) and selects the request's
 * namespace applies its policy when the policy's rules match the request; then every
 * validation must evaluate to true. An expression that fails to evaluate takes the policy's
 * failurePolicy (Fail denies, Ignore skips it), and so does a non-boolean result.
 */
import { evaluate } from './cel';
import { objectsOfKind, type ApiObject, type ClusterModel } from './cluster-model';
import { selectorMatches, type LabelSelector } from './selectors';

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly namespaceObject: ApiObject;
  readonly object: ApiObject | null;
  readonly oldObject: ApiObject | null;
  readonly userInfo: { readonly username: string; readonly groups: readonly string[] };
}

export interface AdmissionDecision {
  readonly allowed: boolean;
  /** `policy: message` of each denial. */
  readonly denials: readonly string[];
}

interface Rule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
}

const covers = (list: readonly string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);

function ruleMatches(rule: Rule, request: AdmissionRequest): boolean {
  return (
    covers(rule.apiGroups, request.resource.group) &&
    covers(rule.apiVersions, request.resource.version) &&
    covers(rule.operations, request.operation) &&
    covers(rule.resources, request.resource.resource)
  );
}

const labelsOf = (object: ApiObject | null): Record<string, string> => (object?.metadata?.labels as Record<string, string> | undefined) ?? {};

function selects(match: { namespaceSelector?: LabelSelector; objectSelector?: LabelSelector } | undefined, request: AdmissionRequest): boolean {
  return (
    selectorMatches(match?.namespaceSelector, labelsOf(request.namespaceObject)) &&
    selectorMatches(match?.objectSelector, labelsOf(request.object ?? request.oldObject))
  );
}

function policyMatches(policy: ApiObject, request: AdmissionRequest): boolean {
  const constraints = policy.spec?.matchConstraints ?? {};
  if (!selects(constraints, request)) return false;
  if (!(constraints.resourceRules ?? []).some((rule: Rule) => ruleMatches(rule, request))) return false;
  return !(constraints.excludeResourceRules ?? []).some((rule: Rule) => ruleMatches(rule, request));
}

/** The bindings with their policies, by model (its object list): every admission request asks again. */
const bindingsCache = new WeakMap<ClusterModel['objects'], { binding: ApiObject; policy: ApiObject | undefined }[]>();

function bindingsFor(model: ClusterModel): { binding: ApiObject; policy: ApiObject | undefined }[] {
  const cached = bindingsCache.get(model.objects);
  if (cached) return cached;
  const found = bindingsOf(model);
  bindingsCache.set(model.objects, found);
  return found;
}

function bindingsOf(model: ClusterModel): { binding: ApiObject; policy: ApiObject | undefined }[] {
  const policies = new Map(
    objectsOfKind(model, 'ValidatingAdmissionPolicy').map((p) => [String((p.object as ApiObject).metadata?.name), p.object as ApiObject]),
  );
  return objectsOfKind(model, 'ValidatingAdmissionPolicyBinding').map((b) => ({
    binding: b.object as ApiObject,
    policy: policies.get(String((b.object as ApiObject).spec?.policyName)),
  }));
}

/** The decision of the API server's ValidatingAdmissionPolicy stage on one request. */
export function admit(model: ClusterModel, request: AdmissionRequest): AdmissionDecision {
  const denials: string[] = [];
  const bindings = {
    object: request.object,
    oldObject: request.oldObject,
    namespaceObject: request.namespaceObject,
    params: null,
    request: {
      operation: request.operation,
      namespace: request.namespaceObject.metadata?.name,
      resource: request.resource,
      userInfo: { username: request.userInfo.username, groups: [...request.userInfo.groups] },
    },
  };
  for (const { binding, policy } of bindingsFor(model)) {
    // Warn and Audit only report: a binding that does not deny enforces nothing.
    if (!policy || !(binding.spec?.validationActions ?? []).includes('Deny')) continue;
    if (!selects(binding.spec?.matchResources, request) || !policyMatches(policy, request)) continue;
    const name = String(policy.metadata?.name);
    const failClosed = (policy.spec?.failurePolicy ?? 'Fail') === 'Fail';
    const judge = (expression: string): boolean | 'error' => {
      const outcome = evaluate(expression, bindings);
      if (outcome.kind === 'error' || typeof outcome.value !== 'boolean') return 'error';
      return outcome.value;
    };
    const conditions = (policy.spec?.matchConditions ?? []) as { name: string; expression: string }[];
    const conditionResults = conditions.map((c) => ({ c, result: judge(c.expression) }));
    if (conditionResults.some((r) => r.result === false)) continue;
    const conditionError = conditionResults.find((r) => r.result === 'error');
    if (conditionError) {
      if (failClosed) denials.push(`${name}: match condition ${conditionError.c.name} failed to evaluate (failurePolicy Fail)`);
      continue;
    }
    for (const validation of (policy.spec?.validations ?? []) as { expression: string; message?: string }[]) {
      const result = judge(validation.expression);
      if (result === true || (result === 'error' && !failClosed)) continue;
      denials.push(
        `${name}: ${result === 'error' ? `evaluation error (failurePolicy Fail) of ${validation.expression}` : (validation.message ?? validation.expression)}`,
      );
    }
  }
  return { allowed: denials.length === 0, denials };
}
