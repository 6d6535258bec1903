/**
 * The metrics layer of the isolation proof (docs/metrics.md): the platform's metrics export
 * writes each tenant's Container Insights metrics into that tenant's own account through a
 * writer role there. For every tenant with a writer role the evaluator must find that
 *
 * - the exporter's role may assume the writer role (the trust names it, its policy allows it),
 *   and no other role of the tenant's account may;
 * - the writer role may put metric data into the export's CloudWatch namespace only, and
 *   read nothing;
 * - the tenant's people may read CloudWatch metrics in their own account, and not in
 *   another tenant's (CloudWatch has no resource policies: only a principal of an account
 *   reads its metrics; the pair proof shows no tenant reaches another's roles, the writer
 *   role included).
 *
 * A tenant with workloads but no writer role trusted by the exporter gets a `blocked`
 * finding: it would not see its metrics.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { roleRequest } from './accounts';
import { trustPrincipals, type MetricsExportModel, type PlatformModel, type RoleModel, type TenantModel } from './model';
import { decide, type Decision, type LayerCheck } from './simulate';

export const METRICS_WRITE = 'cloudwatch:PutMetricData';
export const METRICS_READ = 'cloudwatch:GetMetricData';
/** A namespace the writer must not write: the platform's own Container Insights, had the writer any reach there. */
export const FOREIGN_CLOUDWATCH_NAMESPACE = 'ContainerInsights';

export type MetricsCheck = LayerCheck;

export interface MetricsProofResult {
  readonly failed: readonly { readonly check: MetricsCheck; readonly decision: Decision }[];
  readonly simulations: number;
  /** Tenants whose writer role was checked. */
  readonly tenantsExported: number;
  readonly notes: readonly string[];
}

/** The exporter's role assuming a writer role in a tenant account: its identity policies, and the writer's trust as resource policy. */
function exporterAssumes(exported: MetricsExportModel, t: TenantModel, writer: RoleModel): Simulation {
  const role = exported.role;
  return {
    request: {
      principal: `arn:aws:sts::${exported.accountId}:assumed-role/${role.name}/isolation-proof`,
      action: 'sts:AssumeRole',
      resource: { resource: writer.arn, accountId: t.accountId },
      contextVariables: {
        'aws:PrincipalArn': role.arn,
        'aws:PrincipalAccount': exported.accountId,
        'aws:SecureTransport': 'true',
        'aws:RequestedRegion': exported.region,
      },
    },
    identityPolicies: role.identity.map((p) => ({ name: p.name, policy: p.document })),
    // The platform account's own SCPs are not in the tenants' chain; none is assumed (an allow the real SCPs could still take away).
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: writer.trust.document,
  };
}

function withNamespace(simulation: Simulation, namespace: string): Simulation {
  return { ...simulation, request: { ...simulation.request, contextVariables: { ...simulation.request.contextVariables, 'cloudwatch:namespace': namespace } } };
}

/** The checks of one tenant against one export; `neighbour` is another tenant whose account its people must not read. */
export function metricsChecks(model: PlatformModel, exported: MetricsExportModel, t: TenantModel, neighbour?: TenantModel): MetricsCheck[] {
  const writers = t.roles.filter((role) => trustPrincipals(role.trust.document).aws.includes(exported.role.arn));
  const base = { kind: 'metrics' as const, principalTenant: t.name, resourceTenant: t.name, reason: 'metrics export' };
  const checks: MetricsCheck[] = [];
  if (writers.length === 0) {
    if (t.serviceAccounts.length > 0)
      checks.push({
        ...base,
        expect: 'allow',
        principal: exported.role.arn,
        action: 'sts:AssumeRole',
        resource: `a writer role in ${t.accountId} trusted by the exporter`,
      });
    return checks;
  }
  for (const writer of writers) {
    checks.push({
      ...base,
      expect: 'allow',
      principal: exported.role.arn,
      action: 'sts:AssumeRole',
      resource: writer.arn,
      simulation: exporterAssumes(exported, t, writer),
    });
    // The tenant's own roles may not (other tenants' roles: the pair proof).
    for (const own of t.roles.filter((r) => r !== writer))
      checks.push({
        ...base,
        expect: 'deny',
        principal: own.arn,
        action: 'sts:AssumeRole',
        resource: writer.arn,
        simulation: roleRequest(model, t, own.arn, own.identity, 'sts:AssumeRole', writer.arn, t.accountId, writer.trust.document),
      });
    const identity = [...writer.identity];
    const put = roleRequest(model, t, writer.arn, identity, METRICS_WRITE, '*', t.accountId);
    checks.push({
      ...base,
      expect: 'allow',
      principal: writer.arn,
      action: `${METRICS_WRITE} (${exported.cloudwatchNamespace})`,
      resource: '*',
      simulation: withNamespace(put, exported.cloudwatchNamespace),
    });
    checks.push({
      ...base,
      expect: 'deny',
      principal: writer.arn,
      action: `${METRICS_WRITE} (${FOREIGN_CLOUDWATCH_NAMESPACE})`,
      resource: '*',
      simulation: withNamespace(put, FOREIGN_CLOUDWATCH_NAMESPACE),
    });
    checks.push({
      ...base,
      expect: 'deny',
      principal: writer.arn,
      action: METRICS_READ,
      resource: '*',
      simulation: roleRequest(model, t, writer.arn, identity, METRICS_READ, '*', t.accountId),
    });
  }
  for (const people of t.roles.filter((role) => role.kind === 'people')) {
    const identity = [...people.identity];
    const read = (account: string) => {
      const simulation = roleRequest(model, t, people.arn, identity, METRICS_READ, '*', account);
      return people.boundary ? { ...simulation, permissionBoundaryPolicies: [{ name: people.boundary.name, policy: people.boundary.document }] } : simulation;
    };
    checks.push({ ...base, expect: 'allow', principal: people.arn, action: METRICS_READ, resource: `* in ${t.accountId}`, simulation: read(t.accountId) });
    if (neighbour)
      checks.push({
        ...base,
        resourceTenant: neighbour.name,
        expect: 'deny',
        principal: people.arn,
        action: METRICS_READ,
        resource: `* in ${neighbour.accountId}`,
        simulation: read(neighbour.accountId),
      });
  }
  return checks;
}

/**
 * Runs the metrics layer over every export the platform defines. Pairwise mode checks each
 * tenant's people against every other account, fast mode against the next tenant in name
 * order: no tenant account holds a resource policy for CloudWatch, so one is as good as any.
 */
export function proveMetrics(
  model: PlatformModel,
  tenants: readonly TenantModel[],
  mode: 'fast' | 'pairwise',
  focus?: ReadonlySet<string>,
): MetricsProofResult {
  const failed: { check: MetricsCheck; decision: Decision }[] = [];
  const notes: string[] = [];
  let simulations = 0;
  let tenantsExported = 0;
  const exports = model.metricsExports ?? [];
  if (exports.length === 0) notes.push('no metrics export in the synthesized output: tenants see no metrics of their workloads');
  for (const exported of exports) {
    tenants.forEach((t, i) => {
      const others = tenants.filter((o) => o !== t);
      const chosen = mode === 'pairwise' ? others : others.length > 0 ? [others[i % others.length]] : [];
      // With a focus, a tenant outside it is checked only against the focus tenants among its neighbours (the other pairs are the base's).
      const inFocus = focus === undefined || focus.has(t.name);
      const neighbours = inFocus ? chosen : chosen.filter((n) => focus.has(n.name));
      if (!inFocus && neighbours.length === 0) return;
      const checks =
        neighbours.length === 0
          ? metricsChecks(model, exported, t)
          : neighbours
              .flatMap((n, k) => metricsChecks(model, exported, t, n).filter((c) => k === 0 || c.resourceTenant !== t.name))
              .filter((c) => inFocus || focus.has(c.principalTenant) || focus.has(c.resourceTenant));
      if (checks.some((c) => c.simulation && c.action === 'sts:AssumeRole')) tenantsExported++;
      for (const check of checks) {
        let decision: Decision = 'ImplicitlyDenied';
        if (check.simulation) {
          simulations++;
          decision = decide(check.simulation);
        }
        const ok = check.expect === 'allow' ? decision === 'Allowed' : decision !== 'Allowed';
        if (!ok) failed.push({ check, decision });
      }
    });
  }
  return { failed, simulations, tenantsExported, notes };
}
