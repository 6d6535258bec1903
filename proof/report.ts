/** Text output of the isolation proof: the tenants × tenants matrix or a summary, findings, and the one-line result. */
import { pairStatus, type ProofFinding, type ProofResult } from './prove';

/** Above this many tenants the matrix is summarised unless asked for. */
export const MATRIX_LIMIT = 30;
/** Findings printed in full; the rest are counted. */
export const FINDING_LIMIT = 40;

export const MATRIX_LEGEND =
  'A own access allowed, - denied (simulated), = denied (follows from the class argument), LEAK, BLOCKED own access denied, . not checked (a proof restricted to changed tenants)';

function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

function cell(result: ProofResult, principal: string, resource: string): string {
  if (result.focus && !result.focus.includes(principal) && !result.focus.includes(resource)) return '.';
  if (principal === resource) return result.findings.some((f) => f.type === 'blocked' && f.check.principalTenant === principal) ? 'BLOCKED' : 'A';
  const status = pairStatus(result, principal, resource);
  return status === 'leak' ? 'LEAK' : status === 'simulated' ? '-' : '=';
}

export function formatMatrix(result: ProofResult): string[] {
  const names = result.tenants;
  const width = Math.max(...names.map((n) => n.length)) + String(names.length).length + 1;
  const columnWidth = Math.max(String(names.length).length, 'BLOCKED'.length) + 1;
  const column = (text: string) => text.padStart(columnWidth);
  const lines = [`matrix (row: principal tenant, column: resource tenant by number; ${MATRIX_LEGEND})`];
  lines.push(`${''.padEnd(width)} ${names.map((_, i) => column(String(i + 1))).join('')}`);
  names.forEach((principal, i) => {
    lines.push(`${`${i + 1} ${principal}`.padEnd(width)} ${names.map((resource) => column(cell(result, principal, resource))).join('')}`);
  });
  return lines;
}

export function formatSummary(result: ProofResult): string[] {
  const n = result.tenants.length;
  const ordered = n * (n - 1);
  const simulated = result.simulatedPairs.size;
  const leakPairs = new Set(result.findings.filter((f) => f.type === 'leak').map((f) => `${f.check.principalTenant}\u0000${f.check.resourceTenant}`));
  const focus = result.focus?.length ?? 0;
  // With a focus, only the ordered pairs with a focus tenant are proved: 2 (n - 1) per focus tenant, less the pairs of two of them counted twice.
  const proved = result.focus ? ordered - (n - focus) * (n - focus - 1) : ordered;
  const lines = [
    result.focus
      ? `cross-tenant pairs: ${ordered} ordered, ${proved} with ${result.focus.join(', ')} (the others were not checked: restricted proof); ${simulated} simulated with real tenants, ${proved - simulated} follow from the class argument; ${plural(leakPairs.size, 'pair')} with a leak`
      : `cross-tenant pairs: ${ordered} ordered; ${simulated} simulated with real tenants, ${ordered - simulated} follow from the class argument; ${plural(leakPairs.size, 'pair')} with a leak`,
  ];
  for (const c of result.classes) {
    lines.push(`  class ${c.id}: ${plural(c.members.length, 'tenant')} (${c.members.slice(0, 3).join(', ')}${c.members.length > 3 ? ', ...' : ''})`);
  }
  return lines;
}

export function formatFinding(finding: ProofFinding): string[] {
  const c = finding.check;
  const head =
    finding.type === 'leak'
      ? `LEAK ${c.principalTenant} -> ${c.resourceTenant}: ${c.action} by ${c.principal} on ${c.resource} is ${finding.decision} (found by: ${finding.reason})`
      : `BLOCKED ${c.resourceTenant}: ${c.action} by ${c.principal} on its own ${c.resource} is ${finding.decision}, but its own access must be allowed`;
  const culprits = finding.culprits.map((culprit) => {
    const statement = culprit.statement as { Sid?: unknown };
    const sid = typeof statement.Sid === 'string' && statement.Sid ? ` (${statement.Sid})` : '';
    return `  allowed by ${culprit.source} statement ${culprit.statementIndex + 1}${sid}: ${JSON.stringify(culprit.statement)}`;
  });
  if (finding.type === 'leak' && culprits.length === 0) culprits.push('  (no single statement grants it alone: several statements together do)');
  return [head, ...culprits];
}

export interface ReportOptions {
  /** Print the full matrix even above MATRIX_LIMIT tenants. */
  readonly matrix?: boolean;
}

/** Everything but the one-line result. */
export function formatReport(result: ProofResult, options: ReportOptions = {}): string[] {
  const n = result.tenants.length;
  const lines = [
    `isolation proof (${result.mode}): ${plural(n, 'tenant')}, ${plural(result.classes.length, 'normal-form class', 'normal-form classes')}, ${result.irregular.size} irregular (proved pairwise)`,
    `service control policies in force for ${n - result.tenantsWithoutKnownScps.length} of ${n} tenant accounts`,
  ];
  if (result.tenantsWithoutKnownScps.length > 0) {
    const shown = result.tenantsWithoutKnownScps.slice(0, 5).join(', ') + (result.tenantsWithoutKnownScps.length > 5 ? ', ...' : '');
    lines.push(
      `  not placed in an OU by the organization stack (adopted accounts): ${shown}; their denials are proved without SCPs, their own access with all of them`,
    );
  }
  if (result.accountLayer) {
    const { signIns, accountsControlled } = result.accountLayer;
    lines.push(
      `account layer: ${plural(signIns, 'Identity Center sign-in')} checked (own account only, own people role, nothing of other tenants); controls of ${plural(accountsControlled, 'account')} checked against a tenant administrator`,
    );
  }
  if (result.metricsLayer)
    lines.push(
      `metrics layer: metrics writer roles of ${plural(result.metricsLayer.tenantsExported, 'tenant')} checked (assumed only through the exporter, writes one CloudWatch namespace, reads nothing); people read metrics in their own account only`,
    );
  for (const [tenant, reasons] of result.irregular)
    lines.push(`irregular ${tenant}: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ''}`);
  if (result.policySources) {
    const { planned, resolved, stacksWithPlan } = result.policySources;
    lines.push(`policy documents: ${planned} from planned values (${plural(stacksWithPlan, 'stack')} with a plan), ${resolved} from the proof's resolver`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  lines.push(...(n <= MATRIX_LIMIT || options.matrix ? formatMatrix(result) : []), ...formatSummary(result));
  for (const finding of result.findings.slice(0, FINDING_LIMIT)) lines.push(...formatFinding(finding));
  if (result.findings.length > FINDING_LIMIT) lines.push(`... and ${result.findings.length - FINDING_LIMIT} more findings`);
  return lines;
}

export function leakCount(result: ProofResult): { leaks: number; blocked: number; leakPairs: number } {
  const leaks = result.findings.filter((f) => f.type === 'leak');
  return {
    leaks: leaks.length,
    blocked: result.findings.filter((f) => f.type === 'blocked').length,
    leakPairs: new Set(leaks.map((f) => `${f.check.principalTenant}\u0000${f.check.resourceTenant}`)).size,
  };
}

export function formatResult(result: ProofResult): string {
  const { leaks, blocked, leakPairs } = leakCount(result);
  const n = result.tenants.length;
  const how = `${result.mode}, ${result.simulations} simulations in ${result.seconds.toFixed(1)} s`;
  if (result.focus) {
    const who = result.focus.join(', ');
    const scope = `restricted to ${who}: own access, and every pair with ${result.focus.length === 1 ? 'it' : 'them'} both ways, against ${plural(n - 1, 'other tenant')}; pairs of other tenants not checked`;
    if (leaks === 0 && blocked === 0)
      return `ok: between ${who} and every other tenant, neither reaches the other's buckets, keys or roles, and ${result.focus.length === 1 ? `${who} reaches its` : 'each of them reaches its'} own (${scope}; ${how})`;
    const parts = [
      leaks > 0 ? `${plural(leaks, 'leak')} between ${plural(leakPairs, 'ordered pair')} of tenants` : '',
      blocked > 0 ? `${blocked} own accesses blocked` : '',
    ];
    return `${parts.filter(Boolean).join(' and ')} (${scope}; ${how})`;
  }
  if (leaks === 0 && blocked === 0)
    return `ok: no tenant reaches another tenant's buckets, keys or roles, and every tenant reaches its own (${plural(n, 'tenant')}; ${how})`;
  const parts = [
    leaks > 0 ? `${plural(leaks, 'leak')} between ${plural(leakPairs, 'ordered pair')} of tenants` : '',
    blocked > 0 ? `${blocked} own accesses blocked` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} (${plural(n, 'tenant')}; ${how})`;
}
