/**
 * The offline copy of one synthesized stack: the same resources, but nothing that would
 * reach AWS or a remote backend. The backend becomes local, remote state reads placeholder
 * state files, AWS providers get fake static credentials and skip every call the provider
 * makes on its own, and resources of providers the mirror lacks are left out and counted.
 */
import { placeholderState, type PlaceholderState } from '../../kernel/placeholders';
import { mirrorHas, providerLocalName, requiredProviders, type MirrorContents, type RequiredProvider } from './providers';
import { isRecord, recordAt } from '../../kernel/records';
import type { SynthesizedStack } from '../../kernel/synth-output';
import { constructPathOf } from '../../kernel/terraform-json';
import type { NotValidated, PlanDiagnostic, TerraformJson } from './types';

export const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** AWS data sources that compute locally, from their arguments or the provider configuration. */
export const LOCAL_AWS_DATA_SOURCES: readonly string[] = [
  'aws_iam_policy_document',
  'aws_arn',
  'aws_partition',
  'aws_region',
  'aws_default_tags',
  'aws_service_principal',
];

/** Settings that would read credentials from the machine or call STS. */
const AWS_PROVIDER_SETTINGS_REMOVED = [
  'assume_role',
  'assume_role_with_web_identity',
  'profile',
  'shared_config_files',
  'shared_credentials_files',
  'token',
  'allowed_account_ids',
  'forbidden_account_ids',
];

export const FAKE_AWS_CREDENTIALS = {
  access_key: 'placeholder',
  secret_key: 'placeholder',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
} as const;

export const INPUTS_DIR = 'inputs';
const CROSS_STACK_INPUT_PREFIX = 'cross-stack-reference-input-';

export interface OfflineCopy {
  readonly config: TerraformJson;
  /** Placeholder state files to write, by path relative to the stack's working directory. */
  readonly inputs: ReadonlyMap<string, PlaceholderState>;
  readonly notValidated: readonly NotValidated[];
  readonly diagnostics: readonly PlanDiagnostic[];
  /** False when planning would call AWS or read state that does not exist; validate still runs. */
  readonly plannable: boolean;
}

export interface OfflineCopyOptions {
  /** Every stack of the synth output, to find the upstream stack of each remote state input. */
  readonly allStacks: readonly SynthesizedStack[];
  /** What the filesystem mirror holds; undefined when providers may be downloaded (`--online`). */
  readonly mirror?: MirrorContents;
}

type Blocks = Record<string, Record<string, unknown>>;

function blocksOf(config: TerraformJson, kind: 'resource' | 'data'): Blocks {
  return (recordAt(config, kind) ?? {}) as Blocks;
}

export function countResources(config: TerraformJson): number {
  return Object.values(blocksOf(config, 'resource')).reduce((sum, blocks) => sum + Object.keys(blocks).length, 0);
}

export function makeOfflineCopy(stack: SynthesizedStack, options: OfflineCopyOptions): OfflineCopy {
  const config = structuredClone(stack.config);
  const diagnostics: PlanDiagnostic[] = [];
  const providers = requiredProviders(config);

  useLocalBackend(config);
  for (const provider of providers.filter((p) => p.address === AWS_PROVIDER)) useFakeCredentials(config, provider.localName);
  const notValidated = options.mirror ? removeProvidersNotInMirror(config, providers, options.mirror, diagnostics) : [];
  const inputs = readPlaceholderInputs(stack, config, options.allStacks, diagnostics);
  const awsCalls = dataSourcesCallingAws(config, providers);
  diagnostics.push(...awsCalls);
  diagnostics.push(...deferDefinitionValidation(config));
  const plannable = !diagnostics.some((d) => d.severity === 'error');
  return { config, inputs, notValidated, diagnostics, plannable };
}

function useLocalBackend(config: TerraformJson): void {
  const terraform = recordAt(config, 'terraform');
  if (!terraform) return;
  delete terraform.cloud;
  terraform.backend = { local: { path: 'terraform.tfstate' } };
}

function providerBlocks(config: TerraformJson, localName: string): Record<string, unknown>[] {
  const entry = recordAt(config, 'provider')?.[localName];
  if (Array.isArray(entry)) return entry.filter(isRecord);
  return isRecord(entry) ? [entry] : [];
}

function useFakeCredentials(config: TerraformJson, localName: string): void {
  for (const block of providerBlocks(config, localName)) {
    for (const setting of AWS_PROVIDER_SETTINGS_REMOVED) delete block[setting];
    Object.assign(block, FAKE_AWS_CREDENTIALS);
  }
}

/** Matches `type.name` (or `data.type.name`) as a reference, not as part of a longer one. */
function referencePattern(address: string): RegExp {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`);
}

interface RemovedBlock {
  readonly address: string;
  readonly kind: 'resource' | 'data';
  /** Local name of the block's provider. */
  readonly provider: string;
}

/**
 * Leaves out every block of a provider the mirror lacks, then every block that refers to a
 * removed one (it could not be evaluated), and counts both so the report can say so.
 */
function removeProvidersNotInMirror(
  config: TerraformJson,
  providers: readonly RequiredProvider[],
  mirror: MirrorContents,
  diagnostics: PlanDiagnostic[],
): NotValidated[] {
  const missing = providers.filter((p) => !mirrorHas(mirror, p));
  if (missing.length === 0) return [];
  const result: NotValidated[] = [];
  const removed: RemovedBlock[] = [];
  for (const provider of missing) {
    const gone = removeBlocks(config, (type, block) => providerLocalName(type, block) === provider.localName);
    removed.push(...gone);
    deleteEntry(config, ['provider'], provider.localName);
    deleteEntry(config, ['terraform', 'required_providers'], provider.localName);
    const version = provider.version ? ` ${provider.version}` : '';
    result.push(notValidatedEntry(provider.localName, gone, `provider ${provider.address}${version} is not in the plugin mirror`));
  }

  const removedPatterns = () => removed.map((r) => referencePattern(r.kind === 'data' ? `data.${r.address}` : r.address));
  for (let patterns = removedPatterns(); ; patterns = removedPatterns()) {
    dropDependsOn(config, patterns);
    const dependents = removeBlocks(config, (_type, block) => {
      const text = JSON.stringify(block);
      return patterns.some((p) => p.test(text));
    });
    if (dependents.length === 0) break;
    removed.push(...dependents);
    const byProvider = new Map<string, RemovedBlock[]>();
    for (const dependent of dependents) byProvider.set(dependent.provider, [...(byProvider.get(dependent.provider) ?? []), dependent]);
    for (const [local, blocks] of byProvider) {
      result.push(notValidatedEntry(local, blocks, `refers to resources left out (${missing.map((p) => p.localName).join(', ')})`));
    }
  }

  const outputs = recordAt(config, 'output') ?? {};
  const patterns = removedPatterns();
  for (const [name, output] of Object.entries(outputs)) {
    const text = JSON.stringify(output);
    if (!patterns.some((p) => p.test(text))) continue;
    delete outputs[name];
    diagnostics.push({ severity: 'warning', stage: 'offline-copy', summary: `output '${name}' left out: it refers to resources that were not validated` });
  }
  return result;
}

/** Deletes `key` under `at`, and `at` itself when that leaves it empty (Terraform rejects an empty `provider` object). */
function deleteEntry(config: TerraformJson, at: readonly string[], key: string): void {
  const parent = recordAt(config, ...at);
  if (!parent) return;
  delete parent[key];
  if (Object.keys(parent).length > 0) return;
  const grandparent = at.length > 1 ? recordAt(config, ...at.slice(0, -1)) : config;
  if (grandparent) delete grandparent[at[at.length - 1]];
}

function notValidatedEntry(provider: string, blocks: readonly RemovedBlock[], reason: string): NotValidated {
  return {
    provider,
    resources: blocks.filter((b) => b.kind === 'resource').length,
    dataSources: blocks.filter((b) => b.kind === 'data').length,
    reason,
  };
}

function removeBlocks(config: TerraformJson, matches: (type: string, block: unknown) => boolean): RemovedBlock[] {
  const removed: RemovedBlock[] = [];
  for (const kind of ['resource', 'data'] as const) {
    const byType = blocksOf(config, kind);
    for (const [type, blocks] of Object.entries(byType)) {
      for (const [name, block] of Object.entries(blocks)) {
        if (!matches(type, block)) continue;
        delete blocks[name];
        removed.push({ address: `${type}.${name}`, kind, provider: providerLocalName(type, block) });
      }
      if (Object.keys(blocks).length === 0) delete byType[type];
    }
    if (Object.keys(byType).length === 0) delete config[kind];
  }
  return removed;
}

/** `depends_on` only orders; an entry naming a removed block is dropped, not the block. */
function dropDependsOn(config: TerraformJson, patterns: readonly RegExp[]): void {
  for (const kind of ['resource', 'data'] as const) {
    for (const blocks of Object.values(blocksOf(config, kind))) {
      for (const block of Object.values(blocks)) {
        if (!isRecord(block) || !Array.isArray(block.depends_on)) continue;
        block.depends_on = block.depends_on.filter((entry) => !(typeof entry === 'string' && patterns.some((p) => p.test(entry))));
        if ((block.depends_on as unknown[]).length === 0) delete block.depends_on;
      }
    }
  }
}

/**
 * The stack whose backend the remote state input reads, by backend settings (every setting
 * of the input equals the stack's, except `encrypt`, which is how to read, not where), else
 * by cdktf's naming.
 */
function upstreamOf(input: Record<string, unknown>, inputName: string, allStacks: readonly SynthesizedStack[]): SynthesizedStack | undefined {
  const backendType = input.backend;
  const settings = recordAt(input, 'config') ?? {};
  const byBackend = allStacks.find((candidate) => {
    const backend = typeof backendType === 'string' ? recordAt(candidate.config, 'terraform', 'backend', backendType) : undefined;
    return (
      backend !== undefined && Object.keys(settings).length > 0 && Object.entries(settings).every(([key, value]) => key === 'encrypt' || backend[key] === value)
    );
  });
  if (byBackend) return byBackend;
  const byName = inputName.startsWith(CROSS_STACK_INPUT_PREFIX) ? inputName.slice(CROSS_STACK_INPUT_PREFIX.length) : undefined;
  return allStacks.find((candidate) => candidate.name === byName);
}

function readPlaceholderInputs(
  stack: SynthesizedStack,
  config: TerraformJson,
  allStacks: readonly SynthesizedStack[],
  diagnostics: PlanDiagnostic[],
): Map<string, PlaceholderState> {
  const inputs = new Map<string, PlaceholderState>();
  for (const [name, input] of Object.entries(blocksOf(config, 'data').terraform_remote_state ?? {})) {
    if (!isRecord(input)) continue;
    const upstream = upstreamOf(input, name, allStacks);
    if (!upstream || upstream.name === stack.name) {
      diagnostics.push({
        severity: 'error',
        stage: 'offline-copy',
        summary: `remote state input '${name}' reads the state of no stack in the synth output, so its outputs have no placeholder`,
        address: `data.terraform_remote_state.${name}`,
        constructPath: constructPathOf(input),
      });
      continue;
    }
    const file = `${INPUTS_DIR}/${upstream.name}.tfstate`;
    inputs.set(file, placeholderState(upstream));
    input.backend = 'local';
    input.config = { path: file };
  }
  return inputs;
}

/**
 * The AWS provider checks a state machine's definition with the Step Functions API
 * (ValidateStateMachineDefinition) while planning, unless the definition is unknown then.
 * Offline the definition is made unknown (`timestamp()` is unknown at plan time), so the
 * rest of the resource still plans; the definition itself is tested where it is written
 * (its JSONata runs in the tests). Each such resource gets a warning.
 */
function deferDefinitionValidation(config: TerraformJson): PlanDiagnostic[] {
  const found: PlanDiagnostic[] = [];
  for (const [name, block] of Object.entries(blocksOf(config, 'resource').aws_sfn_state_machine ?? {})) {
    if (!isRecord(block) || typeof block.definition !== 'string') continue;
    block.definition = `\${substr(timestamp(), 0, 0)}${block.definition}`;
    found.push({
      severity: 'warning',
      stage: 'offline-copy',
      summary: 'state machine definition not validated offline: the AWS provider validates it with the Step Functions API at plan time',
      address: `aws_sfn_state_machine.${name}`,
      constructPath: constructPathOf(block),
    });
  }
  return found;
}

function dataSourcesCallingAws(config: TerraformJson, providers: readonly RequiredProvider[]): PlanDiagnostic[] {
  const awsLocalNames = new Set(providers.filter((p) => p.address === AWS_PROVIDER).map((p) => p.localName));
  const found: PlanDiagnostic[] = [];
  for (const [type, blocks] of Object.entries(blocksOf(config, 'data'))) {
    if (LOCAL_AWS_DATA_SOURCES.includes(type)) continue;
    for (const [name, block] of Object.entries(blocks)) {
      if (!awsLocalNames.has(providerLocalName(type, block))) continue;
      found.push({
        severity: 'error',
        stage: 'offline-copy',
        summary: `data source ${type} calls the AWS API at plan time; take the value from platform.yaml, the tenant file or a cross-stack output instead`,
        address: `data.${type}.${name}`,
        constructPath: constructPathOf(block),
      });
    }
  }
  return found;
}
