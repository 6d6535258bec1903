/** Text output of the cluster layer: its tenants x tenants matrix (or a summary), findings, and its part of the result line. */
import { FINDING_LIMIT, MATRIX_LIMIT } from '../report';
import type { ClusterFinding, ClusterProofResult } from './prove-cluster';

export const CLUSTER_LEGEND =
  'A own workload admitted and own boundary intact, - isolated (admission, network and RBAC proved), LEAK, BLOCKED own GPU pod denied';

function cell(result: ClusterProofResult, from: string, to: string): string {
  const findings = result.findings.filter((f) => f.from === from && f.to === to);
  if (findings.some((f) => f.type === 'leak')) return 'LEAK';
  if (from === to) return findings.some((f) => f.type === 'blocked') ? 'BLOCKED' : 'A';
  return '-';
}

function formatMatrix(result: ClusterProofResult): string[] {
  const names = result.tenants;
  const width = Math.max(...names.map((n) => n.length)) + String(names.length).length + 1;
  const column = (text: string) => text.padStart(Math.max(String(names.length).length, 'BLOCKED'.length) + 1);
  return [
    `cluster matrix (row: tenant whose pods and people act, column: tenant reached, by number; ${CLUSTER_LEGEND})`,
    `${''.padEnd(width)} ${names.map((_, i) => column(String(i + 1))).join('')}`,
    ...names.map((from, i) => `${`${i + 1} ${from}`.padEnd(width)} ${names.map((to) => column(cell(result, from, to))).join('')}`),
  ];
}

function formatFinding(f: ClusterFinding): string {
  if (f.type === 'blocked') return `BLOCKED ${f.from} (${f.layer}): ${f.what} is ${f.why}`;
  const target = f.from === f.to ? `${f.from} (own boundary)` : `${f.from} -> ${f.to}`;
  return `LEAK ${target} (${f.layer}): ${f.what}; ${f.why}`;
}

export function formatClusterReport(result: ClusterProofResult, options: { matrix?: boolean } = {}): string[] {
  const n = result.tenants.length;
  const lines = [
    `cluster layer: ${n} tenant namespaces; ${result.checks.admission} admission requests evaluated with CEL, ${result.checks.network} network paths, ${result.checks.rbac} RBAC checks, ${result.checks.queues} queue checks, ${result.checks.storage} storage checks (bucket volumes, volume classes and keys)`,
    `network policy enforcement: ${result.enforcement.enforced ? 'on' : 'OFF'} (${result.enforcement.reason})`,
    ...result.notes.map((note) => `note: ${note}`),
  ];
  if (n > 0 && (n <= MATRIX_LIMIT || options.matrix)) lines.push(...formatMatrix(result));
  for (const f of result.findings.slice(0, FINDING_LIMIT)) lines.push(formatFinding(f));
  if (result.findings.length > FINDING_LIMIT) lines.push(`... and ${result.findings.length - FINDING_LIMIT} more cluster findings`);
  return lines;
}

/** The cluster's part of the one-line result. */
export function clusterResultText(result: ClusterProofResult): string {
  const leaks = result.findings.filter((f) => f.type === 'leak');
  const blocked = result.findings.filter((f) => f.type === 'blocked');
  if (leaks.length === 0 && blocked.length === 0) {
    if (result.focus)
      return `in the cluster, between ${result.focus.join(', ')} and every other tenant, no pod, Service or person of one reaches the other, and ${result.focus.length === 1 ? 'its' : 'their'} GPU pods are admitted (${result.tenants.length} namespaces; only pairs with ${result.focus.length === 1 ? 'this tenant' : 'these tenants'} checked)`;
    return `in the cluster, no tenant's pods, Services or people reach another tenant, and every tenant's GPU pod is admitted (${result.tenants.length} namespaces)`;
  }
  const parts = [
    leaks.length > 0 ? `${leaks.length} cluster leak${leaks.length === 1 ? '' : 's'}` : '',
    blocked.length > 0 ? `${blocked.length} tenant GPU pod${blocked.length === 1 ? '' : 's'} denied` : '',
  ];
  return parts.filter(Boolean).join(' and ');
}
