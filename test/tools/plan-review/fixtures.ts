/**
 * Base/head synth outputs for the plan-review tests. Small fixtures are real synths of
 * temporary tenant directories. Large ones (hundreds of tenants) would take minutes to
 * synthesize, so they are cloned from a real synth of one tenant of each kind: each
 * tenant stack is the template's text with the tenant's name (and adopted account id)
 * replaced, and the organization stack gets each cloned tenant's account, budget and
 * outputs the same way. A clone of the template's own tenants equals the template.
 */
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { checkReport } from '../../../kernel/check-report';
import { synthesize } from '../../../synth/synthesize';
import { generatedTenantName, generateTenants } from '../../../bench/generated-tenants';
import { PLATFORM_FILE, REPO_ROOT, tempDir } from './temp';
import { isRecord } from '../../../kernel/records';

export { PLATFORM_FILE, REPO_ROOT, removeTempDirs, tempDir } from './temp';

const SAMPLE_TENANTS = path.join(REPO_ROOT, 'tenants');

export type TenantEdit = (fields: Record<string, unknown>) => void;

/** A copy of the sample tenants with some removed, edited or added (as YAML fields). */
export function tenantsDir(options: { remove?: string[]; edit?: Record<string, TenantEdit>; add?: Record<string, Record<string, unknown>> } = {}): string {
  const dir = tempDir('plan-review-tenants-');
  for (const file of readdirSync(SAMPLE_TENANTS).filter((f) => f.endsWith('.yaml'))) {
    const name = file.slice(0, -'.yaml'.length);
    if (options.remove?.includes(name)) continue;
    const edit = options.edit?.[name];
    if (!edit) {
      copyFileSync(path.join(SAMPLE_TENANTS, file), path.join(dir, file));
      continue;
    }
    const fields = parse(readFileSync(path.join(SAMPLE_TENANTS, file), 'utf8')) as Record<string, unknown>;
    edit(fields);
    writeFileSync(path.join(dir, file), stringify(fields));
  }
  for (const [name, fields] of Object.entries(options.add ?? {})) writeFileSync(path.join(dir, `${name}.yaml`), stringify(fields));
  cpSync(path.join(SAMPLE_TENANTS, 'onboarding'), path.join(dir, 'onboarding'), { recursive: true });
  return dir;
}

/** Synthesizes a tenant directory in-process; returns the output directory. */
export function synth(tenants: string, platformFile = PLATFORM_FILE): string {
  const outdir = path.join(tempDir('plan-review-synth-'), 'out');
  synthesize({ paths: { platformFile, tenantsDir: tenants }, outdir });
  return outdir;
}

/** A copy of platform.yaml with a change, for platform-wide (shared) changes. */
export function platformWith(edit: (text: string) => string): string {
  const file = path.join(tempDir('plan-review-platform-'), 'platform.yaml');
  writeFileSync(file, edit(readFileSync(PLATFORM_FILE, 'utf8')));
  return file;
}

/** A new tenant's YAML fields. */
export function newTenant(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    owner: `${name}@example.com`,
    costCenter: 'cc-2000',
    account: { email: `aws+${name}@example.com` },
    gpuPools: [{ name: 'train', instanceTypes: ['p4d.24xlarge'], capacity: 'on-demand', minNodes: 0, maxNodes: 2 }],
    quota: { cpu: 64, memoryGi: 512, gpus: 16 },
    budget: { monthlyUsd: 30000 },
    ...overrides,
  };
}

/** Real synth of the generator's first three tenants: one of each kind (vended spot, adopted on-demand, CPU only). */
export function templateSynth(platformFile = PLATFORM_FILE): string {
  const dir = tempDir('plan-review-template-');
  generateTenants(3, dir);
  return synth(dir, platformFile);
}

const TEMPLATE_KINDS = 3;
const adoptedId = (i: number) => String(400000000000 + i);

interface CloneTarget {
  readonly name: string;
  readonly replacements: readonly (readonly [string, string])[];
}

function replaceAll(text: string, replacements: readonly (readonly [string, string])[]): string {
  return replacements.reduce((t, [from, to]) => t.split(from).join(to), text);
}

/** Copies every entry; an entry whose key names a template tenant becomes one entry per clone of it. */
function cloneEntries(value: unknown, targetsByTemplate: ReadonlyMap<string, CloneTarget[]>): unknown {
  if (Array.isArray(value)) return value.map((v) => cloneEntries(v, targetsByTemplate));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const template = [...targetsByTemplate.keys()].find((name) => key.includes(name));
    if (!template) {
      out[key] = cloneEntries(entry, targetsByTemplate);
      continue;
    }
    const text = JSON.stringify(entry);
    for (const target of targetsByTemplate.get(template)!) {
      out[replaceAll(key, target.replacements)] = JSON.parse(replaceAll(text, target.replacements));
    }
  }
  return out;
}

/**
 * Writes a synth output of `count` generated tenants (names from the generator) into a
 * new directory, cloned from `template` (see `templateSynth`). Tenant i copies template
 * tenant i % 3, the generator's kind for i. `edit` changes every stack's text, as a
 * platform-wide change would. Without an edit, tenant stacks already cloned into
 * `linkFrom` (a clone of the same template) are hard-linked rather than written again:
 * the same bytes, less disk traffic for the thousand-tenant fixtures.
 */
export function cloneSynth(template: string, count: number, edit?: (text: string, stack: string) => string, linkFrom?: string): string {
  const outdir = path.join(tempDir('plan-review-clone-'), 'out');
  const manifest = JSON.parse(readFileSync(path.join(template, 'manifest.json'), 'utf8')) as { stacks: Record<string, Record<string, unknown>> };
  const templates = Array.from({ length: TEMPLATE_KINDS }, (_, k) => generatedTenantName(k));
  const targetsByTemplate = new Map<string, CloneTarget[]>(templates.map((t) => [t, []]));
  for (let i = 0; i < count; i++) {
    const k = i % TEMPLATE_KINDS;
    const name = generatedTenantName(i);
    targetsByTemplate.get(templates[k])!.push({
      name,
      replacements: [
        [templates[k], name],
        [adoptedId(k), adoptedId(i)],
      ],
    });
  }

  const apply = edit ?? ((text: string) => text);
  const stacks: Record<string, Record<string, unknown>> = {};
  for (const [stack, entry] of Object.entries(manifest.stacks)) {
    const from = path.join(template, 'stacks', stack);
    // A tenant's two stacks, its account stack and its tenant stack, are cloned alike.
    const prefix = stack.startsWith('account-') ? 'account-' : 'tenant-';
    const templateTenant = templates.find((t) => stack === `${prefix}${t}`);
    if (!templateTenant) {
      mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
      if (stack === 'organization') {
        const organization = JSON.parse(apply(readFileSync(path.join(from, 'cdk.tf.json'), 'utf8'), stack)) as unknown;
        writeFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(cloneEntries(organization, targetsByTemplate), null, 2));
      } else {
        cpSync(from, path.join(outdir, 'stacks', stack), { recursive: true });
        writeFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), apply(readFileSync(path.join(from, 'cdk.tf.json'), 'utf8'), stack));
      }
      stacks[stack] = entry;
      continue;
    }
    const text = readFileSync(path.join(from, 'cdk.tf.json'), 'utf8');
    const entryText = JSON.stringify(entry);
    for (const target of targetsByTemplate.get(templateTenant)!) {
      const name = `${prefix}${target.name}`;
      mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      const file = path.join(outdir, 'stacks', name, 'cdk.tf.json');
      const linked = !edit && linkFrom ? path.join(linkFrom, 'stacks', name, 'cdk.tf.json') : undefined;
      if (linked && existsSync(linked)) linkSync(linked, file);
      else writeFileSync(file, apply(replaceAll(text, target.replacements), name));
      stacks[name] = JSON.parse(replaceAll(entryText, target.replacements)) as Record<string, unknown>;
    }
  }
  writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ ...manifest, stacks }, null, 2));
  return outdir;
}

/**
 * Reports of guardrails and proof that passed, as their commands write them with
 * `--format json`: a review without them says the checks were not run and is never "ok".
 */
export function passingChecks(): { guardrailsFile: string; proofFile: string } {
  const dir = tempDir('plan-review-checks-');
  const guardrailsFile = path.join(dir, 'guardrails.json');
  const proofFile = path.join(dir, 'proof.json');
  const passed = (check: string, summary: string) =>
    JSON.stringify(checkReport({ check, status: 'passed', summary, exitCode: 0, findings: [], details: [summary] }));
  writeFileSync(guardrailsFile, passed('guardrails', 'ok: 21 rules, 804 checks over 7 stacks, 0 errors, 0 warnings, 0 suppressions in 0.8 s'));
  writeFileSync(proofFile, passed('prove-isolation', 'ok: isolated: 3 tenants, 6 ordered pairs, 0 leaks'));
  return { guardrailsFile, proofFile };
}
