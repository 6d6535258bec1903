/**
 * What an author asks `tenant:new` for: read from flags, or asked for on a terminal.
 * Only the shape of each value is checked here (a number is a number); whether the values
 * make a valid tenant is decided by the same validation as `npm run validate`.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { CapacityType } from '../../config/model';
import { CAPACITY_TYPES, type PlatformFile } from '../../config/schema';

export interface GpuRequest {
  readonly instanceTypes: readonly string[];
  readonly maxNodes: number;
}

/** Checks of each answer as it is given (tools/tenant/answers.ts builds them from the validation's rules); undefined means it is fine. */
export interface AnswerChecks {
  readonly name: (name: string) => string | undefined;
  readonly owner: (owner: string) => string | undefined;
  readonly costCenter: (code: string) => string | undefined;
  readonly gpu: (gpu: GpuRequest) => string | undefined;
}

export interface TenantRequest {
  readonly name: string;
  readonly owner: string;
  readonly costCenter: string;
  /** Root e-mail of a vended account; default `aws+<name>@<owner's domain>`. */
  readonly accountEmail?: string;
  /** Adopt this existing account instead of vending one. */
  readonly accountId?: string;
  /** The team's IAM Identity Center group: its members sign in to the tenant. */
  readonly peopleGroupId?: string;
  /** No GPU pool means a CPU-only tenant. */
  readonly gpu?: GpuRequest;
  readonly poolName?: string;
  readonly capacity?: CapacityType;
  readonly budgetUsd?: number;
  readonly cpu?: number;
  readonly memoryGi?: number;
}

/** A flag or answer that is not the right kind of value; the CLI reports it as a usage error. */
export class RequestError extends Error {}

export const REQUIRED_FLAGS = ['name', 'owner', 'cost-center'] as const;
export const OPTIONAL_FLAGS = ['account-email', 'account-id', 'group-id', 'gpu', 'pool', 'capacity', 'budget', 'cpu', 'memory-gi'] as const;

/** A request being filled in: every value may still be missing. */
export type PartialRequest = { -readonly [K in keyof TenantRequest]?: TenantRequest[K] };

/** `g6.12xlarge,g5.12xlarge:4` → two instance types, at most 4 nodes. */
export function parseGpuSpec(spec: string): GpuRequest {
  const colon = spec.lastIndexOf(':');
  const types =
    colon > 0
      ? spec
          .slice(0, colon)
          .split(',')
          .map((t) => t.trim())
      : [];
  const max = colon > 0 ? spec.slice(colon + 1).trim() : '';
  if (types.length === 0 || types.some((t) => t === '') || !/^\d+$/.test(max)) {
    throw new RequestError(`--gpu takes <instance type>[,<instance type>...]:<max nodes>, such as g6.12xlarge:4; got '${spec}'`);
  }
  return { instanceTypes: types, maxNodes: Number(max) };
}

export function parseWholeNumber(flag: string, value: string, unit: string): number {
  if (!/^\d+$/.test(value.trim())) throw new RequestError(`--${flag} takes a whole number of ${unit}, got '${value}'`);
  return Number(value.trim());
}

export function parseCapacity(value: string): CapacityType {
  const found = CAPACITY_TYPES.find((c) => c === value.trim());
  if (!found) throw new RequestError(`--capacity takes ${CAPACITY_TYPES.join(' or ')}, got '${value}'`);
  return found;
}

/** The request the flags give, with whatever is missing left out. */
export function requestFromFlags(flags: Readonly<Record<string, string>>): PartialRequest {
  const request: PartialRequest = {};
  if (flags.name !== undefined) request.name = flags.name.trim();
  if (flags.owner !== undefined) request.owner = flags.owner.trim();
  if (flags['cost-center'] !== undefined) request.costCenter = flags['cost-center'].trim();
  if (flags['account-email'] !== undefined && flags['account-id'] !== undefined) {
    throw new RequestError('give either --account-email (vend a new account) or --account-id (adopt an existing one), not both');
  }
  if (flags['account-email'] !== undefined) request.accountEmail = flags['account-email'].trim();
  if (flags['account-id'] !== undefined) request.accountId = flags['account-id'].trim();
  if (flags['group-id'] !== undefined) request.peopleGroupId = flags['group-id'].trim();
  if (flags.gpu !== undefined) request.gpu = parseGpuSpec(flags.gpu);
  if (flags.gpu === undefined && (flags.pool !== undefined || flags.capacity !== undefined)) {
    throw new RequestError('--pool and --capacity describe the GPU pool: give --gpu <instance type>:<max nodes> too');
  }
  if (flags.pool !== undefined) request.poolName = flags.pool.trim();
  if (flags.capacity !== undefined) request.capacity = parseCapacity(flags.capacity);
  if (flags.budget !== undefined) request.budgetUsd = parseWholeNumber('budget', flags.budget, 'US dollars');
  if (flags.cpu !== undefined) request.cpu = parseWholeNumber('cpu', flags.cpu, 'cores');
  if (flags['memory-gi'] !== undefined) request.memoryGi = parseWholeNumber('memory-gi', flags['memory-gi'], 'GiB');
  return request;
}

/** The required flags the request still lacks, as the user types them (`--cost-center`). */
export function missingFlags(request: PartialRequest): string[] {
  const present: Record<(typeof REQUIRED_FLAGS)[number], unknown> = { name: request.name, owner: request.owner, 'cost-center': request.costCenter };
  return REQUIRED_FLAGS.filter((flag) => !present[flag]).map((flag) => `--${flag}`);
}

export function completeRequest(request: PartialRequest): TenantRequest {
  const missing = missingFlags(request);
  if (missing.length > 0) throw new RequestError(`missing ${missing.join(', ')}`);
  return request as TenantRequest;
}

export interface PromptStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/**
 * Asks for the required values the flags did not give, then for a GPU pool and a budget
 * when the flags did not give those either. Each question is asked again until its answer
 * has the right shape; `defaultBudget` shows what an empty budget answer means.
 */
export async function askForMissing(
  given: PartialRequest,
  platform: PlatformFile,
  defaultBudget: (request: PartialRequest) => number,
  streams: PromptStreams,
  checks?: AnswerChecks,
): Promise<TenantRequest> {
  const request: PartialRequest = { ...given };
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  // Reading through one iterator (not rl.question) keeps answers that arrive before their question.
  const ask = async (question: string): Promise<string> => {
    streams.output.write(question);
    const next = await lines.next();
    if (next.done) throw new RequestError('input ended before every value was given');
    return next.value.trim();
  };
  const askUntil = async <T>(question: string, read: (answer: string) => T | undefined): Promise<T> => {
    for (;;) {
      const answer = await ask(question);
      try {
        const value = read(answer);
        if (value !== undefined) return value;
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        streams.output.write(`  ${error.message.replace(/^--\S+ takes/, 'expected')}\n`);
      }
    }
  };
  const required = (answer: string) => (answer === '' ? undefined : answer);
  // An answer the validation would refuse is asked again at once, not after the last question.
  const checked =
    <T>(check: ((value: T) => string | undefined) | undefined, read: (answer: string) => T | undefined) =>
    (answer: string): T | undefined => {
      const value = read(answer);
      const problem = value === undefined || value === null || !check ? undefined : check(value);
      if (problem) throw new RequestError(problem);
      return value;
    };
  const askGpu = !given.gpu;
  const askBudget = given.budgetUsd === undefined;
  try {
    if (!request.name) request.name = await askUntil('Tenant name (lowercase letters, digits and -): ', checked(checks?.name, required));
    if (!request.owner) request.owner = await askUntil("Owner's e-mail (budget alerts go here): ", checked(checks?.owner, required));
    if (!request.costCenter) request.costCenter = await askUntil('Cost center (such as cc-4410): ', checked(checks?.costCenter, required));
    if (askGpu) {
      const allowed = Object.keys(platform.gpuInstanceTypes).join(', ');
      request.gpu = await askUntil<GpuRequest | null>(
        `GPU pool as <instance type>:<max nodes> (${allowed}); empty for CPU only: `,
        checked<GpuRequest | null>(
          (gpu) => (gpu && checks ? checks.gpu(gpu) : undefined),
          (a) => (a === '' ? null : parseGpuSpec(a)),
        ),
      ).then((gpu) => gpu ?? undefined);
    }
    if (askBudget) {
      const fallback = defaultBudget(request);
      request.budgetUsd = await askUntil(`Monthly budget in USD [${fallback}]: `, (a) => (a === '' ? fallback : parseWholeNumber('budget', a, 'US dollars')));
    }
  } finally {
    rl.close();
  }
  return completeRequest(request);
}
