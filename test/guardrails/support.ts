/** Tiny stacks checked by the guardrails, synthesized for real into a scratch directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { AnnotationMetadataEntryType, App, TerraformStack } from 'cdktf';
import { applyGuardrails, guardrailAspectOf } from '../../guardrails/aspect';
import type { GuardrailFinding, StackResult } from '../../guardrails/check';
import type { GuardrailRule } from '../../guardrails/rule';
import { synthesizeCollectingErrors } from '../../synth/collect-errors';
import { TenantDirectory } from '../../guardrails/tenants';
import { platformTags, tenantTags } from '../../constructs/common/tags';

export interface TinyOptions {
  /** Makes it the stack of this tenant (`tenant-<name>`), with tenant tags. */
  readonly tenant?: string;
  readonly tenants?: TenantDirectory;
  readonly pack?: readonly GuardrailRule[];
  /** Provider default tags; null for none. @default platform or tenant tags */
  readonly defaultTags?: Record<string, string> | null;
}

export interface Checked {
  /** Error annotations of the stack: what fails the synth. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly result: StackResult;
  /** Findings of one rule. */
  failures(ruleId: string): GuardrailFinding[];
}

export function tinyStack(app: App, options: TinyOptions = {}): TerraformStack {
  const stack = new TerraformStack(app, options.tenant ? `tenant-${options.tenant}` : 'platform');
  const tags =
    options.defaultTags === null
      ? undefined
      : (options.defaultTags ?? (options.tenant ? tenantTags('mlp', { name: options.tenant, costCenter: 'cc-1' }) : platformTags('mlp')));
  new AwsProvider(stack, 'aws', { region: 'us-east-1', defaultTags: tags ? [{ tags }] : undefined });
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}

/** Builds one stack with `build`, applies the guardrails and synthesizes it. */
export function checkTiny(build: (stack: TerraformStack) => void, options: TinyOptions = {}): Checked {
  const outdir = mkdtempSync(path.join(tmpdir(), 'mlp-guardrails-test-'));
  try {
    const app = new App({ outdir });
    const stack = tinyStack(app, options);
    build(stack);
    applyGuardrails(stack, { tenant: options.tenant, tenants: options.tenants ?? TenantDirectory.empty(), pack: options.pack });
    const errors = synthesizeCollectingErrors(app).map((error) => error.message);
    const warnings = (app.manifest.stacks[stack.node.id]?.annotations ?? []).filter((a) => a.level === AnnotationMetadataEntryType.WARN).map((a) => a.message);
    const result = guardrailAspectOf(stack)?.result;
    if (!result) throw new Error('the guardrails did not run');
    return { errors, warnings, result, failures: (ruleId) => result.findings.filter((finding) => finding.ruleId === ruleId) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Error messages of one rule, as the synth prints them. */
export function errorsOf(checked: Checked, ruleId: string): string[] {
  return checked.errors.filter((message) => message.startsWith(`${ruleId} in stack`));
}
